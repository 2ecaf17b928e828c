/**
 * Child specs, supervisor flags and the results of the child API, as OTP's supervisor has them.
 *
 * @module
 */
import type * as GenServer from '../gen_server/index.js';
import type { Context, Pid } from '../process/index.js';

declare const kindBrand: unique symbol;

/**
 * Which kind of supervisor: a {@link Supervisor} (`'supervisor'`) or a DynamicSupervisor (`'dynamic'`).
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<Supervisor.SupervisorKind>().toEqualTypeOf<'supervisor' | 'dynamic'>();
 * ```
 */
export type SupervisorKind = 'supervisor' | 'dynamic';

/**
 * A Supervisor's pid, as `Supervisor.start` returns it. It is a pid, usable wherever one is; the
 * compiler knows it for a Supervisor's, so the DynamicSupervisor functions refuse it. A plain
 * {@link Pid} (a child's pid from `whichChildren`) is taken by both kinds' functions.
 *
 * @example
 * ```ts
 * import type { DynamicSupervisor, Pid, Supervisor } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<Supervisor.SupervisorPid>().toMatchTypeOf<Pid>();
 * expectTypeOf<Supervisor.SupervisorPid>().not.toMatchTypeOf<DynamicSupervisor.DynamicSupervisorRef>();
 * ```
 */
export type SupervisorPid = Pid & { readonly [kindBrand]?: 'supervisor' };

/**
 * A Supervisor by registered name in a runtime, as `Supervisor.named` makes it.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const ref: Supervisor.SupervisorName = Supervisor.named('root', rt);
 * expect(ref).toEqual({ name: 'root', runtime: rt });
 * ```
 */
export type SupervisorName = GenServer.ServerName<GenServer.Protocol> & { readonly [kindBrand]?: 'supervisor' };

/**
 * A running Supervisor: its pid, or `Supervisor.named(name, runtime)`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [] }, { runtime: rt, name: 'root' });
 * if (started.type !== 'ok') throw new Error('no start');
 * const refs: Supervisor.SupervisorRef[] = [started.pid, Supervisor.named('root', rt)];
 * for (const ref of refs) expect(await Supervisor.whichChildren(ref)).toEqual([]);
 * await Supervisor.stop(started.pid);
 * ```
 */
export type SupervisorRef = SupervisorPid | SupervisorName;

/**
 * A DynamicSupervisor's pid, as `DynamicSupervisor.start` returns it: the Supervisor functions
 * refuse it at compile time.
 *
 * @example
 * ```ts
 * import type { DynamicSupervisor, Pid, Supervisor } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<DynamicSupervisor.DynamicSupervisorPid>().toMatchTypeOf<Pid>();
 * expectTypeOf<DynamicSupervisor.DynamicSupervisorPid>().not.toMatchTypeOf<Supervisor.SupervisorRef>();
 * ```
 */
export type DynamicSupervisorPid = Pid & { readonly [kindBrand]?: 'dynamic' };

/**
 * A DynamicSupervisor by registered name in a runtime, as `DynamicSupervisor.named` makes it.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const ref: DynamicSupervisor.DynamicSupervisorName = DynamicSupervisor.named('jobs', rt);
 * expect(ref).toEqual({ name: 'jobs', runtime: rt });
 * ```
 */
export type DynamicSupervisorName = GenServer.ServerName<GenServer.Protocol> & { readonly [kindBrand]?: 'dynamic' };

/**
 * A running DynamicSupervisor: its pid, or `DynamicSupervisor.named(name, runtime)`.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
 * if (started.type !== 'ok') throw new Error('no start');
 * const refs: DynamicSupervisor.DynamicSupervisorRef[] = [started.pid, DynamicSupervisor.named('jobs', rt)];
 * for (const ref of refs) expect(await DynamicSupervisor.whichChildren(ref)).toEqual([]);
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export type DynamicSupervisorRef = DynamicSupervisorPid | DynamicSupervisorName;

/**
 * A node of a live supervision tree, as `Supervisor.tree` lists it: a child, and for a running
 * Supervisor or DynamicSupervisor also what it is and its own children, in start order.
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 *
 * const leaf: Supervisor.TreeNode = { id: 'cache', pid: undefined, type: 'worker' };
 * void leaf;
 * ```
 */
export interface TreeNode {
  /** The child's id; undefined for a DynamicSupervisor's child started without one. */
  readonly id: string | undefined;
  /** Undefined when the child is not running. */
  readonly pid: Pid | undefined;
  readonly type: ChildType;
  /** Set for a running supervisor of either kind. */
  readonly kind?: SupervisorKind;
  /** Set for a running supervisor of either kind: its children, in start order. */
  readonly children?: readonly TreeNode[];
}

/**
 * Which children a supervisor restarts when one exits.
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 *
 * // The database connection first: when it restarts, the caches built on it restart too.
 * const spec: Supervisor.SupervisorSpec = { strategy: 'rest_for_one' satisfies Supervisor.Strategy, children: [] };
 * void spec;
 * ```
 */
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

/**
 * When a child is restarted: always, only after an abnormal exit, or never (its spec is then removed).
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 *
 * const restart: Supervisor.RestartType = 'transient'; // restarted only after a crash
 * const job: Supervisor.ChildSpec = { id: 'job', restart, start: (sup) => ({ type: 'ok', pid: sup.spawnLink(() => undefined) }) };
 * void job;
 * ```
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * How a child is stopped: killed at once; sent `'shutdown'` and killed if it has not exited after
 * that many milliseconds; or sent `'shutdown'` and waited for (the default for supervisors).
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 *
 * const gentle: Supervisor.Shutdown = 10_000; // 10 s to drain, then killed
 * const spec: Supervisor.ChildSpec = { id: 'http', shutdown: gentle, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };
 * void spec;
 * ```
 */
export type Shutdown = 'brutal_kill' | number | 'infinity';

/**
 * What kind of child: a worker, or a supervisor (which gets `shutdown: 'infinity'` by default).
 *
 * @example
 * ```ts
 * import { Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const type: Supervisor.ChildType = Supervisor.supervisor('inner', { children: [] }).type ?? 'worker';
 * expect(type).toBe('supervisor');
 * ```
 */
export type ChildType = 'worker' | 'supervisor';

/**
 * Whether the exit of significant children stops the supervisor itself.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const autoShutdown: Supervisor.AutoShutdown = 'any_significant';
 * const started = await Supervisor.start(
 *   { autoShutdown, children: [{ id: 'task', restart: 'transient', significant: true, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) }] },
 *   { runtime: rt },
 * );
 * if (started.type !== 'ok') throw new Error('no start');
 * const [task] = await Supervisor.whichChildren(started.pid);
 * const done = rt.run((ctx) => (ctx.monitor(started.pid), ctx.receive()));
 * rt.send(task!.pid!, 'done'); // the significant child ends normally: the supervisor stops
 * expect(await done).toMatchObject({ type: 'DOWN', reason: 'shutdown' });
 * ```
 */
export type AutoShutdown = 'never' | 'any_significant' | 'all_significant';

/**
 * What a child's start function returns: `GenServer.startLink`'s result has this shape.
 *
 * @example
 * ```ts
 * import { GenServer, Next, type Supervisor } from 'ts-otp';
 *
 * const plain: Supervisor.ChildSpec['start'] = (sup): Supervisor.ChildStartResult => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * const server: Supervisor.ChildSpec['start'] = (sup) => GenServer.startLink(sup, { init: () => Next.ok(0) }, undefined);
 * const skipped: Supervisor.ChildSpec['start'] = (): Supervisor.ChildStartResult => ({ type: 'ignore' });
 * void [plain, server, skipped];
 * ```
 */
export type ChildStartResult =
  | { readonly type: 'ok'; readonly pid: Pid }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: unknown };

/**
 * One child of a supervisor.
 *
 * `start` runs in the supervisor's process and must link the new child to it: it receives the
 * supervisor's context, so `(sup) => GenServer.startLink(sup, behaviour, arg)` and
 * `(sup) => ({ type: 'ok', pid: sup.spawnLink(body) })` both do. A throw, a rejection or
 * `sup.exit(reason)` inside it is a failed start with that reason, as OTP catches a start
 * function; the supervisor goes on.
 *
 * @example
 * ```ts
 * import type { Supervisor } from 'ts-otp';
 *
 * const ticker: Supervisor.ChildSpec = {
 *   id: 'ticker',
 *   start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }),
 *   restart: 'transient',
 *   shutdown: 1000,
 * };
 * void ticker;
 * ```
 */
export interface ChildSpec {
  /** Unique among the supervisor's children. */
  readonly id: string;
  readonly start: (sup: Context) => ChildStartResult | PromiseLike<ChildStartResult>;
  /** Default `'permanent'`. */
  readonly restart?: RestartType;
  /** Default 5000 ms for a worker, `'infinity'` for a supervisor. */
  readonly shutdown?: Shutdown;
  /** Default `'worker'`. */
  readonly type?: ChildType;
  /** With `autoShutdown`, its exit (when not restarted) can stop the supervisor. Only transient or temporary children can be significant. */
  readonly significant?: boolean;
}

/**
 * A supervisor's flags and children.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const spec: Supervisor.SupervisorSpec = { strategy: 'one_for_all', intensity: 3, period: 10, children: [] };
 * const started = await Supervisor.start(spec, { runtime: rt });
 * expect(started.type).toBe('ok');
 * rt.killAll();
 * ```
 */
export interface SupervisorSpec {
  /** Default `'one_for_one'`. */
  readonly strategy?: Strategy;
  /** Most restarts allowed within `period` seconds (default 1); one more and the supervisor gives up. */
  readonly intensity?: number;
  /** Seconds (default 5). */
  readonly period?: number;
  /** Default `'never'`. */
  readonly autoShutdown?: AutoShutdown;
  /** Started in this order, stopped in the reverse order. */
  readonly children: readonly ChildSpec[];
}

/**
 * A child as `whichChildren` lists it: `pid` is undefined when it is not running. (OTP can also
 * show `restarting`; here a restart is over before the supervisor answers anything else.)
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [{ id: 'a', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) }] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const [a]: Supervisor.ChildInfo[] = await Supervisor.whichChildren(started.pid);
 * expect(a).toEqual({ id: 'a', pid: expect.any(String), type: 'worker' });
 * await Supervisor.stop(started.pid);
 * ```
 */
export interface ChildInfo {
  readonly id: string;
  readonly pid: Pid | undefined;
  readonly type: ChildType;
}

/**
 * What `countChildren` returns, as OTP's `count_children`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [Supervisor.supervisor('inner', { children: [] })] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const counts: Supervisor.ChildCounts = await Supervisor.countChildren(started.pid);
 * expect(counts).toEqual({ specs: 1, active: 1, supervisors: 1, workers: 0 });
 * await Supervisor.stop(started.pid);
 * ```
 */
export interface ChildCounts {
  readonly specs: number;
  readonly active: number;
  readonly supervisors: number;
  readonly workers: number;
}

/**
 * Why `startChild` or `restartChild` did not start a child.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const result = await Supervisor.restartChild(started.pid, 'nobody');
 * const reason: Supervisor.StartChildError | undefined = result.type === 'error' ? result.reason : undefined;
 * expect(reason).toBe('not_found');
 * await Supervisor.stop(started.pid);
 * ```
 */
export type StartChildError =
  | { readonly tag: 'already_started'; readonly pid: Pid }
  | 'already_present'
  | 'running'
  | 'restarting'
  | 'not_found'
  | unknown;

/**
 * The outcome of `startChild` and `restartChild`; `pid` is undefined when the start returned ignore.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const ignored: Supervisor.StartChildResult = await Supervisor.startChild(started.pid, { id: 'maybe', start: () => ({ type: 'ignore' }) });
 * expect(ignored).toEqual({ type: 'ok', pid: undefined }); // OTP's {ok, undefined}: the spec is kept
 * await Supervisor.stop(started.pid);
 * ```
 */
export type StartChildResult = { readonly type: 'ok'; readonly pid: Pid | undefined } | { readonly type: 'error'; readonly reason: StartChildError };

/**
 * The outcome of `terminateChild` and `deleteChild`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Supervisor.start({ children: [] }, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const result: Supervisor.ChildOpResult = await Supervisor.deleteChild(started.pid, 'nobody');
 * expect(result).toEqual({ type: 'error', reason: 'not_found' });
 * await Supervisor.stop(started.pid);
 * ```
 */
export type ChildOpResult = { readonly type: 'ok' } | { readonly type: 'error'; readonly reason: 'not_found' | 'running' | 'restarting' };

/**
 * The exit reason of a supervisor whose child failed to start at init: `{shutdown, {failed_to_start_child, Id, Reason}}`.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result = await Supervisor.start({ children: [{ id: 'db', start: () => ({ type: 'error', reason: 'econnrefused' }) }] }, { runtime: rt });
 * const failed: Supervisor.FailedToStart = { tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: 'db', reason: 'econnrefused' } };
 * expect(result).toEqual({ type: 'error', reason: failed });
 * ```
 */
export type FailedToStart = { readonly tag: 'shutdown'; readonly detail: { readonly tag: 'failed_to_start_child'; readonly id: string; readonly reason: unknown } };


/**
 * A running child of a DynamicSupervisor, as `DynamicSupervisor.whichChildren` lists it (oldest first).
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await DynamicSupervisor.startChild(started.pid, { start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) });
 * const children: DynamicSupervisor.DynamicChildInfo[] = await DynamicSupervisor.whichChildren(started.pid);
 * expect(children).toEqual([{ pid: expect.any(String), type: 'worker' }]);
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export interface DynamicChildInfo {
  readonly pid: Pid;
  readonly type: ChildType;
}

/**
 * A child spec for a DynamicSupervisor: no id is needed, and `start` also receives the
 * supervisor's `extraArguments` after the supervisor's context.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await DynamicSupervisor.start({ runtime: rt, extraArguments: ['eu-west'] });
 * if (started.type !== 'ok') throw new Error('no start');
 * const regions: unknown[] = [];
 * const job: DynamicSupervisor.DynamicChildSpec = {
 *   restart: 'temporary',
 *   start: (sup, region) => (regions.push(region), { type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }),
 * };
 * await DynamicSupervisor.startChild(started.pid, job);
 * expect(regions).toEqual(['eu-west']);
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export interface DynamicChildSpec extends Omit<ChildSpec, 'id' | 'start' | 'significant'> {
  readonly id?: string;
  readonly start: (sup: Context, ...extra: never[]) => ChildStartResult | PromiseLike<ChildStartResult>;
}

/**
 * What `DynamicSupervisor.startChild` returns, as Elixir's `{:ok, pid} | :ignore | {:error, reason}`:
 * the child's pid; `ignore` when its start returned ignore (nothing is kept); or why not
 * (`'max_children'`, or the start's reason).
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await DynamicSupervisor.start({ runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const result: DynamicSupervisor.DynamicStartChildResult = await DynamicSupervisor.startChild(started.pid, { start: () => ({ type: 'ignore' }) });
 * expect(result).toEqual({ type: 'ignore' });
 * await DynamicSupervisor.stop(started.pid);
 * ```
 */
export type DynamicStartChildResult = { readonly type: 'ok'; readonly pid: Pid } | { readonly type: 'ignore' } | { readonly type: 'error'; readonly reason: unknown };

/**
 * A supervisor declared by a callback, as OTP's `init/1`: it runs in the supervisor's process
 * when it starts, and returns the spec, or `'ignore'` to make the start return
 * `{ type: 'ignore' }`. A bad spec from it ends the start with
 * `{ tag: 'exit', value: { start_spec: error } }` (the ChildSpecError), as OTP's
 * `{error, {start_spec, Reason}}`, instead of a throw at the call.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const init: Supervisor.SupervisorInit = () => (process.env['NO_WORKERS'] === '1' ? 'ignore' : { children: [] });
 * const started = await Supervisor.start(init, { runtime: rt });
 * expect(['ok', 'ignore']).toContain(started.type);
 * rt.killAll();
 * ```
 */
export type SupervisorInit = (sup: Context) => SupervisorSpec | 'ignore' | PromiseLike<SupervisorSpec | 'ignore'>;
