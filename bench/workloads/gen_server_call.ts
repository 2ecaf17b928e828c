/**
 * GenServer calls: 1,000,000 sequential calls to a counter server, from a process and from plain code.
 *
 * The server's handleCall returns a plain value (`Next.reply`), so its side costs no promise per
 * message; the caller awaits one promise per call. The figure is calls per second, timed around
 * the loop of calls. Baseline: the plainest promise-resolving request/response: the client pushes
 * `{ n, resolve }` onto the server's array mailbox and awaits the promise, and the server loop
 * receives each request and resolves it with the new count.
 *
 * @module
 */
import { GenServer, Next, type Context, type Runtime } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const CALLS = 1_000_000;

/** The counter of the call workloads; the overload workloads cast to it too. */
export interface Counter {
  state: number;
  call: { readonly type: 'add'; readonly by: number } | { readonly type: 'get' };
  reply: { add: number; get: number };
  cast: { readonly type: 'add'; readonly by: number };
}

const counter: GenServer.Behaviour<Counter> = {
  init: () => Next.ok(0),
  handleCall: { add: ({ by }, _from, n) => Next.reply(n + by, n + by), get: (_req, _from, n) => Next.reply(n, n) },
  handleCast: { add: ({ by }, n) => Next.noreply(n + by) },
};

export async function startCounter(rt: Runtime): Promise<GenServer.ServerPid<Counter>> {
  const started = await GenServer.start(counter, undefined, { runtime: rt });
  if (started.type !== 'ok') throw new Error('the counter did not start');
  return started.pid;
}

async function callLoop(pid: GenServer.ServerPid<Counter>): Promise<number> {
  const t0 = now();
  let last = 0;
  for (let i = 0; i < CALLS; i++) last = await GenServer.call(pid, { type: 'add', by: 1 });
  const ms = now() - t0;
  check(last === CALLS, 'every call was counted');
  return (CALLS / ms) * 1000;
}

export interface Request {
  readonly by: number;
  readonly resolve: (n: number) => void;
}

/** The baseline's counter: adds each request's `by` and resolves it with the new count. */
export const counterTask = async (mailbox: Mailbox<Request>): Promise<void> => {
  let n = 0;
  for (;;) {
    const req = await mailbox.receive();
    n += req.by;
    req.resolve(n);
  }
};

async function baseline(): Promise<number> {
  const server = spawn(counterTask);
  const t0 = now();
  let last = 0;
  for (let i = 0; i < CALLS; i++) last = await new Promise<number>((resolve) => server.send({ by: 1, resolve }));
  const ms = now() - t0;
  check(last === CALLS, 'every baseline call was counted');
  return (CALLS / ms) * 1000;
}

export const callFromProcessWorkload: Workload = {
  name: 'call-process',
  title: 'GenServer.call from a process, 1M',
  unit: 'calls/s',
  better: 'higher',
  runs: 5,
  target: { kind: 'min-ratio', value: 0.4 },
  otp: async (rt) => {
    const pid = await startCounter(rt);
    return rt.run((_ctx: Context) => callLoop(pid));
  },
  baseline,
};

export const callFromPlainCodeWorkload: Workload = {
  name: 'call-plain',
  title: 'GenServer.call from plain code, 1M',
  unit: 'calls/s',
  better: 'higher',
  runs: 5,
  target: { kind: 'min-ratio', value: 0.4 },
  otp: async (rt) => callLoop(await startCounter(rt)),
  baseline,
};
