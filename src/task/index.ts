/**
 * Task: processes that compute one result for their owner, and async streams of them, as Elixir's
 * `Task`. Imported as a namespace: `import { Task } from 'ts-otp'`, then `Task.async(ctx, fn)`,
 * `Task.await(ctx, task)`, `Task.Task<T>`.
 *
 * @module
 */
export { async, asyncStream, awaitMany, childSpec, ignore, shutdown, start, startLink, yieldMany, type ChildSpecOptions } from './task.js';
// `await` and `yield` are reserved words: the functions are named otherwise, and exported under Elixir's names.
export { awaitTask as await, yieldTask as yield } from './task.js';
export type { Outcome, ResultOf, Started, StreamFn, StreamItem, StreamOptions, Task, TaskFn, TaskReply } from './types.js';
