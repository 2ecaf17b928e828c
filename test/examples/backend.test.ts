/**
 * End to end: the example backend behind `npm start`, as a real Node process on a free port.
 *
 * It is started with port 0, found by the URL it logs, called over HTTP, made to lose a child
 * (which its supervisor restarts), and stopped with SIGTERM: it must stop the tree in order (the
 * HTTP server first) and exit with status 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Backend {
  readonly child: ChildProcess;
  readonly records: Array<Record<string, unknown>>;
  readonly url: string;
  readonly exited: Promise<number | null>;
}

let running: ChildProcess | undefined;
afterEach(() => {
  if (running?.exitCode === null) running.kill('SIGKILL');
  running = undefined;
});

/** Waits until a log record matches, or fails with what was logged. */
function waitFor(b: Pick<Backend, 'records'>, match: (r: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 15_000;
    const poll = (): void => {
      const found = b.records.find(match);
      if (found !== undefined) resolve(found);
      else if (Date.now() > deadline) reject(new Error(`no log record for ${what}; got ${JSON.stringify(b.records.map((r) => r['label']))}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

async function startBackend(): Promise<Backend> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/backend/main.ts'], {
    cwd: root,
    env: { ...process.env, OTP_BACKEND_PORT: '0', OTP_BACKEND_FLAKY_CRASH_AFTER_MS: '60000', OTP_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  const records: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += String(chunk);
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line.trim() === '') continue;
      // A key written twice (pino's OS pid next to a report's ts-otp pid) is refused by some log stores.
      if ((line.match(/"pid":/g) ?? []).length > 1) throw new Error(`a log record with two pid keys: ${line}`);
      records.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = await waitFor({ records }, (r) => r['label'] === 'backend.listening', 'listening');
  await waitFor({ records }, (r) => r['label'] === 'application.started', 'started');
  return { child, records, url: String(listening['url']), exited };
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

describe('the example backend', () => {
  it('serves, recovers a crashed child, and stops in order on SIGTERM with status 0', async () => {
    const b = await startBackend();
    expect(await json(`${b.url}/health`)).toEqual({ status: 200, body: { ok: true } });
    expect((await json(`${b.url}/kv/greeting`, { method: 'PUT', body: 'hello' })).status).toBe(200);
    expect(await json(`${b.url}/kv/greeting`)).toEqual({ status: 200, body: { key: 'greeting', value: 'hello' } });

    const job = await json(`${b.url}/jobs?work=10&fail=1`, { method: 'POST' });
    expect(job.status).toBe(202);
    await waitFor(b, (r) => r['label'] === 'supervisor.child_terminated' && r['supervisor'] === 'jobs', 'the failed job report');

    const before = (await json(`${b.url}/tree`)).body as Array<{ id: string; pid: string }>;
    expect(before.map((c) => c.id)).toEqual(['kv', 'rate_limiter', 'jobs', 'flaky', 'http']);
    const kvBefore = before.find((c) => c.id === 'kv')!.pid;
    expect((await json(`${b.url}/crash/kv`, { method: 'POST' })).status).toBe(202);
    const kvCrash = await waitFor(b, (r) => r['label'] === 'supervisor.child_terminated' && r['id'] === 'kv', 'the kv crash report');
    expect(kvCrash['pid']).toBe(kvBefore); // the report's pid is the ts-otp pid
    const after = (await json(`${b.url}/tree`)).body as Array<{ id: string; pid: string }>;
    const kvAfter = after.find((c) => c.id === 'kv')!.pid;
    expect(kvAfter).not.toBe(kvBefore); // restarted with a new pid
    expect(await json(`${b.url}/kv/greeting`)).toEqual({ status: 404, body: { error: 'no such key', key: 'greeting' } }); // its state went with it

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    const labels = b.records.map((r) => r['label']);
    const order = ['application.shutdown', 'backend.http_stopped', 'application.stopped'].map((l) => labels.indexOf(l));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });
});
