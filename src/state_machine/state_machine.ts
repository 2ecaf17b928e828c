/**
 * StateMachine: Erlang's gen_statem, a process whose behaviour depends on its state.
 *
 * A machine is a GenServer underneath: `start`, `startLink`, `call`, `cast`, `stop`, `reply` and
 * names behave exactly as GenServer's do (acknowledged start, calls with a monitor and a timeout,
 * `'noproc'`, pids of other nodes, terminate), and `GenServer.call` works on a machine too. What
 * it adds is gen_statem's: a state beside the data, a handler per state or one for every event,
 * state enter calls, postponed events retried after a change of state, inserted events handled
 * before the mailbox, and three kinds of timeouts (event, state, generic) with OTP's rules for
 * cancelling and restarting them.
 *
 * A handler that throws ends the machine: terminate runs with `{ tag: 'error', cause }` and the
 * state and data it had before the event; a result or an action that is not one ends it with an
 * {@link InvalidArgumentError} as the cause (OTP's `bad_action_from_state_function` and kin).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Context, Pid } from '../process/index.js';
import { deliverTo, hasExited, processData } from '../process/hooks.js';
import { Server } from '../gen_server/internal/server.js';
import { call as gsCall, cast as gsCast, named as gsNamed, reply as gsReply, startServer, stop as gsStop, type CallTimeout } from '../gen_server/gen_server.js';
import type { CallOptions, From, ServerName, ServerPid, ServerRef, StartOptions, StartResult } from '../gen_server/index.js';
import { CastEvent, IS_MACHINE, serverBehaviour, type AnyBehaviour } from './internal/machine.js';
import type { ArgOf, Behaviour, CallOf, CastOf, Protocol, ReplyOf } from './types.js';

function checkBehaviour(operation: string, behaviour: unknown): AnyBehaviour {
  if (typeof behaviour !== 'object' || behaviour === null || typeof (behaviour as { init?: unknown }).init !== 'function') {
    throw new InvalidArgumentError(operation, 'behaviour', behaviour, 'an object with an init function');
  }
  const b = behaviour as Record<string, unknown>;
  const hasEvent = b['handleEvent'] !== undefined;
  const hasStates = b['states'] !== undefined;
  if (hasEvent === hasStates) {
    throw new InvalidArgumentError(operation, 'behaviour', behaviour, 'an object with either handleEvent (one function) or states (a handler per state), not both');
  }
  if (hasEvent && typeof b['handleEvent'] !== 'function') throw new InvalidArgumentError(operation, 'behaviour.handleEvent', b['handleEvent'], 'a function');
  if (hasStates) {
    const states = b['states'];
    if (typeof states !== 'object' || states === null) throw new InvalidArgumentError(operation, 'behaviour.states', states, 'an object of handlers by state');
    for (const [state, handler] of Object.entries(states)) {
      if (typeof handler !== 'function') throw new InvalidArgumentError(operation, `behaviour.states.${state}`, handler, 'a function');
    }
  }
  if (b['stateEnter'] !== undefined && typeof b['stateEnter'] !== 'boolean') throw new InvalidArgumentError(operation, 'behaviour.stateEnter', b['stateEnter'], 'a boolean');
  return behaviour as AnyBehaviour;
}

/**
 * A running machine of protocol `P`, by pid: what `start` returns.
 *
 * @example
 * ```ts
 * import type { Pid, StateMachine } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<StateMachine.MachinePid<{ state: 'on' }>>().toMatchTypeOf<Pid>();
 * ```
 */
export type MachinePid<P extends Protocol> = ServerPid<P>;

/**
 * Starts a machine, not linked to anyone, and waits for its init; the first state enter call and
 * the events init inserted are handled after the start has returned, as in OTP.
 *
 * @throws {@link InvalidArgumentError} for a behaviour without init, or with neither or both of
 * handleEvent and states; for a bad name or timeout.
 * @see {@link startLink}
 * @example
 * ```ts
 * import { Runtime, StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const { Step } = StateMachine;
 * const idle: StateMachine.Behaviour<{ state: 'idle' }> = { init: () => Step.ok('idle', undefined), handleEvent: () => Step.keepStateAndData() };
 * expect((await StateMachine.start(idle, undefined, { runtime: rt, name: 'm' })).type).toBe('ok');
 * expect(await StateMachine.start(idle, undefined, { runtime: rt, name: 'm' })).toMatchObject({ type: 'error', reason: { tag: 'already_started' } });
 * expect(await StateMachine.start({ init: () => Step.ignore(), handleEvent: () => Step.keepStateAndData() }, undefined, { runtime: rt })).toEqual({ type: 'ignore' });
 * rt.killAll();
 * ```
 */
export function start<P extends Protocol>(behaviour: Behaviour<P>, arg: ArgOf<P>, options?: StartOptions): Promise<StartResult<P>> {
  const b = checkBehaviour('StateMachine.start', behaviour);
  return startServer('StateMachine.start', undefined, serverBehaviour(b) as never, arg as never, options) as Promise<StartResult<P>>;
}

/**
 * Starts a machine linked to the calling process `parent` and waits for its init, as
 * `GenServer.startLink`: an exit signal from the parent stops it (running terminate when it traps
 * exits); an init that stops or throws sends the parent the exit signal.
 *
 * @throws {@link InvalidArgumentError} for a bad context, behaviour, name or timeout.
 * @example
 * ```ts
 * import { Runtime, StateMachine, type ExitMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const seen = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const result = await StateMachine.startLink(ctx, { init: () => StateMachine.Step.stop('no_config'), handleEvent: () => StateMachine.Step.keepStateAndData() }, undefined);
 *   return { result, exit: ((await ctx.receive()) as ExitMessage).reason };
 * });
 * expect(seen).toEqual({ result: { type: 'error', reason: { tag: 'exit', value: 'no_config' } }, exit: { tag: 'exit', value: 'no_config' } });
 * ```
 */
export function startLink<P extends Protocol>(parent: Context, behaviour: Behaviour<P>, arg: ArgOf<P>, options?: Omit<StartOptions, 'runtime'>): Promise<StartResult<P>> {
  if (typeof parent !== 'object' || parent === null || typeof (parent as Context).spawnLink !== 'function') {
    throw new InvalidArgumentError('StateMachine.startLink', 'parent', parent, "the calling process's context");
  }
  const b = checkBehaviour('StateMachine.startLink', behaviour);
  return startServer('StateMachine.startLink', parent, serverBehaviour(b) as never, arg as never, options) as Promise<StartResult<P>>;
}

/**
 * Sends `request` as a call event and waits for the reply, whose type follows from the request's
 * `type`: `GenServer.call`, with its timeout (5000 ms by default) and its errors. A call that
 * times out leaves the machine untouched; a reply that comes later is dropped.
 *
 * @throws {@link InvalidArgumentError} for a bad reference, timeout or caller.
 * @example
 * ```ts
 * import { CallError, StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Slow { state: 'busy'; call: { readonly type: 'ask' }; reply: { ask: string } }
 * const { Step, Action } = StateMachine;
 * const slow: StateMachine.Behaviour<Slow> = { init: () => Step.ok('busy', undefined), handleEvent: () => Step.keepStateAndData([Action.postpone()]) };
 * const started = await StateMachine.start(slow, undefined);
 * if (started.type !== 'ok') throw new Error('no start');
 * const late = await StateMachine.call(started.pid, { type: 'ask' }, 10).catch((e: CallError) => e.reason);
 * expect(late).toBe('timeout');
 * await StateMachine.stop(started.pid);
 * ```
 */
export function call<P extends Protocol, const C extends CallOf<P>>(server: ServerRef<P>, request: C, options?: CallTimeout | CallOptions): Promise<ReplyOf<P, C['type']>> {
  return gsCall(server as ServerRef<never>, request as never, options) as Promise<ReplyOf<P, C['type']>>;
}

/**
 * Sends `msg` as a cast event and returns at once; never fails, as in Erlang.
 *
 * @throws {@link InvalidArgumentError} for a value that is not a machine reference.
 * @example
 * ```ts
 * import { Runtime, StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Lamp { state: 'on' | 'off'; cast: { readonly type: 'flip' } }
 * const rt = new Runtime();
 * expect(StateMachine.cast(StateMachine.named<Lamp>('nobody', rt), { type: 'flip' })).toBeUndefined();
 * ```
 */
export function cast<P extends Protocol>(server: ServerRef<P>, msg: CastOf<P>): void {
  // A machine of this thread gets the event itself (see CastEvent); anything else, GenServer's cast.
  if (server !== lastPid || lastMachine === undefined || hasExited(lastMachine.ctx)) {
    const found = typeof server === 'string' ? processData(server as Pid) : undefined;
    if (!(found instanceof Server) || (found.behaviour as { [IS_MACHINE]?: boolean })[IS_MACHINE] !== true || found.exited) {
      gsCast(server as ServerRef<never>, msg as never);
      return;
    }
    lastPid = server;
    lastMachine = found;
  }
  deliverTo(lastMachine.ctx, new CastEvent(msg));
}

// The machine cast to last, by pid: a loop of casts to one machine skips the lookup. Pids are
// never reused, and an exited machine is not used.
let lastPid: unknown = undefined;
let lastMachine: Server | undefined = undefined;

/**
 * Stops a machine: terminate runs with `reason` ('normal' by default) and the state and data it
 * has, then it exits; resolves once it has. As `GenServer.stop`, rejects with `'noproc'` when it
 * is not there.
 *
 * @throws {@link InvalidArgumentError} for a bad reference or timeout.
 * @example
 * ```ts
 * import { StateMachine, type ExitReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const ended: unknown[] = [];
 * const m: StateMachine.Behaviour<{ state: 'idle'; data: number }> = {
 *   init: () => StateMachine.Step.ok('idle', 7),
 *   handleEvent: () => StateMachine.Step.keepStateAndData(),
 *   terminate: (reason: ExitReason, state, data) => { ended.push([reason, state, data]); },
 * };
 * const started = await StateMachine.start(m, undefined);
 * if (started.type !== 'ok') throw new Error('no start');
 * await StateMachine.stop(started.pid, 'shutdown');
 * expect(ended).toEqual([['shutdown', 'idle', 7]]);
 * ```
 */
export function stop<P extends Protocol>(server: ServerRef<P>, reason: unknown = 'normal', timeout: CallTimeout = 'infinity'): Promise<void> {
  return gsStop(server as ServerRef<never>, reason, timeout);
}

/**
 * Answers a call now, from a handler or from anywhere (Erlang's `gen_statem:reply/2`); the same as
 * returning `Action.reply(from, value)`. Only the first answer counts.
 *
 * @throws {@link InvalidArgumentError} for a `from` that is not a call's.
 * @example
 * ```ts
 * import { StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Later { state: 'waiting' | 'done'; call: { readonly type: 'wait' }; reply: { wait: number } }
 * const m: StateMachine.Behaviour<Later> = {
 *   init: () => StateMachine.Step.ok('waiting', undefined),
 *   handleEvent: (e) => {
 *     if (e.type === 'call') StateMachine.reply(e.from, 42);
 *     return StateMachine.Step.nextState('done', undefined);
 *   },
 * };
 * const started = await StateMachine.start(m, undefined);
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await StateMachine.call(started.pid, { type: 'wait' })).toBe(42);
 * await StateMachine.stop(started.pid);
 * ```
 */
export function reply<R>(from: From<R>, value: R): void {
  gsReply(from, value);
}

/**
 * A reference to the machine registered as `name` in `runtime`, typed with protocol `P`, as
 * `GenServer.named`.
 *
 * @throws {@link InvalidArgumentError} for a name that cannot be registered or a runtime that is not one.
 * @example
 * ```ts
 * import { Runtime, StateMachine } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * expect(StateMachine.named<{ state: 'on' }>('lamp', rt)).toEqual({ name: 'lamp', runtime: rt });
 * ```
 */
export function named<P extends Protocol = never>(name: [P] extends [never] ? never : string, runtime: Context['runtime'] | undefined): ServerName<P> {
  return gsNamed<P>(name as never, runtime);
}
