import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { Runtime, TIMEOUT } from 'ts-otp';
import { findLeaks, otpTest, VirtualClock } from 'ts-otp/testing';
import { startPuppet, startRecorder } from '../support/runtime.js';

/** A test on a virtual clock that starts at 1 000 000 ms; its inbox receives what the timers send. */
const setup = () => otpTest({ onFinished: onTestFinished, clock: new VirtualClock(1_000_000) });

describe('sendAfter', () => {
  it('delivers the message once its time has come, not before (C10)', async () => {
    const t = setup();
    t.runtime.sendAfter(100, t.inbox.self, 'ding');
    await t.refuteReceive('ding', 99);
    await t.assertReceive('ding', 1);
    expect(t.clock.now()).toBe(1_000_100);
  });

  it('delivers several timers in order of due time, whatever the order they were started in', async () => {
    const t = setup();
    await t.runtime.run((ctx) => {
      ctx.sendAfter(300, t.inbox.self, 'third');
      ctx.sendAfter(100, t.inbox.self, 'first');
      ctx.sendAfter(200, t.inbox.self, 'second');
    });
    await t.clock.advance(1000);
    expect([await t.inbox.receive(0), await t.inbox.receive(0), await t.inbox.receive(0)]).toEqual(['first', 'second', 'third']);
  });

  it('of 0 ms delivers on the next clock tick, not inside the call', async () => {
    const t = setup();
    t.runtime.sendAfter(0, t.inbox.self, 'now');
    await t.runtime.settle();
    await t.refuteReceive('now', 0);
    await t.clock.advance(0);
    await t.assertReceive('now', 0);
  });

  it('resolves a name when it fires, not when it is started', async () => {
    const t = setup();
    const first = t.runtime.inbox();
    t.onExit(() => first.close());
    t.runtime.register('target', first.self);
    t.runtime.sendAfter(100, 'target', 'to whoever holds it');
    t.runtime.unregister('target');
    t.runtime.register('target', t.inbox.self);
    await t.assertReceive('to whoever holds it');
    await t.clock.advance(1_000);
    expect(await first.receive(0)).toBe(TIMEOUT);
  });

  it('to a name nobody holds at fire time is dropped silently', async () => {
    const t = setup();
    const ref = t.runtime.sendAfter(50, 'later', 'nobody hears');
    t.inbox.register('earlier');
    await t.clock.advance(50);
    await t.refuteReceive('nobody hears', 0);
    expect(t.runtime.cancelTimer(ref)).toBe(false);
  });

  it('keeps running after the process that started it exits', async () => {
    const t = setup();
    const starter = t.runtime.spawn((ctx) => {
      ctx.sendAfter(100, t.inbox.self, 'from beyond');
    });
    await t.runtime.settle();
    expect(t.runtime.isAlive(starter)).toBe(false);
    await t.assertReceive('from beyond');
  });
});

describe('startTimer', () => {
  it("delivers { type: 'timeout', ref, msg } with the timer's ref", async () => {
    const t = setup();
    const ref = t.runtime.startTimer(10, t.inbox.self, { tick: 1 });
    expect(await t.assertReceive({ type: 'timeout' })).toEqual({ type: 'timeout', ref, msg: { tick: 1 } });
  });

  it('started by a process to itself is received by it', async () => {
    const t = setup();
    const p = await startPuppet(t.runtime);
    const ref = await p.act((ctx) => ctx.startTimer(5, ctx.self, 'tick'));
    await t.clock.advance(5);
    expect(await p.mailbox()).toEqual([{ type: 'timeout', ref, msg: 'tick' }]);
  });
});

describe('cancelTimer', () => {
  it('returns the milliseconds left and the timer never fires', async () => {
    const t = setup();
    const ref = t.runtime.sendAfter(100, t.inbox.self, 'never');
    await t.clock.advance(30);
    expect(t.runtime.cancelTimer(ref)).toBe(70);
    expect(findLeaks(t.runtime).timers).toBe(0);
    await t.refuteReceive('never', 1000);
  });

  it('returns false for a timer that was already cancelled, that has fired, or that never existed', async () => {
    const t = setup();
    const cancelled = t.runtime.sendAfter(100, t.inbox.self, 'x');
    t.runtime.cancelTimer(cancelled);
    const fired = t.runtime.startTimer(10, t.inbox.self, 'y');
    await t.clock.advance(10);
    const monitorRef = await t.runtime.run((ctx) => ctx.monitor('nobody'));
    expect(t.runtime.cancelTimer(cancelled)).toBe(false);
    expect(t.runtime.cancelTimer(fired)).toBe(false);
    expect(t.runtime.cancelTimer(monitorRef)).toBe(false);
  });

  it('works from any process, not only the one that started the timer', async () => {
    const t = setup();
    const starter = await startPuppet(t.runtime);
    const other = await startPuppet(t.runtime);
    const ref = await starter.act((ctx) => ctx.sendAfter(100, t.inbox.self, 'x'));
    expect(await other.act((ctx) => ctx.cancelTimer(ref))).toBe(100);
    await t.refuteReceive('x', 1000);
  });
});

describe('a timer to a pid', () => {
  it('is cancelled when that process exits', async () => {
    const t = setup();
    const target = await startPuppet(t.runtime);
    const refs = [t.runtime.sendAfter(100, target.pid, 'a'), t.runtime.startTimer(100, target.pid, 'b')];
    expect(findLeaks(t.runtime).timers).toBe(2);
    expect(t.clock.pending()).toBe(2);
    t.runtime.exit(target.pid, 'kill');
    expect(findLeaks(t.runtime).timers).toBe(0);
    expect(t.clock.pending()).toBe(0);
    expect(refs.map((ref) => t.runtime.cancelTimer(ref))).toEqual([false, false]);
  });

  it('to a pid that is already dead returns a ref, delivers nothing and cancels as false', async () => {
    const t = setup();
    const dead = t.runtime.spawn(() => {});
    await t.runtime.settle();
    const ref = t.runtime.sendAfter(100, dead, 'x');
    expect(typeof ref).toBe('string');
    expect(t.runtime.cancelTimer(ref)).toBe(false);
    expect(findLeaks(t.runtime).timers).toBe(0);
    expect(t.clock.pending()).toBe(0);
  });
});

describe('timers on the system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs `test` on a new Runtime, with vi's fake timers installed after it was made; kills what it leaves. */
  async function onFakeTimers(test: (rt: Runtime) => Promise<void>): Promise<void> {
    const rt = new Runtime();
    vi.useFakeTimers();
    try {
      await test(rt);
    } finally {
      rt.killAll();
    }
  }

  it.each([
    ['sendAfter', 2 ** 31],
    ['startTimer', 2 ** 31 + 5],
    ['sendAfter', 30 * 24 * 3600 * 1000],
  ] as const)('%s of %i ms waits that long on the system clock, which Node would cut to 1 ms', (kind, ms) =>
    onFakeTimers(async (rt) => {
      const rec = await startRecorder(rt);
      const ref = kind === 'sendAfter' ? rt.sendAfter(ms, rec.pid, 'late') : rt.startTimer(ms, rec.pid, 'late');
      vi.advanceTimersByTime(1000);
      await rt.settle();
      expect(rec.messages).toEqual([]);
      vi.advanceTimersByTime(ms - 1001);
      await rt.settle();
      expect(rec.messages).toEqual([]);
      expect(rt.cancelTimer(rt.sendAfter(ms, rec.pid, 'cancelled'))).toBe(ms);
      vi.advanceTimersByTime(1);
      await rt.settle();
      expect(rec.messages).toEqual([kind === 'sendAfter' ? 'late' : { type: 'timeout', ref, msg: 'late' }]);
    }));

  it('a receive timeout of 2^31 ms or more neither fires early nor spins', () =>
    onFakeTimers(async (rt) => {
      const got = rt.run((ctx) => ctx.receive(2 ** 31 + 10));
      await rt.settle();
      const armed = vi.spyOn(globalThis, 'setTimeout');
      vi.advanceTimersByTime(1000);
      expect(armed.mock.calls.length).toBeLessThan(3); // cut to 1 ms, it would re-arm every millisecond
      vi.advanceTimersByTime(2 ** 31 - 1000);
      await rt.settle();
      expect(rt.processes()).toHaveLength(1);
      vi.advanceTimersByTime(10);
      expect(await got).toBe(TIMEOUT);
    }));

  it("a receive timeout of 2^32-1 ms, Erlang's largest, waits its whole time", () =>
    onFakeTimers(async (rt) => {
      const got = rt.run((ctx) => ctx.receive(2 ** 32 - 1));
      await rt.settle();
      vi.advanceTimersByTime(2 ** 32 - 2);
      await rt.settle();
      expect(rt.processes()).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(await got).toBe(TIMEOUT);
    }));

  it('run under vi.useFakeTimers() installed after the runtime was made', () =>
    onFakeTimers(async (rt) => {
      const rec = await startRecorder(rt);
      const ref = rt.sendAfter(1_000, rec.pid, 'faked');
      vi.advanceTimersByTime(400);
      expect(rt.cancelTimer(rt.sendAfter(1_000, rec.pid, 'cancelled'))).toBe(1_000);
      expect(rt.cancelTimer(ref)).toBe(600);
      const second = rt.sendAfter(500, rec.pid, 'faked');
      vi.advanceTimersByTime(500);
      await rt.settle();
      expect(rec.messages).toEqual(['faked']);
      expect(rt.cancelTimer(second)).toBe(false);
    }));
});
