/**
 * The HTTP server as a supervised child: a GenServer that owns a node:http server.
 *
 * It traps exits, so when its supervisor stops it, terminate runs and drains the server (see
 * {@link Drain}): every request that reaches it is answered, with `Connection: close`, and the
 * process stops only when the connections are closed or the grace period is over. Request
 * handlers are plain Node code that call the GenServers and supervisors by name.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GenServer, Next, Supervisor, type Runtime } from '../../src/index.js';
import { Observer } from '../../src/observer/index.js';
import { submit } from './jobs.js';
import { get, put } from './kv.js';
import { take } from './rate_limiter.js';

/**
 * A server's connections and how they are let go when it stops.
 *
 * From the start of the drain every response carries `Connection: close`, so Node closes each
 * connection after its current response and clients do not send on it again. For `lingerMs` the
 * server still accepts and idle keep-alive connections stay open: a client that has not been told
 * to close may send a request at any moment, and closing the connection under a request already
 * on its way resets it. Then the server stops accepting and closes the connections that are
 * idle. Any left when `graceMs` is over are closed, answered or not.
 */
export class Drain {
  readonly #sockets = new Set<Socket>();
  readonly #responses = new Set<ServerResponse>();
  #draining = false;
  #closing = false;
  /** Called when the last connection has closed, while the drain waits for that. */
  #allClosed: (() => void) | undefined;

  constructor(readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        if (this.#sockets.size === 0) this.#allClosed?.();
      });
    });
  }

  /** Follows a response from its request on; call it first thing in the request handler. */
  track(res: ServerResponse): void {
    if (this.#draining) res.setHeader('connection', 'close');
    this.#responses.add(res);
    res.once('close', () => this.#responses.delete(res));
    // A response whose keep-alive headers went out before the drain leaves its connection idle.
    res.once('finish', () => {
      if (this.#closing) this.server.closeIdleConnections();
    });
  }

  /** The connections open now. */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Drains the server; resolves once it is closed with every connection. */
  async stop(lingerMs: number, graceMs: number): Promise<void> {
    const started = Date.now();
    this.#draining = true;
    for (const res of this.#responses) if (!res.headersSent) res.setHeader('connection', 'close');
    await this.#allClosedOr(Math.min(lingerMs, graceMs));
    this.#closing = true;
    // Stops accepting and closes the connections that are idle now; busy ones close after their response.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.#allClosedOr(graceMs - (Date.now() - started));
    this.server.closeAllConnections();
    await closed;
  }

  #allClosedOr(ms: number): Promise<void> {
    if (this.#sockets.size === 0 || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#allClosed = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#allClosed = done;
    });
  }
}

export const ROOT = 'backend_sup';

export interface HttpArg {
  readonly port: number;
  readonly host: string;
  /** How long requests in flight may take to finish when the server stops. */
  readonly graceMs: number;
  /** How long, when the server stops, idle keep-alive connections stay open for a request on its way (see {@link Drain}). */
  readonly lingerMs: number;
  /** The observer's token; a random one when empty. */
  readonly observerToken: string;
}

export interface HttpProtocol {
  arg: HttpArg;
  state: { readonly drain: Drain; readonly arg: HttpArg; readonly observe: Observer.ObserverHandler };
}

/** The live tree under the root supervisor. */
export function tree(rt: Runtime): Promise<Supervisor.TreeNode[]> {
  return Supervisor.tree(Supervisor.named(ROOT, rt));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

let jobSerial = 0;

async function route(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://backend');
  const client = req.socket.remoteAddress ?? 'unknown';
  if (!(await take(rt, client))) return send(res, 429, { error: 'rate limited' });
  const [, first, second] = url.pathname.split('/');
  if (req.method === 'GET' && first === 'health') return send(res, 200, { ok: true });
  if (first === 'kv' && second !== undefined && second !== '') {
    if (req.method === 'GET') {
      const value = await get(rt, second);
      return value === undefined ? send(res, 404, { error: 'no such key', key: second }) : send(res, 200, { key: second, value });
    }
    if (req.method === 'PUT') {
      await put(rt, second, await readBody(req));
      return send(res, 200, { key: second, stored: true });
    }
  }
  if (req.method === 'POST' && first === 'jobs') {
    const id = String(++jobSerial);
    const pid = await submit(rt, { id, workMs: Number(url.searchParams.get('work') ?? 100), fail: url.searchParams.get('fail') === '1' });
    return send(res, 202, { id, pid, result: `/kv/job:${id}` });
  }
  if (req.method === 'GET' && first === 'tree') return send(res, 200, await tree(rt));
  if (req.method === 'POST' && first === 'crash' && second !== undefined) {
    const child = (await Supervisor.whichChildren(Supervisor.named(ROOT, rt))).find((c) => c.id === second);
    if (child === undefined || typeof child.pid !== 'string') return send(res, 404, { error: 'no such running child', id: second });
    send(res, 202, { crashing: second, pid: child.pid });
    rt.exit(child.pid, 'crashed_on_purpose');
    return;
  }
  return send(res, 404, { error: 'not found' });
}

export const http: GenServer.Behaviour<HttpProtocol> = {
  init: async (arg, ctx) => {
    ctx.trapExit(true);
    const rt = ctx.runtime;
    // The live observer page at /observer: every api request needs the token printed below.
    const observe = Observer.handler({
      runtime: rt,
      supervisors: [Supervisor.named(ROOT, rt)],
      ...(arg.observerToken === '' ? {} : { token: arg.observerToken }),
    });
    const server = createServer((req, res) => {
      drain.track(res);
      if (observe(req, res)) return;
      route(rt, req, res).catch((error: unknown) => {
        rt.logger.error({ label: 'backend.request_failed', url: req.url, err: error }, 'request failed');
        if (!res.headersSent) send(res, 503, { error: 'unavailable' });
      });
    });
    const drain = new Drain(server);
    // A killed server runs no terminate, yet its listener must go, or its restarted successor
    // could not listen on the port (the observer page's kill button on `http` does just that).
    ctx.signal.addEventListener('abort', () => {
      observe.close();
      if (!server.listening) return; // terminate has drained it
      server.closeAllConnections();
      server.close();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(arg.port, arg.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    rt.logger.info({ label: 'backend.listening', url: `http://${arg.host}:${port}` }, `listening on http://${arg.host}:${port}`);
    const page = observe.url(`http://${arg.host}:${port}`);
    rt.logger.info({ label: 'backend.observer', url: page }, `observer at ${page}`);
    return Next.ok({ drain, arg, observe });
  },
  terminate: async (reason, { drain, arg, observe }, ctx) => {
    observe.close(); // ends its event streams, so open pages do not hold the drain
    ctx.runtime.logger.info({ label: 'backend.http_draining', connections: drain.connections }, `draining ${drain.connections} connections`);
    await drain.stop(arg.lingerMs, arg.graceMs);
    ctx.runtime.logger.info({ label: 'backend.http_stopped', reason }, 'the HTTP server has stopped');
  },
};
