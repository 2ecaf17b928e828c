import { afterEach, describe, expect, it, vi } from 'vitest';
import { Runtime, TIMEOUT, type Context } from 'ts-otp';
import { deferred, exitReasonOf, hasSettled, manualClock, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

/** Receives `n` messages with plain receive, in order. */
async function takeAll(ctx: Context, n: number): Promise<unknown[]> {
  const got: unknown[] = [];
  for (let i = 0; i < n; i++) got.push(await ctx.receive(0));
  return got;
}

describe('receive', () => {
  it('takes messages in the order they arrived', async () => {
    const rt = runtime();
    const got = rt.run(async (ctx) => [await ctx.receive(), await ctx.receive(), await ctx.receive()]);
    const [pid] = rt.processes();
    rt.send(pid!, 1);
    rt.send(pid!, 2);
    rt.send(pid!, 3);
    expect(await got).toEqual([1, 2, 3]);
  });

  it('waits for a message when the mailbox is empty', async () => {
    const rt = runtime();
    const got = rt.run((ctx) => ctx.receive());
    await rt.settle();
    const [pid] = rt.processes();
    expect(rt.processInfo(pid!)?.status).toBe('waiting');
    rt.send(pid!, 'late');
    expect(await got).toBe('late');
  });

  it('delivers undefined, null and falsy values as messages', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      for (const m of [undefined, null, 0, '', false]) ctx.send(ctx.self, m);
      return takeAll(ctx, 6);
    });
    expect(got).toEqual([undefined, null, 0, '', false, TIMEOUT]);
  });

  describe('with a predicate (selective receive)', () => {
    it('takes the oldest matching message and leaves the others in order (C05)', async () => {
      const rt = runtime();
      const got = await rt.run(async (ctx) => {
        for (const m of ['a1', 'b1', 'a2', 'b2']) ctx.send(ctx.self, m);
        const first = await ctx.receive((m) => typeof m === 'string' && m.startsWith('b'));
        return [first, ...(await takeAll(ctx, 4))];
      });
      expect(got).toEqual(['b1', 'a1', 'a2', 'b2', TIMEOUT]);
    });

    it('waits for a matching message; those that do not match queue in order', async () => {
      const rt = runtime();
      const got = rt.run(async (ctx) => {
        const match = await ctx.receive((m) => m === 'wanted');
        return [match, ...(await takeAll(ctx, 3))];
      });
      await rt.settle();
      const [pid] = rt.processes();
      rt.send(pid!, 'x');
      rt.send(pid!, 'y');
      await rt.settle();
      expect(rt.processInfo(pid!)).toMatchObject({ status: 'waiting', messageQueueLen: 2 });
      rt.send(pid!, 'wanted');
      rt.send(pid!, 'z');
      expect(await got).toEqual(['wanted', 'x', 'y', 'z']);
    });

    it('takes the oldest match when several arrive in the same step', async () => {
      const rt = runtime();
      const got = rt.run((ctx) => ctx.receive((m) => (m as number) > 1));
      await rt.settle();
      const [pid] = rt.processes();
      for (const m of [1, 2, 3]) rt.send(pid!, m);
      expect(await got).toBe(2);
    });

    it('runs the predicate as the receiver, after the sender’s step', async () => {
      const rt = runtime();
      const calls: unknown[] = [];
      const got = rt.run((ctx) =>
        ctx.receive((m) => {
          calls.push(m);
          return true;
        }),
      );
      await rt.settle();
      const [pid] = rt.processes();
      rt.send(pid!, 'm');
      expect(calls).toEqual([]);
      expect(await got).toBe('m');
      expect(calls).toEqual(['m']);
    });

    it("ends the process with { tag: 'error', cause } when the predicate throws on a message that arrives", async () => {
      const rt = runtime();
      const error = new Error('bad predicate');
      const pid = rt.spawn((ctx) =>
        ctx.receive(() => {
          throw error;
        }),
      );
      await rt.settle();
      const reason = exitReasonOf(rt, pid);
      rt.send(pid, 'trigger');
      expect(await reason).toEqual({ tag: 'error', cause: error });
      expect(rt.isAlive(pid)).toBe(false);
    });

    it("ends the process with { tag: 'error', cause } when the predicate throws on a message already queued", async () => {
      const rt = runtime();
      const error = new Error('bad predicate');
      const pid = rt.spawn(async (ctx) => {
        ctx.send(ctx.self, 'queued');
        await ctx.receive(() => {
          throw error;
        });
      });
      expect(await exitReasonOf(rt, pid)).toEqual({ tag: 'error', cause: error });
    });
  });

  describe('with a timeout', () => {
    it('returns the TIMEOUT symbol when nothing arrives in time, and later messages still queue (C08)', async () => {
      const rt = runtime();
      const got = rt.run(async (ctx) => {
        const first = await ctx.receive(100);
        const second = await ctx.receive();
        return [first, second];
      });
      await rt.settle();
      const [pid] = rt.processes();
      clock.advance(99);
      await rt.settle();
      expect(rt.processInfo(pid!)?.status).toBe('waiting');
      clock.advance(1);
      await rt.settle();
      rt.send(pid!, 'after the timeout');
      expect(await got).toEqual([TIMEOUT, 'after the timeout']);
      expect(typeof TIMEOUT).toBe('symbol');
    });

    it('counts from the end of the step that started it: never early, late by what that step did after', async () => {
      const rt = runtime();
      const inbox = rt.inbox();
      const late = inbox.receive(100);
      clock.advance(30); // time that passes in the same step, as a busy loop would spend it
      await rt.settle();
      clock.advance(99);
      expect(await hasSettled(late)).toBe(false); // 129 ms after the receive, 99 after its step ended
      clock.advance(1);
      expect(await late).toBe(TIMEOUT);
      inbox.close();
    });

    it('returns a message that arrives in time and cancels its timeout', async () => {
      const rt = runtime();
      const got = rt.run(async (ctx) => [await ctx.receive(100), await ctx.receive()]);
      await rt.settle();
      const [pid] = rt.processes();
      clock.advance(50);
      rt.send(pid!, 'in time');
      await rt.settle();
      clock.advance(100); // past the first deadline: nothing may fire into the second receive
      await rt.settle();
      expect(rt.processInfo(pid!)?.status).toBe('waiting');
      rt.send(pid!, 'next');
      expect(await got).toEqual(['in time', 'next']);
    });

    it('returns TIMEOUT from a selective receive when nothing matches in time and leaves the rest queued', async () => {
      const rt = runtime();
      const got = rt.run(async (ctx) => {
        const first = await ctx.receive((m) => m === 'never', 100);
        return [first, ...(await takeAll(ctx, 3))];
      });
      await rt.settle();
      const [pid] = rt.processes();
      rt.send(pid!, 'x');
      rt.send(pid!, 'y');
      await rt.settle();
      clock.advance(100);
      expect(await got).toEqual([TIMEOUT, 'x', 'y', TIMEOUT]);
    });

    it('returns a message matching a selective receive in time and cancels its timeout', async () => {
      const rt = runtime();
      const got = rt.run(async (ctx) => [await ctx.receive((m) => m === 'yes', 100), await ctx.receive((m) => m === 'last')]);
      await rt.settle();
      const [pid] = rt.processes();
      rt.send(pid!, 'no');
      rt.send(pid!, 'yes');
      await rt.settle();
      clock.advance(100);
      await rt.settle();
      expect(rt.processInfo(pid!)?.status).toBe('waiting');
      rt.send(pid!, 'last');
      expect(await got).toEqual(['yes', 'last']);
    });

    it('of 0 polls: TIMEOUT at once on an empty mailbox, without a timer (C07)', async () => {
      const rt = runtime();
      const got = await rt.run(async (ctx) => {
        const empty = await ctx.receive(0);
        ctx.send(ctx.self, 'here');
        const full = await ctx.receive(0);
        ctx.send(ctx.self, 'other');
        const noMatch = await ctx.receive((m) => m === 'none', 0);
        const left = await ctx.receive(0);
        return [empty, full, noMatch, left];
      });
      expect(got).toEqual([TIMEOUT, 'here', TIMEOUT, 'other']);
      expect(clock.pending()).toBe(0);
    });

    it("of 'infinity' waits without a timer for as long as it takes", async () => {
      const rt = runtime();
      const got = rt.run((ctx) => ctx.receive('infinity'));
      await rt.settle();
      expect(clock.pending()).toBe(0);
      clock.advance(Number.MAX_SAFE_INTEGER);
      await rt.settle();
      const [pid] = rt.processes();
      expect(rt.processInfo(pid!)?.status).toBe('waiting');
      rt.send(pid!, 'eventually');
      expect(await got).toBe('eventually');
    });

    it('is cancelled when the process is killed while waiting, and killAll leaves no timer', async () => {
      const rt = runtime();
      const exits: unknown[] = [];
      rt.events.on('exit', (_pid, reason) => exits.push(reason));
      const pid = rt.spawn((ctx) => ctx.receive(100));
      await rt.settle();
      expect(clock.pending()).toBe(1);
      rt.exit(pid, 'kill');
      clock.advance(100);
      await rt.settle();
      expect(exits).toEqual(['killed']);
      rt.killAll();
      expect(clock.pending()).toBe(0);
    });
  });
});

describe('receiveRef', () => {
  it('takes the oldest message whose ref is the given one and leaves the others in order', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const ref = ctx.monitor('nobody'); // its DOWN is already queued
      const other = ctx.monitor('nobody either');
      ctx.send(ctx.self, { ref, reply: 'tagged' });
      ctx.send(ctx.self, 'plain');
      const first = await ctx.receiveRef(ref);
      const second = await ctx.receiveRef(ref);
      return { ref, other, first, second, rest: await takeAll(ctx, 3) };
    });
    expect(got.first).toEqual({ type: 'DOWN', ref: got.ref, pid: undefined, name: 'nobody', reason: 'noproc' });
    expect(got.second).toEqual({ ref: got.ref, reply: 'tagged' });
    expect(got.rest).toEqual([{ type: 'DOWN', ref: got.other, pid: undefined, name: 'nobody either', reason: 'noproc' }, 'plain', TIMEOUT]);
  });

  it('waits for the message with that ref; others that arrive meanwhile queue in order', async () => {
    const rt = runtime();
    const got = rt.run(async (ctx) => {
      const ref = ctx.startTimer(100, ctx.self, 'tick');
      const timeout = await ctx.receiveRef(ref);
      return { ref, timeout, rest: await takeAll(ctx, 2) };
    });
    await rt.settle();
    const [pid] = rt.processes();
    rt.send(pid!, 'early');
    await rt.settle();
    expect(rt.processInfo(pid!)).toMatchObject({ status: 'waiting', messageQueueLen: 1 });
    clock.advance(100);
    const { ref, timeout, rest } = await got;
    expect(timeout).toEqual({ type: 'timeout', ref, msg: 'tick' });
    expect(rest).toEqual(['early', TIMEOUT]);
  });

  it('returns TIMEOUT when no message with that ref arrives in time, and polls with 0', async () => {
    const rt = runtime();
    const got = rt.run(async (ctx) => {
      const ref = ctx.startTimer(1000, ctx.self, 'late');
      const polled = await ctx.receiveRef(ref, 0);
      const waited = await ctx.receiveRef(ref, 100);
      const fired = await ctx.receiveRef(ref, 'infinity');
      return { ref, polled, waited, fired };
    });
    await rt.settle();
    clock.advance(100);
    await rt.settle();
    clock.advance(900);
    const { ref, polled, waited, fired } = await got;
    expect([polled, waited]).toEqual([TIMEOUT, TIMEOUT]);
    expect(fired).toEqual({ type: 'timeout', ref, msg: 'late' });
  });

  it('of a killed process never settles', async () => {
    const rt = runtime();
    const pending = deferred<{ receive: Promise<unknown> }>();
    const pid = rt.spawn((ctx) => {
      const receive = ctx.receiveRef(ctx.monitor(ctx.spawn((c) => c.receive())));
      pending.resolve({ receive });
      return receive;
    });
    const { receive } = await pending.promise;
    rt.exit(pid, 'kill');
    await rt.settle();
    expect(await hasSettled(receive)).toBe(false);
  });
});

describe('receive on the system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('times out under vi.useFakeTimers() installed after the runtime was made', async () => {
    const rt = new Runtime();
    vi.useFakeTimers();
    try {
      const got = rt.run((ctx) => ctx.receive(5_000));
      await rt.settle();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await got).toBe(TIMEOUT);
    } finally {
      rt.killAll();
    }
  });
});
