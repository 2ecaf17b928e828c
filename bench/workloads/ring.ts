/**
 * Ring: 10,000 processes pass a counter round a ring, 1,000,000 hops in all.
 *
 * Each member first receives its successor's pid, then loops: receive the counter `n`; if it is
 * 0, tell the coordinator and stop, else send `n - 1` to the successor. The ring is built and
 * every member is blocked in receive before the clock starts; the figure is hops per second from
 * the injection of the counter to the coordinator's receipt of 'done'. Baseline: the same with
 * mailboxes, members holding their successor's mailbox instead of a pid.
 *
 * @module
 */
import type { Context, Pid } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const SIZE = 10_000;
const HOPS = 1_000_000;
const COORDINATOR = 'bench_ring';

const member = async (ctx: Context): Promise<void> => {
  const next = (await ctx.receive()) as Pid;
  for (;;) {
    const n = (await ctx.receive()) as number;
    if (n === 0) {
      ctx.send(COORDINATOR, 'done');
      return;
    }
    ctx.send(next, n - 1);
  }
};

const coordinator = async (ctx: Context): Promise<unknown> => {
  ctx.register(COORDINATOR);
  return ctx.receive();
};

type TaskMsg = Mailbox<TaskMsg> | number;

/** The baseline's member; `done` is its coordinator. */
const memberTask = async (mailbox: Mailbox<TaskMsg>, done: () => void): Promise<void> => {
  const next = (await mailbox.receive()) as Mailbox<TaskMsg>;
  for (;;) {
    const n = (await mailbox.receive()) as number;
    if (n === 0) {
      done();
      return;
    }
    next.send(n - 1);
  }
};

export const ringWorkload: Workload = {
  name: 'ring',
  title: 'ring of 10k, 1M hops',
  unit: 'hops/s',
  better: 'higher',
  runs: 9, // this machine is shared: more pairs, a steadier median
  target: { kind: 'min-ratio', value: 0.7 },

  otp: async (rt) => {
    const done = rt.run(coordinator);
    const pids: Pid[] = [];
    for (let i = 0; i < SIZE; i++) pids.push(rt.spawn(member));
    for (let i = 0; i < SIZE; i++) rt.send(pids[i]!, pids[(i + 1) % SIZE]!);
    await rt.settle();
    const t0 = now();
    rt.send(pids[0]!, HOPS);
    const answer = await done;
    const elapsed = now() - t0;
    check(answer === 'done', 'the counter came back');
    check(!rt.isAlive(pids[HOPS % SIZE]!) && rt.isAlive(pids[(HOPS + 1) % SIZE]!), 'the counter made exactly HOPS hops');
    return (HOPS / elapsed) * 1000;
  },

  baseline: async () => {
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const ring: Array<Mailbox<TaskMsg>> = [];
    for (let i = 0; i < SIZE; i++) ring.push(spawn<TaskMsg>((mailbox) => memberTask(mailbox, finish)));
    for (let i = 0; i < SIZE; i++) ring[i]!.send(ring[(i + 1) % SIZE]!);
    await new Promise((resolve) => setImmediate(resolve)); // every member is now waiting for the counter
    const t0 = now();
    ring[0]!.send(HOPS);
    await done;
    return (HOPS / (now() - t0)) * 1000;
  },
};
