/**
 * Isolated children (Supervisor.isolated): what a call across threads costs, how soon a kill
 * stops a child in an endless loop, how long a child takes to start, and what memory it takes.
 *
 * The child is examples/isolated_counter.ts in a worker thread of its own. Baselines are the
 * plainest worker_threads code doing the same: a worker answering `postMessage` requests, a
 * worker in `while (true)` ended by `worker.terminate()`, and a worker started and answering
 * once. The gap is what the node layer adds: pids, monitors, structured clone of every value,
 * the handshake and the module loading by path.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { GenServer, Node, Supervisor, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import type { IsolatedCounter } from '../../examples/isolated_counter.js';
import { check, gc, now, type Workload } from '../harness.js';

const MODULE = new URL('../../examples/isolated_counter.ts', import.meta.url).href;
const CALLS = 100_000;
const CALLERS = 64;
type Counter = GenServer.ServerPid<IsolatedCounter>;

/** Runs `run` with a supervisor of one isolated counter on `rt`, made a node for the run. */
async function withChild<T>(rt: Runtime, run: (pid: Counter, sup: Pid) => Promise<T>): Promise<T> {
  Node.start(rt, { name: 'bench' });
  try {
    const sup = await Supervisor.start({ children: [Supervisor.isolated({ id: 'c', module: MODULE, export: 'counter', arg: 0 })] }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('the supervisor did not start');
    const [child] = await Supervisor.whichChildren(sup.pid);
    const result = await run(child!.pid as Counter, sup.pid);
    await Supervisor.stop(sup.pid);
    return result;
  } finally {
    await Node.stop(rt);
  }
}

/** Runs `CALLERS` concurrent loops of `call` until `CALLS` are done; calls per second. */
async function concurrently(call: () => Promise<unknown>): Promise<number> {
  let left = CALLS;
  const t0 = now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (left > 0) {
        left--;
        await call();
      }
    }),
  );
  return (CALLS / (now() - t0)) * 1000;
}

const ECHO = `const { parentPort } = require('node:worker_threads');
let n = 0;
parentPort.on('message', (m) => { if (m === 'spin') { for (;;); } n += m.by; parentPort.postMessage({ id: m.id, n }); });`;

/** A plain worker answering `{ id, by }` with `{ id, n }`, and a call function over it. */
function plainWorker(): { worker: Worker; call: (by: number) => Promise<number> } {
  const worker = new Worker(ECHO, { eval: true });
  const waiting = new Map<number, (n: number) => void>();
  let next = 0;
  worker.on('message', (m: { id: number; n: number }) => {
    const resolve = waiting.get(m.id)!;
    waiting.delete(m.id);
    resolve(m.n);
  });
  return {
    worker,
    call: (by) =>
      new Promise((resolve) => {
        waiting.set(++next, resolve);
        worker.postMessage({ id: next, by });
      }),
  };
}

export const isolatedCallWorkload: Workload = {
  name: 'isolated-call',
  title: `GenServer.call to an isolated child, ${CALLERS} callers, 100k`,
  unit: 'calls/s',
  better: 'higher',
  runs: 3,
  target: { kind: 'min-ratio', value: 0.25 },
  otp: (rt) =>
    withChild(rt, async (pid) => {
      const rate = await concurrently(() => GenServer.call(pid, { type: 'add', by: 1 }));
      check((await GenServer.call(pid, { type: 'get' })) === CALLS, 'every call was counted');
      return rate;
    }),
  baseline: async () => {
    const { worker, call } = plainWorker();
    const rate = await concurrently(() => call(1));
    check((await call(0)) === CALLS, 'every baseline call was counted');
    await worker.terminate();
    return rate;
  },
};

export const isolatedKillWorkload: Workload = {
  name: 'isolated-kill',
  title: 'kill of an isolated child in an endless loop, to its DOWN',
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'max', value: 250 },
  otp: (rt) =>
    withChild(rt, async (pid) => {
      await GenServer.call(pid, { type: 'get' }); // up and answering
      GenServer.cast(pid, { type: 'spin' });
      await new Promise((resolve) => setTimeout(resolve, 20)); // in the loop
      const inbox = rt.inbox();
      const ref = inbox.monitor(pid);
      const t0 = now();
      rt.exit(pid, 'kill');
      const down = await inbox.receiveRef<DownMessage>(ref);
      const ms = now() - t0;
      inbox.close();
      check(down.reason === 'killed', 'the child exited killed');
      return ms;
    }),
  baseline: async () => {
    const { worker, call } = plainWorker();
    await call(0);
    worker.postMessage('spin');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const t0 = now();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    void worker.terminate();
    await exited;
    return now() - t0;
  },
};

export const isolatedStartWorkload: Workload = {
  name: 'isolated-start',
  title: 'start of an isolated child, to its first answer',
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'max-ratio', value: 10 },
  otp: async (rt) => {
    const t0 = now();
    return withChild(rt, async (pid) => {
      await GenServer.call(pid, { type: 'get' });
      return now() - t0;
    });
  },
  baseline: async () => {
    const t0 = now();
    const { worker, call } = plainWorker();
    await call(0);
    const ms = now() - t0;
    await worker.terminate();
    return ms;
  },
};

const CHILDREN = 4;

/** The process's resident memory after a full GC of this thread, in MB. */
function residentMB(): number {
  gc();
  return process.memoryUsage().rss / 1e6;
}

export const isolatedMemoryWorkload: Workload = {
  name: 'isolated-memory',
  title: `memory of an isolated child (${CHILDREN} started, each answering)`,
  unit: 'MB/child',
  better: 'lower',
  runs: 3,
  // An absolute bound, as for an idle process: a thread is a V8 isolate of its own, and from
  // TypeScript sources it also loads the tsx loader and compiles the child's modules.
  target: { kind: 'max', value: 64 },
  // The resident memory of the whole OS process: a worker's isolate and heap are in it.
  otp: async (rt) => {
    Node.start(rt, { name: 'bench' });
    try {
      const before = residentMB();
      const children = Array.from({ length: CHILDREN }, (_, i) => Supervisor.isolated({ id: `c${i}`, module: MODULE, export: 'counter', arg: 0 }));
      const sup = await Supervisor.start({ children }, { runtime: rt });
      if (sup.type !== 'ok') throw new Error('the supervisor did not start');
      for (const child of await Supervisor.whichChildren(sup.pid)) await GenServer.call(child.pid as Counter, { type: 'get' });
      const perChild = (residentMB() - before) / CHILDREN;
      await Supervisor.stop(sup.pid);
      return perChild;
    } finally {
      await Node.stop(rt);
    }
  },
  baseline: async () => {
    const before = residentMB();
    const workers = Array.from({ length: CHILDREN }, () => plainWorker());
    for (const { call } of workers) await call(0);
    const perChild = (residentMB() - before) / CHILDREN;
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
    return perChild;
  },
};
