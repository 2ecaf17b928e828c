/**
 * The HTTP server as a supervised child: a GenServer that owns a node:http server.
 *
 * It traps exits, so when its supervisor stops it, terminate runs: the server stops accepting,
 * idle keep-alive connections are closed, requests in flight may finish within a grace period,
 * and then every connection left is closed. Request handlers are plain Node code that call the
 * GenServers and supervisors by name.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenServer, Next, Supervisor, DynamicSupervisor, type Pid, type Runtime } from '../../src/index.js';
import { JOBS, submit } from './jobs.js';
import { get, put } from './kv.js';
import { take } from './rate_limiter.js';

export const ROOT = 'backend_sup';

export interface HttpArg {
  readonly port: number;
  readonly host: string;
  /** How long requests in flight may take to finish when the server stops. */
  readonly graceMs: number;
}

export interface HttpProtocol {
  arg: HttpArg;
  state: { readonly server: Server; readonly arg: HttpArg };
}

/** A node of the live supervision tree. */
export interface TreeNode {
  readonly id: string;
  readonly pid: Pid | undefined;
  readonly type: 'worker' | 'supervisor';
  readonly children?: readonly TreeNode[];
}

/** The live tree under the root supervisor, read with whichChildren at every level. */
export async function tree(rt: Runtime): Promise<TreeNode[]> {
  const walk = async (sup: Supervisor.SupervisorRef): Promise<TreeNode[]> => {
    const nodes: TreeNode[] = [];
    for (const c of (await Supervisor.whichChildren(sup)).reverse()) {
      if (c.type === 'supervisor' && typeof c.pid === 'string' && c.id === JOBS) {
        const jobs = await DynamicSupervisor.whichChildren(c.pid);
        nodes.push({ ...c, children: jobs.map((j) => ({ id: 'job', pid: j.pid, type: j.type })) });
      } else if (c.type === 'supervisor' && typeof c.pid === 'string') {
        nodes.push({ ...c, children: await walk(c.pid) });
      } else {
        nodes.push(c);
      }
    }
    return nodes;
  };
  return walk(Supervisor.named(ROOT, rt));
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
    const server = createServer((req, res) => {
      route(rt, req, res).catch((error: unknown) => {
        rt.logger.error({ label: 'backend.request_failed', url: req.url, err: error }, 'request failed');
        if (!res.headersSent) send(res, 503, { error: 'unavailable' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(arg.port, arg.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    rt.logger.info({ label: 'backend.listening', url: `http://${arg.host}:${port}` }, `listening on http://${arg.host}:${port}`);
    return Next.ok({ server, arg });
  },
  terminate: async (reason, { server, arg }, ctx) => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, arg.graceMs).unref());
    await Promise.race([closed, grace]);
    server.closeAllConnections();
    await closed;
    ctx.runtime.logger.info({ label: 'backend.http_stopped', reason }, 'the HTTP server has stopped');
  },
};
