/**
 * `npm run demo:cluster`, run as a user runs it (a shorter mode: fewer calls): its last stdout
 * line is the JSON report with every field and no lost message; it stops what it started, also
 * when interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll } from './support/nats_server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<ChildProcess>();
afterEach(() => killAll(running));

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | string | null>;
  /** Resolves once stderr has a line matching `pattern`; its match. */
  until(pattern: RegExp): Promise<RegExpExecArray>;
}

function runDemo(): Run {
  const child = spawn(globalThis.process.execPath, ['--import', 'tsx', 'examples/cluster/demo.ts'], {
    cwd: root,
    env: { ...globalThis.process.env, DEMO_CALLS: '1000', DEMO_RUNS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))),
    until: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(run.stderr);
          if (m === null) return;
          child.stderr!.off('data', check);
          resolve(m);
        };
        child.stderr!.on('data', check);
        void run.exited.then(() => reject(new Error(`the demo exited before ${String(pattern)}: ${run.stderr}`)));
        check();
      }),
  };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += String(chunk)));
  return run;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm run demo:cluster', () => {
  it('prints, last, one JSON line with the figures: three nodes, no message lost or reordered; then nothing it started runs', async () => {
    const run = runDemo();
    const port = Number((await run.until(/nats-server on nats:\/\/127\.0\.0\.1:(\d+)/))[1]);
    expect(await run.exited).toBe(0);
    const last = run.stdout.trim().split('\n').at(-1)!;
    const report = JSON.parse(last) as Record<string, unknown>;
    expect(report).toMatchObject({ nodes: 3, heartbeatMs: 1000, lostMessages: 0, outOfOrder: 0, childrenAfterLoss: ['worker', 'local'] });
    for (const key of ['remoteCallsPerSec', 'noconnectionMs', 'messagesSent']) expect(report[key], key).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/Node\.call\(n3, add\(2, 40\)\) -> \{"sum":42,"node":"n3"\}/);
    expect(await listening(port)).toBe(false); // its nats-server is gone
  }, 60_000);

  it('stops everything it started when interrupted (Ctrl-C)', async () => {
    const run = runDemo();
    const port = Number((await run.until(/nats-server on nats:\/\/127\.0\.0\.1:(\d+)/))[1]);
    await run.until(/joined one cluster/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(await listening(port)).toBe(false);
    expect(run.stdout).toBe('');
  }, 60_000);
});
