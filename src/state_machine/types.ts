/**
 * The typed protocol of a StateMachine, its events, the results and actions its handlers return,
 * and the behaviour object that implements it.
 *
 * A protocol names everything about a machine in one place, as a GenServer's does: its start
 * argument, its states, its data, its calls (a union on `type`) with the reply type of each, its
 * casts, the plain messages it expects, the contents of its internal events and of its timeouts.
 * A handler then receives {@link Event}s narrowed by `event.type` (and `event.content.type`), and
 * its result is checked against the protocol: an unknown state, a reply of the wrong type or an
 * event the protocol does not have does not compile.
 *
 * @module
 */
import type { Context, ExitReason } from '../process/index.js';
import type { From } from '../gen_server/index.js';

/**
 * The shape every state machine protocol has. Only `state` is required.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Door extends StateMachine.Protocol {
 *   state: 'locked' | 'open';
 *   data: { readonly code: string };
 *   call: { readonly type: 'press'; readonly code: string };
 *   reply: { press: 'open' | 'wrong' };
 *   timeout: 'lock';
 * }
 * expectTypeOf<StateMachine.StateOf<Door>>().toEqualTypeOf<'locked' | 'open'>();
 * ```
 */
export interface Protocol {
  /** What `start` passes to `init`. */
  arg?: unknown;
  /** The machine's states: string literals for state functions, any value for handleEvent. */
  state: unknown;
  /** The data kept beside the state (Erlang's `Data`). */
  data?: unknown;
  /** The calls, a union discriminated on `type`. */
  call?: { readonly type: string };
  /** The reply type of each call, by its `type`. */
  reply?: object;
  /** The casts, a union discriminated on `type`. */
  cast?: { readonly type: string };
  /** Plain messages the machine receives as `info` events; `unknown` when not given. */
  info?: unknown;
  /** The contents of the `internal` events it inserts with `Action.nextEvent('internal', ...)`. */
  internal?: unknown;
  /** The contents of its event, state and generic timeouts. */
  timeout?: unknown;
}

/**
 * The start argument of `P`; `undefined` when it has none.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.ArgOf<{ state: 'a'; arg: number }>>().toEqualTypeOf<number>();
 * expectTypeOf<StateMachine.ArgOf<{ state: 'a' }>>().toEqualTypeOf<undefined>();
 * ```
 */
export type ArgOf<P extends Protocol> = P extends { arg: infer A } ? A : undefined;
/**
 * The states of `P`.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.StateOf<{ state: 'on' | 'off' }>>().toEqualTypeOf<'on' | 'off'>();
 * ```
 */
export type StateOf<P extends Protocol> = P['state'];
/**
 * The data of `P`; `undefined` when it has none.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.DataOf<{ state: 'on'; data: number }>>().toEqualTypeOf<number>();
 * expectTypeOf<StateMachine.DataOf<{ state: 'on' }>>().toEqualTypeOf<undefined>();
 * ```
 */
export type DataOf<P extends Protocol> = P extends { data: infer D } ? D : undefined;
/**
 * The calls of `P`.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; call: { readonly type: 'ask' }; reply: { ask: boolean } }
 * expectTypeOf<StateMachine.CallOf<Lamp>>().toEqualTypeOf<{ readonly type: 'ask' }>();
 * expectTypeOf<StateMachine.CallOf<{ state: 'on' }>>().toBeNever();
 * ```
 */
export type CallOf<P extends Protocol> = P extends { call: infer C extends { readonly type: string } } ? C : never;
/**
 * The reply to the call of type `K`.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; call: { readonly type: 'ask' }; reply: { ask: boolean } }
 * expectTypeOf<StateMachine.ReplyOf<Lamp, 'ask'>>().toEqualTypeOf<boolean>();
 * ```
 */
export type ReplyOf<P extends Protocol, K> = P extends { reply: infer R } ? (K extends keyof R ? R[K] : never) : never;
/**
 * The casts of `P`.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.CastOf<{ state: 'on'; cast: { readonly type: 'flip' } }>>().toEqualTypeOf<{ readonly type: 'flip' }>();
 * ```
 */
export type CastOf<P extends Protocol> = P extends { cast: infer C extends { readonly type: string } } ? C : never;
/**
 * The plain messages of `P`: `unknown` unless the protocol names them.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.InfoOf<{ state: 'on'; info: 'tick' }>>().toEqualTypeOf<'tick'>();
 * expectTypeOf<StateMachine.InfoOf<{ state: 'on' }>>().toBeUnknown();
 * ```
 */
export type InfoOf<P extends Protocol> = P extends { info: infer I } ? I : unknown;
/**
 * The contents of the internal events of `P`; `never` when it has none.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.InternalOf<{ state: 'on'; internal: 'again' }>>().toEqualTypeOf<'again'>();
 * ```
 */
export type InternalOf<P extends Protocol> = P extends { internal: infer I } ? I : never;
/**
 * The contents of the timeouts of `P`; `undefined` when it names none.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.TimeoutOf<{ state: 'on'; timeout: 'lock' }>>().toEqualTypeOf<'lock'>();
 * expectTypeOf<StateMachine.TimeoutOf<{ state: 'on' }>>().toEqualTypeOf<undefined>();
 * ```
 */
export type TimeoutOf<P extends Protocol> = P extends { timeout: infer T } ? T : undefined;

// ---- events ---------------------------------------------------------------------------------

/**
 * A call, Erlang's `{call, From}` event: answer it with `Action.reply(event.from, value)` or
 * `StateMachine.reply(event.from, value)`, now or later. `call` repeats the request's `type`, so
 * that narrowing on it narrows both the request (`content`) and `from`, typed with the reply of
 * that request (TypeScript does not narrow an object on a field of a field).
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on'; call: { readonly type: 'ask' } | { readonly type: 'watts' }; reply: { ask: boolean; watts: number } }
 * const watts = (e: StateMachine.CallEvent<Lamp>) => (e.call === 'watts' ? e.from : undefined);
 * expectTypeOf(watts).returns.toEqualTypeOf<StateMachine.From<number> | undefined>();
 * ```
 */
export type CallEvent<P extends Protocol> = {
  readonly [K in CallOf<P>['type']]: {
    readonly type: 'call';
    /** The request's `type`. */
    readonly call: K;
    readonly from: From<ReplyOf<P, K>>;
    readonly content: Extract<CallOf<P>, { readonly type: K }>;
  };
}[CallOf<P>['type']];

/**
 * A cast, Erlang's `cast` event.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.CastEvent<{ state: 'on'; cast: { readonly type: 'flip' } }>['content']>().toEqualTypeOf<{ readonly type: 'flip' }>();
 * ```
 */
export interface CastEvent<P extends Protocol> {
  readonly type: 'cast';
  readonly content: CastOf<P>;
}

/**
 * A plain message, Erlang's `info` event: sends, DOWNs, EXITs from other processes when trapping.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.InfoEvent<{ state: 'on'; info: 'tick' }>['content']>().toEqualTypeOf<'tick'>();
 * ```
 */
export interface InfoEvent<P extends Protocol> {
  readonly type: 'info';
  readonly content: InfoOf<P>;
}

/**
 * An event the machine inserted itself with `Action.nextEvent('internal', content)`.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.InternalEvent<{ state: 'on'; internal: 'again' }>['content']>().toEqualTypeOf<'again'>();
 * ```
 */
export interface InternalEvent<P extends Protocol> {
  readonly type: 'internal';
  readonly content: InternalOf<P>;
}

/**
 * A timeout that ran out: `'timeout'` (the event timeout), `'state_timeout'`, or
 * `'generic_timeout'` with the timer's `name` (Erlang's `{timeout, Name}`).
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * type T = StateMachine.TimeoutEvent<{ state: 'on'; timeout: 'lock' }>;
 * expectTypeOf<T['type']>().toEqualTypeOf<'timeout' | 'state_timeout' | 'generic_timeout'>();
 * expectTypeOf<T['content']>().toEqualTypeOf<'lock'>();
 * ```
 */
export type TimeoutEvent<P extends Protocol> =
  | { readonly type: 'timeout'; readonly content: TimeoutOf<P> }
  | { readonly type: 'state_timeout'; readonly content: TimeoutOf<P> }
  | { readonly type: 'generic_timeout'; readonly name: string; readonly content: TimeoutOf<P> };

/**
 * The state enter call (with `stateEnter: true`): made after every change of state, after init,
 * and on `repeatState`, with the state left (the same state after init and on a repeat). Not an
 * event: it cancels no event timeout, and its result may neither change the state nor postpone or
 * insert events.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.EnterEvent<{ state: 'on' | 'off' }>['oldState']>().toEqualTypeOf<'on' | 'off'>();
 * ```
 */
export interface EnterEvent<P extends Protocol> {
  readonly type: 'enter';
  readonly oldState: StateOf<P>;
}

/**
 * Every event a handler of `P` can receive, discriminated on `type`; events of a kind the
 * protocol does not have are left out.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; cast: { readonly type: 'flip' } }
 * expectTypeOf<StateMachine.Event<Lamp>['type']>().toEqualTypeOf<'cast' | 'info' | 'timeout' | 'state_timeout' | 'generic_timeout' | 'enter'>();
 * ```
 */
export type Event<P extends Protocol> =
  | CallEvent<P>
  | ([CastOf<P>] extends [never] ? never : CastEvent<P>)
  | InfoEvent<P>
  | ([InternalOf<P>] extends [never] ? never : InternalEvent<P>)
  | TimeoutEvent<P>
  | EnterEvent<P>;

// ---- actions --------------------------------------------------------------------------------

/**
 * When a timeout runs out: milliseconds; `'infinity'` or `'cancel'` to cancel it; `'update'` to
 * change the content of a running one (or, when none runs, to fire at once, as a timeout of 0).
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const never: StateMachine.TimeoutTime = 'infinity';
 * expect(StateMachine.Action.stateTimeout(never)).toEqual({ action: 'state_timeout', time: 'infinity', content: undefined });
 * ```
 */
export type TimeoutTime = number | 'infinity' | 'cancel' | 'update';

/**
 * `{reply, From, Reply}`: answers a call when the actions run.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.ReplyAction['action']>().toEqualTypeOf<'reply'>();
 * ```
 */
export interface ReplyAction {
  readonly action: 'reply';
  readonly from: From<never>;
  readonly reply: unknown;
}

/**
 * `postpone`: keeps the current event until the state changes; it is then retried, in order,
 * before any event not yet received.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.PostponeAction>().toEqualTypeOf<{ readonly action: 'postpone' }>();
 * ```
 */
export interface PostponeAction {
  readonly action: 'postpone';
}

/**
 * `{next_event, Type, Content}`: an event handled next, before any message in the mailbox; several
 * are handled in the order of the actions.
 *
 * @example
 * ```ts
 * import type { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.NextEventAction<'internal', 'go'>['content']>().toEqualTypeOf<'go'>();
 * ```
 */
export interface NextEventAction<T extends 'internal' | 'cast' | 'info' = 'internal' | 'cast' | 'info', C = unknown> {
  readonly action: 'next_event';
  readonly type: T;
  readonly content: C;
}

/**
 * Sets, updates or cancels a timeout: the event timeout (`'timeout'`, cancelled by any event),
 * the state timeout (`'state_timeout'`, cancelled by a change of state) or a generic timeout by
 * name (`'generic_timeout'`, cancelled only by setting it again to `'infinity'` or `'cancel'`).
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const a: StateMachine.TimeoutAction<'tick'> = StateMachine.Action.genericTimeout('beat', 1000, 'tick');
 * expect(a).toEqual({ action: 'generic_timeout', name: 'beat', time: 1000, content: 'tick' });
 * ```
 */
export type TimeoutAction<C = unknown> =
  | { readonly action: 'timeout'; readonly time: TimeoutTime; readonly content: C }
  | { readonly action: 'state_timeout'; readonly time: TimeoutTime; readonly content: C }
  | { readonly action: 'generic_timeout'; readonly name: string; readonly time: TimeoutTime; readonly content: C };

/**
 * The actions a handler of `P` may return: replies, postpone, inserted events of its protocol,
 * and timeouts with its timeout content.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Door { state: 'locked'; internal: 'check'; timeout: 'lock' }
 * expectTypeOf(StateMachine.Action.nextEvent('internal', 'check')).toMatchTypeOf<StateMachine.ActionOf<Door>>();
 * expectTypeOf(StateMachine.Action.nextEvent('internal', 'other')).not.toMatchTypeOf<StateMachine.ActionOf<Door>>();
 * ```
 */
export type ActionOf<P extends Protocol> =
  | ReplyAction
  | PostponeAction
  | NextEventAction<'internal', InternalOf<P>>
  | NextEventAction<'cast', CastOf<P>>
  | NextEventAction<'info', InfoOf<P>>
  | TimeoutAction<TimeoutOf<P> | undefined>;

// ---- results --------------------------------------------------------------------------------

/**
 * `{ok, State, Data, Actions}` from init.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const ok: StateMachine.Ok<'idle', number> = StateMachine.Step.ok('idle', 0);
 * expect(ok).toEqual({ next: 'ok', state: 'idle', data: 0, actions: [] });
 * ```
 */
export interface Ok<S, D, A = never> {
  readonly next: 'ok';
  readonly state: S;
  readonly data: D;
  readonly actions: readonly A[];
}

/**
 * `ignore` from init: the start returns `{ type: 'ignore' }` and the process exits normally.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const ignore: StateMachine.Ignore = StateMachine.Step.ignore();
 * expect(ignore).toEqual({ next: 'ignore' });
 * ```
 */
export interface Ignore {
  readonly next: 'ignore';
}

/**
 * A handler's result that goes on: `'next_state'` (to `state`, maybe the same), `'keep_state'`
 * (new data), `'keep_state_and_data'`, `'repeat_state'` (new data) or `'repeat_state_and_data'`;
 * the repeats make the state enter call again. `state` and `data` are set only where the kind
 * says so.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const t: StateMachine.Transition<'open', number> = StateMachine.Step.nextState('open', 1);
 * expect(t).toEqual({ next: 'next_state', state: 'open', data: 1, actions: [] });
 * ```
 */
export interface Transition<S, D, A = never> {
  readonly next: 'next_state' | 'keep_state' | 'keep_state_and_data' | 'repeat_state' | 'repeat_state_and_data';
  readonly state?: S;
  readonly data?: D;
  readonly actions: readonly A[];
}

/**
 * `stop` or `stop_and_reply`: terminate runs with `reason` (normalised as exit reasons are), after
 * the replies were sent, then the machine exits. `data`, when set, replaces the data first.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const s: StateMachine.Stop<number> = StateMachine.Step.stop('normal', 3);
 * expect(s).toEqual({ next: 'stop', reason: 'normal', data: 3, replies: [] });
 * ```
 */
export interface Stop<D> {
  readonly next: 'stop';
  readonly reason: unknown;
  readonly data?: D;
  readonly replies: readonly ReplyAction[];
}

/**
 * What init may return for `P`.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; data: number }
 * expectTypeOf(StateMachine.Step.ok('on', 1)).toMatchTypeOf<StateMachine.InitResult<Lamp>>();
 * expectTypeOf(StateMachine.Step.ok('dim', 1)).not.toMatchTypeOf<StateMachine.InitResult<Lamp>>();
 * ```
 */
export type InitResult<P extends Protocol> = Ok<StateOf<P>, DataOf<P>, ActionOf<P>> | Ignore | Stop<never>;

/**
 * What an event handler of `P` may return.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; data: number }
 * expectTypeOf(StateMachine.Step.nextState('off', 0)).toMatchTypeOf<StateMachine.Result<Lamp>>();
 * expectTypeOf(StateMachine.Step.nextState('dim', 0)).not.toMatchTypeOf<StateMachine.Result<Lamp>>();
 * expectTypeOf(StateMachine.Step.keepState('zero')).not.toMatchTypeOf<StateMachine.Result<Lamp>>();
 * ```
 */
export type Result<P extends Protocol> = Transition<StateOf<P>, DataOf<P>, ActionOf<P>> | Stop<DataOf<P>>;

// ---- the behaviour --------------------------------------------------------------------------

/**
 * One function for every event in every state (Erlang's `handle_event_function` mode).
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; cast: { readonly type: 'flip' } }
 * const handle: StateMachine.HandleEvent<Lamp> = (event, state) =>
 *   event.type === 'cast' ? StateMachine.Step.nextState(state === 'on' ? 'off' : 'on', undefined) : StateMachine.Step.keepStateAndData();
 * expect(handle({ type: 'cast', content: { type: 'flip' } }, 'on', undefined, undefined as never)).toMatchObject({ state: 'off' });
 * ```
 */
export type HandleEvent<P extends Protocol> = (
  event: Event<P>,
  state: StateOf<P>,
  data: DataOf<P>,
  ctx: Context,
) => Result<P> | PromiseLike<Result<P>>;

/**
 * One handler per state (Erlang's `state_functions` mode), for string states: every state must
 * have one, and no other key is allowed.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; cast: { readonly type: 'flip' } }
 * const states: StateMachine.StateFunctions<Lamp> = {
 *   on: () => StateMachine.Step.nextState('off', undefined),
 *   off: () => StateMachine.Step.nextState('on', undefined),
 * };
 * expect(states.on({ type: 'cast', content: { type: 'flip' } }, undefined, undefined as never)).toMatchObject({ state: 'off' });
 * ```
 */
export type StateFunctions<P extends Protocol> = [StateOf<P>] extends [string]
  ? { readonly [S in StateOf<P> & string]: (event: Event<P>, data: DataOf<P>, ctx: Context) => Result<P> | PromiseLike<Result<P>> }
  : never;

/**
 * The callbacks every state machine has, whichever its callback mode.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<keyof StateMachine.BaseBehaviour<{ state: 'on' }>>().toEqualTypeOf<'init' | 'stateEnter' | 'terminate' | 'formatStatus'>();
 * ```
 */
export interface BaseBehaviour<P extends Protocol> {
  /** Runs in the new process before `start` returns: the first state, the data and actions. */
  init(arg: ArgOf<P>, ctx: Context): InitResult<P> | PromiseLike<InitResult<P>>;
  /** Makes the state enter calls (Erlang's `state_enter` callback mode): see {@link EnterEvent}. */
  readonly stateEnter?: boolean;
  /**
   * Runs before the machine exits: after a stop result, a handler that threw, `StateMachine.stop`,
   * or an exit signal from its parent when it traps exits; with the reason, the state and the
   * data the machine had then. Not when it is killed.
   */
  terminate?(reason: ExitReason, state: StateOf<P>, data: DataOf<P>, ctx: Context): void | PromiseLike<void>;
  /** The state and data as crash reports show them. */
  formatStatus?(state: StateOf<P>, data: DataOf<P>): unknown;
}

/**
 * A StateMachine implementation: init, then either `handleEvent` (one function) or `states` (a
 * handler per state), checked against protocol `P`.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Switch { state: 'on' | 'off'; call: { readonly type: 'flip' }; reply: { flip: 'on' | 'off' } }
 * const { Step, Action } = StateMachine;
 * const light: StateMachine.Behaviour<Switch> = {
 *   init: () => Step.ok('off', undefined),
 *   states: {
 *     off: (e) => (e.type === 'call' ? Step.nextState('on', undefined, [Action.reply(e.from, 'on')]) : Step.keepStateAndData()),
 *     on: (e) => (e.type === 'call' ? Step.nextState('off', undefined, [Action.reply(e.from, 'off')]) : Step.keepStateAndData()),
 *   },
 * };
 * const started = await StateMachine.start(light, undefined);
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await StateMachine.call(started.pid, { type: 'flip' })).toBe('on');
 * expect(await StateMachine.call(started.pid, { type: 'flip' })).toBe('off');
 * await StateMachine.stop(started.pid);
 * ```
 */
export type Behaviour<P extends Protocol> = BaseBehaviour<P> &
  ({ readonly handleEvent: HandleEvent<P>; readonly states?: never } | { readonly states: StateFunctions<P>; readonly handleEvent?: never });
