/**
 * DynamicSupervisor: children started on demand from a spec each, one_for_one, with a cap and
 * extra start arguments. Imported as a namespace: `import { DynamicSupervisor } from 'ts-otp'`.
 *
 * @module
 */
export {
  countChildren,
  named,
  start,
  startChild,
  startLink,
  stop,
  terminateChild,
  whichChildren,
  type DynamicChildInfo,
  type DynamicChildSpec,
  type DynamicStartChildResult,
  type DynamicSupervisorOptions,
  type DynamicSupervisorName,
  type DynamicSupervisorPid,
  type DynamicSupervisorRef,
  type DynamicSupervisorStartResult,
} from './dynamic_supervisor.js';
