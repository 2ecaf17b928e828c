/**
 * Helpers for supervisor tests: the generic worker of the Erlang oracle's `lib/sup.hrl`, and a
 * trace that records its events and names pids as the oracle's traces do.
 *
 * - {@link Trace}: worker events (`start a`, `stopping a shutdown`, `stop a boom`) and the test's
 *   own lines, in the order they happen. Pids are named after the child that owns them: the first
 *   pid of child `b` is `b`, the next `'b#2'`, as in the catalog's traces, and {@link Trace.show}
 *   prints values in the traces' Erlang-like notation, so a test can compare its lines with the
 *   `.trace` file line for line.
 * - {@link wspec}: a child spec for the worker (traps exits unless `trap: false`, shutdown 1000
 *   unless overridden), {@link crash}: make a worker stop itself with a reason (its terminate runs),
 *   {@link exitChild}: the same, waiting until the supervisor has dealt with the exit,
 *   {@link childPid} and {@link children}: which_children as the oracle's helpers read it.
 *
 * @module
 */
import { GenServer, isPid, Next, Supervisor, type Context, type ExitMessage, type Pid, type Runtime } from 'ts-otp';
import { watch } from './probes.js';

/** Worker options, as `lib/sup.hrl`'s `WOpts`. */
export interface WorkerOpts {
  /** Trap exits (default true); a worker that does not is killed by the shutdown signal without terminate. */
  readonly trap?: boolean;
  /**
   * What init does (default `'ok'`): `{ stop: R }` makes it return stop; `failAfter: n` fails every
   * start of this id after the n-th, `failOn: [k, ...]` the k-th ones (failing with `{ start_failed: k }`).
   */
  readonly init?: 'ok' | 'ignore' | { readonly stop: unknown } | { readonly failAfter: number } | { readonly failOn: readonly number[] };
  /** terminate logs `stopping <id> <reason>`, then waits this long (ms of the runtime clock) before `stop <id> <reason>`. */
  readonly stopDelay?: number | 'infinity';
}

interface Waiter {
  readonly line: string;
  readonly count: number;
  readonly resolve: () => void;
}

/** Lines in the order they happened, with pids named after their child. */
export class Trace {
  readonly lines: string[] = [];
  readonly #names = new Map<Pid, string>();
  readonly #taken = new Map<string, number>();
  readonly #starts = new Map<string, number>();
  #waiters: Waiter[] = [];

  /** Names `pid` after `id` unless it has a name: `id`, then `'id#2'`, `'id#3'`. */
  name(pid: Pid, id: string): string {
    const known = this.#names.get(pid);
    if (known !== undefined) return known;
    const n = (this.#taken.get(id) ?? 0) + 1;
    this.#taken.set(id, n);
    const name = n === 1 ? id : `'${id}#${n}'`;
    this.#names.set(pid, name);
    return name;
  }

  /** How many times a worker of `id` has run init. */
  bumpStarts(id: string): number {
    const n = (this.#starts.get(id) ?? 0) + 1;
    this.#starts.set(id, n);
    return n;
  }

  log(...parts: unknown[]): void {
    const line = parts.map((p) => this.show(p)).join(' ');
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.count(w.line) < w.count) return true;
      w.resolve();
      return false;
    });
  }

  count(line: string): number {
    return this.lines.filter((l) => l === line).length;
  }

  /** Resolves once `line` has been logged `count` times (the oracle's `wait_line`). */
  until(line: string, count = 1): Promise<void> {
    if (this.count(line) >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ line, count, resolve }));
  }

  /** A value in the traces' notation: `boom`, `{shutdown,x}`, `{ok,'b#2'}`, `{'EXIT',sup,shutdown}`. */
  show(value: unknown): string {
    if (value === undefined) return 'undefined';
    if (typeof value === 'string') return isPid(value) ? (this.#names.get(value) ?? value) : value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.show(v)).join(',')}]`;
    if (typeof value === 'object' && value !== null) {
      const v = value as Record<string, unknown>;
      if (v['type'] === 'EXIT') return `{'EXIT',${this.show(v['from'])},${this.show(v['reason'])}}`;
      if (v['type'] === 'DOWN') return `{'DOWN',${this.show(v['pid'])},${this.show(v['reason'])}}`;
      if (v['type'] === 'ok') return 'pid' in v ? `{ok,${this.show(v['pid'])}}` : 'ok';
      if (v['type'] === 'error') return `{error,${this.show(v['reason'])}}`;
      if (v['type'] === 'ignore') return 'ignore';
      if (v['tag'] === 'exit') return this.show(v['value']);
      if (v['tag'] === 'shutdown') return `{shutdown,${this.show(v['detail'])}}`;
      if (v['tag'] === 'failed_to_start_child') return `{failed_to_start_child,${this.show(v['id'])},${this.show(v['reason'])}}`;
      if (v['tag'] === 'already_started') return `{already_started,${this.show(v['pid'])}}`;
      return `[${Object.entries(v).map(([k, x]) => `{${k},${this.show(x)}}`).join(',')}]`; // a record: [{specs,3},...]
    }
    return String(value);
  }
}

interface WorkerProtocol {
  arg: { readonly id: string; readonly trace: Trace; readonly opts: WorkerOpts };
  state: { readonly id: string; readonly trace: Trace; readonly opts: WorkerOpts };
  call: { readonly type: 'ping' };
  reply: { ping: 'pong' };
  cast: { readonly type: 'stop'; readonly reason: unknown };
}

const workerBehaviour: GenServer.Behaviour<WorkerProtocol> = {
  init: (arg, ctx) => {
    const { id, trace, opts } = arg;
    trace.name(ctx.self, id);
    ctx.trapExit(opts.trap ?? true);
    trace.log('start', id);
    const n = trace.bumpStarts(id);
    const init = opts.init ?? 'ok';
    if (init === 'ignore') return Next.ignore();
    if (typeof init === 'object' && 'stop' in init) return Next.stop(init.stop);
    if (typeof init === 'object' && 'failAfter' in init && n > init.failAfter) return Next.stop({ start_failed: n });
    if (typeof init === 'object' && 'failOn' in init && init.failOn.includes(n)) return Next.stop({ start_failed: n });
    return Next.ok(arg);
  },
  handleCall: { ping: (_req, _from, s) => Next.reply('pong', s) },
  handleCast: { stop: ({ reason }, s) => Next.stop(reason, s) },
  terminate: async (reason, { id, trace, opts }, ctx) => {
    if (opts.stopDelay !== undefined) {
      trace.log('stopping', id, reason);
      await ctx.receive(() => false, opts.stopDelay);
    }
    trace.log('stop', id, reason);
  },
};

/** A child spec of the oracle's worker: `wspec(Id, WOpts, Extra)` with shutdown 1000 by default. */
export function wspec(trace: Trace, id: string, opts: WorkerOpts = {}, extra: Supervisor.WorkerOptions = {}): Supervisor.ChildSpec {
  return Supervisor.worker(id, workerBehaviour, { id, trace, opts }, { shutdown: 1000, ...extra });
}

/** Makes worker `pid` stop itself with `reason`: its terminate runs (`stop <id> <reason>`). */
export function crash(pid: Pid | undefined | 'restarting', reason: unknown): void {
  if (!isPid(pid)) throw new Error(`crash: not a running child: ${String(pid)}`);
  GenServer.cast<WorkerProtocol>(pid, { type: 'stop', reason });
}

/** Makes worker child `id` stop itself with `reason` and waits until the supervisor has dealt with it. */
export async function exitChild(rt: Runtime, sup: Pid, id: string, reason: unknown): Promise<void> {
  const pid = await childPid(sup, id);
  const w = await watch(rt, [pid]);
  crash(pid, reason);
  await w.down(pid);
  await Supervisor.countChildren(sup); // answered after the EXIT
}

/** The pid of child `id`; throws if it is not running. */
export async function childPid(sup: Supervisor.SupervisorRef, id: string): Promise<Pid> {
  const child = (await Supervisor.whichChildren(sup)).find((c) => c.id === id);
  if (child === undefined || !isPid(child.pid)) throw new Error(`childPid: ${id} is not running`);
  return child.pid;
}

/** which_children as `[{Id, PidName}]`, newest first, in the traces' notation. */
export async function children(trace: Trace, sup: Supervisor.SupervisorRef): Promise<string> {
  const list = await Supervisor.whichChildren(sup);
  return `[${list.map((c) => `{${c.id},${trace.show(c.pid)}}`).join(',')}]`;
}

/** `true` for an EXIT message, and from `from` only when it is passed. */
export function isExit(msg: unknown, from?: Pid): msg is ExitMessage {
  return typeof msg === 'object' && msg !== null && (msg as ExitMessage).type === 'EXIT' && (from === undefined || (msg as ExitMessage).from === from);
}

/** A start function whose child just waits: linked to the supervisor, alive until it is stopped. */
export const idle = (sup: Context): Supervisor.ChildStartResult => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
