/**
 * The observer in the example backend, over HTTP: the page's token comes from the env, and a
 * kill of the `http` server from the page brings the backend back listening on its port, page
 * included.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killBackends, startBackend, waitFor } from '../examples/backend_process.js';

afterEach(killBackends);

const TOKEN = 'backend-test-token-0123456789';

interface Tree { children: Array<{ id: string; pid: string }> }

/** A port that was free a moment ago: the restarted server must get the same one back. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the example backend with the observer mounted', () => {
  it('logs the page with the token from its env, and survives a kill of its own http server', async () => {
    const backend = await startBackend(undefined, { OTP_BACKEND_OBSERVER_TOKEN: TOKEN, OTP_BACKEND_PORT: String(await freePort()) });
    const logged = await waitFor(backend, (r) => r['label'] === 'backend.observer', 'the observer URL');
    expect(logged['url']).toBe(`${backend.url}/observer/?token=${TOKEN}`);
    const headers = { 'x-observer-token': TOKEN };
    const [tree] = (await (await fetch(`${backend.url}/observer/api/tree`, { headers })).json()) as Tree[];
    const http = tree!.children.find((c) => c.id === 'http')!;

    const killed = await fetch(`${backend.url}/observer/api/process/${encodeURIComponent(http.pid)}/kill`, { method: 'POST', headers });
    expect(killed.status).toBe(200);
    // Listening again on the same port, with no failed start between.
    await waitFor(backend, (r) => r['label'] === 'backend.listening' && r !== backend.records.find((x) => x['label'] === 'backend.listening'), 'listening again');
    const [after] = (await (await fetch(`${backend.url}/observer/api/tree`, { headers })).json()) as Tree[];
    expect(after!.children.find((c) => c.id === 'http')!.pid).not.toBe(http.pid);
    expect(backend.records.filter((r) => r['label'] === 'gen_server.init_failed')).toEqual([]);
  }, 30_000);
});
