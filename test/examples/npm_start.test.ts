/**
 * `npm start`, signalled as a container runtime signals it (SIGTERM to the npm process only) and
 * as a terminal does on Ctrl-C (SIGINT to the whole process group).
 *
 * npm forwards the signal to its child, the shell running the script; the script `exec`s node,
 * so that child is the backend itself, which stops in order and exits 0, and npm exits 0 after
 * it. Without the `exec`, the shell dies of the signal and the backend, orphaned, keeps serving.
 * On Ctrl-C node has the signal twice, from the terminal and from npm, and must take it as one.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killBackends, loggedInOrder, startBackend, transcript } from './backend_process.js';

afterEach(killBackends);

/** Resolves with the error code of a TCP connection to the URL's port, or 'connected'. */
function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Whether any process is left in the process group `pgid`. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the process group `pgid` is gone within `ms`. tsx's esbuild service, a child of the
 * backend, exits when it sees its parent's pipe close, a moment after the backend itself: no
 * event tells this process of it, so the group is polled until it is empty or the time is up.
 */
async function groupGone(pgid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('npm start', () => {
  it('stops the backend in order when npm alone gets SIGTERM, and leaves no process serving', async () => {
    const b = await startBackend(['npm', 'start']);
    expect(b.otherLines.join('\n'), transcript(b)).toContain('> exec node --import tsx examples/backend/main.ts');
    expect(await tryConnect(b.url)).toBe('connected');
    b.child.kill('SIGTERM'); // npm's pid, not its process group
    expect(await b.exited, transcript(b)).toBe(0);
    expect(loggedInOrder(b, ['application.shutdown', 'backend.http_stopped', 'application.stopped']), transcript(b)).toBe(true);
    expect(await tryConnect(b.url)).toBe('ECONNREFUSED');
    expect(await groupGone(b.child.pid!)).toBe(true);
  });

  it('stops the backend in order, exiting 0, on a Ctrl-C that node has from both the terminal and npm', async () => {
    const b = await startBackend(['npm', 'start']);
    // An idle keep-alive connection: the drain lingers for it, so npm's copy of the signal arrives mid-stop.
    const { hostname, port } = new URL(b.url);
    const idle = connect(Number(port), hostname);
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    process.kill(-b.child.pid!, 'SIGINT'); // the terminal signals the foreground process group
    expect(await b.exited, transcript(b)).toBe(0);
    await idleClosed;
    expect(b.records.filter((r) => r['label'] === 'application.shutdown_forced')).toEqual([]);
    expect(loggedInOrder(b, ['application.shutdown', 'backend.http_draining', 'backend.http_stopped', 'application.stopped']), transcript(b)).toBe(true);
    expect(await groupGone(b.child.pid!)).toBe(true);
  });
});
