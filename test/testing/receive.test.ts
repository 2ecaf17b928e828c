import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import { InvalidArgumentError, Runtime, type DownMessage, type ExitMessage } from 'ts-otp';
import { assertReceive, otpTest, ReceiveAssertionError, refuteReceive } from 'ts-otp/testing';

const setup = () => otpTest({ onFinished: onTestFinished, clock: 'virtual' });
const onSystemClock = () => otpTest({ onFinished: onTestFinished });

async function failure(promise: Promise<unknown>): Promise<ReceiveAssertionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof ReceiveAssertionError)) throw new Error(`expected a ReceiveAssertionError, got ${String(error)}`);
  return error;
}

// The failure messages and the default timeouts follow ExUnit 1.14's: test/testing/exunit/exunit.trace.
describe('assertReceive', () => {
  it('takes the oldest matching message and leaves the others in order', async () => {
    const t = setup();
    for (const m of ['a', { n: 1 }, 'b', { n: 2 }]) t.runtime.send(t.inbox.self, m);
    expect(await t.assertReceive({ n: (n: number) => n > 0 })).toEqual({ n: 1 });
    expect([await t.inbox.receive(0), await t.inbox.receive(0), await t.inbox.receive(0)]).toEqual(['a', 'b', { n: 2 }]);
  });

  it('matches objects partially, arrays exactly in length, other values with Object.is', async () => {
    const t = setup();
    t.runtime.send(t.inbox.self, ['ok', { id: 7, extra: true }]);
    t.runtime.send(t.inbox.self, Number.NaN);
    await t.refuteReceive(['ok'], 0);
    expect(await t.assertReceive(['ok', { id: 7 }], 0)).toEqual(['ok', { id: 7, extra: true }]);
    expect(await t.assertReceive(Number.NaN, 0)).toBeNaN();
  });

  it('waits for a message a process sends later, on the system clock', async () => {
    const t = onSystemClock();
    t.runtime.spawn(async (ctx) => {
      await ctx.receive(); // sent after the assertion has begun waiting
      ctx.send(t.inbox.self, { type: 'pong' });
    });
    const waiting = t.assertReceive({ type: 'pong' }, 5_000);
    const [pid] = t.runtime.processes().filter((p) => p !== t.inbox.self);
    t.runtime.send(pid!, 'ping');
    expect(await waiting).toEqual({ type: 'pong' });
  });

  it('on a virtual clock, moves time only as far as the message', async () => {
    const t = setup();
    t.runtime.sendAfter(30, t.inbox.self, 'tick');
    expect(await t.assertReceive('tick')).toBe('tick');
    expect(t.clock.now()).toBe(30);
  });

  it('on a virtual clock, fails once the timeout has passed in virtual time, with the clock there', async () => {
    const t = setup();
    t.runtime.sendAfter(101, t.inbox.self, 'too late');
    const error = await failure(t.assertReceive('too late'));
    expect(error.timeout).toBe(100);
    expect(t.clock.now()).toBe(100);
    expect(await t.assertReceive('too late', 1)).toBe('too late');
  });

  it('fails on an empty mailbox with the message ExUnit gives', async () => {
    const t = setup();
    const error = await failure(t.assertReceive({ type: 'ok' }, 0));
    expect(error.message).toBe("Assertion failed, no message matching { type: 'ok' } after 0ms\nThe process mailbox is empty.");
    expect(error.operation).toBe('assertReceive');
  });

  it('lists the mailbox on failure: the last ten of more, with their positions', async () => {
    const t = setup();
    for (let i = 1; i <= 12; i++) t.runtime.send(t.inbox.self, { n: i });
    const error = await failure(t.assertReceive({ n: 99 }, 50));
    expect(error.mailbox).toHaveLength(12);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Assertion failed, no message matching { n: 99 } after 50ms');
    expect(lines[1]).toBe('Showing 10 of 12 messages in the mailbox (oldest first):');
    expect(lines.slice(2)).toEqual(Array.from({ length: 10 }, (_, i) => `  ${i + 3}. { n: ${i + 3} }`));
    await t.assertReceive({ n: 1 }, 0); // a failure takes nothing
  });

  it('names a predicate in its failure message', async () => {
    const t = setup();
    t.runtime.send(t.inbox.self, 'x');
    const isReady = (m: unknown): boolean => m === 'ready';
    const error = await failure(t.assertReceive(isReady, 0));
    expect(error.message).toBe("Assertion failed, no message matching the predicate isReady after 0ms\nShowing 1 of 1 message in the mailbox (oldest first):\n  1. 'x'");
  });

  it('rejects with what a predicate threw, and the mailbox stays as it was', async () => {
    const t = setup();
    t.runtime.send(t.inbox.self, 'a');
    t.runtime.send(t.inbox.self, 'b');
    const boom = new Error('predicate broke');
    await expect(t.assertReceive(() => { throw boom; }, 0)).rejects.toBe(boom);
    expect(t.runtime.isAlive(t.inbox.self)).toBe(true);
    expect([await t.inbox.receive(0), await t.inbox.receive(0)]).toEqual(['a', 'b']);
  });

  it('works on the context of a process, from inside it', async () => {
    const t = setup();
    const down = await t.runtime.run(async (ctx) => {
      const child = ctx.spawn(() => 'done');
      ctx.monitor(child);
      return assertReceive(ctx, { type: 'DOWN' });
    });
    expect(down).toMatchObject({ type: 'DOWN', reason: 'normal' });
  });

  it('types what it takes from a mailbox of unknown by what the pattern shows', async () => {
    const t = setup();
    t.runtime.send(t.inbox.self, { type: 'ready', n: 2, extra: true });
    const got = await t.assertReceive({ type: 'ready', n: (n: number) => n > 1 });
    expectTypeOf(got).toEqualTypeOf<{ readonly type: 'ready'; readonly n: unknown }>();
    expect(got.type).toBe('ready');
    expect(got).toEqual({ type: 'ready', n: 2, extra: true });
  });

  it('narrows a union by a literal pattern', async () => {
    const rt = new Runtime();
    const inbox = rt.inbox<DownMessage | ExitMessage>();
    inbox.trapExit(true);
    const pid = rt.spawn(() => {});
    inbox.link(pid);
    const exit = await assertReceive(inbox, { type: 'EXIT' }, 1_000);
    const from: string = exit.from; // only ExitMessage has `from`
    expect(from).toBe(pid);
    inbox.close();
  });

  it.each([
    ['a negative timeout', (t: ReturnType<typeof setup>) => assertReceive(t.inbox, 'x', -1), 'timeout', '-1'],
    ['a fractional timeout', (t: ReturnType<typeof setup>) => assertReceive(t.inbox, 'x', 1.5), 'timeout', '1.5'],
    ['a timeout past 2^32 - 1', (t: ReturnType<typeof setup>) => assertReceive(t.inbox, 'x', 2 ** 32), 'timeout', '4294967296'],
    ['no pattern', (t: ReturnType<typeof setup>) => assertReceive(t.inbox, undefined as never), 'pattern', 'undefined'],
    ['a receiver that is not an inbox', () => assertReceive({} as never, 'x'), 'receiver', '{}'],
    ['a closed inbox', (t: ReturnType<typeof setup>) => { const other = t.runtime.inbox(); other.close(); return assertReceive(other, 'x'); }, 'receiver', ''],
  ] as const)('rejects %s with an InvalidArgumentError naming the argument', async (_what, call, argument, value) => {
    const t = setup();
    const error = await call(t).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect((error as Error).message).toContain(value);
    t.runtime.send(t.inbox.self, 'still works');
    expect(await t.assertReceive('still works', 0)).toBe('still works');
  });
});

describe('refuteReceive', () => {
  it('passes when nothing matches within the timeout, leaving other messages', async () => {
    const t = setup();
    t.runtime.send(t.inbox.self, 'other');
    await t.refuteReceive('wanted');
    expect(t.clock.now()).toBe(100);
    expect(await t.inbox.receive(0)).toBe('other');
  });

  it('fails when a matching message arrives within the timeout, and takes it', async () => {
    const t = setup();
    t.runtime.sendAfter(60, t.inbox.self, { type: 'crash', n: 1 });
    const error = await failure(t.refuteReceive({ type: 'crash' }));
    expect(error.message).toBe("Unexpectedly received message { type: 'crash', n: 1 } (which matched { type: 'crash' })");
    expect(error.received).toEqual({ type: 'crash', n: 1 });
    expect(t.clock.now()).toBe(60);
    await t.refuteReceive({ type: 'crash' }, 0);
  });

  it('with timeout 0 looks only at what is there (refute_received)', async () => {
    const t = onSystemClock();
    await refuteReceive(t.inbox, 'x', 0);
    t.runtime.send(t.inbox.self, 'x');
    await expect(refuteReceive(t.inbox, 'x', 0)).rejects.toThrow(ReceiveAssertionError);
  });

  it('with timeout 0 on a virtual clock fires nothing, not even a timer due now', async () => {
    const t = setup();
    t.runtime.sendAfter(0, t.inbox.self, 'due now');
    await refuteReceive(t.inbox, 'due now', 0);
    await expect(assertReceive(t.inbox, 'due now', 0)).rejects.toThrow(ReceiveAssertionError);
    expect(t.clock.pending()).toBeGreaterThan(0);
    await t.assertReceive('due now', 1);
    expect(t.clock.now()).toBe(0);
  });

  it('waits out its timeout on the system clock', async () => {
    const t = onSystemClock();
    const started = Date.now();
    await t.refuteReceive('never', 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('rejects a negative timeout with an InvalidArgumentError', async () => {
    const t = setup();
    await expect(refuteReceive(t.inbox, 'x', -5)).rejects.toThrow(/argument 'timeout'.*-5/);
  });
});
