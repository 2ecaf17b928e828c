/**
 * Idle memory: the heap each process costs while it waits in receive with an empty mailbox.
 *
 * Spawns 100,000 processes that each block in `await ctx.receive()`, waits until all are blocked
 * (`rt.settle()`), forces a full GC, and divides the growth of the V8 heap's used size by the
 * number of processes. The runtime's own structures (process table, pid strings) are part of
 * the figure, as they are part of the cost. Baseline: the same with an async function awaiting
 * its mailbox; the mailboxes are kept in an array, as without a reference to them the waiting
 * functions would be garbage.
 *
 * @module
 */
import type { Context } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, gc, heapUsed, type Workload } from '../harness.js';

const N = 100_000;

const idle = async (ctx: Context): Promise<void> => {
  await ctx.receive();
};

const idleTask = async (mailbox: Mailbox): Promise<void> => {
  await mailbox.receive();
};

export const idleMemoryWorkload: Workload = {
  name: 'idle-memory',
  title: 'idle process in receive, 100k',
  unit: 'B/proc',
  better: 'lower',
  runs: 3,
  target: { kind: 'max', value: 1024 },

  otp: async (rt) => {
    gc();
    const before = heapUsed();
    for (let i = 0; i < N; i++) rt.spawn(idle);
    await rt.settle();
    gc();
    const perProcess = (heapUsed() - before) / N;
    const pids = rt.processes();
    check(pids.length === N && rt.processInfo(pids[N - 1]!)?.status === 'waiting', 'every process waits in receive');
    return perProcess;
  },

  baseline: async () => {
    gc();
    const before = heapUsed();
    const mailboxes: Mailbox[] = [];
    for (let i = 0; i < N; i++) mailboxes.push(spawn(idleTask));
    await Promise.resolve();
    gc();
    const perProcess = (heapUsed() - before) / N;
    check(mailboxes.every((m) => m.waiter !== null), 'every task waits on its mailbox');
    return perProcess;
  },
};
