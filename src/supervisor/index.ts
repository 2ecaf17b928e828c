/**
 * Supervisor: supervision trees declared in code, with OTP's strategies, restart types, shutdown
 * policies and restart intensity.
 *
 * Imported as a namespace: `import { Supervisor } from 'ts-otp'`.
 *
 * @module
 */
export { checkChildSpecs, worker, type WorkerOptions } from './child_spec.js';
export { isolated, type IsolatedOptions } from './isolated.js';
export { remote, type RemoteOptions } from './remote.js';
export {
  countChildren,
  deleteChild,
  named,
  restartChild,
  start,
  startChild,
  startLink,
  stop,
  supervisor,
  terminateChild,
  tree,
  whichChildren,
  type SupervisorOptions,
  type SupervisorStartResult,
} from './supervisor.js';
export type {
  AutoShutdown,
  ChildCounts,
  ChildInfo,
  ChildOpResult,
  ChildSpec,
  ChildStartResult,
  ChildType,
  FailedToStart,
  RestartType,
  Shutdown,
  StartChildError,
  StartChildResult,
  Strategy,
  SupervisorInit,
  SupervisorKind,
  SupervisorName,
  SupervisorPid,
  SupervisorRef,
  SupervisorSpec,
  TreeNode,
} from './types.js';
