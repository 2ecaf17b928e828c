/**
 * Kernel hooks for the behaviours built on it (GenServer, Supervisor): not part of the public API.
 *
 * A behaviour runs its own message loop inside a process. These hooks let that loop take
 * messages without a promise each, learn when its process has exited however it ended, keep one
 * object per process that callers find by pid, share the runtime's deadline queues, and run its
 * cleanup when its process calls `ctx.exit` on itself.
 *
 * The layers import this file directly; neither src/process/index.ts nor the package's entry
 * re-exports it, so none of it is reachable from `ts-otp` (test/package/surface.test.ts checks).
 * Each export is also marked internal, so the reference leaves it out.
 *
 * @module
 */
import { ProcessExit } from '../errors.js';
import type { Context } from './context.js';
import type { ExitReason } from './exit_reason.js';
import type { Deadline } from './internal/deadlines.js';
import { mailboxFor, type ExitHook, type Proc } from './internal/kernel.js';
import { runtimeOf, type Runtime, type RuntimeClock } from './runtime.js';
import { runtimeOf as runtimeIndexOf, type Pid, type Ref } from './pid.js';

/** @internal what {@link takeMessage} returns for an empty mailbox */
export const NO_MESSAGE: unique symbol = Symbol('ts-otp.no_message');

const procOf = (ctx: Context): Proc => ctx as unknown as Proc;

/** @internal the oldest message at once, or NO_MESSAGE */
export function takeMessage(ctx: Context): unknown {
  const proc = procOf(ctx);
  return proc.k.takeMessage(proc, NO_MESSAGE);
}

/** @internal the oldest message `match` accepts, taken at once, or NO_MESSAGE */
export function takeMatching(ctx: Context, match: (msg: unknown) => boolean): unknown {
  const proc = procOf(ctx);
  return proc.k.takeMatching(proc, match, NO_MESSAGE);
}

/** @internal the oldest message whose `ref` field is `ref` (a monitor's DOWN), taken at once, or NO_MESSAGE */
export function takeRef(ctx: Context, ref: Ref): unknown {
  const proc = procOf(ctx);
  return proc.k.takeRef(proc, ref, NO_MESSAGE);
}

/** @internal waits for the next message and calls `onMessage` with it (or TIMEOUT) from the kernel's microtask */
export function awaitMessage(ctx: Context, onMessage: (msg: unknown) => void, timeout: number | 'infinity'): void {
  const proc = procOf(ctx);
  proc.k.awaitMessage(proc, onMessage, timeout);
}

/** @internal calls `onExit` once the process has exited, with its reason, whatever ended it */
export function onProcessExit(ctx: Context, onExit: (reason: ExitReason) => void): void {
  watchExit(procOf(ctx), onExit);
}

function watchExit(proc: Proc, onExit: (reason: ExitReason) => void): void {
  proc.k.watch(proc, (reason) => onExit(reason));
}

/**
 * @internal calls `onExit` once process `pid` has exited, with its reason, whatever ended it, even
 * before its body first ran; false (no call) for a pid with no live process. One such callback
 * per process: a later one, or {@link onProcessExit}, replaces it.
 */
export function onPidExit(pid: Pid, onExit: (reason: ExitReason) => void): boolean {
  const proc = runtimeOf(pid)?.kernel.procs.get(pid);
  if (proc === undefined) return false;
  watchExit(proc, onExit);
  return true;
}

export type { ExitHook } from './internal/kernel.js';

/** @internal the context of the live process `pid` of `rt`, without a start of its own; undefined when it has exited */
export function liveContext(rt: Runtime, pid: Pid): Context | undefined {
  return rt.kernel.procs.get(pid);
}

/**
 * @internal runs `hook` inside the kernel the moment the process exits, before its links and
 * monitors fire (a registry drops the process's entries so). The process must be alive.
 */
export function addExitHook(ctx: Context, hook: ExitHook): void {
  const x = procOf(ctx).k.extra(procOf(ctx));
  if (x.hooks === null) x.hooks = [hook];
  else x.hooks.push(hook);
}

/** @internal the process's exit hook whose key is `key`, if any */
export function findExitHook(ctx: Context, key: object): ExitHook | undefined {
  const hooks = procOf(ctx).x?.hooks ?? null;
  if (hooks === null) return undefined;
  for (const hook of hooks) if (hook.key === key) return hook;
  return undefined;
}

/** @internal removes an exit hook added with {@link addExitHook}; nothing when it is not there */
export function removeExitHook(ctx: Context, hook: ExitHook): void {
  const x = procOf(ctx).x;
  const hooks = x?.hooks ?? null;
  if (hooks === null) return;
  const i = hooks.indexOf(hook);
  if (i < 0) return;
  if (hooks.length === 1) x!.hooks = null;
  else hooks.splice(i, 1);
}

/** @internal the name the process is registered under now, if any: no lookup, a field read */
export function registeredName(ctx: Context): string | undefined {
  return procOf(ctx).x?.name;
}

/** @internal whether the process has exited (at once, before exit callbacks run) */
export function hasExited(ctx: Context): boolean {
  const proc = procOf(ctx);
  return proc.k.hasExited(proc);
}

/** @internal puts `msg` in the process's own mailbox, as a send to it would, without looking its pid up */
export function deliverTo(ctx: Context, msg: unknown): void {
  const proc = procOf(ctx);
  proc.k.deliver(proc, msg);
}

/** @internal ends the process with `reason` without throwing (its signals are sent before this returns) */
export function endProcess(ctx: Context, reason: ExitReason): void {
  const proc = procOf(ctx);
  proc.k.terminate(proc, reason);
}

/** @internal checks a start's spawn options where it is called, naming them as `argument` */
export function checkSpawnOptions(operation: string, argument: string, options: unknown): void {
  mailboxFor(operation, options, argument);
}

/** @internal see {@link catchExits} */
export interface ExitCatch {
  /** While true, `ctx.exit(reason)` throws without ending the process. */
  on: boolean;
}

/**
 * @internal a switch for `ctx`'s process: while it is on, `ctx.exit(reason)` throws
 * {@link ProcessExit} without ending the process, as Erlang's `catch` makes `exit/1` a value. A
 * supervisor runs its children's start functions in its own process so. `exit(pid, reason)` keeps
 * its effect. Made once per process, in front of the behaviour's own handler (see
 * {@link interceptOwnExit}): flipping it costs a field write.
 */
export function catchExits(ctx: Context): ExitCatch {
  const proc = procOf(ctx);
  const x = proc.k.extra(proc);
  const scope: ExitCatch = { on: false };
  const behind = x.onOwnExit;
  x.onOwnExit = (reason) => scope.on || (behind !== null && behind(reason));
  return scope;
}

/** @internal attaches a behaviour's object to its process */
export function setProcessData(ctx: Context, data: unknown): void {
  const proc = procOf(ctx);
  proc.k.extra(proc).data = data;
}

/** @internal the object attached to a live process, by pid */
export function processData(pid: Pid): unknown {
  return runtimeOf(pid)?.kernel.procs.get(pid)?.x?.data ?? undefined; // the table checks the whole pid
}

/** @internal whether `pid`, a pid that `rt` can reach, is a process of another node */
export function isRemote(pid: Pid, rt: Runtime): boolean {
  return runtimeIndexOf(pid, 'pid') !== rt.kernel.id;
}

/** @internal the name of the node `rt` is, or undefined for a runtime that is not a node */
export function nodeName(rt: Runtime): string | undefined {
  return rt.kernel.remote?.name;
}

/** @internal the object attached to the live process registered as `name` */
export function namedProcessData(name: string, rt: Runtime): unknown {
  return rt.kernel.names.get(name)?.x?.data ?? undefined;
}

/** @internal deadlines on the runtime's clock, one host timer per distinct duration at a time */
export interface DeadlineQueue<T> {
  add(owner: T, ms: number): Deadline<T>;
  cancel(deadline: Deadline<T>): void;
}

/** @internal a deadline queue on `rt`'s clock; `expire` runs for each owner whose time is up */
export function deadlineQueue<T>(rt: Runtime, expire: (owner: T) => void): DeadlineQueue<T> {
  return rt.kernel.newDeadlines(expire);
}

/** @internal milliseconds on `rt`'s clock */
export function clockNow(rt: Runtime): number {
  return rt.kernel.clock.now();
}

/** @internal a timer on `rt`'s clock, for behaviours' own timeouts (an init timeout) */
export function clockTimer(rt: Runtime, ms: number, fire: () => void): () => void {
  const clock = rt.kernel.clock;
  const handle = clock.setTimeout(fire, ms);
  return () => clock.clearTimeout(handle);
}

/** @internal the clock `rt` takes its time from: the test kit (src/testing) asks whether it is a virtual one */
export function clockOf(rt: Runtime): RuntimeClock {
  return rt.kernel.clock;
}

/** @internal timers of `rt` set with sendAfter or startTimer that have neither fired nor been cancelled */
export function liveTimers(rt: Runtime): number {
  return rt.kernel.liveTimers();
}

/**
 * @internal Routes this process's own `ctx.exit(reason)` (the one-argument form, while it is
 * alive) through `onExit` first, so a behaviour can run its cleanup before the process ends, as
 * Erlang's `exit/1` is an exception that gen_server's loop catches to run terminate. `onExit`
 * returns true when it has taken the exit on (it ends the process now or once its cleanup is
 * done): `ctx.exit` then only throws {@link ProcessExit} to unwind. Otherwise the kernel ends the
 * process as usual.
 */
export function interceptOwnExit(ctx: Context, onExit: (reason: ExitReason) => boolean): void {
  const proc = procOf(ctx);
  proc.k.extra(proc).onOwnExit = onExit;
}

/** @internal an error as a crash report shows it: ts-otp's own stack frames left out */
export { reportedError } from './internal/report.js';
