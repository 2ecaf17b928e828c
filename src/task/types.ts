/**
 * The types of tasks: the task handle, its reply message, the outcomes of `yield` and `shutdown`,
 * and the options and items of async streams.
 *
 * @module
 */
import type { Context, ExitReason, Pid, Ref } from '../process/index.js';

declare const resultBrand: unique symbol;

/**
 * A task started with `Task.async` or `TaskSupervisor.async`: Elixir's `%Task{}`. `T` is the type
 * of its result. Only its `owner` may await, yield, ignore or shut it down.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const got = await rt.run(async (ctx) => {
 *   const task: Task.Task<number> = Task.async(ctx, () => 6 * 7);
 *   expect(task.owner).toBe(ctx.self);
 *   return Task.await(ctx, task);
 * });
 * expect(got).toBe(42);
 * ```
 */
export interface Task<T = unknown> {
  /** The task's process. */
  readonly pid: Pid;
  /** The owner's monitor of the task; the reply and the DOWN carry it. */
  readonly ref: Ref;
  /** The process that started the task and alone receives its result. */
  readonly owner: Pid;
  /** The result's type, for the type checker only: never set. */
  readonly [resultBrand]?: T;
}

/** The result type of a task: `Task.ResultOf<Task.Task<number>>` is `number`. */
export type ResultOf<K> = K extends Task<infer T> ? T : never;

/**
 * The message a task sends its owner when its function returns: Elixir's `{ref, result}`. A
 * GenServer that starts tasks with `TaskSupervisor.asyncNolink` receives it in handleInfo, after
 * which it should `ctx.demonitor(msg.ref, { flush: true })`.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const msg = await rt.run(async (ctx) => {
 *   const task = Task.async(ctx, () => 'done');
 *   const reply = await ctx.receiveRef<Task.TaskReply<string>>(task.ref);
 *   ctx.demonitor(task.ref, { flush: true });
 *   return { reply, ref: task.ref };
 * });
 * expect(msg.reply).toEqual({ type: 'task_reply', ref: msg.ref, result: 'done' });
 * ```
 */
export interface TaskReply<T = unknown> {
  readonly type: 'task_reply';
  readonly ref: Ref;
  readonly result: T;
}

/**
 * What `Task.yield`, `Task.ignore` and `Task.shutdown` give for a task that has ended: its result
 * (`{:ok, value}`) or its exit reason (`{:exit, reason}`). They give `undefined` (Elixir's `nil`)
 * for a task that has not.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const outcome: Task.Outcome<number> | undefined = await rt.run(async (ctx) => {
 *   ctx.trapExit(true); // the task is linked: its crash would end us otherwise
 *   const task = Task.async(ctx, (): number => { throw new Error('boom'); });
 *   return Task.yield(ctx, task, 1000);
 * });
 * expect(outcome).toMatchObject({ type: 'exit', reason: { tag: 'error' } });
 * ```
 */
export type Outcome<T> = { readonly type: 'ok'; readonly value: T } | { readonly type: 'exit'; readonly reason: ExitReason };

/**
 * One item of an async stream, in input order unless `ordered: false`: the task's result, or its
 * exit reason (`{ tag: 'exit', value: 'timeout' }` for a task killed by `onTimeout: 'kill_task'`).
 * With `zipInputOnExit`, an exit item also carries the input the task was given (Elixir's
 * `{:exit, {input, reason}}`).
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const items = await rt.run(async (ctx) => {
 *   const out: Task.StreamItem<number, number>[] = [];
 *   for await (const item of Task.asyncStream(ctx, [1, 2], (n) => n * 10)) out.push(item);
 *   return out;
 * });
 * expect(items).toEqual([{ type: 'ok', value: 10 }, { type: 'ok', value: 20 }]);
 * ```
 */
export type StreamItem<T, I = unknown> =
  | { readonly type: 'ok'; readonly value: T }
  | { readonly type: 'exit'; readonly reason: ExitReason; readonly input?: I };

/**
 * Options of an async stream (`Task.asyncStream`, `TaskSupervisor.asyncStream`), as Elixir's.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Task.StreamOptions = { maxConcurrency: 2, ordered: false, timeout: 1000, onTimeout: 'kill_task' };
 * const rt = new Runtime();
 * const values = await rt.run(async (ctx) => {
 *   const out: number[] = [];
 *   for await (const item of Task.asyncStream(ctx, [3, 1, 2], (n) => n, options)) if (item.type === 'ok') out.push(item.value);
 *   return out.sort();
 * });
 * expect(values).toEqual([1, 2, 3]);
 * ```
 */
export interface StreamOptions {
  /** How many tasks run at once: an integer >= 1. Default: the number of CPUs, as Elixir's schedulers online. */
  readonly maxConcurrency?: number;
  /** Give items in input order (default) or as tasks finish. */
  readonly ordered?: boolean;
  /** How long each task may run, in ms or `'infinity'`; default 5000. */
  readonly timeout?: number | 'infinity';
  /** What a task that runs out of time does: `'exit'` (default) ends the stream with a TaskError, `'kill_task'` kills the task and gives an exit item. */
  readonly onTimeout?: 'exit' | 'kill_task';
  /** Put the input on exit items (`input`). Default false. */
  readonly zipInputOnExit?: boolean;
}

/**
 * A task's function: it runs in the task's own process and receives that process's context.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const work: Task.TaskFn<string> = async (ctx) => `ran in ${ctx.self}`;
 * const rt = new Runtime();
 * expect(await rt.run((ctx) => Task.await(ctx, Task.async(ctx, work)))).toMatch(/^ran in </);
 * ```
 */
export type TaskFn<T> = (ctx: Context) => T | PromiseLike<T>;

/**
 * The function of an async stream: it receives one input item and its task's context.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const double: Task.StreamFn<number, number> = (n) => 2 * n;
 * const rt = new Runtime();
 * const out = await rt.run(async (ctx) => {
 *   const got: Task.StreamItem<number>[] = [];
 *   for await (const item of Task.asyncStream(ctx, [1], double)) got.push(item);
 *   return got;
 * });
 * expect(out).toEqual([{ type: 'ok', value: 2 }]);
 * ```
 */
export type StreamFn<I, T> = (item: I, ctx: Context) => T | PromiseLike<T>;

/**
 * What `Task.start` and `Task.startLink` return: Elixir's `{:ok, pid}`, in the shape a child
 * spec's start returns.
 *
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started: Task.Started = Task.start(() => {}, { runtime: rt });
 * expect(started.type).toBe('ok');
 * await rt.settle();
 * ```
 */
export interface Started {
  readonly type: 'ok';
  readonly pid: Pid;
}
