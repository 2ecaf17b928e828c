/**
 * Assertions on a mailbox: ExUnit's `assert_receive` and `refute_receive` for an inbox or a process.
 *
 * {@link assertReceive} takes the oldest message that matches a pattern, waiting up to a timeout
 * (100 ms by default, as ExUnit's) for one to arrive; {@link refuteReceive} waits the timeout and
 * fails if a matching message arrives (and takes it, as ExUnit does). A pattern is a predicate or
 * a value matched as {@link matchesPattern} says: objects partially, arrays element by element,
 * anything else with `Object.is`. Messages that do not match stay in the mailbox, in order.
 *
 * On a runtime whose clock is a {@link VirtualClock}, waiting is virtual: the assertion moves the
 * clock forward (firing the runtime's timers in order) until the message is there or the timeout
 * has passed, and returns at once when it is already there. On the host clock it waits in real time.
 *
 * A failure is a {@link ReceiveAssertionError} whose message lists the mailbox as it was (the
 * last ten messages, as ExUnit shows them).
 *
 * @module
 */
import { inspect } from 'node:util';
import { InvalidArgumentError, isPid, OtpError, Runtime, TIMEOUT, type Context } from '../index.js';
import { clockOf, NO_MESSAGE, takeMatching } from '../process/hooks.js';
import { VirtualClock } from './clock.js';

/**
 * The default timeout of {@link assertReceive} and {@link refuteReceive}, in milliseconds: 100, as
 * ExUnit's `assert_receive_timeout` and `refute_receive_timeout`.
 *
 * @example
 * ```ts
 * import { DEFAULT_RECEIVE_TIMEOUT } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * expect(DEFAULT_RECEIVE_TIMEOUT).toBe(100);
 * ```
 */
export const DEFAULT_RECEIVE_TIMEOUT = 100;

/** The most messages a failure lists (the newest ones), as ExUnit's `@max_mailbox_length`. */
const MAX_MAILBOX_SHOWN = 10;

/** The longest receive timeout the runtime takes: Erlang's largest timeout value, 2^32 - 1 ms. */
const MAX_TIMEOUT = 2 ** 32 - 1;

/**
 * What a message of type `M` may be matched against: a predicate on the whole message, or a value
 * of its shape in which every object field may be left out and any field may be a predicate.
 *
 * @example
 * ```ts
 * import type { DownMessage } from 'ts-otp';
 * import type { Pattern } from 'ts-otp/testing';
 *
 * const down: Pattern<DownMessage> = { type: 'DOWN', reason: (r) => r !== 'normal' };
 * const any: Pattern<DownMessage> = (msg) => msg.type === 'DOWN';
 * void [down, any];
 * ```
 */
export type Pattern<M> = ((msg: M) => boolean) | Shape<M>;

/** A value of the shape of `M`: objects partial, fields possibly predicates. */
export type Shape<M> = M extends readonly unknown[]
  ? { readonly [K in keyof M]: Shape<M[K]> | ((value: M[K]) => boolean) }
  : M extends (...args: never[]) => unknown
    ? M
    : M extends object
      ? { readonly [K in keyof M]?: Shape<M[K]> | ((value: M[K]) => boolean) }
      : M;

/**
 * The message type a pattern narrows `M` to: the members of a union that a literal pattern picks
 * (`{ type: 'DOWN' }` out of the kernel messages), else `M`; for a mailbox of `unknown`, what the
 * pattern shows the message holds ({@link Matched}).
 *
 * @example
 * ```ts
 * import type { DownMessage, KernelMessage } from 'ts-otp';
 * import type { Received } from 'ts-otp/testing';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<Received<KernelMessage, { readonly type: 'DOWN' }>>().toEqualTypeOf<DownMessage>();
 * expectTypeOf<Received<unknown, { readonly type: 'ready' }>>().toEqualTypeOf<{ readonly type: 'ready' }>();
 * ```
 */
export type Received<M, P> = unknown extends M ? Matched<P> : [Extract<M, P>] extends [never] ? M : Extract<M, P>;

/**
 * What a message that matched the value pattern `P` is known to hold: the pattern's own fields and
 * elements, a predicate's part `unknown` (it says nothing of the type).
 *
 * @example
 * ```ts
 * import type { Matched } from 'ts-otp/testing';
 * import { expectTypeOf } from 'vitest';
 *
 * type Ready = Matched<{ readonly type: 'ready'; readonly n: (n: number) => boolean }>;
 * expectTypeOf<Ready>().toEqualTypeOf<{ readonly type: 'ready'; readonly n: unknown }>();
 * expectTypeOf<Matched<readonly ['ok', 1]>>().toEqualTypeOf<readonly ['ok', 1]>();
 * ```
 */
export type Matched<P> = P extends (...args: never[]) => unknown
  ? unknown
  : P extends Date
    ? Date
    : P extends object
      ? { readonly [K in keyof P]: Matched<P[K]> }
      : P;

/**
 * An assertion on a mailbox failed: no matching message in time (`assertReceive`), or a matching
 * one came (`refuteReceive`).
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { assertReceive, ReceiveAssertionError } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const inbox = new Runtime().inbox();
 * inbox.send(inbox.self, 'other');
 * const error = await assertReceive(inbox, 'wanted', 0).catch((e: unknown) => e);
 * expect(error).toBeInstanceOf(ReceiveAssertionError);
 * expect((error as ReceiveAssertionError).mailbox).toEqual(['other']);
 * inbox.close();
 * ```
 */
export class ReceiveAssertionError extends OtpError {
  override name = 'ReceiveAssertionError' as const;
  constructor(
    /** `'assertReceive'` or `'refuteReceive'`. */
    readonly operation: 'assertReceive' | 'refuteReceive',
    /** The timeout that was waited, in ms. */
    readonly timeout: number,
    /** Every message in the mailbox when the assertion failed, oldest first. */
    readonly mailbox: readonly unknown[],
    /** For `refuteReceive`: the message that matched. */
    readonly received: unknown,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Whether `value` matches `pattern`: a function is called as a predicate; an array matches an
 * array of the same length whose elements match; a plain object matches an object having every
 * key of the pattern with a matching value (further keys are allowed, as in an Elixir map
 * pattern); a `Date` matches the same instant; anything else is compared with `Object.is`.
 *
 * @example
 * ```ts
 * import { matchesPattern } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const msg = { type: 'EXIT', from: '<1.2.0>', reason: { tag: 'error', cause: 'boom' } };
 * expect(matchesPattern({ type: 'EXIT', reason: { tag: 'error' } }, msg)).toBe(true);
 * expect(matchesPattern({ type: 'DOWN' }, msg)).toBe(false);
 * expect(matchesPattern({ from: (p: string) => p.startsWith('<1.') }, msg)).toBe(true);
 * expect(matchesPattern(['ok', 1], ['ok', 1, 2])).toBe(false);
 * ```
 */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (typeof pattern === 'function') return Boolean((pattern as (v: unknown) => unknown)(value));
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => matchesPattern(p, value[i]));
  }
  if (pattern instanceof Date) return value instanceof Date && Object.is(value.getTime(), pattern.getTime());
  if (typeof pattern === 'object' && pattern !== null) {
    if (typeof value !== 'object' || value === null) return false;
    for (const key of Object.keys(pattern)) {
      if (!(key in value)) return false;
      if (!matchesPattern((pattern as Record<string, unknown>)[key], (value as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return Object.is(pattern, value);
}

/** Something with a mailbox: an {@link ts-otp!Inbox} or a process's {@link Context}. */
export type Receiver<M> = Context<M>;

function describePattern(pattern: unknown): string {
  if (typeof pattern === 'function') return pattern.name === '' ? 'a predicate' : `the predicate ${pattern.name}`;
  return inspect(pattern, { depth: 6, breakLength: Infinity });
}

const show = (value: unknown): string => inspect(value, { depth: 6, breakLength: Infinity });

function checkArgs(operation: string, receiver: unknown, pattern: unknown, timeout: unknown): Runtime {
  const rt = typeof receiver === 'object' && receiver !== null ? (receiver as { runtime?: unknown }).runtime : undefined;
  const self = rt instanceof Runtime ? (receiver as { self?: unknown }).self : undefined;
  if (!(rt instanceof Runtime) || !isPid(self) || !rt.isAlive(self)) {
    throw new InvalidArgumentError(operation, 'receiver', receiver, 'a live inbox or process context');
  }
  if (pattern === undefined) throw new InvalidArgumentError(operation, 'pattern', pattern, 'a predicate or a value to match');
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT) {
    throw new InvalidArgumentError(operation, 'timeout', timeout, `an integer number of milliseconds from 0 to ${MAX_TIMEOUT}`);
  }
  return rt;
}

/** Every message waiting, oldest first, none taken: a selective receive that matches nothing tries each once. */
async function mailboxOf(receiver: Context<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  await receiver.receive((msg) => {
    seen.push(msg);
    return false;
  }, 0);
  return seen;
}

function mailboxText(mailbox: readonly unknown[]): string {
  if (mailbox.length === 0) return 'The process mailbox is empty.';
  const from = Math.max(0, mailbox.length - MAX_MAILBOX_SHOWN);
  const shown = mailbox.slice(from).map((msg, i) => `  ${from + i + 1}. ${show(msg)}`);
  const noun = mailbox.length === 1 ? 'message' : 'messages';
  return `Showing ${shown.length} of ${mailbox.length} ${noun} in the mailbox (oldest first):\n${shown.join('\n')}`;
}

/**
 * Waits for a message matching `match` in `receiver`'s mailbox and takes it; NO_MESSAGE when
 * none came within `timeout`. On a virtual clock the wait moves the clock.
 */
async function take(rt: Runtime, receiver: Context<unknown>, match: (msg: unknown) => boolean, timeout: number): Promise<unknown> {
  let got = takeMatching(receiver, match);
  if (got !== NO_MESSAGE || timeout === 0) return got; // 0: what is there now, nothing fired (assert_received)
  const clock = clockOf(rt);
  if (clock instanceof VirtualClock) {
    await clock.waitUntil(clock.now() + timeout, () => (got = takeMatching(receiver, match)) !== NO_MESSAGE);
    return got;
  }
  const msg = await receiver.receive(match, timeout);
  return msg === TIMEOUT ? NO_MESSAGE : msg;
}

/** `match` for the pattern, catching a throwing predicate so the mailbox is not harmed; `error()` has what it threw. */
function matcher(pattern: unknown): { match: (msg: unknown) => boolean; error: () => { thrown: unknown } | undefined } {
  let failed: { thrown: unknown } | undefined;
  return {
    match: (msg) => {
      if (failed !== undefined) return false;
      try {
        return matchesPattern(pattern, msg);
      } catch (thrown) {
        failed = { thrown };
        return false;
      }
    },
    error: () => failed,
  };
}

/**
 * Takes the oldest message in `receiver`'s mailbox that matches `pattern`, waiting up to `timeout`
 * ms (default 100) for one to arrive: ExUnit's `assert_receive` (`assertReceive(inbox, p, 0)` is
 * `assert_received`). Other messages stay, in order. On a {@link VirtualClock} runtime the wait
 * moves the clock, stopping as soon as the message is there.
 *
 * Rejects with a {@link ReceiveAssertionError} that lists the mailbox when no message matched,
 * and with what a predicate threw if one threw.
 *
 * @throws {@link ts-otp!InvalidArgumentError} for a `receiver` that is not a live inbox or context, an
 * undefined `pattern` or a `timeout` that is not an integer from 0 to 2^32 - 1.
 * @example
 * ```ts
 * import { Runtime, type DownMessage, type ExitMessage } from 'ts-otp';
 * import { assertReceive } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const inbox = rt.inbox<DownMessage | ExitMessage | string>();
 * const pid = rt.spawn(async (ctx) => { await ctx.receive(); });
 * inbox.monitor(pid);
 * inbox.send(inbox.self, 'unrelated');
 * rt.send(pid, 'stop');
 * const down = await assertReceive(inbox, { type: 'DOWN', pid }); // typed: DownMessage
 * expect(down.reason).toBe('normal');
 * await expect(assertReceive(inbox, { type: 'DOWN' }, 10)).rejects.toThrow(/Showing 1 of 1 message/);
 * inbox.close();
 * ```
 */
export function assertReceive<M, T extends M>(receiver: Receiver<M>, match: (msg: M) => msg is T, timeout?: number): Promise<T>;
export function assertReceive<M, const P extends Pattern<M>>(receiver: Receiver<M>, pattern: P, timeout?: number): Promise<Received<M, P>>;
export async function assertReceive(receiver: Receiver<unknown>, pattern: unknown, timeout: number = DEFAULT_RECEIVE_TIMEOUT): Promise<unknown> {
  const rt = checkArgs('assertReceive', receiver, pattern, timeout);
  const { match, error } = matcher(pattern);
  const got = await take(rt, receiver, match, timeout);
  const failed = error();
  if (failed !== undefined) throw failed.thrown;
  if (got !== NO_MESSAGE) return got;
  const mailbox = await mailboxOf(receiver);
  throw new ReceiveAssertionError(
    'assertReceive',
    timeout,
    mailbox,
    undefined,
    `Assertion failed, no message matching ${describePattern(pattern)} after ${timeout}ms\n${mailboxText(mailbox)}`,
  );
}

/**
 * Fails if a message matching `pattern` arrives in `receiver`'s mailbox within `timeout` ms
 * (default 100), or is already there: ExUnit's `refute_receive` (`refuteReceive(inbox, p, 0)` is
 * `refute_received`). A matching message is taken, as in Elixir; others stay. It waits the whole
 * timeout when nothing matches; on a {@link VirtualClock} runtime that moves the clock by
 * `timeout`, firing what falls due.
 *
 * @throws {@link ts-otp!InvalidArgumentError} as {@link assertReceive}.
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { refuteReceive, VirtualClock } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const clock = new VirtualClock();
 * const rt = new Runtime({ clock });
 * const inbox = rt.inbox();
 * rt.sendAfter(500, inbox.self, 'late');
 * await refuteReceive(inbox, 'late'); // nothing within 100 ms of virtual time
 * expect(clock.now()).toBe(100);
 * await expect(refuteReceive(inbox, 'late', 400)).rejects.toThrow("Unexpectedly received message 'late'");
 * inbox.close();
 * ```
 */
export function refuteReceive<M>(receiver: Receiver<M>, pattern: Pattern<M>, timeout?: number): Promise<void>;
export async function refuteReceive(receiver: Receiver<unknown>, pattern: unknown, timeout: number = DEFAULT_RECEIVE_TIMEOUT): Promise<void> {
  const rt = checkArgs('refuteReceive', receiver, pattern, timeout);
  const { match, error } = matcher(pattern);
  const got = await take(rt, receiver, match, timeout);
  const failed = error();
  if (failed !== undefined) throw failed.thrown;
  if (got === NO_MESSAGE) return;
  const mailbox = await mailboxOf(receiver);
  throw new ReceiveAssertionError(
    'refuteReceive',
    timeout,
    mailbox,
    got,
    `Unexpectedly received message ${show(got)} (which matched ${describePattern(pattern)})`,
  );
}
