/**
 * PartitionSupervisor: N partitions of one child spec under a supervisor, routed by key; Elixir's `PartitionSupervisor`.
 *
 * It is a Supervisor whose children are the partitions `0` to `partitions - 1` of one child
 * spec (their ids are `'0'`, `'1'`, ...). {@link via} makes a name that routes a key to one
 * partition: an integer key `k` goes to partition `|k| mod partitions`, any other key to a hash
 * of it modulo `partitions` (the hash is ts-otp's own, not Erlang's `phash2`; as in Elixir, the
 * routing must not be relied on beyond "the same key, the same partition"). The via name is
 * accepted wherever a name is: `GenServer.call`, `DynamicSupervisor.startChild`, `send`,
 * `whereis`. A partition that has exited and not yet been restarted is still routed to, as in
 * Elixir, where its pid stays in the table until the restart replaces it.
 *
 * In one thread, partitions do not run in parallel: what they still buy is isolation (one
 * mailbox, one restart intensity, one state per partition) and smaller per-process queues.
 * The default is one partition, as Elixir's default, `System.schedulers_online()`, is on one
 * scheduler.
 *
 * @module
 */
import { InvalidArgumentError, NoProcError } from '../errors.js';
import { defaultRuntime, isPid, isVia, type Context, type Pid, type Runtime, type Via, type ViaModule } from '../process/index.js';
import { addExitHook } from '../process/hooks.js';
import * as Supervisor from '../supervisor/index.js';

/**
 * The child spec of each partition: one spec for all, or a function of the partition number
 * (Elixir's `:with_arguments`, which changes the start arguments per partition).
 *
 * @example
 * ```ts
 * import { PartitionSupervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const perPartition: PartitionSupervisor.PartitionChildSpec = (partition) => ({ id: 'worker', start: () => ({ type: 'ignore' }), restart: partition === 0 ? 'permanent' : 'transient' });
 * expect(typeof perPartition).toBe('function');
 * ```
 */
export type PartitionChildSpec = Supervisor.ChildSpec | ((partition: number) => Supervisor.ChildSpec);

/**
 * How to start a partition supervisor.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: PartitionSupervisor.PartitionSupervisorOptions = {
 *   name: 'dyn',
 *   partitions: 4,
 *   childSpec: { id: 'dyn', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup) },
 * };
 * expect((await PartitionSupervisor.start({ ...options, runtime: rt })).type).toBe('ok');
 * expect(PartitionSupervisor.partitions(PartitionSupervisor.named('dyn', rt))).toBe(4);
 * rt.killAll();
 * ```
 */
export interface PartitionSupervisorOptions {
  /** Its name: a registered name or a via name (required, as in Elixir: routing finds it by name). */
  readonly name: string | Via;
  /** The spec each partition starts from. */
  readonly childSpec: PartitionChildSpec;
  /** How many partitions: an integer >= 1; default 1 (see the module summary). */
  readonly partitions?: number;
  /** The supervisor's strategy; default `'one_for_one'`. */
  readonly strategy?: Supervisor.Strategy;
  /** Restart intensity, as for a Supervisor. */
  readonly intensity?: number;
  /** Restart period in seconds, as for a Supervisor. */
  readonly period?: number;
  /** The runtime for {@link start}; `startLink` uses the parent's. */
  readonly runtime?: Runtime;
}

/**
 * A partition supervisor by name (a registered name or a via name) in a runtime, or by pid.
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const ref: PartitionSupervisor.PartitionSupervisorRef = PartitionSupervisor.named('workers', rt);
 * expect(ref).toEqual({ name: 'workers', runtime: rt });
 * ```
 */
export type PartitionSupervisorRef = Supervisor.SupervisorRef;

/**
 * The name part of a partition supervisor's via name: which supervisor, and the routing key.
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const name: PartitionSupervisor.PartitionViaName = PartitionSupervisor.via(PartitionSupervisor.named('w', rt), 'user-1').name;
 * expect(name.key).toBe('user-1');
 * ```
 */
export interface PartitionViaName {
  readonly supervisor: PartitionSupervisorRef;
  readonly key: unknown;
}

/** A partition supervisor's routing table: its partitions' pids by number. */
class Partitions {
  readonly pids: Array<Pid | undefined>;
  constructor(readonly count: number) {
    this.pids = new Array<Pid | undefined>(count).fill(undefined);
  }
}

/** Every live partition supervisor's table, by its pid. */
const tables = new Map<Pid, Partitions>();

function check(operation: string, options: unknown): { name: string | Via; partitions: number; specOf: (partition: number) => Supervisor.ChildSpec } {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object { name, childSpec, ... }');
  const o = options as PartitionSupervisorOptions;
  if (o.name === undefined || (typeof o.name !== 'string' && !isVia(o.name))) throw new InvalidArgumentError(operation, 'options.name', o.name, 'a registered name or a via name');
  const partitions = o.partitions ?? 1;
  if (!Number.isSafeInteger(partitions) || partitions < 1) throw new InvalidArgumentError(operation, 'options.partitions', o.partitions, 'an integer >= 1');
  const spec = o.childSpec;
  if (typeof spec !== 'function' && (typeof spec !== 'object' || spec === null)) throw new InvalidArgumentError(operation, 'options.childSpec', spec, 'a child spec, or a function of the partition number');
  const specOf = typeof spec === 'function' ? spec : () => spec;
  return { name: o.name, partitions, specOf };
}

/** The supervisor's spec: one child per partition, whose start records its pid in the routing table. */
function initOf(operation: string, options: PartitionSupervisorOptions, partitions: number, specOf: (partition: number) => Supervisor.ChildSpec): Supervisor.SupervisorInit {
  const children: Supervisor.ChildSpec[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const spec = specOf(partition);
    if (typeof spec !== 'object' || spec === null || typeof spec.start !== 'function') {
      throw new InvalidArgumentError(operation, 'options.childSpec', spec, `a child spec (for partition ${partition})`);
    }
    const start = spec.start;
    children.push({
      ...spec,
      id: String(partition),
      start: async (sup: Context) => {
        const result = await start(sup);
        const table = tables.get(sup.self);
        if (result.type === 'ok' && table !== undefined) table.pids[partition] = result.pid;
        return result;
      },
    });
  }
  Supervisor.checkChildSpecs(children); // bad specs throw here, at the call
  const flags = { strategy: options.strategy, intensity: options.intensity, period: options.period };
  return (sup) => {
    const table = new Partitions(partitions);
    tables.set(sup.self, table);
    addExitHook(sup, { key: tables, exited: () => tables.delete(sup.self) });
    return { ...withoutUndefined(flags), children };
  };
}

function withoutUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

/**
 * Starts a partition supervisor and its partitions, not linked to anyone.
 *
 * @throws {@link InvalidArgumentError} for missing or bad options, or a bad child spec.
 * @see {@link startLink}
 * @example
 * ```ts
 * import { GenServer, Next, PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Shard { arg: number; state: number; call: { readonly type: 'which' }; reply: { which: number } }
 * const shard: GenServer.Behaviour<Shard> = { init: (n) => Next.ok(n), handleCall: { which: (_r, _f, n) => Next.reply(n, n) } };
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({
 *   name: 'shards',
 *   partitions: 3,
 *   childSpec: (partition) => ({ id: 'shard', start: (sup) => GenServer.startLink(sup, shard, partition) }),
 *   runtime: rt,
 * });
 * const shards = PartitionSupervisor.named('shards', rt);
 * expect(await GenServer.call(GenServer.named<Shard>(PartitionSupervisor.via(shards, 7)), { type: 'which' })).toBe(1); // 7 mod 3
 * rt.killAll();
 * ```
 */
export function start(options: PartitionSupervisorOptions): Promise<Supervisor.SupervisorStartResult> {
  const { name, partitions, specOf } = check('PartitionSupervisor.start', options);
  return Supervisor.start(initOf('PartitionSupervisor.start', options, partitions, specOf), { runtime: options.runtime ?? defaultRuntime(), name });
}

/**
 * Starts a partition supervisor linked to the calling process, as a supervisor starts its children.
 *
 * @throws {@link InvalidArgumentError} for a bad context, missing or bad options, or a bad child spec.
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle = { id: 'idle', start: () => ({ type: 'ignore' as const }) };
 * await Supervisor.start({ children: [{ id: 'parts', type: 'supervisor', start: (sup) => PartitionSupervisor.startLink(sup, { name: 'parts', partitions: 2, childSpec: idle }) }] }, { runtime: rt });
 * expect(PartitionSupervisor.partitions(PartitionSupervisor.named('parts', rt))).toBe(2);
 * rt.killAll();
 * ```
 */
export function startLink(parent: Context, options: Omit<PartitionSupervisorOptions, 'runtime'>): Promise<Supervisor.SupervisorStartResult> {
  const { name, partitions, specOf } = check('PartitionSupervisor.startLink', options);
  return Supervisor.startLink(parent, initOf('PartitionSupervisor.startLink', options, partitions, specOf), { name });
}

/**
 * A reference to the partition supervisor registered as `name` (a registered name in `runtime`,
 * the default runtime when omitted, or a via name).
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * expect(PartitionSupervisor.named('p', rt)).toEqual({ name: 'p', runtime: rt });
 * ```
 */
export function named(name: string | Via, runtime?: Runtime): PartitionSupervisorRef {
  return Supervisor.named(name, runtime);
}

/** The routing table of a running partition supervisor, or NoProcError naming it. */
function tableOf(operation: string, ref: unknown): Partitions {
  let pid: Pid | undefined;
  if (isPid(ref)) pid = ref;
  else if (typeof ref === 'object' && ref !== null) {
    const { name, runtime } = ref as { name?: unknown; runtime?: Runtime };
    if (isVia(name)) pid = name.via.whereisName(name.name);
    else if (typeof name === 'string' && typeof runtime?.whereis === 'function') pid = runtime.whereis(name);
    else throw new InvalidArgumentError(operation, 'supervisor', ref, 'a partition supervisor: PartitionSupervisor.named(name, runtime) or its pid');
  } else throw new InvalidArgumentError(operation, 'supervisor', ref, 'a partition supervisor: PartitionSupervisor.named(name, runtime) or its pid');
  const table = pid === undefined ? undefined : tables.get(pid);
  if (table === undefined) throw new NoProcError(operation, isPid(ref) ? ref : (ref as { name: string | Via }).name);
  return table;
}

/**
 * How many partitions the supervisor has.
 *
 * @throws {@link NoProcError} when it is not running (Elixir exits with `noproc`); {@link InvalidArgumentError} for a bad reference.
 * @example
 * ```ts
 * import { NoProcError, PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({ name: 'p', partitions: 5, childSpec: { id: 'x', start: () => ({ type: 'ignore' }) }, runtime: rt });
 * expect(PartitionSupervisor.partitions(PartitionSupervisor.named('p', rt))).toBe(5);
 * expect(() => PartitionSupervisor.partitions(PartitionSupervisor.named('nobody', rt))).toThrow(NoProcError);
 * rt.killAll();
 * ```
 */
export function partitions(supervisor: PartitionSupervisorRef): number {
  return tableOf('PartitionSupervisor.partitions', supervisor).count;
}

/** FNV-1a over a key's text: the same key, the same partition, within a run and across runs. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The partition `key` routes to among `count`. */
function partitionOf(key: unknown, count: number): number {
  if (typeof key === 'number' && Number.isInteger(key)) return Math.abs(key) % count;
  if (typeof key === 'bigint') return Number((key < 0n ? -key : key) % BigInt(count));
  return hash(typeof key === 'string' ? key : `${typeof key}:${String(key)}`) % count;
}

const viaModule: ViaModule<PartitionViaName> = {
  whereisName({ supervisor, key }) {
    const table = tableOf('PartitionSupervisor.whereisName', supervisor);
    return table.pids[partitionOf(key, table.count)];
  },
  registerName(name) {
    throw new InvalidArgumentError('PartitionSupervisor.registerName', 'name', name, 'a name to register: a PartitionSupervisor via name only routes');
  },
  unregisterName(name) {
    throw new InvalidArgumentError('PartitionSupervisor.unregisterName', 'name', name, 'a name to unregister: a PartitionSupervisor via name only routes');
  },
};

/** A partition supervisor's via name; prints as `{ via: 'PartitionSupervisor', supervisor, key }`. */
class PartitionVia implements Via<PartitionViaName> {
  readonly via = viaModule;
  constructor(readonly name: PartitionViaName) {}

  toJSON(): unknown {
    const s = this.name.supervisor;
    return { via: 'PartitionSupervisor', supervisor: typeof s === 'string' ? s : s.name, key: this.name.key };
  }
}

/**
 * A via name that routes `key` to one partition of `supervisor`: Elixir's
 * `{:via, PartitionSupervisor, {name, key}}`. Accepted wherever a name is, looked up at each use;
 * it cannot be used to register: its `registerName` throws an InvalidArgumentError, and a server
 * started with it finds the partition there and returns `already_started`, as gen's `where` check does.
 * `rt.whereis(via)` is the partition's pid.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({
 *   name: 'dyn',
 *   partitions: 2,
 *   childSpec: { id: 'dyn', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup) },
 *   runtime: rt,
 * });
 * const dyn = PartitionSupervisor.named('dyn', rt);
 * const nearMe = DynamicSupervisor.named(PartitionSupervisor.via(dyn, 'user-42'));
 * const child = await DynamicSupervisor.startChild(nearMe, { id: 'job', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((c) => c.receive()) }) });
 * expect(child.type).toBe('ok');
 * expect(await DynamicSupervisor.countChildren(nearMe)).toMatchObject({ active: 1 });
 * rt.killAll();
 * ```
 */
export function via(supervisor: PartitionSupervisorRef, key: unknown): Via<PartitionViaName> {
  return new PartitionVia({ supervisor, key });
}

/**
 * The partitions, as `Supervisor.whichChildren` lists them (ids `'0'`, `'1'`, ..., newest first).
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({ name: 'p', partitions: 2, childSpec: { id: 'w', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((c) => c.receive()) }) }, runtime: rt });
 * expect((await PartitionSupervisor.whichChildren(PartitionSupervisor.named('p', rt))).map((c) => c.id)).toEqual(['1', '0']);
 * rt.killAll();
 * ```
 */
export function whichChildren(supervisor: PartitionSupervisorRef): Promise<Supervisor.ChildInfo[]> {
  return Supervisor.whichChildren(supervisor);
}

/**
 * Counts the partitions, as `Supervisor.countChildren` does.
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({ name: 'p', partitions: 3, childSpec: { id: 'w', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((c) => c.receive()) }) }, runtime: rt });
 * expect(await PartitionSupervisor.countChildren(PartitionSupervisor.named('p', rt))).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
 * rt.killAll();
 * ```
 */
export function countChildren(supervisor: PartitionSupervisorRef): Promise<Supervisor.ChildCounts> {
  return Supervisor.countChildren(supervisor);
}

/**
 * Stops the partition supervisor and its partitions with `reason` (default `'normal'`, as Elixir's).
 *
 * @example
 * ```ts
 * import { PartitionSupervisor, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await PartitionSupervisor.start({ name: 'p', childSpec: { id: 'w', start: () => ({ type: 'ignore' }) }, runtime: rt });
 * await PartitionSupervisor.stop(PartitionSupervisor.named('p', rt));
 * expect(rt.whereis('p')).toBeUndefined();
 * ```
 */
export function stop(supervisor: PartitionSupervisorRef, reason: unknown = 'normal'): Promise<void> {
  return Supervisor.stop(supervisor, reason);
}
