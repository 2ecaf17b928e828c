/**
 * The observer as a handler in the user's own server, and as a server of its own: what it
 * answers, what it leaves to the user's routes, and the options it refuses.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, Runtime, Supervisor } from 'ts-otp';
import { Observer } from 'ts-otp/observer';
import { useRuntime } from '../support/runtime.js';
import { observe, stopObservers } from './support.js';

const runtime = useRuntime();
const servers: Server[] = [];
const handlers: Observer.ObserverHandler[] = [];
afterEach(async () => {
  for (const h of handlers.splice(0)) h.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  await stopObservers();
});

/** The user's server: the observer first, then a route of theirs. */
async function mounted(options: Observer.ObserverOptions): Promise<{ origin: string; observe: Observer.ObserverHandler }> {
  const observe = Observer.handler(options);
  handlers.push(observe);
  const server = createServer((req, res) => {
    if (observe(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`mine: ${req.url}`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`, observe };
}

describe('Observer.handler', () => {
  it('answers under its path only and leaves the rest to the user', async () => {
    const { origin, observe } = await mounted({ runtime: runtime(), path: '/ops/observer' });
    expect(await (await fetch(`${origin}/ops/observerx`)).text()).toBe('mine: /ops/observerx');
    expect(await (await fetch(`${origin}/other`)).text()).toBe('mine: /other');
    const redirect = await fetch(`${origin}/ops/observer?token=t`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/ops/observer/?token=t');
    expect(observe.url(`${origin}/`)).toBe(`${origin}/ops/observer/?token=${observe.token}`);
    expect((await fetch(`${origin}/ops/observer/nothing`)).status).toBe(404);
  });

  it('serves the page and its chart library from the package, loading nothing from elsewhere', async () => {
    const { origin, observe } = await mounted({ runtime: runtime() });
    const page = await fetch(observe.url(origin));
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]);
    expect(sources.sort()).toEqual(['app.js', 'style.css', 'uplot.css', 'uplot.js']);
    for (const s of sources) {
      const res = await fetch(`${origin}/observer/${s}`);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toMatch(/(?:src|href)\s*=\s*["']https?:/);
    }
    expect(await (await fetch(`${origin}/observer/uplot.js`)).text()).toContain('uPlot');
    expect((await fetch(`${origin}/observer/app.js`, { method: 'POST' })).status).toBe(405);
  });

  it('makes a token of 32 hex digits unless given one', () => {
    const a = Observer.handler({ runtime: runtime() });
    const b = Observer.handler({ runtime: runtime() });
    handlers.push(a, b);
    expect(a.token).toMatch(/^[0-9a-f]{32}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('stops following the runtime when closed', async () => {
    const rt = runtime();
    const before = rt.events.listenerCount('exit');
    const { origin, observe } = await mounted({ runtime: rt });
    expect(rt.events.listenerCount('exit')).toBe(before + 1);
    observe.close();
    expect(rt.events.listenerCount('exit')).toBe(before);
    expect((await fetch(`${origin}/observer/api/tree`, { headers: { 'x-observer-token': observe.token } })).status).toBe(503);
  });

  it.each([
    ['options', 42, 'options'],
    ['runtime', { runtime: {} }, 'options.runtime'],
    ['supervisors', { supervisors: 'root' }, 'options.supervisors'],
    ['a supervisor', { supervisors: [42] }, 'options.supervisors[0]'],
    ['path without a slash', { path: 'observer' }, 'options.path'],
    ['path with a trailing slash', { path: '/observer/' }, 'options.path'],
    ['path with a query', { path: '/observer?x' }, 'options.path'],
    ['short token', { token: 'short' }, 'options.token'],
    ['token with a space', { token: 'a token with spaces in it' }, 'options.token'],
    ['stateLimit', { stateLimit: 10 }, 'options.stateLimit'],
    ['refreshMs', { refreshMs: 1.5 }, 'options.refreshMs'],
  ])('refuses a bad %s, naming it', (_what, options, argument) => {
    const rt = runtime();
    const listeners = rt.events.listenerCount('exit');
    const call = () => Observer.handler({ runtime: rt, ...(options as object) } as never);
    const plain = () => Observer.handler(options as never);
    const thrown = (() => {
      try {
        (argument === 'options' ? plain : call)();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toMatchObject({ argument });
    expect(rt.events.listenerCount('exit')).toBe(listeners); // nothing was attached
  });
});

describe('Observer.start', () => {
  it('binds to 127.0.0.1 and sends other paths to the page', async () => {
    const api = await observe(runtime());
    expect(new URL(api.running.url).hostname).toBe('127.0.0.1');
    const res = await fetch(`${new URL(api.running.url).origin}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/observer/');
  });

  it('closes its server and every connection to it', async () => {
    const rt = new Runtime();
    const running = await Observer.start({ runtime: rt, supervisors: [Supervisor.named('root', rt)] });
    const stream = await fetch(running.url.replace('/?token=', '/api/events?token='));
    expect(stream.status).toBe(200);
    await running.close();
    await expect(fetch(running.url)).rejects.toThrow();
    expect(rt.events.listenerCount('exit')).toBe(0);
  });

  it.each([
    [{ port: -1 }, 'options.port'],
    [{ port: 70000 }, 'options.port'],
    [{ host: '' }, 'options.host'],
  ])('refuses %j at the call', (options, argument) => {
    expect(() => Observer.start({ runtime: runtime(), ...options })).toThrow(expect.objectContaining({ name: 'InvalidArgumentError', argument }));
  });
});
