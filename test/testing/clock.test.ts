import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { CallError, GenServer, InvalidArgumentError, Next, Supervisor, TIMEOUT, type Context, type Pid } from 'ts-otp';
import { assertNoLeaks, assertReceive, otpTest, VirtualClock } from 'ts-otp/testing';

describe('VirtualClock', () => {
  it('fires callbacks in due order, equal due times in the order they were set', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push('b@20'), 20);
    clock.setTimeout(() => order.push('a@10'), 10);
    clock.setTimeout(() => order.push('c@20'), 20);
    const cleared = clock.setTimeout(() => order.push('never'), 15);
    clock.clearTimeout(cleared);
    expect(clock.pending()).toBe(3);
    expect(clock.nextDue()).toBe(10);
    await clock.advance(19);
    expect(order).toEqual(['a@10']);
    await clock.advance(1);
    expect(order).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.pending()).toBe(0);
    expect(clock.nextDue()).toBeUndefined();
  });

  it('fires a timer set by a process it woke within the same advance, in its place', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    const clock = t.clock;
    const seen: Array<[string, number]> = [];
    t.runtime.spawn(async (ctx) => {
      ctx.sendAfter(40, ctx.self, 'first');
      seen.push([(await ctx.receive()) as string, clock.now()]);
      ctx.sendAfter(20, ctx.self, 'second'); // due at 60, before the test's own timer at 70
      seen.push([(await ctx.receive()) as string, clock.now()]);
      ctx.send(t.inbox.self, 'done');
    });
    t.runtime.sendAfter(70, t.inbox.self, 'test timer');
    await clock.advance(100);
    expect(seen).toEqual([['first', 40], ['second', 60]]);
    expect(await t.inbox.receive(0)).toBe('done');
    expect(await t.inbox.receive(0)).toBe('test timer');
    expect(clock.now()).toBe(100);
    await t.cleanup();
  });

  it('drives receive timeouts', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    t.runtime.spawn(async (ctx) => {
      const got = await ctx.receive(5_000);
      ctx.send(t.inbox.self, { got: got === TIMEOUT ? 'timeout' : got, at: t.clock.now() });
    });
    await t.clock.advance(4_999);
    await t.refuteReceive({ got: 'timeout' }, 0);
    await t.clock.advance(1);
    await t.assertReceive({ got: 'timeout', at: 5_000 }, 0);
    await t.cleanup();
  });

  it('drives GenServer call timeouts', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    interface Silent { state: null; call: { readonly type: 'ask' }; reply: { ask: never } }
    const silent: GenServer.Behaviour<Silent> = { init: () => Next.ok(null), handleCall: { ask: () => Next.noreply(null) } };
    const pid = await t.startSupervised({ id: 'silent', start: (sup: Context) => GenServer.startLink(sup, silent, undefined) });
    const call = GenServer.call(pid, { type: 'ask' }, 3_000);
    const failed = t.clock.drive(call).catch((e: unknown) => e);
    const error = await failed;
    expect(error).toBeInstanceOf(CallError);
    expect((error as CallError).reason).toBe('timeout');
    expect(t.clock.now()).toBe(3_000);
    await t.cleanup();
  });

  it('drives GenServer start timeouts', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    interface Slow { state: null }
    const slow: GenServer.Behaviour<Slow> = { init: async (_arg, ctx) => { await ctx.receive(); return Next.ok(null); } };
    const started = await t.clock.drive(GenServer.start(slow, undefined, { runtime: t.runtime, timeout: 250 }));
    expect(started).toEqual({ type: 'error', reason: 'timeout' });
    expect(t.clock.now()).toBe(250);
    await t.cleanup();
    assertNoLeaks(t.runtime);
  });

  it("drives a supervisor's restart window: restarts spread over time stay within the intensity", async () => {
    const clock = new VirtualClock();
    const t = otpTest({ onFinished: onTestFinished, clock });
    const crashy = (id: string): Supervisor.ChildSpec => ({ id, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) });
    const started = await Supervisor.start({ intensity: 1, period: 5, children: [crashy('a')] }, { runtime: t.runtime });
    if (started.type !== 'ok') throw new Error('no start');
    t.inbox.monitor(started.pid);
    const childOf = async (): Promise<Pid> => (await Supervisor.whichChildren(started.pid))[0]!.pid!;
    t.runtime.exit(await childOf(), 'boom'); // one restart at t=0: within the intensity
    await clock.advance(6_000); // the window moves past it
    t.runtime.exit(await childOf(), 'boom'); // one restart in the new window: still fine
    await t.refuteReceive({ type: 'DOWN' }, 0);
    t.runtime.exit(await childOf(), 'boom'); // a second within 5 s: the supervisor gives up
    await t.assertReceive({ type: 'DOWN', pid: started.pid, reason: 'shutdown' });
    await t.cleanup();
  });

  it('lets a supervisor wait out a child shutdown time, and kill the child after it', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    const stubborn: Supervisor.ChildSpec = {
      id: 'stubborn',
      shutdown: 2_000,
      start: (sup) => ({ type: 'ok', pid: sup.spawnLink(async (ctx) => { ctx.trapExit(true); for (;;) await ctx.receive(); }) }),
    };
    const pid = await t.startSupervised(stubborn);
    t.inbox.monitor(pid);
    await t.stopSupervised('stubborn');
    await t.assertReceive({ type: 'DOWN', pid, reason: 'killed' }, 0);
    expect(t.clock.now()).toBe(2_000);
    await t.cleanup();
  });

  it('serialises moves: a second advance starts where the first ended', async () => {
    const clock = new VirtualClock(10);
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), 15);
    await Promise.all([clock.advance(10), clock.advance(10)]);
    expect(at).toEqual([25]);
    expect(clock.now()).toBe(30);
  });

  it('runNext resolves false, and leaves time alone, when nothing is set', async () => {
    const clock = new VirtualClock(7);
    expect(await clock.runNext()).toBe(false);
    expect(clock.now()).toBe(7);
  });

  it('runAll stops at its limit for a timer that keeps setting itself', async () => {
    const clock = new VirtualClock();
    const rearm = (): void => void clock.setTimeout(rearm, 1);
    rearm();
    await expect(clock.runAll(5)).rejects.toThrow(/limit/);
    expect(clock.now()).toBe(5);
  });

  it('treats a negative or NaN delay as 0, as the host setTimeout does', async () => {
    const clock = new VirtualClock(3);
    const ran: number[] = [];
    clock.setTimeout(() => ran.push(clock.now()), -5);
    clock.setTimeout(() => ran.push(clock.now()), Number.NaN);
    await clock.advance(0);
    expect(ran).toEqual([3, 3]);
  });

  it.each([
    ['new VirtualClock', () => new VirtualClock(Number.NaN), 'start'],
    ['advance', () => new VirtualClock().advance(-1), 'ms'],
    ['advance', () => new VirtualClock().advance(Infinity), 'ms'],
    ['setTimeout', () => new VirtualClock().setTimeout('x' as never, 1), 'callback'],
  ] as const)('%s throws an InvalidArgumentError naming %s', (_name, call, argument) => {
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(`'${argument}'`);
  });

  it.each([
    ['advanceTo a past time', (c: VirtualClock) => c.advanceTo(5), 'time'],
    ['runAll with limit 0', (c: VirtualClock) => c.runAll(0), 'limit'],
  ] as const)('%s rejects with an InvalidArgumentError, the clock intact', async (_name, call, argument) => {
    const clock = new VirtualClock(10);
    await expect(call(clock)).rejects.toThrow(`'${argument}'`);
    await clock.advance(1);
    expect(clock.now()).toBe(11);
  });

  it("keeps moving under vitest's fake timers, which the code under test may use for its own setTimeout", async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    t.runtime.spawn(async (ctx) => {
      ctx.sendAfter(1_000, ctx.self, 'tick');
      await ctx.receive();
      ctx.send(t.inbox.self, { at: t.clock.now() });
    });
    await t.clock.advance(1_000);
    await t.assertReceive({ at: 1_000 }, 0);
    expect(vi.getTimerCount()).toBe(0); // the kit set no host timer of its own
  });

  it('is refused by no runtime: new Runtime({ clock }) accepts it', async () => {
    const clock = new VirtualClock();
    const rt = clock.runtime();
    const inbox = rt.inbox();
    rt.sendAfter(1, inbox.self, 'x');
    await clock.advance(1);
    expect(await assertReceive(inbox, 'x', 0)).toBe('x');
    inbox.close();
    assertNoLeaks(rt);
  });
});
