/**
 * What every task shares: its record, the body that replies to its owner, the wait of a supervised
 * task for its owner's go, and the checks of the arguments.
 *
 * Elixir 1.14 sends a task's reply to an alias of the owner's monitor (`alias: :demonitor`), so a
 * reply that comes after the owner gave up on it (an await that timed out, `ignore`, `shutdown`)
 * is dropped. The kernel has no aliases; a record's `active` flag, which the owner clears where
 * Elixir deactivates the alias and which the task reads before replying, does the same job: task
 * and owner share the record, as they run in one thread.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { TIMEOUT, type Context, type DownMessage, type Pid, type ProcessFn, type Ref } from '../../process/index.js';
import { NO_MESSAGE, takeMatching, takeRef } from '../../process/hooks.js';
import type { Task, TaskReply } from '../types.js';
import { refOf } from '../../process/internal/mailbox.js';

/** A task's record: the {@link Task} its owner holds, and what the task reads before replying. */
export class TaskRecord<T = unknown> implements Task<T> {
  pid: Pid = undefined as never;
  ref: Ref = undefined as never;
  /** Elixir's alias: the task replies only while this is true. */
  active = true;
  constructor(readonly owner: Pid) {}
}

/** Sends the task's result to its owner, unless the owner gave up on it. */
function reply(ctx: Context, rec: TaskRecord, result: unknown): void {
  if (rec.active) ctx.send(rec.owner, { type: 'task_reply', ref: rec.ref, result } satisfies TaskReply);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Replies with what the task's function returned, once it has settled; a plain value costs no
 * promise. A throw or a rejection is left to the kernel: the task exits with it, and its owner
 * sees the DOWN (or is taken down by the link).
 */
export function replyWith(ctx: Context, rec: TaskRecord, result: unknown): unknown {
  if (isThenable(result)) return result.then((value) => reply(ctx, rec, value));
  reply(ctx, rec, result);
  return undefined;
}

/** The go a supervised task waits for: sent by its owner once it monitors (and links) the task. */
interface Go {
  readonly type: '$task_go';
  readonly ref: Ref;
}

/** How long a supervised task waits for its owner's go, as Elixir's Task.Supervised (@ref_timeout). */
const GO_TIMEOUT = 5000;

/**
 * The body of a supervised task: it waits for its owner's go, so that it cannot run (and exit)
 * before its owner monitors it, then runs `run`. An owner that exits first ends it with
 * `{ tag: 'shutdown', detail: reason }`; no go within 5 s ends it with `'timeout'`, as Elixir's.
 */
export function supervisedBody(rec: TaskRecord, run: (ctx: Context) => unknown): ProcessFn {
  return async (ctx) => {
    const ownerRef = ctx.monitor(rec.owner);
    const msg = (await ctx.receive(
      (m) => (typeOf(m) === '$task_go' ? refOf(m) === rec.ref : isDown(m, ownerRef)),
      GO_TIMEOUT,
    )) as Go | DownMessage | typeof TIMEOUT;
    if (msg === TIMEOUT) return ctx.exit('timeout');
    if (msg.type === 'DOWN') return ctx.exit({ tag: 'shutdown', detail: msg.reason });
    ctx.demonitor(ownerRef, { flush: true });
    return run(ctx);
  };
}

/** Tells a supervised task its owner now monitors it. */
export function sendGo(ctx: Context, rec: TaskRecord): void {
  ctx.send(rec.pid, { type: '$task_go', ref: rec.ref } satisfies Go);
}

/** A message's `ref` field, read as the kernel's mailbox reads it (a hostile message matches nothing). */
export { refOf };

/** A message's `type` field, read as {@link refOf} reads `ref`. */
export function typeOf(msg: unknown): unknown {
  if (typeof msg !== 'object' || msg === null) return undefined;
  try {
    return (msg as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}

export function isDown(msg: unknown, ref: Ref): msg is DownMessage {
  return refOf(msg) === ref && typeOf(msg) === 'DOWN';
}

export function isReply(msg: unknown, ref: Ref): msg is TaskReply {
  return refOf(msg) === ref && typeOf(msg) === 'task_reply';
}

/**
 * The owner is done with a task whose reply it took: the task's DOWN, already queued if the task
 * has exited, is taken, or else the monitor removed (Elixir's `demonitor(ref, [:flush])`). Taking
 * the DOWN is cheaper than a demonitor of a fired monitor, and the usual case: a task exits right
 * after it replies.
 */
export function forget(ctx: Context, rec: TaskRecord): void {
  rec.active = false;
  if (takeRef(ctx, rec.ref) === NO_MESSAGE) ctx.demonitor(rec.ref);
}

/** The owner gives up on a task: no reply will reach it, and a DOWN already queued is removed. */
export function giveUp(ctx: Context, rec: TaskRecord): void {
  rec.active = false;
  ctx.demonitor(rec.ref, { flush: true });
}

/** Takes the task's queued DOWN, if its monitor has fired. */
export function takeDown(ctx: Context, rec: TaskRecord): DownMessage | undefined {
  const msg = takeMatching(ctx, (m) => isDown(m, rec.ref));
  return msg === NO_MESSAGE ? undefined : (msg as DownMessage);
}

/** Takes the task's queued reply, if there is one. */
export function takeReply(ctx: Context, rec: TaskRecord): TaskReply | undefined {
  const msg = takeMatching(ctx, (m) => isReply(m, rec.ref));
  return msg === NO_MESSAGE ? undefined : (msg as TaskReply);
}

// ---- argument checks ---------------------------------------------------------------------

export function checkContext(operation: string, ctx: unknown): asserts ctx is Context {
  if (typeof ctx !== 'object' || ctx === null || typeof (ctx as Context).spawnLink !== 'function' || typeof (ctx as Context).receiveRef !== 'function') {
    throw new InvalidArgumentError(operation, 'ctx', ctx, "the calling process's context");
  }
}

export function checkFn(operation: string, argument: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new InvalidArgumentError(operation, argument, fn, 'a function');
}

export function checkTimeout(operation: string, argument: string, value: unknown): void {
  if (value === 'infinity' || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER)) return;
  throw new InvalidArgumentError(operation, argument, value, "an integer of milliseconds >= 0, or 'infinity'");
}

/** The task's record, once checked to be a task and to be owned by `ctx`'s process (Elixir raises ArgumentError otherwise). */
export function ownedTask(operation: string, ctx: unknown, task: unknown, argument = 'task'): TaskRecord {
  checkContext(operation, ctx);
  if (!(task instanceof TaskRecord)) throw new InvalidArgumentError(operation, argument, task, 'a task from Task.async or TaskSupervisor.async');
  if (task.owner !== ctx.self) throw new InvalidArgumentError(operation, 'ctx', ctx.self, `the context of the task's owner ${task.owner}`);
  return task;
}
