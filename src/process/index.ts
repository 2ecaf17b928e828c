/**
 * The process kernel: pids, spawn, send and receive, links, monitors, exit signals, names, timers.
 *
 * @module
 */
export type { Context, DemonitorOptions, Inbox, MonitorTarget, ProcessFn, ProcessInfo, ProcessStatus, ReceiveTimeout, SpawnOptions } from './context.js';
export { formatReason, isExpectedExit, toExitReason, type ExitReason } from './exit_reason.js';
export { TIMEOUT, type DownMessage, type ExitMessage, type KernelMessage, type Timeout, type TimeoutMessage } from './messages.js';
export { isPid, isRef, isValidName, type Pid, type Ref, type RemoteName } from './pid.js';
export { defaultRuntime, Runtime, runtimeOf, type RuntimeClock, type RuntimeEvents, type RuntimeOptions } from './runtime.js';
export { isVia, type Via, type ViaModule } from './via.js';
