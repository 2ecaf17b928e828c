/**
 * Supervisor: starts children, restarts them when they exit, and stops them in order.
 *
 * Declared in code: `{ strategy, intensity, period, autoShutdown, children }`. A supervisor traps
 * exits; children start in list order, each linked to it, before `start` returns; a child that
 * fails to start stops those already started and the start returns
 * `{ tag: 'shutdown', detail: { tag: 'failed_to_start_child', id, reason } }`. When a child exits,
 * its restart type (`'permanent'`, `'transient'`, `'temporary'`) says whether to restart it and
 * the strategy which others to restart with it. More than `intensity` restarts within `period`
 * seconds and the supervisor stops every child and exits with `'shutdown'`, for its own
 * supervisor to decide. Stopping it stops the children last first, each by its `shutdown`.
 * Where Node differs: a bad spec is refused with a thrown {@link ChildSpecError} at the call,
 * where OTP's `start_link` returns `{error, {start_spec, ...}}`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import * as GenServer from '../gen_server/index.js';
import { defaultRuntime, isPid, runtimeOf, type Context, type Pid, type Runtime, type Via } from '../process/index.js';
import { checkChildSpec, checkSupervisorSpec } from './child_spec.js';
import { ask, tree as walk } from './internal/requests.js';
import { supervisorBehaviour, type SupArg, type SupProtocol } from './internal/supervisor_server.js';
import type {
  ChildCounts,
  ChildInfo,
  ChildOpResult,
  ChildSpec,
  DynamicSupervisorRef,
  StartChildResult,
  SupervisorInit,
  SupervisorName,
  SupervisorPid,
  SupervisorRef,
  SupervisorSpec,
  TreeNode,
} from './types.js';


/**
 * Where and how to start a supervisor.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: Supervisor.SupervisorOptions = { runtime: rt, name: 'root' };
 * await Supervisor.start({ children: [] }, options);
 * expect(rt.whereis('root')).toBeDefined();
 * await Supervisor.stop(Supervisor.named('root', rt));
 * ```
 */
export interface SupervisorOptions {
  /** The runtime for `start` (default: the default runtime); `startLink` uses the parent's. */
  readonly runtime?: Runtime;
  /** Register the supervisor under this name. */
  readonly name?: string | Via;
}

/**
 * The outcome of starting a supervisor, as Erlang's `{ok, Pid} | ignore | {error, Reason}`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result: Supervisor.SupervisorStartResult = await Supervisor.start(() => 'ignore', { runtime: rt });
 * expect(result).toEqual({ type: 'ignore' });
 * ```
 */
export type SupervisorStartResult =
  | { readonly type: 'ok'; readonly pid: SupervisorPid }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: GenServer.StartError };

/** @internal the supervisor server's argument: a checked spec, or the init to run in its process. */
export function argOf(operation: string, spec: SupervisorSpec | SupervisorInit, options: SupervisorOptions | undefined): SupArg {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  const name = typeof options?.name === 'string' ? options.name : undefined; // for reports; a via name is not one
  if (typeof spec === 'function') return { init: spec, name };
  const { flags, children } = checkSupervisorSpec(spec);
  return { flags, children, name };
}

/**
 * Starts a supervisor not linked to anyone (from plain code) and waits until its children have started.
 * `spec` is the spec itself, checked at the call, or a {@link SupervisorInit} callback run in the
 * supervisor's process, which may also return `'ignore'`.
 *
 * @throws {@link ChildSpecError} for a bad child spec, {@link InvalidArgumentError} for bad flags.
 * @example
 * ```ts
 * import { Supervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle = (id: string): Supervisor.ChildSpec => ({ id, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) });
 * const started = await Supervisor.start({ strategy: 'one_for_one', children: [idle('a'), idle('b')] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect((await Supervisor.whichChildren(started.pid)).map((c) => c.id)).toEqual(['b', 'a']);
 * await Supervisor.stop(started.pid);
 * ```
 */
export function start(spec: SupervisorSpec | SupervisorInit, options?: SupervisorOptions): Promise<SupervisorStartResult> {
  const arg = argOf('Supervisor.start', spec, options);
  const runtime = options?.runtime ?? defaultRuntime();
  return GenServer.start(supervisorBehaviour, arg, options?.name === undefined ? { runtime } : { runtime, name: options.name }) as Promise<SupervisorStartResult>;
}

/**
 * Starts a supervisor linked to the calling process `parent`: its exit signal stops the
 * supervisor and its children; the supervisor's giving up reaches the parent as `'shutdown'`.
 * This is how a supervisor is the child of another (see {@link supervisor}) or an application's
 * top process.
 *
 * @throws {@link ChildSpecError} for a bad child spec, {@link InvalidArgumentError} for bad flags.
 * @see {@link start}
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const result = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const started = await Supervisor.startLink(ctx, { children: [{ id: 'a', start: idle }] });
 *   if (started.type !== 'ok') throw new Error('no start');
 *   expect(rt.processInfo(started.pid)?.links).toContain(ctx.self);
 *   await Supervisor.stop(started.pid);
 *   return ctx.receive(); // the parent traps exits: the stop arrives as an EXIT message
 * });
 * expect(result).toMatchObject({ type: 'EXIT', reason: 'shutdown' });
 * ```
 */
export function startLink(parent: Context, spec: SupervisorSpec | SupervisorInit, options?: Omit<SupervisorOptions, 'runtime'>): Promise<SupervisorStartResult> {
  const arg = argOf('Supervisor.startLink', spec, options);
  return GenServer.startLink(parent, supervisorBehaviour, arg, options?.name === undefined ? {} : { name: options.name }) as Promise<SupervisorStartResult>;
}

/**
 * A child spec for a nested supervisor: `type: 'supervisor'`, shutdown `'infinity'`.
 *
 * @example
 * ```ts
 * import { Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const inner = Supervisor.supervisor('inner', { strategy: 'one_for_all', children: [] });
 * expect(inner).toMatchObject({ id: 'inner', type: 'supervisor', shutdown: 'infinity' });
 * ```
 */
export function supervisor(id: string, spec: SupervisorSpec, options: Omit<ChildSpec, 'id' | 'start' | 'type'> & { readonly name?: string | Via } = {}): ChildSpec {
  const { name, ...fields } = options;
  checkSupervisorSpec(spec);
  return { shutdown: 'infinity', ...fields, id, type: 'supervisor', start: (sup) => startLink(sup, spec, name === undefined ? {} : { name }) };
}

/**
 * Adds a child and starts it. Results as OTP's: `{ type: 'ok', pid }`, or an error with
 * `{ tag: 'already_started', pid }` (the id is running), `'already_present'` (its spec is kept but
 * not running) or the start's own reason.
 *
 * @throws {@link ChildSpecError} for a bad spec, before the supervisor is asked; the promise
 * rejects with one for a significant child of a supervisor whose `autoShutdown` is `'never'`
 * (OTP's `bad_combination`), which only the supervisor knows.
 * @example
 * ```ts
 * import { Supervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const spec: Supervisor.ChildSpec = { id: 'a', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * expect(await Supervisor.startChild(started.pid, spec)).toMatchObject({ type: 'ok' });
 * expect(await Supervisor.startChild(started.pid, spec)).toMatchObject({ type: 'error', reason: { tag: 'already_started' } });
 * expect(await Supervisor.terminateChild(started.pid, 'a')).toEqual({ type: 'ok' });
 * expect(await Supervisor.startChild(started.pid, spec)).toEqual({ type: 'error', reason: 'already_present' });
 * expect(await Supervisor.restartChild(started.pid, 'a')).toMatchObject({ type: 'ok' });
 * expect(await Supervisor.deleteChild(started.pid, 'a')).toEqual({ type: 'error', reason: 'running' });
 * expect(await Supervisor.countChildren(started.pid)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
 * await Supervisor.stop(started.pid);
 * ```
 */
export function startChild(sup: SupervisorRef, spec: ChildSpec): Promise<StartChildResult> {
  const full = checkChildSpec(spec, 0);
  return ask('Supervisor.startChild', 'supervisor', sup, { type: 'start_child', spec: full }).then((result) => {
    if (result.type === 'bad_spec') throw result.error;
    return result;
  });
}

/**
 * Stops a child by its shutdown policy and keeps its spec, stopped, for {@link restartChild}
 * (a temporary child's spec goes). `{ type: 'ok' }` also for a child already stopped;
 * `'not_found'` for an unknown id, and for a pid (OTP terminates by pid only under
 * simple_one_for_one: see DynamicSupervisor.terminateChild). A child stopped so is not restarted.
 *
 * @throws {@link InvalidArgumentError} when `id` is not a string or a pid.
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start({ children: [{ id: 'a', start: idle }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Supervisor.terminateChild(started.pid, 'a')).toEqual({ type: 'ok' });
 * expect(await Supervisor.whichChildren(started.pid)).toEqual([{ id: 'a', pid: undefined, type: 'worker' }]);
 * expect(await Supervisor.terminateChild(started.pid, 'zzz')).toEqual({ type: 'error', reason: 'not_found' });
 * await Supervisor.stop(started.pid);
 * ```
 */
export function terminateChild(sup: SupervisorRef, id: string | Pid): Promise<ChildOpResult> {
  if (typeof id !== 'string') throw new InvalidArgumentError('Supervisor.terminateChild', 'id', id, 'a child id');
  if (isPid(id)) return Promise.resolve({ type: 'error', reason: 'not_found' }); // OTP: only simple_one_for_one terminates by pid
  return ask('Supervisor.terminateChild', 'supervisor', sup, { type: 'terminate_child', id });
}

/**
 * Starts a stopped child again from its spec: `{ type: 'ok', pid }` (`pid` undefined when its
 * start returned ignore), the start's error (the spec stays, stopped), `'running'` if it runs,
 * `'not_found'` for an unknown id.
 *
 * @throws {@link InvalidArgumentError} when `id` is not a string.
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start({ children: [{ id: 'a', start: idle }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Supervisor.restartChild(started.pid, 'a')).toEqual({ type: 'error', reason: 'running' });
 * await Supervisor.terminateChild(started.pid, 'a');
 * expect(await Supervisor.restartChild(started.pid, 'a')).toEqual({ type: 'ok', pid: expect.any(String) });
 * await Supervisor.stop(started.pid);
 * ```
 */
export function restartChild(sup: SupervisorRef, id: string): Promise<StartChildResult> {
  if (typeof id !== 'string') throw new InvalidArgumentError('Supervisor.restartChild', 'id', id, 'a child id');
  return ask('Supervisor.restartChild', 'supervisor', sup, { type: 'restart_child', id });
}

/**
 * Removes a stopped child's spec: `'running'` if it runs (terminate it first), `'not_found'` for
 * an unknown id.
 *
 * @throws {@link InvalidArgumentError} when `id` is not a string.
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start({ children: [{ id: 'a', start: idle }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Supervisor.deleteChild(started.pid, 'a')).toEqual({ type: 'error', reason: 'running' });
 * await Supervisor.terminateChild(started.pid, 'a');
 * expect(await Supervisor.deleteChild(started.pid, 'a')).toEqual({ type: 'ok' });
 * expect(await Supervisor.whichChildren(started.pid)).toEqual([]);
 * await Supervisor.stop(started.pid);
 * ```
 */
export function deleteChild(sup: SupervisorRef, id: string): Promise<ChildOpResult> {
  if (typeof id !== 'string') throw new InvalidArgumentError('Supervisor.deleteChild', 'id', id, 'a child id');
  return ask('Supervisor.deleteChild', 'supervisor', sup, { type: 'delete_child', id });
}

/**
 * The children, newest first, as OTP's `which_children` lists them: the reverse of their start
 * order (a child started by `startChild` comes first; a restarted child keeps its place). Each
 * with its id, its pid (undefined when it is not running) and its type. For the whole tree below,
 * see {@link tree}.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start({ children: [{ id: 'a', start: idle }, { id: 'b', start: idle }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await Supervisor.startChild(started.pid, { id: 'c', start: idle });
 * expect((await Supervisor.whichChildren(started.pid)).map((c) => c.id)).toEqual(['c', 'b', 'a']);
 * await Supervisor.stop(started.pid);
 * ```
 */
export function whichChildren(sup: SupervisorRef): Promise<ChildInfo[]> {
  return ask('Supervisor.whichChildren', 'supervisor', sup, { type: 'which_children' });
}

/**
 * How many child specs, running children, and specs of supervisors and of workers, as OTP's
 * `count_children`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start(
 *   { children: [{ id: 'a', start: idle }, Supervisor.supervisor('inner', { children: [] })] },
 *   { runtime: rt },
 * );
 * if (started.type !== 'ok') throw new Error('no start');
 * await Supervisor.terminateChild(started.pid, 'a');
 * expect(await Supervisor.countChildren(started.pid)).toEqual({ specs: 2, active: 1, supervisors: 1, workers: 1 });
 * await Supervisor.stop(started.pid);
 * ```
 */
export function countChildren(sup: SupervisorRef): Promise<ChildCounts> {
  return ask('Supervisor.countChildren', 'supervisor', sup, { type: 'count_children' });
}

/**
 * Stops the supervisor: its children stop last first, each by its shutdown policy, then it exits
 * with `reason`. Resolves once it has exited; rejects with a CallError (`'noproc'`) when it is not
 * running.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start({ children: [{ id: 'a', start: idle }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const [a] = await Supervisor.whichChildren(started.pid);
 * await Supervisor.stop(started.pid);
 * expect(rt.isAlive(started.pid)).toBe(false);
 * expect(rt.isAlive(a!.pid!)).toBe(false);
 * ```
 */
export function stop(sup: SupervisorRef, reason: unknown = 'shutdown'): Promise<void> {
  return GenServer.stop(sup as GenServer.ServerRef<SupProtocol>, reason);
}

/**
 * A reference to the supervisor registered as `name` in `runtime` (the default runtime when
 * omitted): the name is looked up at each call, so it reaches the supervisor after a restart.
 *
 * @see {@link GenServer.named}
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Supervisor.start({ children: [] }, { runtime: rt, name: 'root' });
 * const root = Supervisor.named('root', rt);
 * expect(await Supervisor.countChildren(root)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
 * await Supervisor.stop(root);
 * ```
 */
export function named(name: string | Via, runtime?: Runtime): SupervisorName {
  return typeof name === 'string' ? GenServer.named(name, runtime) : GenServer.named(name);
}

/**
 * The live tree under a supervisor of either kind: its children in start order, and under each
 * running Supervisor or DynamicSupervisor among them (`kind` says which) its own children, down to
 * the leaves. Each supervisor is asked once, after its parent has answered (siblings at the same
 * time), so the tree is a snapshot of each supervisor, not of the whole at one instant; a
 * supervisor that exits meanwhile is a node without children. Only ts-otp supervisors are asked:
 * any other child, typed `'supervisor'` or not, is a leaf.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const started = await Supervisor.start(
 *   {
 *     children: [
 *       { id: 'cache', start: idle },
 *       { id: 'jobs', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup, { name: 'jobs' }) },
 *     ],
 *   },
 *   { runtime: rt },
 * );
 * if (started.type !== 'ok') throw new Error('no start');
 * await DynamicSupervisor.startChild(DynamicSupervisor.named('jobs', rt), { id: 'job-1', start: idle, restart: 'temporary' });
 * const tree = await Supervisor.tree(started.pid);
 * expect(tree).toMatchObject([
 *   { id: 'cache', type: 'worker' },
 *   { id: 'jobs', type: 'supervisor', kind: 'dynamic', children: [{ id: 'job-1', type: 'worker' }] },
 * ]);
 * await Supervisor.stop(started.pid);
 * ```
 */
export function tree(sup: SupervisorRef | DynamicSupervisorRef): Promise<TreeNode[]> {
  return walk(sup, isPid(sup) ? runtimeOf(sup) : (sup as { runtime?: Runtime } | null)?.runtime);
}
