/**
 * What StateMachine handlers return, built with `Step.*`, and the actions they carry, built with
 * `Action.*`: Erlang's `{next_state, S, D, Actions}`, `keep_state`, `repeat_state`, `stop`,
 * `stop_and_reply` and `{ok, S, D, Actions}`, and its `{reply, From, R}`, `postpone`,
 * `{next_event, T, C}`, `{timeout, T, C}`, `{state_timeout, T, C}` and `{{timeout, Name}, T, C}`.
 *
 * The builders check their arguments and throw an {@link InvalidArgumentError} at the call for a
 * bad one (a negative time, a name that is not a string). A result or an action built by hand that
 * is not one of these ends the machine, as in OTP (`bad_action_from_state_function`), with the
 * same error as its cause.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { From } from '../gen_server/index.js';
import type { NextEventAction, Ok, PostponeAction, ReplyAction, Stop, TimeoutAction, TimeoutTime, Transition, Ignore } from './types.js';

const NO_ACTIONS: readonly never[] = Object.freeze([]);

/** @internal true for a valid timeout time: as OTP's timers, any time >= 0 (they are kernel timers, not receive timeouts) */
export function isTimeoutTime(time: unknown): time is TimeoutTime {
  return time === 'infinity' || time === 'cancel' || time === 'update' || (typeof time === 'number' && time >= 0 && time <= Number.MAX_SAFE_INTEGER);
}

const TIME = "a number of milliseconds >= 0 (at most Number.MAX_SAFE_INTEGER), 'infinity', 'cancel' or 'update'";

function checkActions(operation: string, actions: unknown): void {
  if (actions !== undefined && !Array.isArray(actions)) throw new InvalidArgumentError(operation, 'actions', actions, 'an array of StateMachine.Action values');
}

function checkTime(operation: string, time: unknown): void {
  if (!isTimeoutTime(time)) throw new InvalidArgumentError(operation, 'time', time, TIME);
}

/**
 * The results of StateMachine handlers and init.
 *
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const { Step, Action } = StateMachine;
 * expect(Step.nextState('open', { tries: 0 }, [Action.stateTimeout(5000, 'lock')])).toEqual({
 *   next: 'next_state',
 *   state: 'open',
 *   data: { tries: 0 },
 *   actions: [{ action: 'state_timeout', time: 5000, content: 'lock' }],
 * });
 * expect(Step.keepStateAndData([Action.postpone()]).next).toBe('keep_state_and_data');
 * expect(() => Step.keepState(1, 'postpone' as never)).toThrow("argument 'actions' must be an array");
 * ```
 */
export const Step = {
  /** init: start in `state` with `data`, then run `actions`. */
  ok<const S, D, const A = never>(state: S, data: D, actions?: readonly A[]): Ok<S, D, A> {
    checkActions('StateMachine.Step.ok', actions);
    return { next: 'ok', state, data, actions: actions ?? NO_ACTIONS };
  },
  /** init: do not start; the start returns `{ type: 'ignore' }`. */
  ignore(): Ignore {
    return IGNORE;
  },
  /** Go to `state` (maybe the same one) with `data`. Postponed events are retried only when the state changes. */
  nextState<const S, D, const A = never>(state: S, data: D, actions?: readonly A[]): Transition<S, D, A> {
    checkActions('StateMachine.Step.nextState', actions);
    return { next: 'next_state', state, data, actions: actions ?? NO_ACTIONS };
  },
  /** Stay in the state, with new `data`. */
  keepState<D, const A = never>(data: D, actions?: readonly A[]): Transition<never, D, A> {
    checkActions('StateMachine.Step.keepState', actions);
    return { next: 'keep_state', data, actions: actions ?? NO_ACTIONS };
  },
  /** Stay in the state with the same data; only the actions run. */
  keepStateAndData<const A = never>(actions?: readonly A[]): Transition<never, never, A> {
    checkActions('StateMachine.Step.keepStateAndData', actions);
    return actions === undefined || actions.length === 0 ? KEEP_STATE_AND_DATA : { next: 'keep_state_and_data', actions };
  },
  /** Stay in the state with new `data`, but make the state enter call again. */
  repeatState<D, const A = never>(data: D, actions?: readonly A[]): Transition<never, D, A> {
    checkActions('StateMachine.Step.repeatState', actions);
    return { next: 'repeat_state', data, actions: actions ?? NO_ACTIONS };
  },
  /** Stay in the state with the same data, and make the state enter call again. */
  repeatStateAndData<const A = never>(actions?: readonly A[]): Transition<never, never, A> {
    checkActions('StateMachine.Step.repeatStateAndData', actions);
    return { next: 'repeat_state_and_data', actions: actions ?? NO_ACTIONS };
  },
  /** Stop with `reason` ('normal' by default), replacing the data when `data` is given; terminate runs first. */
  stop<D = never>(reason: unknown = 'normal', ...data: [] | [D]): Stop<D> {
    return data.length === 0 ? { next: 'stop', reason, replies: NO_ACTIONS } : { next: 'stop', reason, data: data[0] as D, replies: NO_ACTIONS };
  },
  /** Send `replies`, then run terminate and stop with `reason` (Erlang's `stop_and_reply`). */
  stopAndReply<D = never>(reason: unknown, replies: readonly ReplyAction[], ...data: [] | [D]): Stop<D> {
    if (!Array.isArray(replies)) throw new InvalidArgumentError('StateMachine.Step.stopAndReply', 'replies', replies, 'an array of StateMachine.Action.reply(from, value)');
    return data.length === 0 ? { next: 'stop', reason, replies } : { next: 'stop', reason, data: data[0] as D, replies };
  },
} as const;

const IGNORE: Ignore = Object.freeze({ next: 'ignore' });
const KEEP_STATE_AND_DATA: Transition<never, never, never> = Object.freeze({ next: 'keep_state_and_data', actions: NO_ACTIONS });
const POSTPONE: PostponeAction = Object.freeze({ action: 'postpone' });

/**
 * The actions a StateMachine result carries; they run in order.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const { Action } = StateMachine;
 * expect(Action.postpone()).toEqual({ action: 'postpone' });
 * expect(Action.nextEvent('internal', 'check')).toEqual({ action: 'next_event', type: 'internal', content: 'check' });
 * expect(Action.eventTimeout(0, 'idle')).toEqual({ action: 'timeout', time: 0, content: 'idle' });
 * expect(Action.stateTimeout('cancel')).toEqual({ action: 'state_timeout', time: 'cancel', content: undefined });
 * expect(() => Action.stateTimeout(-1)).toThrow(InvalidArgumentError);
 * ```
 */
export const Action = {
  /** Answer the call `from` with `value` (Erlang's `{reply, From, Reply}`). */
  reply<R>(from: From<R>, value: NoInfer<R>): ReplyAction {
    if (typeof from !== 'object' || from === null) throw new InvalidArgumentError('StateMachine.Action.reply', 'from', from, 'the from of a call event');
    return { action: 'reply', from: from as From<never>, reply: value };
  },
  /** Keep the current event until the state changes (not in a state enter call). */
  postpone(): PostponeAction {
    return POSTPONE;
  },
  /** Handle an event of `type` with `content` next, before any message (not in a state enter call). */
  nextEvent<const T extends 'internal' | 'cast' | 'info', const C>(type: T, content: C): NextEventAction<T, C> {
    if (type !== 'internal' && type !== 'cast' && type !== 'info') throw new InvalidArgumentError('StateMachine.Action.nextEvent', 'type', type, "'internal', 'cast' or 'info'");
    return { action: 'next_event', type, content };
  },
  /** The event timeout: a `timeout` event after `time` ms unless an event comes first. */
  eventTimeout<const C = undefined>(time: TimeoutTime, content?: C): TimeoutAction<C> {
    checkTime('StateMachine.Action.eventTimeout', time);
    return { action: 'timeout', time, content: content as C };
  },
  /** The state timeout: a `state_timeout` event after `time` ms unless the state changes first. */
  stateTimeout<const C = undefined>(time: TimeoutTime, content?: C): TimeoutAction<C> {
    checkTime('StateMachine.Action.stateTimeout', time);
    return { action: 'state_timeout', time, content: content as C };
  },
  /** The generic timeout `name`: a `generic_timeout` event after `time` ms; setting it again restarts it. */
  genericTimeout<const C = undefined>(name: string, time: TimeoutTime, content?: C): TimeoutAction<C> {
    if (typeof name !== 'string') throw new InvalidArgumentError('StateMachine.Action.genericTimeout', 'name', name, 'a string');
    checkTime('StateMachine.Action.genericTimeout', time);
    return { action: 'generic_timeout', name, time, content: content as C };
  },
} as const;
