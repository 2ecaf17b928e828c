/**
 * StateMachine: Erlang's gen_statem, typed, on GenServer's machinery.
 *
 * Imported as a namespace: `import { StateMachine } from 'ts-otp'`, then `StateMachine.start`,
 * `StateMachine.call`, `StateMachine.Behaviour<P>`, and the result and action builders
 * `StateMachine.Step` and `StateMachine.Action`.
 *
 * @module
 */
export { call, cast, named, reply, start, startLink, stop, type MachinePid } from './state_machine.js';
export { Action, Step } from './step.js';
export type {
  ActionOf,
  ArgOf,
  BaseBehaviour,
  Behaviour,
  CallEvent,
  CallOf,
  CastEvent,
  CastOf,
  DataOf,
  EnterEvent,
  Event,
  HandleEvent,
  Ignore,
  InfoEvent,
  InfoOf,
  InitResult,
  InternalEvent,
  InternalOf,
  NextEventAction,
  Ok,
  PostponeAction,
  Protocol,
  ReplyAction,
  ReplyOf,
  Result,
  StateFunctions,
  StateOf,
  Stop,
  TimeoutAction,
  TimeoutEvent,
  TimeoutOf,
  TimeoutTime,
  Transition,
} from './types.js';
export type { CallOptions, CallTimeout, From, ServerName, ServerRef, StartOptions, StartResult } from '../gen_server/index.js';
