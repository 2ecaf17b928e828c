/**
 * TaskSupervisor: a DynamicSupervisor for tasks, as Elixir's `Task.Supervisor`.
 *
 * Its tasks are its children (`'temporary'` by default), so they appear in its `children`, stop
 * when it stops, and do not die with the process that asked for them unless it links to them.
 * `async` starts a task linked to the caller and monitored by it; `asyncNolink` only monitors it,
 * so a task that crashes gives its owner a DOWN (or `{ type: 'exit', reason }` from `yield`)
 * instead of taking it down. Either way the task waits for its owner's go, sent once the owner
 * monitors it: it never runs before the monitor exists, so the owner gets the result or the DOWN
 * with the task's real reason, never `'noproc'` (the race of starting a job under a plain
 * DynamicSupervisor and monitoring it afterwards). The tasks are then awaited, yielded, ignored
 * and shut down with the `Task` functions.
 *
 * @module
 */
import { InvalidArgumentError, TaskError } from '../errors.js';
import * as DynamicSupervisor from '../supervisor/dynamic_index.js';
import type { ChildSpec, RestartType, Shutdown } from '../supervisor/index.js';
import type { Context, Pid, Runtime } from '../process/index.js';
import { checkContext, checkFn, replyWith, sendGo, supervisedBody, TaskRecord } from './internal/core.js';
import { streamOf } from './internal/stream.js';
import type { StreamFn, StreamItem, StreamOptions, Task, TaskFn } from './types.js';

/**
 * Options of {@link start} and {@link startLink}: a DynamicSupervisor's, without extra arguments.
 *
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: TaskSupervisor.Options = { runtime: rt, name: 'jobs', maxChildren: 100 };
 * expect((await TaskSupervisor.start(options)).type).toBe('ok');
 * await TaskSupervisor.stop(TaskSupervisor.named('jobs', rt));
 * ```
 */
export type Options = Omit<DynamicSupervisor.DynamicSupervisorOptions, 'extraArguments'>;

/**
 * Options of {@link async}, {@link asyncNolink} and the streams: how the supervisor stops the task
 * (default 5000 ms, then a kill).
 *
 * @example
 * ```ts
 * import { Runtime, Task, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: TaskSupervisor.AsyncOptions = { shutdown: 'brutal_kill' };
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const v = await rt.run(async (ctx) => Task.await(ctx, await TaskSupervisor.async(ctx, started.pid, () => 1, options)));
 * expect(v).toBe(1);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export interface AsyncOptions {
  readonly shutdown?: Shutdown;
}

/**
 * Options of {@link startChild}: the task's restart type (default `'temporary'`) and shutdown.
 *
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: TaskSupervisor.ChildOptions = { restart: 'transient', shutdown: 1000 };
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect((await TaskSupervisor.startChild(started.pid, () => {}, options)).type).toBe('ok');
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export interface ChildOptions {
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
}

function checkOptions(operation: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  if ((options as { extraArguments?: unknown } | undefined)?.extraArguments !== undefined) {
    throw new InvalidArgumentError(operation, 'options.extraArguments', (options as { extraArguments: unknown }).extraArguments, 'absent: a task supervisor passes no extra arguments');
  }
}

/**
 * Starts a task supervisor not linked to anyone, from plain code (Elixir's `Task.Supervisor.start_link/1`
 * outside a tree).
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await TaskSupervisor.children(started.pid)).toEqual([]);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function start(options?: Options): Promise<DynamicSupervisor.DynamicSupervisorStartResult> {
  checkOptions('TaskSupervisor.start', options);
  return DynamicSupervisor.start(options);
}

/**
 * Starts a task supervisor linked to `parent`: the start of a child spec (see {@link childSpec}).
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await rt.run((ctx) => TaskSupervisor.startLink(ctx, { name: 'jobs' }));
 * expect(started.type).toBe('ok');
 * expect(rt.whereis('jobs')).toBeDefined();
 * rt.killAll();
 * ```
 */
export function startLink(parent: Context, options?: Omit<Options, 'runtime'>): Promise<DynamicSupervisor.DynamicSupervisorStartResult> {
  checkOptions('TaskSupervisor.startLink', options);
  return DynamicSupervisor.startLink(parent, options);
}

/**
 * A child spec that puts a task supervisor in a Supervisor's tree (Elixir's `{Task.Supervisor, name: ...}`):
 * its id is its name (`'TaskSupervisor'` without one). Name it to reach it: its pid changes when it is restarted.
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { Runtime, Supervisor, Task, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const root = await Supervisor.start({ children: [TaskSupervisor.childSpec({ name: 'jobs' })] }, { runtime: rt });
 * expect(root.type).toBe('ok');
 * const jobs = TaskSupervisor.named('jobs', rt);
 * expect(await rt.run(async (ctx) => Task.await(ctx, await TaskSupervisor.async(ctx, jobs, () => 'ok')))).toBe('ok');
 * rt.killAll();
 * ```
 */
export function childSpec(options: Omit<Options, 'runtime'> = {}): ChildSpec {
  checkOptions('TaskSupervisor.childSpec', options);
  // A via name is no child id: such a supervisor keeps the default id, as any other unnamed one.
  return { id: typeof options.name === 'string' ? options.name : 'TaskSupervisor', type: 'supervisor', start: (sup) => startLink(sup, options) };
}

/**
 * Starts a task under the supervisor, in the caller's stead, and makes the supervisor's child the
 * task's process; false when the supervisor is full. The owner links (for `async`) and monitors
 * before it lets the task run.
 */
function startTask(sup: DynamicSupervisor.DynamicSupervisorRef, ctx: Context, rec: TaskRecord, body: (c: Context) => unknown, link: boolean, shutdown: Shutdown | undefined): Promise<boolean> {
  const spec: DynamicSupervisor.DynamicChildSpec = {
    restart: 'temporary',
    ...(shutdown === undefined ? {} : { shutdown }),
    start: (s) => ({ type: 'ok', pid: s.spawnLink(supervisedBody(rec, body)) }),
  };
  return DynamicSupervisor.startChild(sup, spec).then((started) => {
    if (started.type !== 'ok') return false; // max_children: the start above cannot fail otherwise
    rec.pid = started.pid;
    if (link) ctx.link(rec.pid);
    rec.ref = ctx.monitor(rec.pid);
    sendGo(ctx, rec);
    return true;
  });
}

function asyncUnder<T>(operation: string, ctx: Context, sup: DynamicSupervisor.DynamicSupervisorRef, fn: TaskFn<T>, options: AsyncOptions | undefined, link: boolean): Promise<Task<T>> {
  checkContext(operation, ctx);
  checkFn(operation, 'fn', fn);
  checkOptions(operation, options);
  const rec = new TaskRecord<T>(ctx.self);
  return startTask(sup, ctx, rec, (c) => replyWith(c, rec, fn(c)), link, options?.shutdown).then((ok) => {
    if (!ok) throw new TaskError(operation, 'max_children', []);
    return rec;
  });
}

/**
 * Starts `fn` as a task under the supervisor, linked to the caller and monitored by it (Elixir's
 * `Task.Supervisor.async/3`); await it with `Task.await`. A supervisor at its `maxChildren`
 * rejects with a {@link TaskError} whose reason is `'max_children'`.
 *
 * @throws {@link InvalidArgumentError} for a bad `ctx`, `sup`, `fn` or options.
 * @example
 * ```ts
 * import { Runtime, Task, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const answer = await rt.run(async (ctx) => {
 *   const task = await TaskSupervisor.async(ctx, started.pid, async () => 42);
 *   return Task.await(ctx, task);
 * });
 * expect(answer).toBe(42);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function async<T>(ctx: Context, sup: DynamicSupervisor.DynamicSupervisorRef, fn: TaskFn<T>, options?: AsyncOptions): Promise<Task<T>> {
  return asyncUnder('TaskSupervisor.async', ctx, sup, fn, options, true);
}

/**
 * Starts `fn` as a task under the supervisor, monitored by the caller but not linked to it
 * (Elixir's `Task.Supervisor.async_nolink/3`): a crash of the task does not take the caller down;
 * `Task.yield` gives `{ type: 'exit', reason }` with the task's real reason, and a GenServer gets
 * the {@link Task.TaskReply} or the DOWN in handleInfo.
 *
 * @throws {@link InvalidArgumentError} for a bad `ctx`, `sup`, `fn` or options.
 * @example
 * ```ts
 * import { Runtime, Task, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const outcome = await rt.run(async (ctx) => {
 *   const task = await TaskSupervisor.asyncNolink(ctx, started.pid, () => { throw new Error('boom'); });
 *   return Task.yield(ctx, task, 1000);
 * });
 * expect(outcome).toMatchObject({ type: 'exit', reason: { tag: 'error', cause: { message: 'boom' } } });
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function asyncNolink<T>(ctx: Context, sup: DynamicSupervisor.DynamicSupervisorRef, fn: TaskFn<T>, options?: AsyncOptions): Promise<Task<T>> {
  return asyncUnder('TaskSupervisor.asyncNolink', ctx, sup, fn, options, false);
}

function streamUnder<I, T>(
  operation: string,
  ctx: Context,
  sup: DynamicSupervisor.DynamicSupervisorRef,
  input: Iterable<I> | AsyncIterable<I>,
  fn: StreamFn<I, T>,
  options: (StreamOptions & AsyncOptions) | undefined,
  link: boolean,
): AsyncIterable<StreamItem<T, I>> {
  checkContext(operation, ctx);
  const shutdown = options?.shutdown;
  return streamOf(operation, ctx, input, fn, options, (owner, rec, body) => startTask(sup, owner, rec, body, link, shutdown));
}

/**
 * {@link Task.asyncStream} with the tasks started under the supervisor, linked to the caller
 * (Elixir's `Task.Supervisor.async_stream/4`). A full supervisor ends the iteration with a
 * {@link TaskError} whose reason is `'max_children'`.
 *
 * @throws {@link InvalidArgumentError} for a bad `ctx`, `input`, `fn` or option.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const squares = await rt.run(async (ctx) => {
 *   const out: number[] = [];
 *   for await (const item of TaskSupervisor.asyncStream(ctx, started.pid, [1, 2, 3], (n) => n * n, { maxConcurrency: 2 })) {
 *     if (item.type === 'ok') out.push(item.value);
 *   }
 *   return out;
 * });
 * expect(squares).toEqual([1, 4, 9]);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function asyncStream<I, T>(
  ctx: Context,
  sup: DynamicSupervisor.DynamicSupervisorRef,
  input: Iterable<I> | AsyncIterable<I>,
  fn: StreamFn<I, T>,
  options?: StreamOptions & AsyncOptions,
): AsyncIterable<StreamItem<T, I>> {
  return streamUnder('TaskSupervisor.asyncStream', ctx, sup, input, fn, options, true);
}

/**
 * {@link asyncStream} with tasks that are not linked to the caller (Elixir's
 * `Task.Supervisor.async_stream_nolink/4`): a task that crashes gives `{ type: 'exit', reason }`.
 *
 * @throws {@link InvalidArgumentError} for a bad `ctx`, `input`, `fn` or option.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const kinds = await rt.run(async (ctx) => {
 *   const out: string[] = [];
 *   const check = (n: number) => { if (n === 2) throw new Error('two'); return n; };
 *   for await (const item of TaskSupervisor.asyncStreamNolink(ctx, started.pid, [1, 2, 3], check)) out.push(item.type);
 *   return out;
 * });
 * expect(kinds).toEqual(['ok', 'exit', 'ok']);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function asyncStreamNolink<I, T>(
  ctx: Context,
  sup: DynamicSupervisor.DynamicSupervisorRef,
  input: Iterable<I> | AsyncIterable<I>,
  fn: StreamFn<I, T>,
  options?: StreamOptions & AsyncOptions,
): AsyncIterable<StreamItem<T, I>> {
  return streamUnder('TaskSupervisor.asyncStreamNolink', ctx, sup, input, fn, options, false);
}

/**
 * Starts `fn` as a child of the supervisor that nobody awaits (Elixir's
 * `Task.Supervisor.start_child/3`): fire and forget. `'temporary'` by default; a `'transient'` or
 * `'permanent'` one is run again when it crashes (or, for `'permanent'`, ends).
 *
 * @throws {@link InvalidArgumentError} for a bad `fn` or options; {@link ChildSpecError} for a bad restart or shutdown.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const sent: string[] = [];
 * const child = await TaskSupervisor.startChild(started.pid, () => { sent.push('email'); });
 * expect(child.type).toBe('ok');
 * await rt.settle();
 * expect(sent).toEqual(['email']);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function startChild(sup: DynamicSupervisor.DynamicSupervisorRef, fn: TaskFn<unknown>, options?: ChildOptions): Promise<DynamicSupervisor.DynamicStartChildResult> {
  checkFn('TaskSupervisor.startChild', 'fn', fn);
  checkOptions('TaskSupervisor.startChild', options);
  return DynamicSupervisor.startChild(sup, {
    restart: options?.restart ?? 'temporary',
    ...(options?.shutdown === undefined ? {} : { shutdown: options.shutdown }),
    start: (s) => ({ type: 'ok', pid: s.spawnLink(fn) }),
  });
}

/**
 * The pids of the supervisor's running tasks, oldest first (Elixir's `Task.Supervisor.children/1`).
 *
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await TaskSupervisor.startChild(started.pid, (ctx) => ctx.receive());
 * if (child.type !== 'ok') throw new Error('no child');
 * expect(await TaskSupervisor.children(started.pid)).toEqual([child.pid]);
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function children(sup: DynamicSupervisor.DynamicSupervisorRef): Promise<Pid[]> {
  return DynamicSupervisor.whichChildren(sup).then((list) => list.map((c) => c.pid));
}

/**
 * Stops the task `pid` by its shutdown and forgets it (Elixir's `Task.Supervisor.terminate_child/2`):
 * `'not_found'` for a pid that is not one of its running tasks.
 *
 * @throws {@link InvalidArgumentError} when `pid` is not a pid.
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await TaskSupervisor.startChild(started.pid, (ctx) => ctx.receive());
 * if (child.type !== 'ok') throw new Error('no child');
 * expect(await TaskSupervisor.terminateChild(started.pid, child.pid)).toEqual({ type: 'ok' });
 * expect(await TaskSupervisor.terminateChild(started.pid, child.pid)).toEqual({ type: 'error', reason: 'not_found' });
 * await TaskSupervisor.stop(started.pid);
 * ```
 */
export function terminateChild(sup: DynamicSupervisor.DynamicSupervisorRef, pid: Pid): Promise<{ readonly type: 'ok' } | { readonly type: 'error'; readonly reason: 'not_found' }> {
  return DynamicSupervisor.terminateChild(sup, pid);
}

/**
 * Stops the supervisor and its tasks (each by its shutdown); resolves once it has exited.
 *
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await TaskSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await TaskSupervisor.startChild(started.pid, (ctx) => ctx.receive());
 * await TaskSupervisor.stop(started.pid);
 * if (child.type === 'ok') expect(rt.isAlive(child.pid)).toBe(false);
 * ```
 */
export function stop(sup: DynamicSupervisor.DynamicSupervisorRef, reason: unknown = 'shutdown'): Promise<void> {
  return DynamicSupervisor.stop(sup, reason);
}

/**
 * A reference to the task supervisor registered as `name` in `runtime` (the default runtime when
 * omitted), looked up at each call.
 *
 * @example
 * ```ts
 * import { Runtime, TaskSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await TaskSupervisor.start({ runtime: rt, name: 'jobs' });
 * expect(await TaskSupervisor.children(TaskSupervisor.named('jobs', rt))).toEqual([]);
 * await TaskSupervisor.stop(TaskSupervisor.named('jobs', rt));
 * ```
 */
export function named(name: string, runtime?: Runtime): DynamicSupervisor.DynamicSupervisorName {
  return DynamicSupervisor.named(name, runtime);
}
