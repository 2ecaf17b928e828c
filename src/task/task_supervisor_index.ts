/**
 * TaskSupervisor: a DynamicSupervisor for tasks, as Elixir's `Task.Supervisor`. Imported as a
 * namespace: `import { TaskSupervisor } from 'ts-otp'`, then `TaskSupervisor.asyncNolink(ctx, sup, fn)`.
 *
 * @module
 */
export {
  async,
  asyncNolink,
  asyncStream,
  asyncStreamNolink,
  children,
  childSpec,
  named,
  start,
  startChild,
  startLink,
  stop,
  terminateChild,
  type AsyncOptions,
  type ChildOptions,
  type Options,
} from './task_supervisor.js';
