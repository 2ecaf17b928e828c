/**
 * End to end: the example backend behind `npm start`, as a real Node process on a free port.
 *
 * It is started with port 0, found by the URL it logs, called over HTTP, made to lose a child
 * (which its supervisor restarts), and stopped with SIGTERM: it must stop the tree in order (the
 * HTTP server first) and exit with status 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killBackends, loggedInOrder, startBackend, transcript, waitFor } from './backend_process.js';

afterEach(killBackends);

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
    expect(await b.exited, transcript(b)).toBe(0);
    expect(loggedInOrder(b, ['application.shutdown', 'backend.http_stopped', 'application.stopped']), transcript(b)).toBe(true);
  });
});
