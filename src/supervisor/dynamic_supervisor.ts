/**
 * DynamicSupervisor: children started on demand, each from its own spec, restarted one_for_one.
 *
 * Like Elixir's DynamicSupervisor and OTP's simple_one_for_one: `startChild(sup, spec)` starts a
 * child and returns its pid; `terminateChild(sup, pid)` stops one by pid (`'not_found'` for a pid
 * that is not a child, or no longer one, as Elixir); `maxChildren` caps how many run (`'max_children'` past it);
 * `extraArguments` are passed to every child's start after the supervisor's context. Restart
 * types and the restart intensity work as in a Supervisor; a child that is not restarted is
 * forgotten. Stopping the supervisor signals all children at once, then waits for each.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import * as GenServer from '../gen_server/index.js';
import { defaultRuntime, isPid, type Context, type Pid, type Runtime, type Via } from '../process/index.js';
import { checkChildSpec, checkFlags } from './child_spec.js';
import { dynamicBehaviour, type DynProtocol } from './internal/dynamic_server.js';
import { ask } from './internal/requests.js';
import type { ChildCounts, DynamicChildInfo, DynamicChildSpec, DynamicStartChildResult, DynamicSupervisorName, DynamicSupervisorPid, DynamicSupervisorRef } from './types.js';

/**
 * The outcome of starting a dynamic supervisor, as Erlang's `{ok, Pid} | ignore | {error, Reason}`.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
 * const again: DynamicSupervisor.DynamicSupervisorStartResult = await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
 * expect(again).toMatchObject({ type: 'error', reason: { tag: 'already_started' } });
 * await DynamicSupervisor.stop(DynamicSupervisor.named('jobs', rt));
 * ```
 */
export type DynamicSupervisorStartResult =
  | { readonly type: 'ok'; readonly pid: DynamicSupervisorPid }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: GenServer.StartError };

/**
 * A dynamic supervisor's flags and where to start it.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: DynamicSupervisor.DynamicSupervisorOptions = { runtime: rt, name: 'conns', maxChildren: 1000, intensity: 10, period: 5 };
 * const started = await DynamicSupervisor.start(options);
 * expect(started.type).toBe('ok');
 * await DynamicSupervisor.stop(DynamicSupervisor.named('conns', rt));
 * ```
 */
export interface DynamicSupervisorOptions {
  /** The runtime for `start` (default: the default runtime); `startLink` uses the parent's. */
  readonly runtime?: Runtime;
  readonly name?: string | Via;
  /** Default 1, as a Supervisor's. */
  readonly intensity?: number;
  /** Seconds, default 5. */
  readonly period?: number;
  /** Default: no limit. */
  readonly maxChildren?: number;
  /** Passed to every child's start after the supervisor's context. */
  readonly extraArguments?: readonly unknown[];
}


function argOf(operation: string, options: DynamicSupervisorOptions | undefined) {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  const o = options ?? {};
  const flags = checkFlags({ strategy: 'one_for_one', children: [], ...(o.intensity === undefined ? {} : { intensity: o.intensity }), ...(o.period === undefined ? {} : { period: o.period }) });
  const maxChildren = o.maxChildren ?? Infinity;
  if (maxChildren !== Infinity && (!Number.isInteger(maxChildren) || maxChildren < 0)) {
    throw new InvalidArgumentError(operation, 'options.maxChildren', o.maxChildren, 'an integer >= 0');
  }
  if (o.extraArguments !== undefined && !Array.isArray(o.extraArguments)) {
    throw new InvalidArgumentError(operation, 'options.extraArguments', o.extraArguments, 'an array');
  }
  return { flags, maxChildren, extra: o.extraArguments ?? [], name: typeof o.name === 'string' ? o.name : undefined }; // for reports
}

/**
 * Starts a dynamic supervisor not linked to anyone, from plain code.
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await DynamicSupervisor.start({ runtime: rt, maxChildren: 1, extraArguments: ['job'] });
 * if (started.type !== 'ok') throw new Error('no start');
 * const job: DynamicSupervisor.DynamicChildSpec = {
 *   restart: 'temporary',
 *   start: (sup, kind) => ({ type: 'ok', pid: sup.spawnLink(async (ctx) => { ctx.send('nobody-listens', kind); }) }),
 * };
 * const first = await DynamicSupervisor.startChild(started.pid, { ...job, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) });
 * expect(first.type).toBe('ok');
 * expect(await DynamicSupervisor.startChild(started.pid, job)).toEqual({ type: 'error', reason: 'max_children' });
 * expect((await DynamicSupervisor.countChildren(started.pid)).active).toBe(1);
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export function start(options?: DynamicSupervisorOptions): Promise<DynamicSupervisorStartResult> {
  const arg = argOf('DynamicSupervisor.start', options);
  const runtime = options?.runtime ?? defaultRuntime();
  return GenServer.start(dynamicBehaviour, arg, options?.name === undefined ? { runtime } : { runtime, name: options.name }) as Promise<DynamicSupervisorStartResult>;
}

/**
 * Starts a dynamic supervisor linked to the calling process `parent`. As the start of a child
 * spec of `type: 'supervisor'`, it puts a DynamicSupervisor in a Supervisor's tree: register it
 * under a name to reach it from plain code, since its pid changes when it is restarted.
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @see {@link start}
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const root = await Supervisor.start(
 *   { children: [{ id: 'jobs', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup, { name: 'jobs', maxChildren: 100 }) }] },
 *   { runtime: rt },
 * );
 * if (root.type !== 'ok') throw new Error('no start');
 * const jobs = DynamicSupervisor.named('jobs', rt);
 * const job = await DynamicSupervisor.startChild(jobs, { restart: 'temporary', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) });
 * expect(job.type).toBe('ok');
 * expect(await Supervisor.whichChildren(root.pid)).toEqual([{ id: 'jobs', pid: expect.any(String), type: 'supervisor' }]);
 * await Supervisor.stop(root.pid); // stops jobs, which stops its children
 * ```
 */
export function startLink(parent: Context, options?: Omit<DynamicSupervisorOptions, 'runtime'>): Promise<DynamicSupervisorStartResult> {
  const arg = argOf('DynamicSupervisor.startLink', options);
  return GenServer.startLink(parent, dynamicBehaviour, arg, options?.name === undefined ? {} : { name: options.name }) as Promise<DynamicSupervisorStartResult>;
}

/**
 * Starts a child from `spec` under the supervisor, linked to it: `{ type: 'ok', pid }`,
 * `{ type: 'ignore' }` when its start returned ignore (nothing is kept), or an error with the
 * start's reason or `'max_children'`. The spec's `id` is optional: reports show it.
 *
 * @throws {@link ChildSpecError} for a bad spec, before the supervisor is asked.
 * @see {@link start}
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: DynamicSupervisor.DynamicChildSpec = { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await DynamicSupervisor.startChild(started.pid, { ...idle, id: 'job-1' });
 * if (child.type !== 'ok') throw new Error('no child');
 * expect(rt.processInfo(child.pid)?.links).toEqual([started.pid]);
 * expect(await DynamicSupervisor.startChild(started.pid, { start: () => ({ type: 'error', reason: 'no work' }) })).toEqual({ type: 'error', reason: 'no work' });
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export function startChild(sup: DynamicSupervisorRef, spec: DynamicChildSpec): Promise<DynamicStartChildResult> {
  const isObject = typeof spec === 'object' && spec !== null;
  const id = isObject ? spec.id : undefined;
  // The spec check wants an id; reports show the child's own, or none (see Child.id).
  const full = checkChildSpec(isObject ? { ...spec, id: id ?? 'dynamic' } : spec, 0);
  return ask('DynamicSupervisor.startChild', 'dynamic', sup, { type: 'dynamic_start_child', spec: full, id });
}

/**
 * Stops the child `pid` by its shutdown policy and forgets it. `'not_found'` for a pid that is not
 * a child of this supervisor, one that has already exited included, as Elixir's
 * `DynamicSupervisor.terminate_child/2` answers (OTP's simple_one_for_one answers `ok` for an
 * exited pid).
 *
 * @throws {@link InvalidArgumentError} when `pid` is not a pid.
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: DynamicSupervisor.DynamicChildSpec = { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await DynamicSupervisor.startChild(started.pid, idle);
 * if (child.type !== 'ok') throw new Error('no child');
 * expect(await DynamicSupervisor.terminateChild(started.pid, child.pid)).toEqual({ type: 'ok' });
 * expect(rt.isAlive(child.pid)).toBe(false);
 * expect(await DynamicSupervisor.terminateChild(started.pid, child.pid)).toEqual({ type: 'error', reason: 'not_found' });
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export function terminateChild(sup: DynamicSupervisorRef, pid: Pid): Promise<{ readonly type: 'ok' } | { readonly type: 'error'; readonly reason: 'not_found' }> {
  if (!isPid(pid)) throw new InvalidArgumentError('DynamicSupervisor.terminateChild', 'pid', pid, 'a pid');
  return ask('DynamicSupervisor.terminateChild', 'dynamic', sup, { type: 'dynamic_terminate_child', pid });
}

/**
 * The running children, oldest first (the order they were started in; a restarted child keeps
 * its place), each with its pid and type. Unlike a Supervisor's, the list has no ids and no
 * stopped children: a child that is not running is forgotten.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: DynamicSupervisor.DynamicChildSpec = { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const first = await DynamicSupervisor.startChild(started.pid, idle);
 * const second = await DynamicSupervisor.startChild(started.pid, idle);
 * if (first.type !== 'ok' || second.type !== 'ok') throw new Error('no child');
 * expect(await DynamicSupervisor.whichChildren(started.pid)).toEqual([
 *   { pid: first.pid, type: 'worker' },
 *   { pid: second.pid, type: 'worker' },
 * ]);
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export function whichChildren(sup: DynamicSupervisorRef): Promise<DynamicChildInfo[]> {
  return ask('DynamicSupervisor.whichChildren', 'dynamic', sup, { type: 'dynamic_which_children' });
}

/**
 * How many children, running children, supervisors and workers. Every child counted runs (a
 * child that is not running is forgotten), so `specs` and `active` are equal but while a restart
 * is under way, as in Elixir.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: DynamicSupervisor.DynamicChildSpec = { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await DynamicSupervisor.startChild(started.pid, idle);
 * expect(await DynamicSupervisor.countChildren(started.pid)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export function countChildren(sup: DynamicSupervisorRef): Promise<ChildCounts> {
  return ask('DynamicSupervisor.countChildren', 'dynamic', sup, { type: 'dynamic_count_children' });
}

/**
 * Stops the supervisor: every child is signalled at once, then each is waited for by its
 * shutdown policy; then it exits with `reason`. Resolves once it has exited.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: DynamicSupervisor.DynamicChildSpec = { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const child = await DynamicSupervisor.startChild(started.pid, idle);
 * if (child.type !== 'ok') throw new Error('no child');
 * await DynamicSupervisor.stop(started.pid);
 * expect(rt.isAlive(child.pid)).toBe(false);
 * ```
 */
export function stop(sup: DynamicSupervisorRef, reason: unknown = 'shutdown'): Promise<void> {
  return GenServer.stop(sup as GenServer.ServerRef<DynProtocol>, reason);
}

/**
 * A reference to the dynamic supervisor registered as `name` in `runtime` (the default runtime
 * when omitted), looked up at each call.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
 * const jobs = DynamicSupervisor.named('jobs', rt);
 * expect(await DynamicSupervisor.whichChildren(jobs)).toEqual([]);
 * await DynamicSupervisor.stop(jobs);
 * ```
 */
export function named(name: string | Via, runtime?: Runtime): DynamicSupervisorName {
  return typeof name === 'string' ? GenServer.named(name, runtime) : GenServer.named(name);
}

export type { DynamicChildInfo, DynamicChildSpec, DynamicStartChildResult, DynamicSupervisorName, DynamicSupervisorPid, DynamicSupervisorRef };
