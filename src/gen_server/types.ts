/**
 * The typed protocol of a GenServer, and the behaviour object that implements it.
 *
 * A protocol names everything about a server in one place: its start argument, its state, its
 * calls (a union on `type`) with the reply type of each, its casts and its continue argument.
 * `Behaviour<P>` then requires a handler for every call and cast type, checks each handler's
 * reply against the protocol, and rejects handlers for messages the protocol does not have.
 *
 * @module
 */
import type { Context, ExitReason, Pid, Runtime, Timeout } from '../process/index.js';
import type { CallResult, InitResult, NoReplyResult } from './next.js';

/**
 * The shape every protocol has. Only `state` is required.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface KeyValue extends GenServer.Protocol {
 *   state: ReadonlyMap<string, string>;
 *   call: { readonly type: 'get'; readonly key: string };
 *   reply: { get: string | undefined };
 *   cast: { readonly type: 'put'; readonly key: string; readonly value: string };
 * }
 * expectTypeOf<KeyValue['reply']['get']>().toEqualTypeOf<string | undefined>();
 * ```
 */
export interface Protocol {
  /** What `start` passes to `init`. */
  arg?: unknown;
  state: unknown;
  /** The calls, a union discriminated on `type`. */
  call?: { readonly type: string };
  /** The reply type of each call, by its `type`. */
  reply?: object;
  /** The casts, a union discriminated on `type`. */
  cast?: { readonly type: string };
  /** The argument of `{ continue: arg }`. */
  continue?: unknown;
}

/** The start argument of `P`; `undefined` when it has none. */
export type ArgOf<P extends Protocol> = P extends { arg: infer A } ? A : undefined;
/** The state of `P`. */
export type StateOf<P extends Protocol> = P['state'];
/** The calls of `P`. */
export type CallOf<P extends Protocol> = P extends { call: infer C extends { readonly type: string } } ? C : never;
/** The casts of `P`. */
export type CastOf<P extends Protocol> = P extends { cast: infer C extends { readonly type: string } } ? C : never;
/** The reply to the call of type `K`. */
export type ReplyOf<P extends Protocol, K> = P extends { reply: infer R } ? (K extends keyof R ? R[K] : never) : never;
/** The argument of handleContinue. */
export type ContinueOf<P extends Protocol> = P extends { continue: infer C } ? C : never;

declare const replyBrand: unique symbol;
declare const protocolBrand: unique symbol;

/**
 * Who made a call, as handleCall receives it: pass it to `GenServer.reply` to answer later,
 * from any process or from plain code. Only the first reply counts; a reply to a caller that has
 * timed out is dropped. It is opaque: unlike Erlang's `{Pid, Tag}` it does not name the caller,
 * as a call from plain code has no pid.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<GenServer.From<number>>().not.toEqualTypeOf<GenServer.From<string>>();
 * ```
 */
export interface From<R> {
  /** @internal the reply type, for the compiler only */
  readonly [replyBrand]?: (reply: R) => void;
}

/**
 * A running server of protocol `P`, by pid: what `start` returns. It is a pid, usable wherever
 * one is; the protocol is known to the compiler only.
 *
 * @example
 * ```ts
 * import type { GenServer, Pid } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<GenServer.ServerPid<{ state: number }>>().toMatchTypeOf<Pid>();
 * ```
 */
export type ServerPid<P extends Protocol> = Pid & { readonly [protocolBrand]?: P };

/**
 * A server of protocol `P` by registered name in a runtime; made with `GenServer.named`.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const ref: GenServer.ServerName<{ state: number }> = GenServer.named('counter', rt);
 * expect(ref).toEqual({ name: 'counter', runtime: rt });
 * ```
 */
export interface ServerName<P extends Protocol> {
  readonly name: string;
  readonly runtime: Runtime;
  /** @internal the protocol, for the compiler only */
  readonly [protocolBrand]?: P;
}

/** A server to call or cast to: by pid, or by name. */
export type ServerRef<P extends Protocol> = ServerPid<P> | ServerName<P>;

/** handleCall: one handler per call type, each answering with that call's reply type. */
export type CallHandlers<P extends Protocol> = {
  readonly [K in CallOf<P>['type']]: (
    request: Extract<CallOf<P>, { readonly type: K }>,
    from: From<ReplyOf<P, K>>,
    state: StateOf<P>,
    ctx: Context,
  ) => CallResult<ReplyOf<P, K>, StateOf<P>> | PromiseLike<CallResult<ReplyOf<P, K>, StateOf<P>>>;
};

/** handleCast: one handler per cast type. */
export type CastHandlers<P extends Protocol> = {
  readonly [K in CastOf<P>['type']]: (
    msg: Extract<CastOf<P>, { readonly type: K }>,
    state: StateOf<P>,
    ctx: Context,
  ) => NoReplyResult<StateOf<P>> | PromiseLike<NoReplyResult<StateOf<P>>>;
};

/** The callbacks every behaviour may have, whatever its protocol. */
export interface BaseBehaviour<P extends Protocol> {
  /** Runs in the new process before `start` returns. `ctx` is the server's own context (to trap exits, start timers). */
  init(arg: ArgOf<P>, ctx: Context): InitResult<StateOf<P>> | PromiseLike<InitResult<StateOf<P>>>;
  /**
   * Any other message: plain sends, EXITs from processes other than the parent (when trapping),
   * DOWNs, timer messages, and `TIMEOUT` when an idle timeout ran out. Without it such messages
   * are logged at warn level and dropped, as OTP does.
   */
  handleInfo?(msg: unknown, state: StateOf<P>, ctx: Context): NoReplyResult<StateOf<P>> | PromiseLike<NoReplyResult<StateOf<P>>>;
  /** Runs after a result with `{ continue: arg }`, before the next message. */
  handleContinue?(arg: ContinueOf<P>, state: StateOf<P>, ctx: Context): NoReplyResult<StateOf<P>> | PromiseLike<NoReplyResult<StateOf<P>>>;
  /**
   * Runs before the server exits: after a stop result, a callback that threw, `GenServer.stop`,
   * or an exit signal from its parent when it traps exits. Not when it is killed, and not when a
   * callback calls `ctx.exit(reason)` itself: that ends the process at once (Erlang would run
   * terminate first); return `Next.stop(reason, state)` instead.
   */
  terminate?(reason: ExitReason, state: StateOf<P>, ctx: Context): void | PromiseLike<void>;
  /** The state as crash reports show it (hide secrets, shorten big values). */
  formatStatus?(state: StateOf<P>): unknown;
}

/**
 * A GenServer implementation: an object of callbacks checked against protocol `P`. handleCall is
 * required when `P` has calls and must not be there when it has none; handleCast likewise.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: number;
 *   call: { readonly type: 'get' };
 *   reply: { get: number };
 *   cast: { readonly type: 'add'; readonly by: number };
 * }
 * const counter: GenServer.Behaviour<Counter> = {
 *   init: (start) => Next.ok(start),
 *   handleCall: { get: (_req, _from, n) => Next.reply(n, n) },
 *   handleCast: { add: ({ by }, n) => Next.noreply(n + by) },
 * };
 * const rt = new Runtime();
 * const started = await GenServer.start(counter, 40, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * GenServer.cast(started.pid, { type: 'add', by: 2 });
 * expect(await GenServer.call(started.pid, { type: 'get' })).toBe(42);
 * await GenServer.stop(started.pid);
 * ```
 */
export type Behaviour<P extends Protocol> = BaseBehaviour<P> &
  ([CallOf<P>] extends [never] ? { readonly handleCall?: never } : { readonly handleCall: CallHandlers<P> }) &
  ([CastOf<P>] extends [never] ? { readonly handleCast?: never } : { readonly handleCast: CastHandlers<P> });

/** Where and how to start a server. */
export interface StartOptions {
  /** The runtime to start in; `start` defaults to {@link defaultRuntime}, `startLink` uses the parent's. */
  readonly runtime?: Runtime;
  /** Register the server under this name before init runs. */
  readonly name?: string;
  /** How long init may take, in ms (default `'infinity'`); past it the server is killed and the start returns `'timeout'`. */
  readonly timeout?: number | 'infinity';
}

/** Why a start failed: init's stop reason or crash, a taken name, or the init timeout. */
export type StartError = ExitReason | { readonly tag: 'already_started'; readonly pid: Pid } | 'timeout';

/** The outcome of `start` / `startLink`, as Erlang's `{ok, Pid} | ignore | {error, Reason}`. */
export type StartResult<P extends Protocol> =
  | { readonly type: 'ok'; readonly pid: ServerPid<P> }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: StartError };

/** Counters of a live server, for tools and tests. */
export interface ServerStatistics {
  /** Messages the server has taken from its mailbox: calls, casts, infos and system requests. */
  readonly messagesHandled: number;
  /** Messages waiting in its mailbox. */
  readonly messageQueueLen: number;
}

/** handleInfo receives this symbol when an idle timeout (`{ timeout: ms }`) ran out. */
export type IdleTimeout = Timeout;
