/**
 * Waiting for one reply with 100,000 unrelated messages queued: a GenServer call, and a monitor's DOWN.
 *
 * A client process first sends itself 100,000 integers, which it never takes, and then times
 * 10,000 rounds of waiting for one particular message. Call: a sequential `GenServer.call` to a
 * counter; figure in µs per call. Monitor: spawn a process that waits for 'stop', monitor it,
 * send 'stop' and wait with `ctx.receiveRef(ref)` for its DOWN, which must carry that pid and
 * 'normal'; figure in µs per round. Both check that the 100,000 messages are still queued
 * afterwards. Neither wait may cost more for the unrelated messages: Erlang skips them with the
 * receive marker it sets when the ref is made (OTP 24 and later), in gen_server:call and in a
 * function that makes a monitor and then receives its DOWN. Baselines: the baseline's counter
 * called from plain code, and a task whose end resolves the promise its spawner waits on; each
 * with an array of 100,000 untouched messages as the client's mailbox.
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import { GenServer, type Context, type DownMessage, type Pid } from 'ts-otp';
import { Mailbox, spawn, untilMessage } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';
import { counterTask, startCounter, type Request } from './gen_server_call.js';

const UNRELATED = scaled(100_000);
const ROUNDS = scaled(10_000);

function fillSelf(ctx: Context): void {
  for (let i = 0; i < UNRELATED; i++) ctx.send(ctx.self, i);
}

/** The client's own mailbox in the baselines: full, and never read. */
function fullMailbox(): Mailbox<number> {
  const mailbox = new Mailbox<number>();
  for (let i = 0; i < UNRELATED; i++) mailbox.send(i);
  return mailbox;
}

export const callWithUnrelatedQueueWorkload: Workload = {
  name: 'call-with-unrelated-queue',
  title: `GenServer.call with ${count(UNRELATED)} unrelated queued`,
  unit: 'µs/call',
  better: 'lower',
  runs: 5,
  warmups: 3,
  target: { kind: 'vs-erlang', value: 1 },

  otp: async (rt) => {
    const server = await startCounter(rt);
    const { ms, last, left } = await rt.run(async (ctx) => {
      fillSelf(ctx);
      const t0 = now();
      let last = 0;
      for (let i = 0; i < ROUNDS; i++) last = await GenServer.call(server, { type: 'add', by: 1 });
      const ms = now() - t0;
      return { ms, last, left: rt.processInfo(ctx.self)?.messageQueueLen };
    });
    check(last === ROUNDS, 'every call was answered');
    check(left === UNRELATED, 'the unrelated messages are still queued');
    return (ms * 1000) / ROUNDS;
  },

  baseline: async () => {
    const own = fullMailbox();
    const server = spawn<Request>(counterTask);
    const t0 = now();
    let last = 0;
    for (let i = 0; i < ROUNDS; i++) last = await new Promise<number>((resolve) => server.send({ by: 1, resolve }));
    const ms = now() - t0;
    check(last === ROUNDS && own.queue.length - own.head === UNRELATED, 'every baseline call was answered; its mailbox untouched');
    return (ms * 1000) / ROUNDS;
  },
};

const waitForStop = (ctx: Context): Promise<unknown> => ctx.receive();

export const downWithUnrelatedQueueWorkload: Workload = {
  name: 'down-with-unrelated-queue',
  title: `monitor, stop, receiveRef DOWN with ${count(UNRELATED)} unrelated queued`,
  unit: 'µs/monitor',
  better: 'lower',
  runs: 5,
  warmups: 3,
  target: { kind: 'vs-erlang', value: 1 },

  otp: async (rt) => {
    const { ms, left } = await rt.run(async (ctx) => {
      fillSelf(ctx);
      const t0 = now();
      for (let i = 0; i < ROUNDS; i++) {
        const child: Pid = ctx.spawn(waitForStop);
        const ref = ctx.monitor(child);
        ctx.send(child, 'stop');
        const down = await ctx.receiveRef<DownMessage>(ref);
        if (down.pid !== child || down.reason !== 'normal') throw new Error(`unexpected DOWN ${JSON.stringify(down)}`);
      }
      const ms = now() - t0;
      return { ms, left: rt.processInfo(ctx.self)?.messageQueueLen };
    });
    check(left === UNRELATED, 'the unrelated messages are still queued');
    return (ms * 1000) / ROUNDS;
  },

  baseline: async () => {
    const own = fullMailbox();
    const t0 = now();
    for (let i = 0; i < ROUNDS; i++) {
      await new Promise<void>((resolve) => {
        spawn(untilMessage, resolve).send('stop');
      });
    }
    const ms = now() - t0;
    check(own.queue.length - own.head === UNRELATED, 'the baseline client left its mailbox untouched');
    return (ms * 1000) / ROUNDS;
  },
};
