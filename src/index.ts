/**
 * ts-otp: Erlang/OTP's process model and supervision trees for Node.js.
 *
 * @module ts-otp
 */
export * from './process/index.js';
export * as GenServer from './gen_server/index.js';
export { Next } from './gen_server/next.js';
export * as Supervisor from './supervisor/index.js';
export * as DynamicSupervisor from './supervisor/dynamic_index.js';
export * as Application from './application/index.js';
export * as Node from './node/index.js';
export * as Task from './task/index.js';
export * as TaskSupervisor from './task/task_supervisor_index.js';
export * as Agent from './agent/index.js';
export * as Registry from './registry/index.js';
export * as PartitionSupervisor from './partition_supervisor/index.js';
export * as StateMachine from './state_machine/index.js';
export * as Sys from './sys/index.js';
export * as Global from './global/index.js';
export {
  CallError,
  ChildSpecError,
  CloneError,
  InvalidArgumentError,
  isOtpError,
  NodeError,
  NoProcError,
  OtpError,
  ProcessExit,
  RegisterError,
  StopError,
  TaskError,
  type CallErrorOptions,
  type CallFailure,
  type NodeErrorReason,
  type RegisterErrorReason,
  type TaskFailure,
} from './errors.js';
