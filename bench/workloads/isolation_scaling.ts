/**
 * Every core: a fixed CPU-bound job done by one isolated child, then split over two, each in a
 * worker thread of its own (Supervisor.isolated). The figure is the speed-up, the one child's
 * time over the two children's: on a machine with two free cores it approaches 2.
 *
 * The job is `CHUNKS` calls of `ROUNDS` rounds of bench/workloads/cruncher.ts's integer hash,
 * all sent at once: to one child, or alternately to two. Each child crunches one call first,
 * untimed, so the timed runs meet optimised code. The digests of the two ways must agree.
 * Baseline: the same with plain worker_threads answering `postMessage` requests, one worker
 * then two; the ratio says how much of the plain threads' speed-up survives the node layer.
 * The figure depends on what else the machine runs: a second core busy with other work caps it.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { GenServer, Node, Supervisor, type Pid, type Runtime } from 'ts-otp';
import { crunch, type Cruncher, type Crunched } from './cruncher.js';
import { check, now, type Workload } from '../harness.js';

const MODULE = new URL('./cruncher.ts', import.meta.url).href;
const CHUNKS = 16;
const ROUNDS = 10_000_000;
const SEEDS = Array.from({ length: CHUNKS }, (_, i) => i + 1);
type Child = GenServer.ServerPid<Cruncher>;

/** Sends every chunk at once, chunk i to `targets[i % targets.length]`; the digests and the time taken. */
async function timeJob<T>(targets: readonly T[], send: (target: T, seed: number) => Promise<number>): Promise<{ ms: number; digests: number[] }> {
  const t0 = now();
  const digests = await Promise.all(SEEDS.map((seed, i) => send(targets[i % targets.length]!, seed)));
  return { ms: now() - t0, digests };
}

/** One child's time over two children's, for the same chunks; checks they computed the same. */
async function speedUp<T>(one: T, two: readonly [T, T], send: (target: T, seed: number) => Promise<number>): Promise<number> {
  await Promise.all([...two, one].map((t) => send(t, 0))); // warm-up: each thread compiles the loop
  const single = await timeJob([one], send);
  const split = await timeJob(two, send);
  check(split.digests.every((d, i) => d === single.digests[i]), 'one child and two computed the same digests');
  return single.ms / split.ms;
}

async function otp(rt: Runtime): Promise<number> {
  Node.start(rt, { name: 'scaling' });
  try {
    const children = ['a', 'b'].map((id) => Supervisor.isolated({ id, module: MODULE, export: 'cruncher' }));
    const sup = await Supervisor.start({ children }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('the supervisor did not start');
    const [a, b] = (await Supervisor.whichChildren(sup.pid)).map((c) => c.pid as Pid as Child);
    const threads = new Set<number>();
    const send = async (child: Child, seed: number): Promise<number> => {
      const reply: Crunched = await GenServer.call(child, { type: 'crunch', seed, rounds: ROUNDS }, 'infinity');
      threads.add(reply.threadId);
      return reply.digest;
    };
    const figure = await speedUp(a!, [a!, b!], send);
    check(threads.size === 2, 'the work ran in two threads');
    await Supervisor.stop(sup.pid);
    return figure;
  } finally {
    await Node.stop(rt);
  }
}

const PLAIN = `const { parentPort } = require('node:worker_threads');
const crunch = ${crunch.toString()};
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, digest: crunch(m.seed, m.rounds) }));`;

/** A plain worker answering `{ id, seed, rounds }` with `{ id, digest }`, and a send over it. */
function plainWorker(): { worker: Worker; send: (seed: number) => Promise<number> } {
  const worker = new Worker(PLAIN, { eval: true });
  const waiting = new Map<number, (digest: number) => void>();
  let next = 0;
  worker.on('message', (m: { id: number; digest: number }) => {
    waiting.get(m.id)!(m.digest);
    waiting.delete(m.id);
  });
  return {
    worker,
    send: (seed) =>
      new Promise((resolve) => {
        waiting.set(++next, resolve);
        worker.postMessage({ id: next, seed, rounds: ROUNDS });
      }),
  };
}

async function baseline(): Promise<number> {
  const a = plainWorker();
  const b = plainWorker();
  try {
    return await speedUp(a, [a, b], (w, seed) => w.send(seed));
  } finally {
    await Promise.all([a.worker.terminate(), b.worker.terminate()]);
  }
}

export const isolationScalingWorkload: Workload = {
  name: 'isolation-scaling',
  title: `CPU-bound job over isolated children: 1 vs 2 (${CHUNKS} calls of ${ROUNDS / 1e6}M rounds)`,
  unit: 'x',
  better: 'higher',
  runs: 5,
  target: { kind: 'min', value: 1.6 },
  otp,
  baseline,
};
