/**
 * PartitionSupervisor: N partitions of one child spec, routed by key through a via name; Elixir's `PartitionSupervisor`.
 *
 * Imported as a namespace: `import { PartitionSupervisor } from 'ts-otp'`.
 *
 * @module
 */
export {
  countChildren,
  named,
  partitions,
  start,
  startLink,
  stop,
  via,
  whichChildren,
  type PartitionChildSpec,
  type PartitionSupervisorOptions,
  type PartitionSupervisorRef,
  type PartitionViaName,
} from './partition_supervisor.js';
