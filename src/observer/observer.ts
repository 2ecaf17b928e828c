/**
 * The observer: a live web page on a running runtime, served by a request handler.
 *
 * Nothing is served until the user mounts {@link handler} in their own `node:http` server or
 * calls {@link start}, which listens on 127.0.0.1 unless told otherwise. The page and its assets
 * (a chart library included) come from the package; it loads nothing from elsewhere. Every
 * `api/` route asks for the token (header `x-observer-token`, or `?token=` where a browser cannot
 * set a header); a wrong or missing token gets 403 and changes nothing. A process's state is read
 * only as its `formatStatus` shows it, and cut to `stateLimit` characters before it is sent.
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defaultRuntime, InvalidArgumentError, isPid, Runtime, Supervisor, type Pid } from '../index.js';
import { Model, SORT_KEYS, type ObservedTree, type RootRef, type SortKey, type TimelineEvent } from './internal/model.js';
import { mermaid, renderBounded } from './internal/render.js';
import { statusOf, traceOn, type TracedMessage } from './internal/seam.js';

/**
 * Options of {@link handler} and {@link start}.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Supervisor.start({ children: [] }, { runtime: rt, name: 'root' });
 * const options: Observer.ObserverOptions = { runtime: rt, supervisors: [Supervisor.named('root', rt)], path: '/ops/observer' };
 * const observe = Observer.handler(options);
 * expect(observe.path).toBe('/ops/observer');
 * observe.close();
 * rt.killAll();
 * ```
 */
export interface ObserverOptions {
  /** The runtime to observe; the default runtime when left out. */
  readonly runtime?: Runtime;
  /** The supervisors whose trees the page draws, each a Supervisor or DynamicSupervisor, by pid or name. */
  readonly supervisors?: readonly RootRef[];
  /** Where the page is mounted: a path starting with '/', without a trailing '/'. Default '/observer'. */
  readonly path?: string;
  /** The token that every `api/` request must carry: at least 16 characters. Default: 32 random hex digits. */
  readonly token?: string;
  /** The most characters of a state or a traced message sent to the page. Default 4096. */
  readonly stateLimit?: number;
  /** How often an open page gets the tree, in ms. Default 1000. */
  readonly refreshMs?: number;
}

/**
 * A request handler serving the observer, as {@link handler} makes it.
 *
 * Call it first in your request listener: it answers the requests under its path and returns
 * true; for any other request it returns false and does nothing.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const observe: Observer.ObserverHandler = Observer.handler({ runtime: rt });
 * const server = createServer((req, res) => {
 *   if (observe(req, res)) return;
 *   res.writeHead(404).end();
 * });
 * await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
 * const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
 * expect((await fetch(observe.url(origin))).status).toBe(200); // the page
 * expect((await fetch(`${origin}/observer/api/tree`)).status).toBe(403); // no token
 * expect((await fetch(`${origin}/observer/api/tree`, { headers: { 'x-observer-token': observe.token } })).status).toBe(200);
 * observe.close();
 * await new Promise((resolve) => server.close(resolve));
 * ```
 */
export interface ObserverHandler {
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** The path it serves under. */
  readonly path: string;
  /** The token its `api/` routes ask for. */
  readonly token: string;
  /** The page's address, token included, on a server whose origin is `origin` ('http://127.0.0.1:3000'). */
  url(origin: string): string;
  /** Ends its event streams, switches its traces off and stops following the runtime. */
  close(): void;
}

/**
 * Options of {@link start}: where to listen, besides the {@link ObserverOptions}.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const options: Observer.StartOptions = { runtime: new Runtime(), port: 0 };
 * const running = await Observer.start(options);
 * expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/observer\/\?token=/);
 * await running.close();
 * ```
 */
export interface StartOptions extends ObserverOptions {
  /** The port; 0 (the default) takes a free one. */
  readonly port?: number;
  /** The address to bind; '127.0.0.1' by default, so only this machine can reach the page. */
  readonly host?: string;
}

/**
 * An observer serving on a server of its own, as {@link start} resolves.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const running: Observer.RunningObserver = await Observer.start({ runtime: new Runtime() });
 * expect((await fetch(running.url)).headers.get('content-type')).toMatch(/text\/html/);
 * await running.close();
 * ```
 */
export interface RunningObserver {
  /** The page's address, token included. */
  readonly url: string;
  readonly token: string;
  /** Closes the observer and its server, with every connection to it. */
  close(): Promise<void>;
}

const ASSETS: Record<string, { readonly file: () => string; readonly type: string }> = {
  '/': { file: () => asset('index.html'), type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => asset('app.js'), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: () => asset('style.css'), type: 'text/css; charset=utf-8' },
  '/uplot.js': { file: () => vendored('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/uplot.css': { file: () => vendored('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, string>();
function cached(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    cache.set(path, text);
  }
  return text;
}
// fileURLToPath, not URL.pathname: an install path with a space or a non-ASCII letter is percent-encoded in a URL.
const asset = (name: string): string => cached(fileURLToPath(new URL(`./assets/${name}`, import.meta.url)));
const vendored = (name: string): string => cached(createRequire(import.meta.url).resolve(name));

/** Security headers for every answer: nothing from elsewhere, no token in a Referer. */
const HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const TRACE_LIMIT = 512;

function checkOptions(operation: string, options: unknown): Required<Omit<ObserverOptions, 'runtime'>> & { runtime: Runtime } {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  const o = options as ObserverOptions;
  const runtime = o.runtime ?? defaultRuntime();
  if (!(runtime instanceof Runtime)) throw new InvalidArgumentError(operation, 'options.runtime', o.runtime, 'a Runtime');
  const supervisors = o.supervisors ?? [];
  if (!Array.isArray(supervisors)) throw new InvalidArgumentError(operation, 'options.supervisors', supervisors, 'an array of supervisor pids or names');
  supervisors.forEach((s: unknown, i) => {
    const named = typeof s === 'object' && s !== null && typeof (s as { name?: unknown }).name === 'string';
    if (!isPid(s) && !named) throw new InvalidArgumentError(operation, `options.supervisors[${i}]`, s, 'a supervisor pid or Supervisor.named(name, runtime)');
  });
  const path = o.path ?? '/observer';
  if (typeof path !== 'string' || !/^\/[\w\-./]*$/.test(path) || path.endsWith('/') || path.includes('//')) {
    throw new InvalidArgumentError(operation, 'options.path', path, "a path like '/observer': starting with '/', without a trailing '/'");
  }
  const token = o.token ?? randomBytes(16).toString('hex');
  if (typeof token !== 'string' || token.length < 16 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InvalidArgumentError(operation, 'options.token', token, 'a string of at least 16 printable characters');
  }
  const stateLimit = o.stateLimit ?? 4096;
  if (!Number.isSafeInteger(stateLimit) || stateLimit < 64) throw new InvalidArgumentError(operation, 'options.stateLimit', stateLimit, 'an integer >= 64');
  const refreshMs = o.refreshMs ?? 1000;
  if (!Number.isSafeInteger(refreshMs) || refreshMs < 10) throw new InvalidArgumentError(operation, 'options.refreshMs', refreshMs, 'an integer >= 10');
  return { runtime, supervisors, path, token, stateLimit, refreshMs };
}

/**
 * Makes a request handler that serves the observer page under `options.path` ('/observer').
 *
 * From the moment it is made, the observer follows the runtime's exits (for the timeline, and the
 * restart counts and last exit reasons in the trees); {@link ObserverHandler.close} stops that.
 * While a page is open it refreshes the trees every `refreshMs` and right after a child in them
 * exits, and pushes changes to the page over server-sent events.
 *
 * @throws {@link ts-otp!InvalidArgumentError} for options that are not valid, naming the option.
 * @see {@link start} for an observer on a server of its own.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * await Supervisor.start({ children: [{ id: 'worker', start: idle }] }, { runtime: rt, name: 'root' });
 * const observe = Observer.handler({ runtime: rt, supervisors: [Supervisor.named('root', rt)], token: 'a-long-enough-token' });
 * const server = createServer((req, res) => void (observe(req, res) || res.writeHead(404).end()));
 * await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
 * const api = `http://127.0.0.1:${(server.address() as { port: number }).port}/observer/api`;
 * const headers = { 'x-observer-token': 'a-long-enough-token' };
 * const [tree] = await (await fetch(`${api}/tree`, { headers })).json();
 * expect(tree.children).toMatchObject([{ id: 'worker', restarts: 0 }]);
 * observe.close();
 * await new Promise((resolve) => server.close(resolve));
 * rt.killAll();
 * ```
 */
export function handler(options: ObserverOptions = {}): ObserverHandler {
  const o = checkOptions('Observer.handler', options);
  const site = new Site(o.runtime, o.supervisors, o.token, o.stateLimit, o.refreshMs);
  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://observer');
    if (url.pathname !== o.path && !url.pathname.startsWith(`${o.path}/`)) return false;
    const rest = url.pathname.slice(o.path.length);
    if (rest === '') {
      res.writeHead(301, { ...HEADERS, location: `${o.path}/${url.search}` }).end();
      return true;
    }
    site.serve(req, res, rest, url).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.end();
    });
    return true;
  };
  return Object.assign(handle, {
    path: o.path,
    token: o.token,
    url: (origin: string) => `${origin.replace(/\/$/, '')}${o.path}/?token=${encodeURIComponent(o.token)}`,
    close: () => site.close(),
  });
}

/**
 * Serves the observer on a `node:http` server of its own, on 127.0.0.1 unless `options.host`
 * says otherwise, and resolves once it listens.
 *
 * @throws {@link ts-otp!InvalidArgumentError} for options that are not valid, naming the option, at the
 * call; the promise rejects when the server cannot listen (the port is taken).
 * @see {@link handler} to mount it in a server of yours instead.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn((ctx) => ctx.receive());
 * const running = await Observer.start({ runtime: rt });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const headers = { 'x-observer-token': running.token };
 * const page = await (await fetch(`${api}/processes?filter=${encodeURIComponent(pid)}`, { headers })).json();
 * expect(page.rows).toMatchObject([{ pid, behaviour: 'process', status: 'waiting' }]);
 * expect((await fetch(`${api}/process/${encodeURIComponent(pid)}/kill`, { method: 'POST' })).status).toBe(403);
 * expect(rt.isAlive(pid)).toBe(true);
 * await running.close();
 * rt.killAll();
 * ```
 */
export function start(options: StartOptions = {}): Promise<RunningObserver> {
  const o = checkOptions('Observer.start', options);
  const port = options.port ?? 0;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('Observer.start', 'options.port', port, 'an integer from 0 to 65535');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new InvalidArgumentError('Observer.start', 'options.host', host, 'an address to bind, such as 127.0.0.1');
  return listen(o, port, host);
}

async function listen(o: ReturnType<typeof checkOptions>, port: number, host: string): Promise<RunningObserver> {
  const observe = handler(o);
  const server = createServer((req, res) => {
    if (!observe(req, res)) res.writeHead(302, { ...HEADERS, location: `${o.path}/` }).end();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    observe.close(); // the port was taken: nothing is left following the runtime
    throw error;
  }
  const { port: bound } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  return {
    url: observe.url(origin),
    token: o.token,
    close: async () => {
      observe.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The observer behind one handler: its routes, its open event streams and its traces. */
class Site {
  readonly #model: Model;
  readonly #token: Buffer;
  readonly #streams = new Set<ServerResponse>();
  readonly #traces = new Map<Pid, () => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #refreshing = false;
  #lastTree = '';
  #lastEvent = -Infinity;
  #closed = false;

  constructor(
    readonly rt: Runtime,
    roots: readonly RootRef[],
    token: string,
    readonly stateLimit: number,
    readonly refreshMs: number,
  ) {
    this.#token = Buffer.from(token);
    const labelled = roots.map((ref) => ({ ref, label: typeof ref === 'string' ? ref : (ref as { name: string }).name }));
    this.#model = new Model(rt, labelled, () => this.#refreshSoon(20));
    this.#model.attach();
    this.#refreshSoon(0);
  }

  close(): void {
    this.#closed = true;
    this.#model.detach();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const off of this.#traces.values()) off();
    this.#traces.clear();
    for (const s of this.#streams) s.end();
    this.#streams.clear();
  }

  #allowed(req: IncomingMessage, url: URL): boolean {
    const given = req.headers['x-observer-token'] ?? url.searchParams.get('token') ?? '';
    const buf = Buffer.from(Array.isArray(given) ? given[0] ?? '' : given);
    return buf.length === this.#token.length && timingSafeEqual(buf, this.#token);
  }

  async serve(req: IncomingMessage, res: ServerResponse, rest: string, url: URL): Promise<void> {
    const page = ASSETS[rest];
    if (page !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
      res.writeHead(200, { ...HEADERS, 'content-type': page.type });
      res.end(req.method === 'HEAD' ? undefined : page.file());
      return;
    }
    if (!rest.startsWith('/api/')) return json(res, 404, { error: 'not found' });
    if (this.#closed) return json(res, 503, { error: 'the observer is closed' });
    if (!this.#allowed(req, url)) return json(res, 403, { error: 'a valid token is required' });
    const [route, pidText, action] = rest.slice('/api/'.length).split('/');
    const method = req.method ?? 'GET';
    if (pidText === undefined) {
      if (method !== 'GET') return json(res, 405, { error: 'method not allowed' });
      switch (route) {
        case 'tree':
          return json(res, 200, await this.#model.refresh());
        case 'mermaid':
          res.writeHead(200, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' });
          res.end(mermaid(await this.#model.refresh()));
          return;
        case 'timeline':
          return json(res, 200, this.#model.timeline());
        case 'processes':
          return this.#processes(res, url);
        case 'events':
          return this.#stream(req, res);
        default:
          return json(res, 404, { error: 'not found' });
      }
    }
    if (route !== 'process') return json(res, 404, { error: 'not found' });
    let pid: string;
    try {
      pid = decodeURIComponent(pidText);
    } catch {
      pid = pidText; // a malformed escape: not a pid either
    }
    if (!this.#live(pid)) return json(res, 404, { error: 'no such process', pid });
    if (action === undefined) {
      if (method !== 'GET') return json(res, 405, { error: 'method not allowed' });
      return json(res, 200, await this.#process(pid));
    }
    if (method !== 'POST') return json(res, 405, { error: 'method not allowed' });
    switch (action) {
      case 'kill':
        this.rt.exit(pid, 'kill');
        return json(res, 200, { killed: pid });
      case 'restart':
        return json(res, ...(await this.#restart(pid)));
      case 'trace':
        return this.#trace(res, pid, url.searchParams.get('on'));
      default:
        return json(res, 404, { error: 'not found' });
    }
  }

  /** Whether `pid` names a live process of this runtime; a malformed or foreign pid is not one. */
  #live(pid: string): pid is Pid {
    if (!isPid(pid)) return false;
    try {
      return this.rt.processInfo(pid) !== undefined;
    } catch {
      return false; // a pid of another runtime
    }
  }

  #processes(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const sort = (q.get('sort') ?? 'pid') as SortKey;
    if (!SORT_KEYS.includes(sort)) return json(res, 400, { error: 'unknown sort key', sort, expected: SORT_KEYS });
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 50);
    if (!Number.isSafeInteger(offset) || offset < 0) return json(res, 400, { error: 'offset must be an integer >= 0', offset: q.get('offset') });
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) return json(res, 400, { error: 'limit must be an integer from 1 to 1000', limit: q.get('limit') });
    json(res, 200, this.#model.processes({ filter: q.get('filter') ?? '', sort, descending: q.get('dir') === 'desc', offset, limit }));
  }

  async #process(pid: Pid): Promise<object> {
    const info = this.rt.processInfo(pid)!;
    let status: object;
    try {
      const s = await statusOf(pid, 1000);
      status = s.kind === 'none' ? s : { kind: s.kind, ...renderBounded(s.state, this.stateLimit) };
    } catch (error) {
      status = { kind: 'error', text: String(error), truncated: false };
    }
    await this.#model.refresh();
    return { info, status, tracing: this.#traces.has(pid), place: this.#model.placeOf(pid) };
  }

  async #restart(pid: Pid): Promise<[number, object]> {
    await this.#model.refresh();
    const place = this.#model.placeOf(pid);
    if (place === undefined || !place.restartable) return [409, { error: 'not a child a supervisor can restart by id', pid }];
    const sup = place.supervisor as Supervisor.SupervisorPid;
    const stopped = await Supervisor.terminateChild(sup, place.id);
    if (stopped.type === 'error') return [409, { error: `terminate_child: ${stopped.reason}`, pid }];
    const restarted = await Supervisor.restartChild(sup, place.id);
    if (restarted.type !== 'ok') return [409, { error: 'restart_child failed', pid, result: renderBounded(restarted, 512).text }];
    this.#refreshSoon(0);
    return [200, { restarted: place.id, pid: restarted.pid }];
  }

  #trace(res: ServerResponse, pid: Pid, on: string | null): void {
    if (on !== 'true' && on !== 'false') return json(res, 400, { error: "on must be 'true' or 'false'", on });
    if (on === 'false') {
      this.#traces.get(pid)?.();
      this.#traces.delete(pid);
      return json(res, 200, { pid, tracing: false });
    }
    if (!this.#traces.has(pid)) {
      const off = traceOn(pid, (m) => this.#traced(pid, m));
      if (off === undefined) return json(res, 409, { error: 'only a GenServer or a supervisor can be traced', pid });
      this.#traces.set(pid, off);
    }
    json(res, 200, { pid, tracing: true });
  }

  #traced(pid: Pid, m: TracedMessage): void {
    const { text, truncated } = renderBounded(m.msg, TRACE_LIMIT);
    this.#send('trace', { pid, kind: m.kind, at: Date.now(), text, truncated });
  }

  #stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.#streams.add(res);
    req.socket.setNoDelay(true);
    const closed = (): void => {
      this.#streams.delete(res);
      // With no page open a trace has nobody to tell: it costs the server for nothing.
      if (this.#streams.size === 0) {
        for (const off of this.#traces.values()) off();
        this.#traces.clear();
      }
    };
    res.once('close', closed);
    this.#lastTree = ''; // the new page gets the whole tree
    this.#refreshSoon(0);
  }

  #send(event: string, data: unknown): void {
    if (this.#streams.size === 0) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const s of this.#streams) s.write(frame);
  }

  /** Refreshes the trees within `ms`, and then every `refreshMs` while a page is open. */
  #refreshSoon(ms: number): void {
    if (this.#closed) return;
    const at = Date.now() + ms;
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      void this.#refresh();
    }, ms);
    this.#timer.unref();
  }

  async #refresh(): Promise<void> {
    if (this.#refreshing) return this.#refreshSoon(20);
    this.#refreshing = true;
    let trees: readonly ObservedTree[];
    try {
      trees = await this.#model.refresh();
    } finally {
      this.#refreshing = false;
    }
    if (this.#closed) return;
    const text = JSON.stringify(trees);
    if (text !== this.#lastTree) {
      this.#lastTree = text;
      this.#send('tree', trees);
    }
    const fresh: TimelineEvent[] = this.#model.timeline(this.#lastEvent);
    if (fresh.length > 0) {
      this.#lastEvent = fresh[fresh.length - 1]!.at;
      this.#send('timeline', fresh);
    }
    this.#send('stats', { processes: this.rt.processCount(), at: Date.now() });
    if (this.#streams.size > 0) this.#refreshSoon(this.refreshMs);
  }
}
