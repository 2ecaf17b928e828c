/**
 * One node of the cluster demo (`npm run demo:cluster`), an OS process of its own: it joins the
 * cluster named by its environment (OTP_NODE_NAME, OTP_NATS_URL, OTP_NATS_TOKEN, OTP_CLUSTER,
 * OTP_TICK_MS) and does what the demo asks on stdin, one JSON request a line (`{ id, op, ... }`),
 * answering `{ id, ok }` or `{ id, error }` on stdout, where it also reports events
 * (`{ event, ... }`). Logs go to stderr. It exits when stdin ends.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { GenServer, Node, Runtime, Supervisor, type Context, type Pid } from '../../src/index.js';
import { counter, type NodeCounter } from './counter.js';
import { emit, serveRequests } from '../../test/cluster/support/node_side.js';

const env = globalThis.process.env;
const name = env['OTP_NODE_NAME']!;
const rt = new Runtime({ logger: pino({ level: 'warn', base: { node: name } }, pino.destination(2)) });
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

await Node.join(rt, { name, url: env['OTP_NATS_URL']!, cluster: env['OTP_CLUSTER']!, token: env['OTP_NATS_TOKEN']!, tickMs: Number(env['OTP_TICK_MS'] ?? 1000) });
rt.spawn((ctx) => {
  Node.monitorNodes(ctx);
  emit({ event: 'joined', node: name, nodes: Node.nodes(rt) }); // each peer is listed here or comes as a nodeup
  const loop = async (): Promise<never> => {
    const m = (await ctx.receive()) as { type: string; node: string };
    emit({ event: m.type, node: m.node, at: Date.now() });
    return loop();
  };
  return loop();
});

/** Receives the numbered stream: counts what arrives and checks its order, reports at its end. */
rt.spawn(async (ctx) => {
  ctx.register('stream_sink');
  let received = 0;
  let outOfOrder = 0;
  let last = 0;
  for (;;) {
    const m = (await ctx.receive()) as number | { type: 'end'; sent: number };
    if (typeof m === 'number') {
      received++;
      if (m !== last + 1) outOfOrder++;
      last = m;
    } else {
      emit({ event: 'stream', sent: m.sent, received, outOfOrder });
      [received, outOfOrder, last] = [0, 0, 0];
    }
  }
});

let root: Pid | null = null;

/**
 * The root of the tree: a counter here, a counter on `worker` and a whole supervisor of two
 * counters on `pool` (temporary: it is not restarted while its node is away).
 */
async function tree(worker: string, pool: string): Promise<Record<string, Pid>> {
  const module = here('./counter.ts');
  const started = await Supervisor.start(
    {
      strategy: 'one_for_one',
      children: [
        { id: 'local', start: (sup) => GenServer.startLink(sup, counter, 0) },
        Supervisor.remote({ id: 'worker', node: worker, module, export: 'counter', arg: 0 }),
        Supervisor.remote({ id: 'pool', node: pool, type: 'supervisor', module, export: 'counters', restart: 'temporary' }),
      ],
    },
    { runtime: rt },
  );
  if (started.type !== 'ok') throw new Error(`the root supervisor did not start: ${JSON.stringify(started)}`);
  root = started.pid;
  return Object.fromEntries((await Supervisor.whichChildren(started.pid)).map((c) => [c.id, c.pid!]));
}

/** `count` calls of `pid`, `concurrency` callers at a time; how long they took. */
async function calls(pid: GenServer.ServerPid<NodeCounter>, count: number, concurrency: number): Promise<{ ms: number; answered: number }> {
  let left = count;
  let answered = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, () =>
      rt.run(async () => {
        while (left > 0) {
          left--;
          if ((await GenServer.call(pid, { type: 'add', by: 1 })) > 0) answered++;
        }
      }),
    ),
  );
  return { ms: performance.now() - started, answered };
}

/**
 * A process that traps exits, links to and monitors `node`'s stream_sink (its pid found there
 * with Node.call) and watches `node`; reports what it gets.
 */
function watch(node: string): Promise<Pid> {
  return rt.run(async (parent) => {
    const pid = await Node.call<Pid>(parent, node, { module: here('./functions.ts'), export: 'whereis', args: ['stream_sink'] }, 5_000);
    const watcher = parent.spawn(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(pid);
      ctx.monitor(pid);
      Node.monitorNode(ctx, node);
      ctx.send(parent.self, 'watching');
      for (;;) emit({ event: 'watched', msg: await ctx.receive(), at: Date.now() });
    });
    return parent.receive((m) => m === 'watching').then(() => watcher);
  });
}

let streaming: { stop: boolean; sent: number; done: Promise<void> } | null = null;

/** Sends 1, 2, 3... to `node`'s stream_sink, a few at a time, until stopped; the end message carries the count. */
function stream(node: string): void {
  const state = { stop: false, sent: 0, done: Promise.resolve() };
  state.done = rt.run(async (ctx: Context) => {
    const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
    while (!state.stop) {
      for (let i = 0; i < 20; i++) ctx.send({ name: 'stream_sink', node }, ++state.sent);
      await tick();
    }
    ctx.send({ name: 'stream_sink', node }, { type: 'end', sent: state.sent });
  });
  streaming = state;
}

async function handle(req: { op: string; [k: string]: unknown }): Promise<unknown> {
  switch (req.op) {
    case 'tree':
      return tree(req['worker'] as string, req['pool'] as string);
    case 'children':
      return (await Supervisor.whichChildren(root!)).map((c) => ({ id: c.id, pid: c.pid ?? null }));
    case 'call':
      return GenServer.call(req['pid'] as GenServer.ServerPid<NodeCounter>, req['msg'] as NodeCounter['call']);
    case 'calls':
      return calls(req['pid'] as GenServer.ServerPid<NodeCounter>, req['count'] as number, req['concurrency'] as number);
    case 'rpc':
      return rt.run((ctx) => Node.call(ctx, req['node'] as string, { module: here('./functions.ts'), export: req['export'] as string, args: req['args'] as unknown[] }, 5_000));
    case 'watch':
      return watch(req['node'] as string);
    case 'stream':
      stream(req['to'] as string);
      return true;
    case 'streamStop': {
      const s = streaming!;
      s.stop = true;
      await s.done;
      return s.sent;
    }
    default:
      throw new Error(`unknown op ${req.op}`);
  }
}

serveRequests(handle);
