import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import { ChildSpecError, GenServer, InvalidArgumentError, Next, Node, Supervisor, type Pid } from 'ts-otp';
import { findLeaks, LeakError, otpTest, SupervisedError, VirtualClock } from 'ts-otp/testing';

/** A child that reports its start and, trapping exits, its stop to `log`. */
function logged(id: string, log: string[], shutdown: Supervisor.Shutdown = 5_000): Supervisor.ChildSpec {
  return {
    id,
    shutdown,
    start: (sup) => {
      const pid = sup.spawnLink(async (ctx) => {
        ctx.trapExit(true);
        log.push(`start ${id}`);
        const exit = await ctx.receive((m) => (m as { type?: string }).type === 'EXIT');
        log.push(`stop ${id} ${String((exit as { reason: unknown }).reason)}`);
      });
      return { type: 'ok', pid };
    },
  };
}

describe('otpTest', () => {
  // As ExUnit 1.14 does: test/testing/exunit/exunit.trace, test "order".
  it('stops supervised children in the reverse order of their start, then runs onExit newest first', async () => {
    const log: string[] = [];
    const t = otpTest();
    await t.startSupervised(logged('a', log));
    await t.startSupervised(logged('b', log));
    await t.startSupervised(logged('c', log));
    t.onExit(() => log.push('on_exit 1'));
    t.onExit(() => log.push('on_exit 2'));
    await t.cleanup();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c shutdown', 'stop b shutdown', 'stop a shutdown', 'on_exit 2', 'on_exit 1']);
    expect(findLeaks(t.runtime)).toEqual({ processes: [], timers: 0, listeners: {}, node: undefined, workers: 0 });
  });

  it('hands its cleanup to the framework hook, which runs it once', async () => {
    const hooks: Array<() => Promise<void>> = [];
    const t = otpTest({ onFinished: (fn) => hooks.push(fn) });
    const pid = await t.startSupervised(logged('a', []));
    expect(hooks).toHaveLength(1);
    await Promise.all([hooks[0]!(), t.cleanup()]);
    expect(t.runtime.isAlive(pid)).toBe(false);
  });

  it('returns the typed pid of a GenServer child', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    interface Counter { arg: number; state: number; call: { readonly type: 'get' }; reply: { get: number } }
    const counter: GenServer.Behaviour<Counter> = { init: (n) => Next.ok(n), handleCall: { get: (_m, _f, n) => Next.reply(n, n) } };
    const spec = { id: 'counter', start: (sup: Parameters<Supervisor.ChildSpec['start']>[0]) => GenServer.startLink(sup, counter, 41) };
    const pid = await t.startSupervised(spec);
    const n: number = await GenServer.call(pid, { type: 'get' });
    expect(n).toBe(41);
  });

  it('restarts a crashed child under the test supervisor', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    const log: string[] = [];
    const first = await t.startSupervised(logged('a', log));
    t.runtime.exit(first, 'kill');
    const [child] = await Supervisor.whichChildren(await t.supervisor());
    expect(child?.pid).toBeDefined();
    expect(child?.pid).not.toBe(first);
    expect(log).toEqual(['start a', 'start a']);
  });

  it('applies overrides to the spec, as start_supervised(spec, restart: :temporary)', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    const pid = await t.startSupervised(logged('a', []), { restart: 'temporary' });
    t.runtime.exit(pid, 'kill');
    expect(await Supervisor.whichChildren(await t.supervisor())).toEqual([]);
  });

  it('rejects with a SupervisedError when the start fails, and keeps no spec for it', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    const error = await t.startSupervised({ id: 'bad', start: () => ({ type: 'error', reason: { code: 'eaddrinuse' } }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisedError);
    expect(error).toMatchObject({ operation: 'startSupervised', id: 'bad', reason: { code: 'eaddrinuse' } });
    expect((error as Error).message).toBe("failed to start child 'bad': { code: 'eaddrinuse' }");
    expect(await Supervisor.whichChildren(await t.supervisor())).toEqual([]);
  });

  it('rejects a start that returns ignore, leaving no spec behind', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    await expect(t.startSupervised({ id: 'skip', start: () => ({ type: 'ignore' }) })).rejects.toThrow("failed to start child 'skip': its start returned ignore");
    expect(await Supervisor.whichChildren(await t.supervisor())).toEqual([]);
  });

  it('rejects a second child with the same id', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    const pid = await t.startSupervised(logged('a', []));
    await expect(t.startSupervised(logged('a', []))).rejects.toMatchObject({ reason: { tag: 'already_started', pid } });
  });

  it('rejects a bad spec with the ChildSpecError of Supervisor.startChild', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    await expect(t.startSupervised({ id: 'x' } as never)).rejects.toThrow(ChildSpecError);
  });

  it('stopSupervised stops the child with shutdown and forgets it; an unknown id is not_found', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    const log: string[] = [];
    await t.startSupervised(logged('a', log));
    await t.stopSupervised('a');
    expect(log).toEqual(['start a', 'stop a shutdown']);
    await expect(t.stopSupervised('a')).rejects.toMatchObject({ name: 'SupervisedError', operation: 'stopSupervised', reason: 'not_found' });
    await expect(t.stopSupervised('a')).rejects.toThrow("could not stop child 'a' because it was not found");
  });

  it("with leaks: 'fail', the cleanup reports what the test left and still ends it", async () => {
    const t = otpTest({ leaks: 'fail' });
    const stray = t.runtime.spawn((ctx) => ctx.receive());
    t.runtime.sendAfter(1_000, 'nobody', 'x');
    const error = await t.cleanup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakError);
    expect((error as LeakError).leaks.processes.map((p) => p.pid)).toEqual([stray]);
    expect((error as LeakError).leaks.timers).toBe(1);
    expect(t.runtime.processes()).toEqual([]);
  });

  it("with leaks: 'fail', a test that cleans up passes", async () => {
    const t = otpTest({ leaks: 'fail', clock: 'virtual' });
    await t.startSupervised(logged('a', [], 1_000));
    await t.cleanup();
  });

  it('runs every cleanup step even when one fails, and reports all failures', async () => {
    const t = otpTest();
    const pid = await t.startSupervised(logged('a', []));
    t.onExit(() => { throw new Error('first'); });
    t.onExit(() => { throw new Error('second'); });
    const error = await t.cleanup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['second', 'first']);
    expect(t.runtime.isAlive(pid)).toBe(false);
  });

  it('takes a VirtualClock of its own', async () => {
    const clock = new VirtualClock(500);
    const t = otpTest({ onFinished: onTestFinished, clock });
    expect(t.clock).toBe(clock);
    t.runtime.sendAfter(10, t.inbox.self, 'x');
    await t.assertReceive('x');
    expect(clock.now()).toBe(510);
  });

  it('types its clock as present when a virtual one was asked for', () => {
    expectTypeOf(otpTest({ onFinished: onTestFinished, clock: 'virtual' }).clock).toEqualTypeOf<VirtualClock>();
    expectTypeOf(otpTest({ onFinished: onTestFinished, clock: new VirtualClock() }).clock).toEqualTypeOf<VirtualClock>();
    expectTypeOf(otpTest({ onFinished: onTestFinished }).clock).toEqualTypeOf<VirtualClock | undefined>();
  });

  it('the system clock is the default', () => {
    const t = otpTest({ onFinished: onTestFinished });
    expect(t.clock).toBeUndefined();
  });

  it.each([
    ['options', 5, 'options'],
    ['onFinished', { onFinished: 'after' }, 'options.onFinished'],
    ['clock', { clock: 'fake' }, 'options.clock'],
    ['leaks', { leaks: 'ignore' }, 'options.leaks'],
  ] as const)('throws an InvalidArgumentError for bad %s', (_what, options, argument) => {
    expect(() => otpTest(options as never)).toThrow(InvalidArgumentError);
    expect(() => otpTest(options as never)).toThrow(`'${argument}'`);
  });

  it('throws InvalidArgumentErrors for bad arguments of its methods, and keeps working', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    await expect(t.stopSupervised(5 as never)).rejects.toThrow(/argument 'id'/);
    await expect(t.startSupervised(logged('a', []), 'x' as never)).rejects.toThrow(/argument 'overrides'/);
    expect(() => t.onExit('x' as never)).toThrow(/argument 'fn'/);
    const pid: Pid = await t.startSupervised(logged('a', []));
    expect(t.runtime.isAlive(pid)).toBe(true);
  });
});

describe('findLeaks', () => {
  it('sees a node that was not stopped, until Node.stop', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    Node.start(t.runtime, { name: 'leaky@test' });
    expect(findLeaks(t.runtime).node).toBe('leaky@test');
    await Node.stop(t.runtime);
    expect(findLeaks(t.runtime).node).toBeUndefined();
  });

  it("is left empty by a test's cleanup even when the test made its runtime a node", async () => {
    const t = otpTest({ leaks: 'fail' });
    Node.start(t.runtime, { name: 'stopped@test' });
    const error = await t.cleanup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakError);
    expect((error as LeakError).leaks.node).toBe('stopped@test');
    expect(findLeaks(t.runtime)).toEqual({ processes: [], timers: 0, listeners: {}, node: undefined, workers: 0 });
  });

  it('counts listeners by event', () => {
    const t = otpTest({ onFinished: onTestFinished });
    const noop = (): void => {};
    t.runtime.events.on('spawn', noop);
    t.runtime.events.on('exit', noop);
    t.runtime.events.on('exit', () => {});
    expect(findLeaks(t.runtime).listeners).toEqual({ spawn: 1, exit: 2 });
  });

  it('throws an InvalidArgumentError for something that is not a Runtime', () => {
    expect(() => findLeaks({} as never)).toThrow(/argument 'runtime'/);
  });
});
