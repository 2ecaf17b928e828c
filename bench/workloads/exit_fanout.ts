/**
 * Exit fan-out: a process linked to 100,000 others exits abnormally; time until all are dead.
 *
 * A hub spawns 100,000 children with `spawnLink`; each child blocks in receive and does not trap
 * exits. Once everything is blocked, the hub is told to die and calls `ctx.exit('boom')`; the
 * figure is the time from that message until `rt.settle()` resolves with no process left.
 * Baseline: the plainest Node version of "notify the linked tasks and have them stop": the hub
 * keeps its children's mailboxes in an array and, when it dies, sends each an exit notice; a
 * child that receives it returns, and the figure is the time until the last child has returned.
 *
 * @module
 */
import type { Context } from 'ts-otp';
import { spawn, untilMessage, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const CHILDREN = 100_000;

const child = async (ctx: Context): Promise<void> => {
  await ctx.receive();
};

const hub = async (ctx: Context): Promise<void> => {
  for (let i = 0; i < CHILDREN; i++) ctx.spawnLink(child);
  await ctx.receive();
  ctx.exit('boom');
};

const EXIT = Symbol('exit');

/** The baseline's hub; `exited` is called as each child returns. */
const hubTask = async (mailbox: Mailbox, exited: () => void): Promise<void> => {
  const links: Mailbox[] = [];
  for (let i = 0; i < CHILDREN; i++) links.push(spawn(untilMessage, exited));
  await mailbox.receive();
  for (const link of links) link.send(EXIT);
};

export const exitFanoutWorkload: Workload = {
  name: 'exit-fanout',
  title: 'exit fan-out to 100k links',
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'max-ratio', value: 4 },

  otp: async (rt) => {
    const pid = rt.spawn(hub);
    await rt.settle();
    check(rt.processes().length === CHILDREN + 1, 'the hub and its children are alive');
    const t0 = now();
    rt.send(pid, 'die');
    await rt.settle();
    const elapsed = now() - t0;
    check(rt.processes().length === 0, 'every child died with the hub');
    return elapsed;
  },

  baseline: async () => {
    let live = CHILDREN;
    let allDone: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    const exited = (): void => {
      if (--live === 0) allDone();
    };
    const mailbox = spawn((own) => hubTask(own, exited));
    await new Promise((resolve) => setImmediate(resolve)); // the hub and every child now wait
    const t0 = now();
    mailbox.send('die');
    await finished;
    return now() - t0;
  },
};
