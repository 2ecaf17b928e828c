import { afterEach, describe, expect, it, vi } from 'vitest';
import { Runtime, TIMEOUT, type TimeoutMessage } from 'ts-otp';
import { manualClock, startPuppet, startRecorder, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock(1_000_000);
  return { clock };
});

describe('sendAfter', () => {
  it('delivers the message once its time has come, not before (C10)', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    rt.sendAfter(100, rec.pid, 'ding');
    clock.advance(99);
    await rt.settle();
    expect(rec.messages).toEqual([]);
    clock.advance(1);
    await rt.settle();
    expect(rec.messages).toEqual(['ding']);
  });

  it('delivers several timers in order of due time, whatever the order they were started in', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    await rt.run((ctx) => {
      ctx.sendAfter(300, rec.pid, 'third');
      ctx.sendAfter(100, rec.pid, 'first');
      ctx.sendAfter(200, rec.pid, 'second');
    });
    clock.advance(1000);
    await rt.settle();
    expect(rec.messages).toEqual(['first', 'second', 'third']);
  });

  it('of 0 ms delivers on the next clock tick, not inside the call', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    rt.sendAfter(0, rec.pid, 'now');
    await rt.settle();
    expect(rec.messages).toEqual([]);
    clock.advance(0);
    await rt.settle();
    expect(rec.messages).toEqual(['now']);
  });

  it('resolves a name when it fires, not when it is started', async () => {
    const rt = runtime();
    const first = await startRecorder(rt);
    const second = await startRecorder(rt);
    rt.register('target', first.pid);
    rt.sendAfter(100, 'target', 'to whoever holds it');
    rt.unregister('target');
    rt.register('target', second.pid);
    clock.advance(100);
    await rt.settle();
    expect(first.messages).toEqual([]);
    expect(second.messages).toEqual(['to whoever holds it']);
  });

  it('to a name nobody holds at fire time is dropped silently', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const ref = rt.sendAfter(50, 'later', 'nobody hears');
    rt.register('earlier', rec.pid);
    expect(() => clock.advance(50)).not.toThrow();
    await rt.settle();
    expect(rec.messages).toEqual([]);
    expect(rt.cancelTimer(ref)).toBe(false);
  });

  it('keeps running after the process that started it exits', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const starter = rt.spawn((ctx) => {
      ctx.sendAfter(100, rec.pid, 'from beyond');
    });
    await rt.settle();
    expect(rt.isAlive(starter)).toBe(false);
    clock.advance(100);
    await rt.settle();
    expect(rec.messages).toEqual(['from beyond']);
  });
});

describe('startTimer', () => {
  it("delivers { type: 'timeout', ref, msg } with the timer's ref", async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const ref = rt.startTimer(10, rec.pid, { tick: 1 });
    clock.advance(10);
    await rt.settle();
    expect(rec.messages).toEqual([{ type: 'timeout', ref, msg: { tick: 1 } } satisfies TimeoutMessage]);
  });

  it('started by a process to itself is received by it', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const ref = await p.act((ctx) => ctx.startTimer(5, ctx.self, 'tick'));
    clock.advance(5);
    expect(await p.mailbox()).toEqual([{ type: 'timeout', ref, msg: 'tick' }]);
  });
});

describe('cancelTimer', () => {
  it('returns the milliseconds left and the timer never fires', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const ref = rt.sendAfter(100, rec.pid, 'never');
    clock.advance(30);
    expect(rt.cancelTimer(ref)).toBe(70);
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    await rt.settle();
    expect(rec.messages).toEqual([]);
  });

  it('returns false for a timer that was already cancelled, that has fired, or that never existed', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const cancelled = rt.sendAfter(100, rec.pid, 'x');
    rt.cancelTimer(cancelled);
    const fired = rt.startTimer(10, rec.pid, 'y');
    clock.advance(10);
    const monitorRef = await rt.run((ctx) => ctx.monitor('nobody'));
    expect(rt.cancelTimer(cancelled)).toBe(false);
    expect(rt.cancelTimer(fired)).toBe(false);
    expect(rt.cancelTimer(monitorRef)).toBe(false);
  });

  it('works from any process, not only the one that started the timer', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const starter = await startPuppet(rt);
    const other = await startPuppet(rt);
    const ref = await starter.act((ctx) => ctx.sendAfter(100, rec.pid, 'x'));
    expect(await other.act((ctx) => ctx.cancelTimer(ref))).toBe(100);
    clock.advance(100);
    await rt.settle();
    expect(rec.messages).toEqual([]);
  });
});

describe('a timer to a pid', () => {
  it('is cancelled when that process exits', async () => {
    const rt = runtime();
    const target = await startPuppet(rt);
    const refs = [rt.sendAfter(100, target.pid, 'a'), rt.startTimer(100, target.pid, 'b')];
    expect(clock.pending()).toBe(2);
    rt.exit(target.pid, 'kill');
    expect(clock.pending()).toBe(0);
    expect(refs.map((ref) => rt.cancelTimer(ref))).toEqual([false, false]);
  });

  it('to a pid that is already dead returns a ref, delivers nothing and cancels as false', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const ref = rt.sendAfter(100, dead, 'x');
    expect(typeof ref).toBe('string');
    expect(rt.cancelTimer(ref)).toBe(false);
    expect(clock.pending()).toBe(0);
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
