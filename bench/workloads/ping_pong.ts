/**
 * Ping-pong: 1,000,000 round trips between two processes.
 *
 * The pinger sends its own pid and waits for the reply; the ponger loops receiving a pid and
 * sending 'pong' back to it. Messages are a pid string and a constant, so nothing is allocated
 * per message beyond what the runtime itself allocates. The figure is round trips per second,
 * timed inside the pinger. Baseline: the same with mailboxes, the pinger sending its mailbox.
 *
 * @module
 */
import type { Context, Pid } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const ROUND_TRIPS = 1_000_000;

const ponger = async (ctx: Context): Promise<void> => {
  for (;;) ctx.send((await ctx.receive()) as Pid, 'pong');
};

/** Spawns a ponger and plays `ROUND_TRIPS` round trips with it; the clock starts after the spawn. */
const pinger = async (ctx: Context): Promise<{ ms: number; partner: Pid }> => {
  const partner = ctx.spawn(ponger);
  const t0 = now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    ctx.send(partner, ctx.self);
    if ((await ctx.receive()) !== 'pong') throw new Error('expected pong');
  }
  return { ms: now() - t0, partner };
};

type TaskMsg = Mailbox<TaskMsg> | 'pong';

const pongerTask = async (mailbox: Mailbox<TaskMsg>): Promise<void> => {
  for (;;) ((await mailbox.receive()) as Mailbox<TaskMsg>).send('pong');
};

const pingerTask = async (mailbox: Mailbox<TaskMsg>): Promise<number> => {
  const partner = spawn(pongerTask);
  const t0 = now();
  for (let i = 0; i < ROUND_TRIPS; i++) {
    partner.send(mailbox);
    if ((await mailbox.receive()) !== 'pong') throw new Error('expected pong');
  }
  return now() - t0;
};

export const pingPongWorkload: Workload = {
  name: 'ping-pong',
  title: 'ping-pong, 1M round trips',
  unit: 'round trips/s',
  better: 'higher',
  runs: 5,
  target: { kind: 'min-ratio', value: 0.5 },

  otp: async (rt) => {
    const { ms, partner } = await rt.run(pinger);
    check(rt.processInfo(partner)?.status === 'waiting', 'the ponger is back in receive');
    return (ROUND_TRIPS / ms) * 1000;
  },

  baseline: async () => {
    let ms = 0;
    await new Promise<void>((resolve) => {
      spawn<TaskMsg>(async (mailbox) => {
        ms = await pingerTask(mailbox);
      }, resolve);
    });
    return (ROUND_TRIPS / ms) * 1000;
  },
};
