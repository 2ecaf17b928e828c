/**
 * Task: a process that computes one result for the process that started it, as Elixir's `Task`.
 *
 * `async(ctx, fn)` starts `fn` in a new process linked to the caller (its owner) and monitored by
 * it, and returns a {@link Task}; the task sends its result to the owner as a
 * {@link TaskReply}, then exits. Only the owner may `await` it (with a timeout that fails the
 * await with a {@link TaskError}, which ends the owner unless it catches it, as Elixir's await
 * exits the caller), `yield` (a result, an exit, or `undefined` on timeout), `ignore` or
 * `shutdown` it. A task that crashes takes its owner down over the link, as in Elixir; an owner
 * that traps exits sees `{ type: 'exit', reason }` from `yield` instead.
 *
 * Every function takes the calling process's context: there is no current process in Node. Plain
 * code owns tasks through an {@link Inbox} (`runtime.inbox()`), a process it drives by hand; an
 * await needs the owner's context, so plain code without one cannot await, as in Elixir.
 *
 * Where Node differs from Elixir: Elixir's alias (`monitor(..., alias: :demonitor)`) is a shared
 * flag here, so a late reply after a timed-out await, an `ignore` or a `shutdown` is dropped the
 * same way; awaits of one owner run one at a time, as its receives do (await several with
 * {@link awaitMany} or {@link yieldMany}, not `Promise.all` of awaits).
 *
 * @module
 */
import { InvalidArgumentError, TaskError } from '../errors.js';
import { defaultRuntime, Runtime, TIMEOUT, type Context, type DownMessage, type ExitReason } from '../process/index.js';
import { clockNow } from '../process/hooks.js';
import type { ChildSpec, RestartType, Shutdown } from '../supervisor/index.js';
import { checkContext, checkFn, checkTimeout, forget, giveUp, ownedTask, refOf, replyWith, takeDown, takeReply, TaskRecord } from './internal/core.js';
import { streamOf } from './internal/stream.js';
import type { Outcome, ResultOf, Started, StreamFn, StreamItem, StreamOptions, Task, TaskFn, TaskReply } from './types.js';

/** How long an await waits by default, as Elixir's. */
const DEFAULT_TIMEOUT = 5000;

/**
 * Starts `fn` in a new process linked to the caller and monitored by it, and returns the task.
 * The caller (its owner) must `await`, `yield`, `ignore` or `shutdown` it: a reply is always sent.
 * The task cannot run before the monitor exists: its DOWN always carries its real reason.
 *
 * @throws {@link InvalidArgumentError} when `ctx` is not a process's context or `fn` is not a function.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const sum = await rt.run(async (ctx) => {
 *   const a = Task.async(ctx, async () => 1);
 *   const b = Task.async(ctx, () => 2);
 *   return (await Task.await(ctx, a)) + (await Task.await(ctx, b));
 * });
 * expect(sum).toBe(3);
 * ```
 */
export function async<T>(ctx: Context, fn: TaskFn<T>): Task<T> {
  checkContext('Task.async', ctx);
  checkFn('Task.async', 'fn', fn);
  const rec = new TaskRecord<T>(ctx.self);
  // Spawned now, started after this step: the monitor below exists before the task runs.
  rec.pid = ctx.spawnLink((c) => replyWith(c, rec, fn(c)));
  rec.ref = ctx.monitor(rec.pid);
  return rec;
}

/**
 * Waits for the task's result and returns it (Elixir's `Task.await/2`). Rejects with a
 * {@link TaskError}: `'timeout'` when no result comes within `timeout` ms (the task keeps
 * running, and its late reply is dropped), or the task's exit reason when it exits first (seen
 * by an owner that traps exits; one that does not is taken down by the link). Uncaught, the
 * error ends the owner with Elixir's reason `{Reason, {Task, :await, [task, timeout]}}` as
 * {@link TaskError.exitReason}.
 *
 * @throws {@link InvalidArgumentError} when `task` is not a task, `ctx` is not its owner's context, or `timeout` is bad.
 * @example
 * ```ts
 * import { Runtime, Task, TaskError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const outcome = await rt.run(async (ctx) => {
 *   const quick = Task.async(ctx, () => 'fast');
 *   const slow = Task.async(ctx, (t) => t.receive());
 *   const first = await Task.await(ctx, quick, 1000);
 *   const second = await Task.await(ctx, slow, 10).catch((e: TaskError) => e.reason);
 *   return [first, second];
 * });
 * expect(outcome).toEqual(['fast', 'timeout']);
 * rt.killAll();
 * ```
 */
export function awaitTask<T>(ctx: Context, task: Task<T>, timeout: number | 'infinity' = DEFAULT_TIMEOUT): Promise<T> {
  const rec = ownedTask('Task.await', ctx, task);
  checkTimeout('Task.await', 'timeout', timeout);
  return ctx.receiveRef<TaskReply<T> | DownMessage>(rec.ref, timeout).then((msg) => {
    if (msg === TIMEOUT) {
      giveUp(ctx, rec);
      throw new TaskError('Task.await', 'timeout', [task, timeout]);
    }
    if (msg.type === 'DOWN') throw new TaskError('Task.await', msg.reason, [task, timeout]);
    forget(ctx, rec);
    return msg.result;
  });
}

/**
 * Waits for the result of each task and returns them in the tasks' order (Elixir's
 * `Task.await_many/2`): `timeout` bounds the whole wait. A task that exits first, or the timeout,
 * rejects with a {@link TaskError} at once, and the other tasks are no longer monitored.
 *
 * @throws {@link InvalidArgumentError} for a task that is not one or not the caller's, or a bad `timeout`.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const [n, s] = await rt.run((ctx) => Task.awaitMany(ctx, [Task.async(ctx, () => 1), Task.async(ctx, async () => 'two')] as const));
 * expect([n, s]).toEqual([1, 'two']);
 * ```
 */
export function awaitMany<const K extends readonly Task<unknown>[]>(
  ctx: Context,
  tasks: K,
  timeout: number | 'infinity' = DEFAULT_TIMEOUT,
): Promise<{ -readonly [I in keyof K]: ResultOf<K[I]> }> {
  const recs = ownedTasks('Task.awaitMany', ctx, tasks);
  checkTimeout('Task.awaitMany', 'timeout', timeout);
  return awaitAll(ctx, recs, tasks, timeout) as Promise<{ -readonly [I in keyof K]: ResultOf<K[I]> }>;
}

async function awaitAll(ctx: Context, recs: TaskRecord[], tasks: unknown, timeout: number | 'infinity'): Promise<unknown[]> {
  const waiting = new Map<unknown, TaskRecord>(recs.map((rec) => [rec.ref, rec]));
  const results = new Map<unknown, unknown>(); // by ref: a task listed twice has one result
  const deadline = timeout === 'infinity' ? Infinity : clockNow(ctx.runtime) + timeout;
  const fail = (reason: ExitReason | 'timeout'): never => {
    for (const rec of waiting.values()) giveUp(ctx, rec);
    throw new TaskError('Task.awaitMany', reason, [tasks, timeout]);
  };
  while (waiting.size > 0) {
    const left = deadline === Infinity ? 'infinity' : Math.max(0, deadline - clockNow(ctx.runtime));
    const msg = (await ctx.receive((m) => waiting.has(refOf(m)), left)) as TaskReply | DownMessage | typeof TIMEOUT;
    if (msg === TIMEOUT) return fail('timeout');
    if (msg.type === 'DOWN') return fail(msg.reason);
    forget(ctx, waiting.get(msg.ref)!);
    waiting.delete(msg.ref);
    results.set(msg.ref, msg.result);
  }
  return recs.map((rec) => results.get(rec.ref));
}

function ownedTasks(operation: string, ctx: Context, tasks: unknown): TaskRecord[] {
  checkContext(operation, ctx);
  if (!Array.isArray(tasks)) throw new InvalidArgumentError(operation, 'tasks', tasks, 'an array of tasks');
  return tasks.map((task: unknown, i) => ownedTask(operation, ctx, task, `tasks[${i}]`));
}

/** The outcome a task's reply or DOWN gives; a DOWN with `'noconnection'` fails the call, as Elixir exits. */
function outcomeOf<T>(operation: string, args: readonly unknown[], ctx: Context, rec: TaskRecord, msg: TaskReply | DownMessage): Outcome<T> {
  if (msg.type === 'DOWN') {
    if (msg.reason === 'noconnection') throw new TaskError(operation, 'noconnection', args);
    return { type: 'exit', reason: msg.reason };
  }
  forget(ctx, rec);
  return { type: 'ok', value: msg.result as T };
}

/**
 * Waits up to `timeout` ms for the task's result (Elixir's `Task.yield/2`): `{ type: 'ok', value }`,
 * `{ type: 'exit', reason }` when the task exited first, or `undefined` when it is still running;
 * the task is then still monitored, and can be yielded again or shut down.
 *
 * @throws {@link InvalidArgumentError} when `task` is not a task, `ctx` is not its owner's context, or `timeout` is bad.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const got = await rt.run(async (ctx) => {
 *   const task = Task.async(ctx, async (t) => { await t.receive(); return 'finally'; });
 *   const early = await Task.yield(ctx, task, 0);
 *   ctx.send(task.pid, 'go');
 *   return [early, await Task.yield(ctx, task, 1000)];
 * });
 * expect(got).toEqual([undefined, { type: 'ok', value: 'finally' }]);
 * ```
 */
export function yieldTask<T>(ctx: Context, task: Task<T>, timeout: number | 'infinity' = DEFAULT_TIMEOUT): Promise<Outcome<T> | undefined> {
  const rec = ownedTask('Task.yield', ctx, task);
  checkTimeout('Task.yield', 'timeout', timeout);
  return ctx.receiveRef<TaskReply | DownMessage>(rec.ref, timeout).then((msg) => (msg === TIMEOUT ? undefined : outcomeOf<T>('Task.yield', [task, timeout], ctx, rec, msg)));
}

/**
 * Yields each task within one `timeout` (Elixir 1.14's `Task.yield_many/2`): a pair
 * `[task, outcome]` per task, in the tasks' order, `undefined` for one still running. Once the
 * time is up, the remaining tasks are only polled.
 *
 * @throws {@link InvalidArgumentError} for a task that is not one or not the caller's, or a bad `timeout`.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const outcomes = await rt.run(async (ctx) => {
 *   const tasks = [Task.async(ctx, () => 1), Task.async(ctx, (t) => t.receive())];
 *   const pairs = await Task.yieldMany(ctx, tasks, 50);
 *   for (const [task, outcome] of pairs) if (outcome === undefined) await Task.shutdown(ctx, task, 'brutal_kill');
 *   return pairs.map(([, outcome]) => outcome);
 * });
 * expect(outcomes).toEqual([{ type: 'ok', value: 1 }, undefined]);
 * ```
 */
export function yieldMany<T>(ctx: Context, tasks: readonly Task<T>[], timeout: number | 'infinity' = DEFAULT_TIMEOUT): Promise<Array<[Task<T>, Outcome<T> | undefined]>> {
  const recs = ownedTasks('Task.yieldMany', ctx, tasks);
  checkTimeout('Task.yieldMany', 'timeout', timeout);
  return yieldAll(ctx, recs, tasks, timeout);
}

async function yieldAll<T>(ctx: Context, recs: TaskRecord[], tasks: readonly Task<T>[], timeout: number | 'infinity'): Promise<Array<[Task<T>, Outcome<T> | undefined]>> {
  const deadline = timeout === 'infinity' ? Infinity : clockNow(ctx.runtime) + timeout;
  const out: Array<[Task<T>, Outcome<T> | undefined]> = [];
  for (const rec of recs) {
    const left = deadline === Infinity ? 'infinity' : Math.max(0, deadline - clockNow(ctx.runtime));
    const msg = await ctx.receiveRef<TaskReply | DownMessage>(rec.ref, left);
    out.push([rec as Task<T>, msg === TIMEOUT ? undefined : outcomeOf<T>('Task.yieldMany', [tasks, timeout], ctx, rec, msg)]);
  }
  return out;
}

/**
 * Lets a task run on without its owner (Elixir's `Task.ignore/1`): it is unlinked and no longer
 * monitored, and its result is dropped. Returns its outcome when it had already ended, else
 * `undefined`. It does not wait.
 *
 * @throws {@link InvalidArgumentError} when `task` is not a task or `ctx` is not its owner's context.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const left = await rt.run(async (ctx) => {
 *   const task = Task.async(ctx, async (t) => { await t.receive(); return 'unwanted'; });
 *   const outcome = Task.ignore(ctx, task);
 *   const watch = ctx.monitor(task.pid);
 *   ctx.send(task.pid, 'go');
 *   await ctx.receiveRef(watch); // it has replied and exited
 *   return { outcome, queued: rt.processInfo(ctx.self)!.messageQueueLen, links: rt.processInfo(ctx.self)!.links };
 * });
 * expect(left).toEqual({ outcome: undefined, queued: 0, links: [] });
 * ```
 */
export function ignore<T>(ctx: Context, task: Task<T>): Outcome<T> | undefined {
  const rec = ownedTask('Task.ignore', ctx, task);
  const reply = takeReply(ctx, rec);
  if (reply !== undefined) {
    ctx.unlink(rec.pid);
    forget(ctx, rec);
    return { type: 'ok', value: reply.result as T };
  }
  const down = takeDown(ctx, rec);
  if (down !== undefined) return outcomeOf<T>('Task.ignore', [task], ctx, rec, down);
  ctx.unlink(rec.pid);
  giveUp(ctx, rec);
  return undefined;
}

/**
 * Stops a task and returns its outcome (Elixir's `Task.shutdown/2`): the task is unlinked and
 * sent `'shutdown'`, and killed if it has not exited within `shutdown` ms; with `'brutal_kill'` it
 * is killed at once. Returns `{ type: 'ok', value }` if its result had come, `{ type: 'exit',
 * reason }` if it exited with another reason than the one it was sent (`'killed'` after a
 * timeout), and `undefined` if it stopped as asked.
 *
 * @throws {@link InvalidArgumentError} when `task` is not a task, `ctx` is not its owner's context, or `shutdown` is bad.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const outcomes = await rt.run(async (ctx) => {
 *   const stuck = Task.async(ctx, (t) => t.receive());
 *   const done = Task.async(ctx, () => 'result');
 *   await Task.yield(ctx, Task.async(ctx, () => null), 1000); // done has replied by now
 *   return [await Task.shutdown(ctx, stuck), await Task.shutdown(ctx, done, 'brutal_kill')];
 * });
 * expect(outcomes).toEqual([undefined, { type: 'ok', value: 'result' }]);
 * ```
 */
export function shutdown<T>(ctx: Context, task: Task<T>, shutdown: number | 'infinity' | 'brutal_kill' = DEFAULT_TIMEOUT): Promise<Outcome<T> | undefined> {
  const rec = ownedTask('Task.shutdown', ctx, task);
  if (shutdown !== 'brutal_kill') checkTimeout('Task.shutdown', 'shutdown', shutdown);
  return stopTask(ctx, rec as TaskRecord<T>, shutdown);
}

async function stopTask<T>(ctx: Context, rec: TaskRecord<T>, shutdown: number | 'infinity' | 'brutal_kill'): Promise<Outcome<T> | undefined> {
  const args = [rec, shutdown];
  const mon = ctx.monitor(rec.pid);
  ctx.unlink(rec.pid); // the exit below must not come back over the link
  ctx.exit(rec.pid, shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
  let sent: 'shutdown' | 'killed' | 'timeout_kill' = shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
  let msg = await ctx.receiveRef<DownMessage>(mon, shutdown === 'brutal_kill' ? 'infinity' : shutdown);
  if (msg === TIMEOUT) {
    ctx.exit(rec.pid, 'kill');
    sent = 'timeout_kill';
    msg = await ctx.receiveRef<DownMessage>(mon);
  }
  const reason = msg.reason;
  let outcome: Outcome<T> | undefined;
  if (reason === 'noproc') {
    // It had exited already: its own DOWN says how.
    const down = takeDown(ctx, rec);
    if (down?.reason === 'noconnection') throw new TaskError('Task.shutdown', 'noconnection', args);
    outcome = down === undefined ? { type: 'exit', reason: 'noproc' } : asked(sent, down.reason) ? undefined : { type: 'exit', reason: down.reason };
  } else {
    if (reason === 'noconnection') throw new TaskError('Task.shutdown', 'noconnection', args);
    outcome = asked(sent, reason) ? undefined : { type: 'exit', reason };
  }
  giveUp(ctx, rec);
  const reply = takeReply(ctx, rec);
  return reply !== undefined ? { type: 'ok', value: reply.result as T } : outcome;
}

/** Whether the task stopped with the reason it was sent: a shutdown it obeyed, or the kill of a brutal_kill. */
function asked(sent: 'shutdown' | 'killed' | 'timeout_kill', reason: ExitReason): boolean {
  return sent === 'killed' ? reason === 'killed' : reason === 'shutdown';
}

/**
 * Runs `fn` in a new process that nobody is linked to or monitors (Elixir's `Task.start/1`): for
 * side effects whose result and failure do not matter. From plain code; a process passes its
 * runtime.
 *
 * @throws {@link InvalidArgumentError} when `fn` is not a function or `options.runtime` is not a Runtime.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const ran: string[] = [];
 * const started = Task.start(() => { ran.push('side effect'); }, { runtime: rt });
 * expect(started).toEqual({ type: 'ok', pid: expect.any(String) });
 * await rt.settle();
 * expect(ran).toEqual(['side effect']);
 * ```
 */
export function start(fn: TaskFn<unknown>, options?: { readonly runtime?: Runtime }): Started {
  checkFn('Task.start', 'fn', fn);
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError('Task.start', 'options', options, 'an object { runtime? }');
  const runtime = options?.runtime ?? defaultRuntime();
  if (!(runtime instanceof Runtime)) throw new InvalidArgumentError('Task.start', 'options.runtime', runtime, 'a Runtime');
  return { type: 'ok', pid: runtime.spawn(fn) };
}

/**
 * Runs `fn` in a new process linked to `parent` (Elixir's `Task.start_link/1`): in a supervision
 * tree, as a child's start (see {@link childSpec}). Its result is dropped; returning ends it with
 * `'normal'`.
 *
 * @throws {@link InvalidArgumentError} when `parent` is not a process's context or `fn` is not a function.
 * @example
 * ```ts
 * import { Runtime, Task, type DownMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const reason = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const { pid } = Task.startLink(ctx, () => 'ignored');
 *   return (await ctx.receive((m) => (m as { type?: string }).type === 'EXIT')) as { from: string; reason: unknown };
 * });
 * expect(reason.reason).toBe('normal');
 * ```
 */
export function startLink(parent: Context, fn: TaskFn<unknown>): Started {
  checkContext('Task.startLink', parent);
  checkFn('Task.startLink', 'fn', fn);
  return { type: 'ok', pid: parent.spawnLink(fn) };
}

/**
 * Options of {@link childSpec}: the child spec's fields, with Elixir's defaults for a task.
 *
 * @example
 * ```ts
 * import { Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Task.ChildSpecOptions = { id: 'warm-cache', restart: 'transient', shutdown: 1000 };
 * expect(Task.childSpec(() => {}, options)).toMatchObject(options);
 * ```
 */
export interface ChildSpecOptions {
  /** Default `'Task'`, as Elixir's. */
  readonly id?: string;
  /** Default `'temporary'`: a task is not restarted, as Elixir's. */
  readonly restart?: RestartType;
  /** Default 5000 ms. */
  readonly shutdown?: Shutdown;
}

/**
 * A child spec that runs `fn` as a task under a Supervisor (Elixir's `{Task, fun}` child): started
 * with {@link startLink}, `'temporary'` unless `options.restart` says otherwise.
 *
 * @throws {@link InvalidArgumentError} when `fn` is not a function.
 * @example
 * ```ts
 * import { Runtime, Supervisor, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const warmed: string[] = [];
 * const started = await Supervisor.start({ children: [Task.childSpec(() => { warmed.push('cache'); })] }, { runtime: rt });
 * expect(started.type).toBe('ok');
 * await rt.settle();
 * expect(warmed).toEqual(['cache']);
 * // A temporary child that has ended is forgotten, as OTP's supervisor forgets it.
 * if (started.type === 'ok') expect(await Supervisor.whichChildren(started.pid)).toEqual([]);
 * rt.killAll();
 * ```
 */
export function childSpec(fn: TaskFn<unknown>, options: ChildSpecOptions = {}): ChildSpec {
  checkFn('Task.childSpec', 'fn', fn);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('Task.childSpec', 'options', options, 'an object { id?, restart?, shutdown? }');
  return { id: 'Task', restart: 'temporary', ...options, start: (sup) => startLink(sup, fn) };
}

/**
 * Runs `fn` on each item of `input` in tasks linked to the caller, at most `maxConcurrency` at a
 * time, and gives their outcomes as an async iterable, in input order unless `ordered: false`
 * (Elixir's `Task.async_stream/3`). It is lazy: nothing starts until it is iterated, an input item
 * is read only when a task can start for it, and no more than `maxConcurrency` tasks run at once,
 * so an endless or async input is fine. Each task has `timeout` ms; past it, `onTimeout: 'exit'`
 * ends the iteration with a {@link TaskError} (uncaught, the caller exits with Elixir's
 * `{:timeout, {Task.Supervised, :stream, [timeout]}}`), and `'kill_task'` kills the task and gives
 * `{ type: 'exit', reason: { tag: 'exit', value: 'timeout' } }`. Leaving the loop early (`break`,
 * a throw) kills the tasks still running. Iterate it in the process whose context made it.
 *
 * @throws {@link InvalidArgumentError} for a bad `ctx`, `input` (not iterable), `fn` or option.
 * @example
 * ```ts
 * import { Runtime, Task } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * async function* ids() { yield 1; yield 2; yield 3; }
 * const rt = new Runtime();
 * const names = await rt.run(async (ctx) => {
 *   const out: string[] = [];
 *   for await (const item of Task.asyncStream(ctx, ids(), async (id) => `user ${id}`, { maxConcurrency: 2 })) {
 *     if (item.type === 'ok') out.push(item.value);
 *   }
 *   return out;
 * });
 * expect(names).toEqual(['user 1', 'user 2', 'user 3']);
 * ```
 */
export function asyncStream<I, T>(ctx: Context, input: Iterable<I> | AsyncIterable<I>, fn: StreamFn<I, T>, options?: StreamOptions): AsyncIterable<StreamItem<T, I>> {
  checkContext('Task.asyncStream', ctx);
  return streamOf('Task.asyncStream', ctx, input, fn, options, (owner, rec, body) => {
    rec.pid = owner.spawnLink(body);
    rec.ref = owner.monitor(rec.pid);
    return true;
  });
}

