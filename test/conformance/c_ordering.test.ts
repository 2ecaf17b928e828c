/**
 * Conformance, group C (ordering, receive, timers): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 *
 * Where a scenario's test process waits until messages are queued without receiving them, "the
 * test" is an idle process (test/support/probes.ts): it takes only commands, so everything else
 * stays in its mailbox, and `rt.settle()` is the wait.
 */
import { describe, expect, it, vi } from 'vitest';
import { TIMEOUT, type Context, type DownMessage } from 'ts-otp';
import { ctlAsync, ctlValue, mailboxOf, peek, spawnIdle, watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const boom = { tag: 'exit', value: 'boom' } as const;

/** Receives every queued message, oldest first, without waiting (the oracle's `drain()`). */
async function drain(ctx: Context): Promise<unknown[]> {
  const got: unknown[] = [];
  for (;;) {
    const msg = await ctx.receive(0);
    if (msg === TIMEOUT) return got;
    got.push(msg);
  }
}

describe('C. ordering, receive, timers', () => {
  it('C01 messages from one sender to one receiver arrive in send order', async () => {
    const rt = runtime();
    const test = await spawnIdle(rt);
    rt.spawn((p) => {
      for (let i = 1; i <= 20; i++) p.send(test, i);
      p.send(test, 'done');
    });
    await rt.settle();
    expect(await mailboxOf(rt, test)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 'done']);
  });

  it("C02 messages a process sent before dying are received before its {'EXIT',...} message", async () => {
    const rt = runtime();
    const l = await spawnIdle(rt, { trapExit: true });
    const p = await spawnIdle(rt);
    await ctlValue(rt, p, (ctx) => ctx.link(l));
    const w = await watch(rt, [p, l]);
    ctlAsync(rt, p, (ctx) => {
      ctx.send(l, 'm1');
      ctx.send(l, 'm2');
      ctx.exit('boom');
    });
    expect(await w.down(p)).toEqual(boom);
    await rt.settle();
    expect(await mailboxOf(rt, l)).toEqual(['m1', 'm2', { type: 'EXIT', from: p, reason: boom }]);
    expect(rt.isAlive(l)).toBe(true);
  });

  it('C04 a DOWN message arrives after every message the dead process sent to the monitoring process', async () => {
    const rt = runtime();
    const test = await spawnIdle(rt);
    const { p, mref } = await ctlValue(rt, test, (ctx) => {
      const self = ctx.self;
      const pid = ctx.spawn(async (c) => {
        await c.receive((m) => m === 'go');
        c.send(self, 'm1');
        c.send(self, 'm2');
        c.send(self, 'm3');
        c.exit('boom');
      });
      const ref = ctx.monitor(pid);
      ctx.send(pid, 'go');
      return { p: pid, mref: ref };
    });
    await rt.settle();
    const down: DownMessage = { type: 'DOWN', ref: mref, pid: p, name: undefined, reason: boom };
    expect(await mailboxOf(rt, test)).toEqual(['m1', 'm2', 'm3', down]);
  });

  it('C05 selective receive takes the first matching message and leaves the others in their original order', async () => {
    const rt = runtime();
    const log = await rt.run(async (ctx) => {
      const out: unknown[] = [];
      for (const x of ['a', 'b', 'c', 'd']) ctx.send(ctx.self, x);
      out.push(['got', await ctx.receive((m) => m === 'c')]);
      out.push(['mailbox', await peek(ctx)]);
      out.push(['got', await ctx.receive((m) => m === 'd')]);
      out.push(['mailbox', await peek(ctx)]);
      out.push(['got', await ctx.receive(0)]);
      out.push(['got', await ctx.receive(0)]);
      return out;
    });
    expect(log).toEqual([
      ['got', 'c'],
      ['mailbox', ['a', 'b', 'd']],
      ['got', 'd'],
      ['mailbox', ['a', 'b']],
      ['got', 'a'],
      ['got', 'b'],
    ]);
  });

  it('C07 receive ... after 0 polls without blocking', async () => {
    const rt = runtime();
    const log = await rt.run(async (ctx) => {
      const out: unknown[] = [];
      out.push(['part1', await ctx.receive(0)]);
      ctx.send(ctx.self, 'other');
      out.push(['part2', await ctx.receive((m) => m === 'wanted', 0)]);
      out.push(['mailbox', await peek(ctx)]);
      ctx.send(ctx.self, 'wanted');
      out.push(['part3', await ctx.receive((m) => m === 'wanted', 0)]);
      return out;
    });
    expect(log).toEqual([
      ['part1', TIMEOUT],
      ['part2', TIMEOUT],
      ['mailbox', ['other']],
      ['part3', 'wanted'],
    ]);
  });

  it('C08 receive with a timeout returns the timeout branch when nothing matches in time; later messages still queue normally', async () => {
    const rt = runtime();
    vi.useFakeTimers();
    try {
      let firstDone = false;
      const result = rt.run(async (ctx) => {
        const self = ctx.self;
        const t0 = Date.now();
        const first = await ctx.receive((m) => m === 'ping', 50);
        firstDone = true;
        const elapsed = Date.now() - t0;
        ctx.spawn((p) => p.send(self, 'ping'));
        const second = await ctx.receive((m) => m === 'ping', 1000);
        return { first, elapsed, second };
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(firstDone).toBe(false); // not before 50 ms
      await vi.advanceTimersByTimeAsync(1);
      const out = await result;
      expect(out.first).toBe(TIMEOUT);
      expect(out.elapsed).toBeGreaterThanOrEqual(50);
      expect(out.second).toBe('ping');
    } finally {
      rt.killAll();
      vi.useRealTimers();
    }
  });

  it('C10 timers: send_after delivers by due time; cancel_timer returns remaining ms or false', async () => {
    const rt = runtime();
    vi.useFakeTimers();
    try {
      const result = rt.run(async (ctx) => {
        ctx.sendAfter(200, ctx.self, 'late');
        const t2 = ctx.sendAfter(50, ctx.self, 'early');
        const t3 = ctx.startTimer(100, ctx.self, 'tick');
        const t4 = ctx.sendAfter(5000, ctx.self, 'never');
        const cancelPending = ctx.cancelTimer(t4);
        await ctx.receive((m) => m === 'late');
        const mailboxWhenLateArrived = await peek(ctx);
        const received = await drain(ctx);
        const cancelFired = ctx.cancelTimer(t2);
        const lateReceive = await ctx.receive((m) => m === 'never', 100);
        // Beyond the scenario's 100 ms: still nothing once t4's due time (5000 ms) has passed.
        const afterDue = await ctx.receive((m) => m === 'never', 5000);
        return { t3, cancelPending, mailboxWhenLateArrived, received, cancelFired, lateReceive, afterDue };
      });
      await vi.advanceTimersByTimeAsync(10_000);
      const out = await result;
      expect(out.cancelPending).toEqual(expect.any(Number));
      expect(Number.isInteger(out.cancelPending)).toBe(true);
      expect(out.cancelPending).toBeGreaterThan(0);
      expect(out.cancelPending).toBeLessThanOrEqual(5000);
      const tick = { type: 'timeout', ref: out.t3, msg: 'tick' };
      expect(out.mailboxWhenLateArrived).toEqual(['early', tick]); // due-time order, not creation order
      expect(out.received).toEqual(['early', tick]);
      expect(out.cancelFired).toBe(false);
      expect(out.lateReceive).toBe(TIMEOUT);
      expect(out.afterDue).toBe(TIMEOUT);
    } finally {
      rt.killAll();
      vi.useRealTimers();
    }
  });

  it('C11 messages a process sends to itself are queued in order behind existing messages', async () => {
    const rt = runtime();
    const test = await spawnIdle(rt);
    rt.spawn((p1) => p1.send(test, 'from_p1'));
    await rt.settle(); // from_p1 is in test's mailbox
    expect(rt.processInfo(test)?.messageQueueLen).toBe(1);
    await ctlValue(rt, test, (ctx) => {
      ctx.send(ctx.self, 's1');
      ctx.send(ctx.self, 's2');
    });
    expect(await mailboxOf(rt, test)).toEqual(['from_p1', 's1', 's2']);
  });
});
