/**
 * What GenServer callbacks return: built with `Next.*`, as Erlang's `{reply, R, S}`, `{noreply, S}`,
 * `{stop, Reason, S}`, `{ok, S}` and `ignore` tuples.
 *
 * A result may carry an action: `{ continue: arg }` runs `handleContinue(arg)` before the next
 * message (Erlang's `{continue, Arg}`); `{ timeout: ms }` delivers `TIMEOUT` to `handleInfo` when no
 * message arrives within `ms` (any message cancels it; `0` still goes through the mailbox first).
 * A callback that returns anything else ends the server with
 * `{ tag: 'exit', value: { bad_return_value: value } }`, Erlang's `{bad_return_value, V}`.
 *
 * @module
 */

/**
 * Runs `handleContinue(arg)` next, or sets an idle timeout.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const later: NextAction = { continue: 'warm-up' };
 * expect(Next.ok(0, later).action).toEqual({ continue: 'warm-up' });
 * expect(Next.noreply(0, { timeout: 50 }).action).toEqual({ timeout: 50 });
 * ```
 */
export type NextAction = { readonly continue: unknown } | { readonly timeout: number };

/**
 * `{ok, State}` from init.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const ok: Ok<number> = Next.ok(1);
 * expect(ok).toEqual({ next: 'ok', state: 1, action: undefined });
 * ```
 */
export interface Ok<S> {
  readonly next: 'ok';
  readonly state: S;
  readonly action: NextAction | undefined;
}

/**
 * `ignore` from init: the start returns `{ type: 'ignore' }` and the process exits normally.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const ignore: Ignore = Next.ignore();
 * expect(ignore).toEqual({ next: 'ignore' });
 * ```
 */
export interface Ignore {
  readonly next: 'ignore';
}

/**
 * `{reply, Reply, State}` from handleCall.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const reply: Reply<string, number> = Next.reply('done', 2);
 * expect(reply).toEqual({ next: 'reply', reply: 'done', state: 2, action: undefined });
 * ```
 */
export interface Reply<R, S> {
  readonly next: 'reply';
  readonly reply: R;
  readonly state: S;
  readonly action: NextAction | undefined;
}

/**
 * `{noreply, State}`: go on without replying (a call can be answered later with `GenServer.reply`).
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const noreply: NoReply<number> = Next.noreply(3);
 * expect(noreply).toEqual({ next: 'noreply', state: 3, action: undefined });
 * ```
 */
export interface NoReply<S> {
  readonly next: 'noreply';
  readonly state: S;
  readonly action: NextAction | undefined;
}

/**
 * `{stop, Reason, State}`, or from handleCall `{stop, Reason, Reply, State}` when `replies` is set.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const stop: Stop<string, number> = Next.stopAndReply('shutdown', 'bye', 4);
 * expect(stop).toEqual({ next: 'stop', reason: 'shutdown', state: 4, replies: true, reply: 'bye' });
 * ```
 */
export interface Stop<R, S> {
  readonly next: 'stop';
  readonly reason: unknown;
  readonly state: S;
  readonly replies: boolean;
  readonly reply: R | undefined;
}

/**
 * What init may return.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * expectTypeOf(Next.ok(1)).toMatchTypeOf<InitResult<number>>();
 * expectTypeOf(Next.ignore()).toMatchTypeOf<InitResult<number>>();
 * expectTypeOf(Next.stop('no')).toMatchTypeOf<InitResult<number>>();
 * ```
 */
export type InitResult<S> = Ok<S> | Ignore | Stop<never, S | undefined>;
/**
 * What handleCall may return for a call whose reply type is `R`.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * expectTypeOf(Next.reply(1, 's')).toMatchTypeOf<CallResult<number, string>>();
 * expectTypeOf(Next.reply('one', 's')).not.toMatchTypeOf<CallResult<number, string>>();
 * ```
 */
export type CallResult<R, S> = Reply<R, S> | NoReply<S> | Stop<R, S>;
/**
 * What handleCast, handleInfo and handleContinue may return.
 *
 * @example
 * ```ts
 * import { Next, type CallResult, type Ignore, type InitResult, type NextAction, type NoReply, type NoReplyResult, type Ok, type Reply, type Stop } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * expectTypeOf(Next.noreply('s')).toMatchTypeOf<NoReplyResult<string>>();
 * expectTypeOf(Next.reply(1, 's')).not.toMatchTypeOf<NoReplyResult<string>>();
 * ```
 */
export type NoReplyResult<S> = NoReply<S> | Stop<never, S>;

/**
 * The constructors of callback results.
 *
 * @example
 * ```ts
 * import { Next } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(Next.reply(5, { count: 5 })).toMatchObject({ next: 'reply', reply: 5, state: { count: 5 } });
 * expect(Next.noreply({ count: 0 }, { timeout: 1000 }).action).toEqual({ timeout: 1000 });
 * expect(Next.stop('normal', { count: 0 })).toMatchObject({ next: 'stop', reason: 'normal', replies: false });
 * ```
 */
export const Next = {
  /** init succeeded; `action` may continue or set a timeout. */
  ok<S>(state: S, action?: NextAction): Ok<S> {
    return { next: 'ok', state, action };
  },
  /** init declines to start: the start returns `{ type: 'ignore' }`. */
  ignore(): Ignore {
    return IGNORE;
  },
  /** Reply to the caller now and go on with `state`. */
  reply<R, S>(reply: R, state: S, action?: NextAction): Reply<R, S> {
    return { next: 'reply', reply, state, action };
  },
  /** Go on with `state`; a call stays unanswered until `GenServer.reply(from, value)`. */
  noreply<S>(state: S, action?: NextAction): NoReply<S> {
    return { next: 'noreply', state, action };
  },
  /** Stop with `reason` (normalised as exit reasons are: `'boom'` becomes `{ tag: 'exit', value: 'boom' }`); terminate runs first. */
  stop<S = undefined>(reason: unknown, state?: S): Stop<never, S> {
    return { next: 'stop', reason, state: state as S, replies: false, reply: undefined };
  },
  /** From handleCall: run terminate, then reply to the caller, then stop with `reason`. */
  stopAndReply<R, S>(reason: unknown, reply: R, state: S): Stop<R, S> {
    return { next: 'stop', reason, state, replies: true, reply };
  },
} as const;

const IGNORE: Ignore = Object.freeze({ next: 'ignore' });
