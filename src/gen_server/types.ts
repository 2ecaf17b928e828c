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
import type { Context, ExitReason, Pid, RemoteName, Runtime, SpawnOptions, Timeout, Via } from '../process/index.js';
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

/**
 * The start argument of `P`; `undefined` when it has none.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.ArgOf<Counter>>().toEqualTypeOf<number>();
 * expectTypeOf<GenServer.ArgOf<{ state: null }>>().toEqualTypeOf<undefined>();
 * ```
 */
export type ArgOf<P extends Protocol> = P extends { arg: infer A } ? A : undefined;
/**
 * The state of `P`.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.StateOf<Counter>>().toEqualTypeOf<{ readonly count: number }>();
 * ```
 */
export type StateOf<P extends Protocol> = P['state'];
/**
 * The calls of `P`.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.CallOf<Counter>['type']>().toEqualTypeOf<'get' | 'add'>();
 * expectTypeOf<GenServer.CallOf<{ state: null }>>().toBeNever();
 * ```
 */
export type CallOf<P extends Protocol> = P extends { call: infer C extends { readonly type: string } } ? C : never;
/**
 * The casts of `P`.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.CastOf<Counter>>().toEqualTypeOf<{ readonly type: 'reset' }>();
 * ```
 */
export type CastOf<P extends Protocol> = P extends { cast: infer C extends { readonly type: string } } ? C : never;
/**
 * The reply to the call of type `K`.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.ReplyOf<Counter, 'add'>>().toEqualTypeOf<number>();
 * expectTypeOf<GenServer.ReplyOf<Counter, 'remove'>>().toBeNever();
 * ```
 */
export type ReplyOf<P extends Protocol, K> = P extends { reply: infer R } ? (K extends keyof R ? R[K] : never) : never;
/**
 * The argument of handleContinue.
 *
 * @example
 * ```ts
 * import type { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Counter {
 *   arg: number;
 *   state: { readonly count: number };
 *   call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
 *   reply: { get: number; add: number };
 *   cast: { readonly type: 'reset' };
 *   continue: 'warm';
 * }
 * expectTypeOf<GenServer.ContinueOf<Counter>>().toEqualTypeOf<'warm'>();
 * ```
 */
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
  /** A registered name, a via name (looked up through its module; `runtime` is then unused), or a name on a node. */
  readonly name: string | Via | RemoteName;
  readonly runtime: Runtime;
  /** @internal the protocol, for the compiler only */
  readonly [protocolBrand]?: P;
}

/**
 * What `GenServer.call` puts in the mailbox of a live process that is not a GenServer, as Erlang's
 * `{'$gen_call', From, Request}`: a process written by hand answers it with
 * `GenServer.reply(from, value)`; if it never does, the call times out. A GenServer never sees
 * this shape: its calls go to handleCall.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Ping { state: null; call: { readonly type: 'ping' }; reply: { ping: string } }
 * const rt = new Runtime();
 * const handWritten = rt.spawn(async (ctx) => {
 *   const msg = (await ctx.receive()) as GenServer.GenCallMessage<Ping['call'], string>;
 *   if (msg.type === '$gen_call' && msg.request.type === 'ping') GenServer.reply(msg.from, 'pong');
 * });
 * expect(await GenServer.call(handWritten as GenServer.ServerPid<Ping>, { type: 'ping' })).toBe('pong');
 * ```
 */
export interface GenCallMessage<C = unknown, R = unknown> {
  readonly type: '$gen_call';
  /** Pass it to `GenServer.reply` to answer. */
  readonly from: From<R>;
  readonly request: C;
}

/**
 * What `GenServer.cast` puts in the mailbox of a live process that is not a GenServer, as
 * Erlang's `{'$gen_cast', Msg}`.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Note { state: null; cast: { readonly type: 'note'; readonly text: string } }
 * const rt = new Runtime();
 * const seen = rt.run(async (ctx) => {
 *   GenServer.cast(ctx.self as GenServer.ServerPid<Note>, { type: 'note', text: 'hi' });
 *   return (await ctx.receive()) as GenServer.GenCastMessage<Note['cast']>;
 * });
 * expect(await seen).toEqual({ type: '$gen_cast', msg: { type: 'note', text: 'hi' } });
 * ```
 */
export interface GenCastMessage<C = unknown> {
  readonly type: '$gen_cast';
  readonly msg: C;
}

/**
 * Options of `GenServer.call`: the timeout, and the calling process.
 *
 * Pass `caller` (your context) when calling from a process: a call to the caller itself, by pid
 * or by name, then fails at once with `'calling_self'` wherever it is made (a plain process, a
 * callback after an `await`), and crash reports name the client. Without it, a call is caught as
 * the server's own only while one of the server's callbacks runs on the stack.
 *
 * @example
 * ```ts
 * import { CallError, GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const reason = await rt.run(async (ctx) => {
 *   ctx.register('me');
 *   await Promise.resolve(); // after an await too
 *   const options: GenServer.CallOptions = { caller: ctx, timeout: 1000 };
 *   return GenServer.call(GenServer.named<{ state: null; call: { readonly type: 'hi' }; reply: { hi: string } }>('me', rt), { type: 'hi' }, options)
 *     .catch((e: CallError) => e.reason);
 * });
 * expect(reason).toBe('calling_self');
 * ```
 */
export interface CallOptions {
  /** Milliseconds, or `'infinity'`; 5000 by default. */
  readonly timeout?: number | 'infinity';
  /** The calling process's context. */
  readonly caller?: Context;
}

/**
 * What `GenServer.named` takes as the name when its protocol parameter is missing: a type no
 * string matches, whose one key says what to write instead. Never a value.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * const rt = new Runtime();
 * // @ts-expect-error without <Protocol> the name is refused
 * void GenServer.named('greeter', rt);
 * expectTypeOf(GenServer.named<{ state: null }>('greeter', rt)).toEqualTypeOf<GenServer.ServerName<{ state: null }>>();
 * expectTypeOf<GenServer.ProtocolRequired>().not.toBeString();
 * ```
 */
export interface ProtocolRequired {
  readonly 'GenServer.named needs the protocol: GenServer.named<MyProtocol>(name, runtime)': never;
}

/**
 * A server to call or cast to: by pid, or by name.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime, type Pid } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Hello { state: null; call: { readonly type: 'hi' }; reply: { hi: string } }
 * const rt = new Runtime();
 * const byName: GenServer.ServerRef<Hello> = GenServer.named<Hello>('greeter', rt);
 * const byPid: GenServer.ServerRef<Hello> = rt.spawn(() => {}) as Pid;
 * const ask = (ref: GenServer.ServerRef<Hello>) => GenServer.call(ref, { type: 'hi' });
 * expectTypeOf(ask).returns.toEqualTypeOf<Promise<string>>();
 * expectTypeOf(byName).toMatchTypeOf<Parameters<typeof ask>[0]>();
 * expectTypeOf(byPid).toMatchTypeOf<Parameters<typeof ask>[0]>();
 * await rt.settle();
 * ```
 */
export type ServerRef<P extends Protocol> = ServerPid<P> | ServerName<P>;

/**
 * handleCall: one handler per call type, each answering with that call's reply type.
 *
 * @example
 * ```ts
 * import { GenServer, Next } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter { state: number; call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number }; reply: { get: number; add: number } }
 * const handlers: GenServer.CallHandlers<Counter> = {
 *   get: (_req, _from, n) => Next.reply(n, n),
 *   add: ({ by }, _from, n) => Next.reply(n + by, n + by),
 * };
 * // One handler can be tested on its own, without a server.
 * expect(handlers.add({ type: 'add', by: 2 }, {}, 40, undefined as never)).toMatchObject({ reply: 42, state: 42 });
 * ```
 */
export type CallHandlers<P extends Protocol> = {
  readonly [K in CallOf<P>['type']]: (
    request: Extract<CallOf<P>, { readonly type: K }>,
    from: From<ReplyOf<P, K>>,
    state: StateOf<P>,
    ctx: Context,
  ) => CallResult<ReplyOf<P, K>, StateOf<P>> | PromiseLike<CallResult<ReplyOf<P, K>, StateOf<P>>>;
};

/**
 * handleCast: one handler per cast type.
 *
 * @example
 * ```ts
 * import { GenServer, Next } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Log { state: readonly string[]; cast: { readonly type: 'write'; readonly line: string } }
 * const handlers: GenServer.CastHandlers<Log> = { write: ({ line }, lines) => Next.noreply([...lines, line]) };
 * expect(handlers.write({ type: 'write', line: 'hi' }, [], undefined as never)).toMatchObject({ next: 'noreply', state: ['hi'] });
 * ```
 */
export type CastHandlers<P extends Protocol> = {
  readonly [K in CastOf<P>['type']]: (
    msg: Extract<CastOf<P>, { readonly type: K }>,
    state: StateOf<P>,
    ctx: Context,
  ) => NoReplyResult<StateOf<P>> | PromiseLike<NoReplyResult<StateOf<P>>>;
};

/**
 * The callbacks every behaviour may have, whatever its protocol.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, type ExitReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const ended: ExitReason[] = [];
 * const base: GenServer.BaseBehaviour<{ state: string }> = {
 *   init: () => Next.ok('secret'),
 *   handleInfo: (msg, s) => (msg === 'quit' ? Next.stop('normal', s) : Next.noreply(s)),
 *   terminate: (reason) => { ended.push(reason); },
 *   formatStatus: () => '***',
 * };
 * const rt = new Runtime();
 * const started = await GenServer.start(base, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * rt.send(started.pid, 'quit');
 * await rt.settle();
 * expect(ended).toEqual(['normal']);
 * ```
 */
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
   * Runs before the server exits: after a stop result, a callback that threw or called
   * `ctx.exit(reason)` (with the state the callback was given, before or after an `await`),
   * `GenServer.stop`, or an exit signal from its parent when it traps exits. Not when it is
   * killed, nor when another process's exit signal ends a server that does not trap exits.
   * `ctx.exit(reason)` inside terminate is terminate's failure: reported, and the server exits
   * with `reason`.
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

/**
 * Where and how to start a server.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: GenServer.StartOptions = { runtime: rt, name: 'slow', timeout: 10 };
 * const result = await GenServer.start({ init: () => new Promise<never>(() => {}) }, undefined, options);
 * expect(result).toEqual({ type: 'error', reason: 'timeout' });
 * expect(rt.whereis('slow')).toBeUndefined();
 * ```
 */
export interface StartOptions {
  /** The runtime to start in; `start` defaults to {@link defaultRuntime}, `startLink` uses the parent's. */
  readonly runtime?: Runtime;
  /**
   * Register the server under this name before init runs: a registered name, or a via name
   * (`Registry.via(registry, key)`), which the server registers through its module from its own
   * process, as OTP's gen does. A name already held makes the start return `already_started`.
   */
  readonly name?: string | Via;
  /** How long init may take, in ms (default `'infinity'`); past it the server is killed and the start returns `'timeout'`. */
  readonly timeout?: number | 'infinity';
  /**
   * Options for the server's process, as Erlang's `spawn_opt`: a bound on its mailbox
   * (`{ maxMessages: 10_000 }`), see {@link SpawnOptions}. A server whose callers must not let it
   * fall behind without limit exits with `{ tag: 'exit', value: 'mailbox_overflow' }`, and its
   * supervisor restarts it with an empty mailbox.
   */
  readonly spawn?: SpawnOptions;
}

/**
 * Why a start failed: init's stop reason or crash, a taken name, or the init timeout.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result = await GenServer.start({ init: () => Next.stop('no_config') }, undefined, { runtime: rt });
 * const reason: GenServer.StartError | undefined = result.type === 'error' ? result.reason : undefined;
 * expect(reason).toEqual({ tag: 'exit', value: 'no_config' });
 * ```
 */
export type StartError = ExitReason | { readonly tag: 'already_started'; readonly pid: Pid } | 'timeout';

/**
 * The outcome of `start` / `startLink`, as Erlang's `{ok, Pid} | ignore | {error, Reason}`.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result: GenServer.StartResult<{ state: number }> = await GenServer.start({ init: () => Next.ok(1) }, undefined, { runtime: rt });
 * expect(result.type).toBe('ok');
 * if (result.type === 'ok') expect(rt.isAlive(result.pid)).toBe(true);
 * rt.killAll();
 * ```
 */
export type StartResult<P extends Protocol> =
  | { readonly type: 'ok'; readonly pid: ServerPid<P> }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: StartError };

/**
 * Counters of a live server, for tools and tests.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: null }>({ init: () => Next.ok(null) }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const stats: GenServer.ServerStatistics | undefined = GenServer.statistics(started.pid);
 * expect(stats).toEqual({ messagesHandled: 0, messageQueueLen: 0 });
 * rt.killAll();
 * ```
 */
export interface ServerStatistics {
  /** Messages the server has taken from its mailbox: calls, casts, infos and system requests. */
  readonly messagesHandled: number;
  /** Messages waiting in its mailbox. */
  readonly messageQueueLen: number;
}

/**
 * handleInfo receives this symbol when an idle timeout (`{ timeout: ms }`) ran out.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, TIMEOUT } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const seen: unknown[] = [];
 * const rt = new Runtime();
 * await GenServer.start<{ state: null }>(
 *   { init: () => Next.ok(null, { timeout: 0 }), handleInfo: (msg: unknown, s) => { seen.push(msg); return Next.noreply(s); } },
 *   undefined,
 *   { runtime: rt },
 * );
 * await rt.settle();
 * const idle: GenServer.IdleTimeout = TIMEOUT;
 * expect(seen).toEqual([idle]);
 * rt.killAll();
 * ```
 */
export type IdleTimeout = Timeout;
