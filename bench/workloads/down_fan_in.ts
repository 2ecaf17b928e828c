/**
 * DOWN fan-in: a collector monitors 100,000 processes, kills them all and receives every DOWN.
 *
 * The collector spawns 100,000 processes with `spawnMonitor`, each blocked in receive. Once
 * all of them wait, it is told to go: it sends each `exit(pid, 'kill')`, then takes the 100,000
 * DOWN messages with plain receive, counting those that say 'killed'. Most of them are queued
 * by the time it receives, as the kernel handles a kill at once. The figure is the time from the
 * first kill to the last DOWN taken. Baseline: the collector holds its tasks' mailboxes, sends
 * each a kill notice, and each task, as it returns, sends 'DOWN' to the collector's mailbox.
 * Erlang: spawn_monitor, exit(Pid, kill) and plain receive, in a collector whose queue is off
 * its heap (see bench.escript).
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import type { Context, DownMessage, Pid } from 'ts-otp';
import { Mailbox, spawn, untilMessage } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';

const WATCHED = scaled(100_000);
const COLLECTOR = 'bench_collector';

const watched = (ctx: Context): Promise<unknown> => ctx.receive();

const collector = async (ctx: Context): Promise<{ ms: number; killed: number }> => {
  ctx.register(COLLECTOR);
  const pids: Pid[] = [];
  for (let i = 0; i < WATCHED; i++) pids.push(ctx.spawnMonitor(watched).pid);
  await ctx.receive(); // 'go', once every watched process waits
  const t0 = now();
  for (const pid of pids) ctx.exit(pid, 'kill');
  let killed = 0;
  for (let i = 0; i < WATCHED; i++) {
    const msg = (await ctx.receive()) as DownMessage;
    if (msg.type === 'DOWN' && msg.reason === 'killed') killed++;
  }
  return { ms: now() - t0, killed };
};

const KILL = Symbol('kill');

export const downFanInWorkload: Workload = {
  name: 'down-fan-in',
  title: `DOWN fan-in from ${count(WATCHED)} killed processes`,
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'vs-erlang', value: 1 },

  otp: async (rt) => {
    const done = rt.run(collector);
    await rt.settle();
    check(rt.processes().length === WATCHED + 1, 'the collector and every watched process are alive');
    rt.send(COLLECTOR, 'go');
    const { ms, killed } = await done;
    check(killed === WATCHED, 'a DOWN saying killed came for every watched process');
    check(rt.processes().length === 0, 'every watched process is dead');
    return ms;
  },

  baseline: async () => {
    const inbox = new Mailbox<'DOWN'>();
    const down = (): void => inbox.send('DOWN');
    const tasks: Mailbox[] = [];
    for (let i = 0; i < WATCHED; i++) tasks.push(spawn(untilMessage, down));
    const t0 = now();
    for (const task of tasks) task.send(KILL);
    let downs = 0;
    for (let i = 0; i < WATCHED; i++) if ((await inbox.receive()) === 'DOWN') downs++;
    const ms = now() - t0;
    check(downs === WATCHED, 'every baseline task reported its end');
    return ms;
  },
};
