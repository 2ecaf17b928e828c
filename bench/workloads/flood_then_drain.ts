/**
 * Flood then drain: a process finds 10k, 100k or 1M messages queued and takes them all with plain receive.
 *
 * Plain code sends the integers 0..N-1 to a process that has not started yet (a process starts
 * after its spawner's step), so all of them wait in its mailbox; the process then takes them
 * one by one with `ctx.receive()`, checking that each is the next in order. The figure is the
 * receive cost per message, timed inside the process from its first receive to its last. Every
 * depth receives 1M messages in all (a 10k queue is filled and drained a hundred times), so the
 * rows differ only in how deep the queue is. The flatness row measures the cost at 1M and at
 * 10k in the same run and divides them: about 1 for a mailbox whose receive does not grow with
 * its length (a row of its own, as the ratio of two rows measured in different processes moves
 * with the machine). Baseline: the baseline's array mailbox, filled before an async function
 * drains it. Erlang sends to a process held with `erlang:suspend_process` until all are queued.
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import type { Runtime } from 'ts-otp';
import { Mailbox } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';

const SHALLOW = scaled(10_000);
const MIDDLE = scaled(100_000);
const DEEP = scaled(1_000_000);
/** Messages each depth receives in all. */
const TOTAL = scaled(1_000_000);

/** Fills a process's mailbox with `depth` messages from plain code, lets it drain them; ms of the drain. */
async function drainProcess(rt: Runtime, depth: number): Promise<number> {
  let took = -1;
  const pid = rt.spawn(async (ctx) => {
    const t0 = now();
    for (let i = 0; i < depth; i++) if ((await ctx.receive()) !== i) throw new Error(`message ${i} out of order`);
    took = now() - t0;
  });
  for (let i = 0; i < depth; i++) rt.send(pid, i);
  await rt.settle();
  check(took >= 0 && !rt.isAlive(pid), `the process received all ${depth} messages, in order`);
  return took;
}

async function drainMailbox(depth: number): Promise<number> {
  const mailbox = new Mailbox<number>();
  for (let i = 0; i < depth; i++) mailbox.send(i);
  const t0 = now();
  for (let i = 0; i < depth; i++) if ((await mailbox.receive()) !== i) throw new Error(`baseline message ${i} out of order`);
  return now() - t0;
}

/** Nanoseconds per message over TOTAL messages received from queues `depth` deep. */
async function perMessage(depth: number, drain: (depth: number) => Promise<number>): Promise<number> {
  const rounds = Math.max(1, Math.round(TOTAL / depth));
  let ms = 0;
  for (let i = 0; i < rounds; i++) ms += await drain(depth);
  return (ms * 1e6) / (rounds * depth);
}

function depthWorkload(name: string, depth: number): Workload {
  return {
    name,
    title: `flood then drain: receive with ${count(depth)} queued`,
    unit: 'ns/msg',
    better: 'lower',
    runs: 5,
    target: { kind: 'vs-erlang', value: 1 },
    otp: (rt) => perMessage(depth, (d) => drainProcess(rt, d)),
    baseline: () => perMessage(depth, drainMailbox),
  };
}

export const floodThenDrain10kWorkload = depthWorkload('flood-then-drain-10k', SHALLOW);
export const floodThenDrain100kWorkload = depthWorkload('flood-then-drain-100k', MIDDLE);
export const floodThenDrain1mWorkload = depthWorkload('flood-then-drain-1m', DEEP);

export const floodThenDrainFlatnessWorkload: Workload = {
  name: 'flood-then-drain-flatness',
  title: `mailbox depth: receive cost at ${count(DEEP)} / at ${count(SHALLOW)} queued`,
  unit: 'x',
  better: 'lower',
  runs: 5,
  target: { kind: 'max', value: 3 },
  otp: async (rt) => {
    const shallow = await perMessage(SHALLOW, (d) => drainProcess(rt, d));
    return (await perMessage(DEEP, (d) => drainProcess(rt, d))) / shallow;
  },
  baseline: async () => {
    const shallow = await perMessage(SHALLOW, drainMailbox);
    return (await perMessage(DEEP, drainMailbox)) / shallow;
  },
};
