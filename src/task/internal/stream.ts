/**
 * Async streams: the engine of `Task.asyncStream` and `TaskSupervisor.asyncStream(Nolink)`.
 *
 * Elixir runs a helper process per stream that starts the tasks, keeps their timers and forwards
 * their DOWNs. Here the owner does all of it in its own process, as one async generator, which
 * costs no process and no timer per task: the tasks' deadlines fall in start order (each has the
 * same `timeout`), so the owner's receive waits at most until the oldest running task's deadline.
 * What the caller sees is the same: at most `maxConcurrency` tasks run, an input item is read only
 * when a task can start for it, a result is given once its task has exited, linked tasks are
 * unlinked before they are killed (on a timeout or when the loop ends early) so that the kill
 * does not come back to the owner, and an owner that traps exits gets no EXIT messages from
 * the stream's tasks (Elixir's helper process takes them).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, TaskError } from '../../errors.js';
import { TIMEOUT, toExitReason, type Context, type DownMessage, type ExitMessage, type ProcessFn, type Ref } from '../../process/index.js';
import { clockNow, NO_MESSAGE, takeMatching } from '../../process/hooks.js';
import type { StreamFn, StreamItem, StreamOptions, TaskReply } from '../types.js';
import { checkFn, checkTimeout, refOf, replyWith, takeReply, TaskRecord, typeOf } from './core.js';

/**
 * Starts one task of a stream for `rec` running `body`, and sets `rec.pid` and `rec.ref` (the
 * owner's monitor); `linked` says whether the owner is linked to it. False when a task
 * supervisor is full (`max_children`).
 */
export type StreamSpawner = (owner: Context, rec: TaskRecord, body: ProcessFn) => boolean | Promise<boolean>;

const RUNNING = 0;
const REPLIED = 1;
const TIMED_OUT = 2;

/** A task of a stream, from its start to its DOWN. */
interface Entry<I> {
  readonly rec: TaskRecord;
  readonly position: number;
  /** On the runtime's clock; Infinity without a timeout. */
  readonly deadline: number;
  /** The input item, kept only for `zipInputOnExit`. */
  readonly input: I | undefined;
  state: number;
  value: unknown;
}

interface Settings {
  readonly max: number;
  readonly ordered: boolean;
  readonly timeout: number | 'infinity';
  readonly killTask: boolean;
  readonly zip: boolean;
}

function settingsOf(operation: string, options: unknown): Settings {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object of stream options');
  const o = options as StreamOptions;
  const max = o.maxConcurrency ?? availableParallelism();
  if (!Number.isSafeInteger(max) || max < 1) throw new InvalidArgumentError(operation, 'options.maxConcurrency', o.maxConcurrency, 'an integer >= 1');
  const ordered = o.ordered ?? true;
  if (typeof ordered !== 'boolean') throw new InvalidArgumentError(operation, 'options.ordered', o.ordered, 'a boolean');
  const timeout = o.timeout ?? 5000;
  checkTimeout(operation, 'options.timeout', timeout);
  const onTimeout = o.onTimeout ?? 'exit';
  if (onTimeout !== 'exit' && onTimeout !== 'kill_task') throw new InvalidArgumentError(operation, 'options.onTimeout', o.onTimeout, "'exit' or 'kill_task'");
  const zip = o.zipInputOnExit ?? false;
  if (typeof zip !== 'boolean') throw new InvalidArgumentError(operation, 'options.zipInputOnExit', o.zipInputOnExit, 'a boolean');
  return { max, ordered, timeout, killTask: onTimeout === 'kill_task', zip };
}

type AnyIterator<I> = Iterator<I> | AsyncIterator<I>;

function iteratorOf<I>(input: Iterable<I> | AsyncIterable<I>): AnyIterator<I> {
  const asyncIt = (input as AsyncIterable<I>)[Symbol.asyncIterator];
  return typeof asyncIt === 'function' ? asyncIt.call(input) : (input as Iterable<I>)[Symbol.iterator]();
}

function isIterable(input: unknown): boolean {
  if (input === null || input === undefined) return false;
  const o = input as Record<symbol, unknown>;
  return typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/** Checks a stream's arguments at the call and returns the stream; each iteration runs it afresh. */
export function streamOf<I, T>(
  operation: string,
  ctx: Context,
  input: Iterable<I> | AsyncIterable<I>,
  fn: StreamFn<I, T>,
  options: StreamOptions | undefined,
  spawn: StreamSpawner,
): AsyncIterable<StreamItem<T, I>> {
  if (!isIterable(input)) throw new InvalidArgumentError(operation, 'input', input, 'an iterable or an async iterable');
  checkFn(operation, 'fn', fn);
  const settings = settingsOf(operation, options);
  return { [Symbol.asyncIterator]: () => run(operation, ctx, iteratorOf(input), fn, settings, spawn) };
}

async function* run<I, T>(operation: string, ctx: Context, it: AnyIterator<I>, fn: StreamFn<I, T>, s: Settings, spawn: StreamSpawner): AsyncGenerator<StreamItem<T, I>, void, undefined> {
  const rt = ctx.runtime;
  const entries = new Map<Ref, Entry<I>>();
  /** Entries in start order, from `head` on: the oldest running one's deadline bounds each wait. */
  let byAge: Array<Entry<I>> = [];
  let head = 0;
  /** Ordered mode: items that came before an earlier one's. */
  const ready = new Map<number, StreamItem<T, I>>();
  let started = 0;
  let delivered = 0;
  let inputDone = false;
  const trapping = rt.processInfo(ctx.self)?.trapExit === true;
  const match = (m: unknown): boolean => entries.has(refOf(m) as Ref);
  try {
    for (;;) {
      while (!inputDone && entries.size < s.max) {
        const next = it.next();
        const step = isPromise(next) ? await next : next; // a plain iterator costs no await
        if (step.done === true) {
          inputDone = true;
          break;
        }
        const item = step.value;
        const rec = new TaskRecord(ctx.self);
        const ok = await spawn(ctx, rec, (c) => replyWith(c, rec, fn(item, c)));
        if (!ok) throw new TaskError(operation, 'max_children', []);
        const deadline = s.timeout === 'infinity' ? Infinity : clockNow(rt) + s.timeout;
        const entry: Entry<I> = { rec, position: started++, deadline, input: s.zip ? item : undefined, state: RUNNING, value: undefined };
        entries.set(rec.ref, entry);
        byAge.push(entry);
      }
      if (inputDone && entries.size === 0) return;
      // The oldest task still running sets the wait.
      while (head < byAge.length && (byAge[head]!.state !== RUNNING || !entries.has(byAge[head]!.rec.ref))) head++;
      if (head > 1024 && head * 2 > byAge.length) {
        byAge = byAge.slice(head);
        head = 0;
      }
      const oldest = byAge[head];
      const wait = oldest === undefined || oldest.deadline === Infinity ? 'infinity' : Math.max(0, oldest.deadline - clockNow(rt));
      // What has come already is taken without a promise; only an empty wait parks.
      const queued = takeMatching(ctx, match);
      const msg = (queued !== NO_MESSAGE ? queued : await ctx.receive(match, wait)) as TaskReply | DownMessage | typeof TIMEOUT;
      if (msg === TIMEOUT) {
        oldest!.state = TIMED_OUT;
        ctx.unlink(oldest!.rec.pid);
        ctx.exit(oldest!.rec.pid, 'kill');
        continue;
      }
      const entry = entries.get(msg.ref)!;
      if (msg.type === 'task_reply') {
        entry.state = REPLIED;
        entry.value = msg.result;
        continue;
      }
      entries.delete(msg.ref);
      entry.rec.active = false;
      if (trapping) takeExit(ctx, entry.rec);
      let item: StreamItem<T, I>;
      if (entry.state === REPLIED) item = { type: 'ok', value: entry.value as T };
      else {
        if (entry.state === TIMED_OUT && !s.killTask) throw new TaskError(operation, 'timeout', [s.timeout]);
        const reason = entry.state === TIMED_OUT ? toExitReason('timeout') : msg.reason;
        item = s.zip ? { type: 'exit', reason, input: entry.input as I } : { type: 'exit', reason };
      }
      if (!s.ordered) {
        delivered++;
        yield item;
        continue;
      }
      ready.set(entry.position, item);
      for (let next = ready.get(delivered); next !== undefined; next = ready.get(delivered)) {
        ready.delete(delivered++);
        yield next;
      }
    }
  } finally {
    // Ended early, failed, or done: no task of this stream outlives it, and none of its messages stays.
    for (const { rec } of entries.values()) {
      rec.active = false;
      ctx.unlink(rec.pid);
      ctx.exit(rec.pid, 'kill'); // done on return: its DOWN is queued now
      ctx.demonitor(rec.ref, { flush: true });
      takeReply(ctx, rec);
      if (trapping) takeExit(ctx, rec);
    }
    entries.clear();
    if (!inputDone) await it.return?.();
  }
}

/** Takes the EXIT a linked task sent an owner that traps exits. */
function takeExit(ctx: Context, rec: TaskRecord): void {
  const pid = rec.pid;
  takeMatching(ctx, (m) => typeOf(m) === 'EXIT' && (m as ExitMessage).from === pid);
}
