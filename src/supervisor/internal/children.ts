/**
 * A supervisor's children: starting one, stopping one by its shutdown policy, what a child's
 * own exit means (its report, whether its restart type restarts it), the restart by strategy,
 * and counting restarts against the intensity. Shared by Supervisor and DynamicSupervisor.
 *
 * Stopping waits, with a selective receive on the supervisor's own context, for the child's
 * DOWN. Restart times are whole seconds on the runtime's clock, and only the last
 * `intensity + 1` are kept, so the bookkeeping does not grow with the number of restarts.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { ProcessExit } from '../../errors.js';
import { catchExits, clockNow, type ExitCatch, hasExited, NO_MESSAGE, takeMatching, takeRef } from '../../process/hooks.js';
import { formatReason, isExpectedExit, isPid, TIMEOUT, type Context, type DownMessage, type ExitMessage, type ExitReason, type Pid, type Ref } from '../../process/index.js';
import type { FullChildSpec, FullFlags } from '../child_spec.js';
import type { ChildCounts } from '../types.js';

/** One child: its spec and, while it runs, its pid; a link in its supervisor's list. */
export class Child {
  pid: Pid | undefined = undefined;
  /** The children started before and after it (see SupState); null at the ends and once removed. */
  prev: Child | null = null;
  next: Child | null = null;
  constructor(
    readonly spec: FullChildSpec,
    /** The id reports show: the spec's, or undefined for a dynamic child started without one (Elixir's `id: :undefined`). */
    readonly id: string | undefined,
  ) {}

  /** How report messages name the child: its id, else its pid. */
  get label(): string {
    return this.id ?? this.pid ?? '(no id)';
  }
}

/**
 * The supervisor's state. Internal and mutated in place: nothing outside this module sees it.
 *
 * The children are an intrusive doubly linked list in start order (a restarted child keeps its
 * place), with maps by pid and, for a Supervisor, by id, and counters kept as children come, go,
 * start and stop: a child's exit, removal or restart, a lookup and a count then cost the same
 * with a hundred children or a hundred thousand. Only what walks every child (a listing, a stop of
 * all, a group restart) grows with their number.
 */
export class SupState {
  first: Child | null = null;
  last: Child | null = null;
  /** Children in the list, running or not. */
  size = 0;
  /** Children of type 'supervisor'. */
  supervisors = 0;
  /** Running significant children (autoShutdown). */
  significantActive = 0;
  /** The running children, by pid: its size is how many run. */
  readonly byPid = new Map<Pid, Child>();
  /** By spec id, for a Supervisor, whose ids are unique; null for a DynamicSupervisor. */
  readonly #byId: Map<string, Child> | null;
  /** Times (whole seconds) of the most recent restarts, oldest first; at most intensity + 1. */
  readonly restarts: number[] = [];
  /** On while a child's start function runs: its `sup.exit(reason)` then ends the start, not the supervisor. */
  readonly catching: ExitCatch;
  constructor(
    ctx: Context,
    readonly flags: FullFlags,
    readonly name: string | undefined,
    uniqueIds = true,
  ) {
    this.#byId = uniqueIds ? new Map() : null;
    this.catching = catchExits(ctx);
  }

  find(id: string): Child | undefined {
    return this.#byId?.get(id);
  }

  /** Appends a child that has not started yet: it is the newest. */
  add(child: Child): void {
    child.prev = this.last;
    child.next = null;
    if (this.last === null) this.first = child;
    else this.last.next = child;
    this.last = child;
    this.size++;
    if (child.spec.type === 'supervisor') this.supervisors++;
    this.#byId?.set(child.spec.id, child);
  }

  /** Removes a child that is not running (its spec goes); nothing for one already removed. */
  remove(child: Child): void {
    if (child.prev === null && this.first !== child) return; // not in the list
    if (child.prev === null) this.first = child.next;
    else child.prev.next = child.next;
    if (child.next === null) this.last = child.prev;
    else child.next.prev = child.prev;
    child.prev = child.next = null;
    this.size--;
    if (child.spec.type === 'supervisor') this.supervisors--;
    this.#byId?.delete(child.spec.id);
  }

  /** The child runs as `pid`. */
  running(child: Child, pid: Pid): void {
    child.pid = pid;
    this.byPid.set(pid, child);
    if (child.spec.significant) this.significantActive++;
  }

  /** The child, which ran as `pid`, no longer runs. */
  stopped(child: Child, pid: Pid): void {
    child.pid = undefined;
    this.byPid.delete(pid);
    if (child.spec.significant) this.significantActive--;
  }

  /** The children from `from` (default: the first) to the last, in start order. */
  list(from: Child | null = this.first): Child[] {
    const out: Child[] = [];
    for (let c = from; c !== null; c = c.next) out.push(c);
    return out;
  }
}

export type Started = { readonly ok: true; readonly pid: Pid | undefined } | { readonly ok: false; readonly reason: unknown };

function isExitOf(pid: Pid): (msg: unknown) => boolean {
  return (msg) => typeof msg === 'object' && msg !== null && (msg as ExitMessage).type === 'EXIT' && (msg as ExitMessage).from === pid;
}

/** One supervisor report at error level. */
export function report(ctx: Context, st: SupState, label: string, fields: Record<string, unknown>, text: string): void {
  ctx.runtime.logger.error({ label, supervisor: st.name ?? ctx.self, ...fields }, text);
}

/**
 * Why a child is started: at the supervisor's init, by a restart, or by a call (`startChild`,
 * `restartChild`). OTP 25 reports failed starts at init and on restarts, not those of a call,
 * whose caller gets the reason; a restart that succeeds is reported at info.
 */
export type StartCause = 'init' | 'restart' | 'call';

/**
 * Runs a child's start function in the supervisor's process, catching whatever it does as OTP's
 * `catch apply(M, F, A)` does: a throw or a rejection, and `sup.exit(reason)` on the supervisor's
 * own context, which there ends the start, not the supervisor.
 */
export function startChild(ctx: Context, st: SupState, child: Child, cause: StartCause): Started | Promise<Started> {
  const catching = st.catching;
  catching.on = true;
  let result: unknown;
  try {
    result = child.spec.start(ctx);
  } catch (error) {
    catching.on = false;
    return started(ctx, st, child, cause, thrown(ctx, error));
  }
  if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
    return Promise.resolve(result).then(
      (value) => ((catching.on = false), started(ctx, st, child, cause, value)),
      (error: unknown) => ((catching.on = false), started(ctx, st, child, cause, thrown(ctx, error))),
    );
  }
  catching.on = false;
  // A start that returns a plain result (a spawnLink) is recorded at once: a group of a thousand
  // such children then costs no microtask per child.
  return started(ctx, st, child, cause, result);
}

/** The start result of a start function that threw: its own exit's reason, or `{ tag: 'error', cause }`. */
function thrown(ctx: Context, error: unknown): unknown {
  if (error instanceof ProcessExit && error.pid === ctx.self && !hasExited(ctx)) return { type: 'error', reason: error.reason };
  return { type: 'error', reason: { tag: 'error', cause: error } };
}

/** Records the outcome of a child's start function. */
function started(ctx: Context, st: SupState, child: Child, cause: StartCause, result: unknown): Started {
  const r = result as { type?: unknown; pid?: unknown; reason?: unknown } | null;
  const type = typeof r === 'object' && r !== null ? r.type : undefined;
  if (type === 'ok' && isPid(r!.pid)) {
    const pid = r!.pid;
    st.running(child, pid);
    const logger = ctx.runtime.logger;
    // Checked first: the record and its message were built for every start (4% of a one_for_all restart), and debug is usually off.
    if (cause === 'restart') {
      if (logger.isLevelEnabled('info')) logger.info({ label: 'supervisor.child_restarted', supervisor: st.name ?? ctx.self, id: child.id, pid }, `restarted child ${child.id === undefined ? '' : `${child.id} `}as ${pid}`);
    } else if (logger.isLevelEnabled('debug')) {
      logger.debug({ label: 'supervisor.progress', supervisor: st.name ?? ctx.self, id: child.id, pid }, `started child ${child.label}`);
    }
    return { ok: true, pid };
  }
  if (type === 'ignore') return { ok: true, pid: undefined };
  const reason = type === 'error' ? r!.reason : { tag: 'exit', value: { bad_return_value: result } };
  if (cause !== 'call') {
    const text = formatReason(reason as ExitReason);
    report(ctx, st, 'supervisor.start_error', { id: child.id, reason: text }, `child ${child.label} failed to start: ${text}`);
  }
  return { ok: false, reason };
}

/** A child told to stop: what finishShutdown waits for. */
interface Stopping {
  readonly child: Child;
  readonly pid: Pid;
  readonly ref: Ref;
  /** When the signal went out, on the runtime clock (ms). */
  readonly sentAt: number;
}

/**
 * Sends a running child its shutdown signal (after unlinking and monitoring it). Undefined when
 * it is already gone: it had exited (its EXIT, already in the mailbox, is taken), or the signal
 * ended it at once (a child that does not trap exits), whose DOWN is then taken.
 */
function beginShutdown(ctx: Context, st: SupState, child: Child): Stopping | undefined {
  const pid = child.pid;
  if (pid === undefined) return undefined;
  st.stopped(child, pid);
  ctx.unlink(pid); // no EXIT from now on; one already in the mailbox stays and tells the real reason
  const early = takeMatching(ctx, isExitOf(pid));
  if (early !== NO_MESSAGE) {
    checkShutdownReason(ctx, st, child, pid, (early as ExitMessage).reason);
    return undefined;
  }
  const ref = ctx.monitor(pid);
  ctx.exit(pid, child.spec.shutdown === 'brutal_kill' ? 'kill' : 'shutdown');
  // The kernel handles the signal inside exit(): a child it ended has its DOWN here already, and
  // needs neither a wait nor a clock reading.
  const down = takeRef(ctx, ref); // matched as finishShutdown's receiveRef matches it
  if (down !== NO_MESSAGE) {
    checkShutdownReason(ctx, st, child, pid, (down as DownMessage).reason);
    return undefined;
  }
  return { child, pid, ref, sentAt: clockNow(ctx.runtime) };
}

/** Waits for a stopping child's DOWN; kills it when its shutdown timeout runs out. */
async function finishShutdown(ctx: Context, st: SupState, s: Stopping): Promise<void> {
  const policy = s.child.spec.shutdown;
  const wait = typeof policy === 'number' ? Math.max(0, policy - (clockNow(ctx.runtime) - s.sentAt)) : 'infinity';
  let down = await ctx.receiveRef<DownMessage>(s.ref, wait);
  if (down === TIMEOUT) {
    ctx.exit(s.pid, 'kill');
    down = await ctx.receiveRef<DownMessage>(s.ref);
  }
  checkShutdownReason(ctx, st, s.child, s.pid, down.reason);
}

/**
 * Reports a stopped child whose exit reason is not the one its shutdown asks for, as OTP's
 * `shutdown_error`: `'killed'` for brutal_kill, `'shutdown'` otherwise (so a child killed after
 * its timeout is reported); a child that is not permanent may also have ended normally.
 */
function checkShutdownReason(ctx: Context, st: SupState, child: Child, pid: Pid, reason: ExitReason): void {
  const wanted = child.spec.shutdown === 'brutal_kill' ? 'killed' : 'shutdown';
  if (reason === wanted || reason === 'noproc') return;
  if (child.spec.restart !== 'permanent' && isExpectedExit(reason)) return;
  report(ctx, st, 'supervisor.shutdown_error', { id: child.id, pid, reason: formatReason(reason) }, `child ${child.id ?? pid} exited with ${formatReason(reason)} when stopped`);
}

/** What `countChildren` reports for `st`'s children. */
export function countChildren(st: SupState): ChildCounts {
  return { specs: st.size, active: st.byPid.size, supervisors: st.supervisors, workers: st.size - st.supervisors };
}

/** Stops one running child by its shutdown policy and waits until it has exited. */
export async function shutdownChild(ctx: Context, st: SupState, child: Child): Promise<void> {
  const stopping = beginShutdown(ctx, st, child);
  if (stopping !== undefined) await finishShutdown(ctx, st, stopping);
}

/** Stops running children all at once (DynamicSupervisor): every signal first, then every wait. */
export async function shutdownTogether(ctx: Context, st: SupState, children: readonly Child[]): Promise<void> {
  const stopping: Stopping[] = [];
  for (const child of children) {
    const s = beginShutdown(ctx, st, child);
    if (s !== undefined) stopping.push(s);
  }
  for (const s of stopping) await finishShutdown(ctx, st, s);
}

/** Stops every running child in `children`, last first. */
export async function shutdownAll(ctx: Context, st: SupState, children: readonly Child[]): Promise<void> {
  for (let i = children.length - 1; i >= 0; i--) await shutdownChild(ctx, st, children[i]!);
}

/** Counts a restart; false when that makes more than `intensity` within `period`. */
export function addRestart(ctx: Context, st: SupState): boolean {
  const now = Math.floor(clockNow(ctx.runtime) / 1000);
  const r = st.restarts;
  r.push(now);
  while (r.length > 0 && r[0]! < now - st.flags.period) r.shift();
  if (r.length > st.flags.intensity) {
    if (r.length > st.flags.intensity + 1) r.shift();
    return false;
  }
  return true;
}

/** The child an EXIT message is from, marked stopped; undefined for any other message (an old child's EXIT too). */
export function exitedChild(st: SupState, msg: unknown): { readonly child: Child; readonly pid: Pid; readonly reason: ExitReason } | undefined {
  const exit = msg as Partial<ExitMessage> | null;
  if (typeof exit !== 'object' || exit === null || exit.type !== 'EXIT') return undefined;
  const pid = exit.from!;
  const child = st.byPid.get(pid);
  if (child === undefined) return undefined;
  st.stopped(child, pid);
  return { child, pid, reason: exit.reason! };
}

/**
 * A child exited on its own: reports it as OTP does (a permanent child always, others only for
 * an unexpected reason) and says whether its restart type restarts it.
 */
export function noteExit(ctx: Context, st: SupState, child: Child, pid: Pid, reason: ExitReason): boolean {
  const type = child.spec.restart;
  const expected = isExpectedExit(reason);
  if (type === 'permanent' || !expected) {
    const name = child.id === undefined ? pid : `${child.id} (${pid})`;
    report(ctx, st, 'supervisor.child_terminated', { id: child.id, pid, reason: formatReason(reason), restart: type }, `child ${name} terminated: ${formatReason(reason)}`);
  }
  return type === 'permanent' || (type === 'transient' && !expected);
}

/** The report of a supervisor that gives up: more restarts than its intensity allows. */
export function reportGiveUp(ctx: Context, st: SupState): void {
  report(ctx, st, 'supervisor.shutdown', { reason: 'reached_max_restart_intensity' }, `supervisor ${st.name ?? ctx.self} reached its restart intensity and is shutting down`);
}

/**
 * Restarts `child` as the strategy says: it alone, or its group (every child, or it and those
 * after it), the others stopped last first and all started in order. Returns the child whose
 * start failed (the rest of the group is then left stopped), or undefined.
 */
async function restartByStrategy(ctx: Context, st: SupState, child: Child): Promise<Child | undefined> {
  switch (st.flags.strategy) {
    case 'one_for_one':
      return (await startChild(ctx, st, child, 'restart')).ok ? undefined : child;
    case 'one_for_all':
    case 'rest_for_one': {
      const group = st.list(st.flags.strategy === 'one_for_all' ? st.first : child);
      await shutdownAll(ctx, st, group);
      // Temporary children stopped by a group restart are not restarted: their specs go.
      const restarted = group.filter((c) => c === child || c.spec.restart !== 'temporary');
      for (const c of group) if (c !== child && c.spec.restart === 'temporary') st.remove(c);
      for (const c of restarted) {
        let outcome = startChild(ctx, st, c, 'restart');
        if (outcome instanceof Promise) outcome = await outcome; // only when the start is async
        if (!outcome.ok) return c;
      }
      return undefined;
    }
    default: {
      const strategy: never = st.flags.strategy; // checkFlags admits no other
      throw new Error(`unknown strategy ${String(strategy)}`);
    }
  }
}

/**
 * Restarts `child` by the strategy, counting the restart. A failed start is tried again at once,
 * as OTP's try_again_restart does: another restart, of the child that failed, by the same
 * strategy (so one_for_all stops and starts the whole group again). False: the intensity was reached.
 */
export async function restart(ctx: Context, st: SupState, child: Child): Promise<boolean> {
  for (let next: Child | undefined = child; next !== undefined; ) {
    if (!addRestart(ctx, st)) return false;
    next = await restartByStrategy(ctx, st, next);
  }
  return true;
}

