/**
 * Registry: a local key-value store of processes, Elixir's `Registry`.
 *
 * A registry maps keys to the processes that registered them, each with a value. With
 * `keys: 'unique'` a key names at most one process (a session, a room, a tenant), and
 * {@link via} makes it a name that GenServer, the supervisors, `send`, `whereis` and `monitor`
 * accept. With `keys: 'duplicate'` a key gathers any number of entries, for pub-sub
 * ({@link dispatch}) and properties.
 *
 * Callers read and write the registry's tables themselves, at once, as Elixir's callers read its
 * ETS tables: adding, finding and removing an entry costs O(1) at any size. An entry goes away
 * the moment its process exits, whatever ended it, before its links and monitors fire. A process
 * that registers is linked to the registry, as in Elixir: a registry that exits takes its
 * registered processes that do not trap exits with it, and all its entries go.
 *
 * Keys are strings, numbers, bigints or booleans, compared as Map keys are (Elixir compares any
 * term by value; a JavaScript object would compare by identity, so it is refused). A registry
 * is found by its registered name in a runtime ({@link named}) or by its pid; one that is not
 * running makes each call throw an {@link InvalidArgumentError}, as Elixir raises "unknown registry".
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import * as GenServer from '../gen_server/index.js';
import { Next } from '../gen_server/next.js';
import { defaultRuntime, isPid, type Context, type Pid, type Runtime, type Via, type ViaModule } from '../process/index.js';
import { liveContext } from '../process/hooks.js';
import type { ChildSpec } from '../supervisor/index.js';
import { checkKey, Table, type Config, type Entry } from './internal/table.js';

/**
 * A registry key: compared as a Map key (`'a' === 'a'`, `1 === 1`).
 *
 * @example
 * ```ts
 * import type { Registry } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<'room:1'>().toMatchTypeOf<Registry.RegistryKey>();
 * expectTypeOf<42>().toMatchTypeOf<Registry.RegistryKey>();
 * ```
 */
export type RegistryKey = string | number | bigint | boolean;

/**
 * Whether a key names at most one process (`'unique'`) or any number of entries (`'duplicate'`).
 *
 * @example
 * ```ts
 * import type { Registry } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const kind: Registry.RegistryKeys = 'duplicate';
 * expect(kind).toBe('duplicate');
 * ```
 */
export type RegistryKeys = 'unique' | 'duplicate';

declare const registryBrand: unique symbol;

/**
 * A registry by registered name in a runtime, typed with its key and value types; made with {@link named}.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const rooms: Registry.RegistryName<string, number> = Registry.named('rooms', rt);
 * expect(rooms).toEqual({ name: 'rooms', runtime: rt });
 * ```
 */
export interface RegistryName<K extends RegistryKey = RegistryKey, V = unknown> {
  readonly name: string;
  readonly runtime: Runtime;
  /** @internal the key and value types, for the compiler only */
  readonly [registryBrand]?: { readonly key: K; readonly value: V };
}

/**
 * A running registry by pid, as {@link start} returns it.
 *
 * @example
 * ```ts
 * import { Registry, Runtime, type Pid } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<Registry.RegistryPid<string, number>>().toMatchTypeOf<Pid>();
 * await new Runtime().settle();
 * ```
 */
export type RegistryPid<K extends RegistryKey = RegistryKey, V = unknown> = Pid & { readonly [registryBrand]?: { readonly key: K; readonly value: V } };

/**
 * A registry to act on: by name ({@link named}) or by pid.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Registry.start<string, number>({ keys: 'unique', name: 'r', runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const refs: Registry.RegistryRef<string, number>[] = [started.pid, Registry.named('r', rt)];
 * expect(refs.map((r) => Registry.count(r))).toEqual([0, 0]);
 * rt.killAll();
 * ```
 */
export type RegistryRef<K extends RegistryKey = RegistryKey, V = unknown> = RegistryName<K, V> | RegistryPid<K, V>;

/**
 * One registration as {@link lookup} returns it: Elixir's `{pid, value}`.
 *
 * @example
 * ```ts
 * import type { Pid, Registry } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const entry: Registry.RegistryEntry<number> = { pid: '<0.1.0>' as Pid, value: 1 };
 * expect(entry.value).toBe(1);
 * ```
 */
export interface RegistryEntry<V = unknown> {
  readonly pid: Pid;
  readonly value: V;
}

/**
 * What {@link register} returns: `owner` is the registry's pid (the caller is now linked to it),
 * or, for a unique key already held, the holder, as Elixir's `{:error, {:already_registered, pid}}`.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const results: Registry.RegisterResult[] = await rt.run((ctx) => {
 *   const r = Registry.named<string, null>('r', rt);
 *   return [Registry.register(ctx, r, 'k', null), Registry.register(ctx, r, 'k', null)];
 * });
 * expect(results[0]).toEqual({ type: 'ok', owner: rt.whereis('r') });
 * expect(results[1]).toMatchObject({ type: 'error', reason: { tag: 'already_registered' } });
 * rt.killAll();
 * ```
 */
export type RegisterResult =
  | { readonly type: 'ok'; readonly owner: Pid }
  | { readonly type: 'error'; readonly reason: { readonly tag: 'already_registered'; readonly pid: Pid } };

/**
 * What a listener (a registered name in {@link RegistryOptions.listeners}) receives on
 * {@link register} and {@link unregister}, as Elixir's `{:register, registry, key, pid, value}`
 * and `{:unregister, registry, key, pid}`. A process that exits sends no event: a listener that
 * must know monitors the pid it was told of.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const event = rt.run(async (ctx) => {
 *   ctx.register('audit');
 *   await Registry.start({ keys: 'unique', name: 'r', runtime: rt, listeners: ['audit'] });
 *   await rt.run((c) => Registry.register(c, Registry.named<string, number>('r', rt), 'k', 1));
 *   return (await ctx.receive()) as Registry.RegistryEvent; // none when the registered process exits
 * });
 * expect(await event).toMatchObject({ type: 'register', registry: 'r', key: 'k', value: 1 });
 * rt.killAll();
 * ```
 */
export type RegistryEvent =
  | { readonly type: 'register'; readonly registry: string; readonly key: unknown; readonly pid: Pid; readonly value: unknown }
  | { readonly type: 'unregister'; readonly registry: string; readonly key: unknown; readonly pid: Pid };

/**
 * How to start a registry.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: Registry.RegistryOptions = { keys: 'duplicate', name: 'topics', partitions: 2, meta: { owner: 'chat' } };
 * expect((await Registry.start({ ...options, runtime: rt })).type).toBe('ok');
 * expect(Registry.meta(Registry.named('topics', rt), 'owner')).toEqual({ type: 'ok', value: 'chat' });
 * rt.killAll();
 * ```
 */
export interface RegistryOptions {
  /** `'unique'` or `'duplicate'`. */
  readonly keys: RegistryKeys;
  /** The registry's registered name: required, as in Elixir; it is how callers find it again after a restart. */
  readonly name: string;
  /**
   * Elixir's partitions spread a registry's ETS tables to cut contention between schedulers. In
   * one thread there is no contention to cut: an integer >= 1 is accepted and checked, and the
   * registry keeps one table whatever it is. Default 1.
   */
  readonly partitions?: number;
  /** Registered names of processes told of each register and unregister ({@link RegistryEvent}). */
  readonly listeners?: readonly string[];
  /** Metadata, read with {@link meta}. */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** The runtime to start in, for {@link start}; `startLink` uses the parent's. */
  readonly runtime?: Runtime;
}

/**
 * The outcome of {@link start} / {@link startLink}: the registry's pid, or why it did not start
 * (a name already taken is `{ tag: 'already_started', pid }`).
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const again: Registry.RegistryStartResult = await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * expect(again).toEqual({ type: 'error', reason: { tag: 'already_started', pid: rt.whereis('r') } });
 * rt.killAll();
 * ```
 */
export type RegistryStartResult<K extends RegistryKey = RegistryKey, V = unknown> =
  | { readonly type: 'ok'; readonly pid: RegistryPid<K, V> }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: GenServer.StartError };

/**
 * The name part of a registry's via name: which registry, which key, and the value a server
 * started with it registers.
 *
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const via = Registry.via(Registry.named<string, string>('sessions', rt), 'u1', 'web');
 * const name: Registry.RegistryViaName = via.name;
 * expect(name.key).toBe('u1');
 * ```
 */
export interface RegistryViaName<K extends RegistryKey = RegistryKey, V = unknown> {
  readonly registry: RegistryRef<K, V>;
  readonly key: K;
  readonly value: V | undefined;
}

interface RegistryProtocol {
  arg: Config;
  state: null;
}

const registryBehaviour: GenServer.Behaviour<RegistryProtocol> = {
  init: (config, ctx) => {
    ctx.trapExit(true); // as Elixir's partitions: a registered process's exit does not end the registry
    new Table(config, ctx);
    return Next.ok(null);
  },
  // The EXITs of registered processes: their entries went when they exited.
  handleInfo: (_msg, state) => Next.noreply(state),
};

const KEYS: readonly RegistryKeys[] = ['unique', 'duplicate'];

function configOf(operation: string, options: unknown): Config {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object { keys, name, ... }');
  const o = options as RegistryOptions;
  if (!KEYS.includes(o.keys)) throw new InvalidArgumentError(operation, 'options.keys', o.keys, "'unique' or 'duplicate'");
  if (typeof o.name !== 'string' || o.name.length === 0 || o.name[0] === '<' || o.name[0] === '#' || o.name === 'undefined') {
    throw new InvalidArgumentError(operation, 'options.name', o.name, 'a registered name');
  }
  const partitions = o.partitions ?? 1;
  if (!Number.isSafeInteger(partitions) || partitions < 1) throw new InvalidArgumentError(operation, 'options.partitions', o.partitions, 'an integer >= 1');
  const listeners = o.listeners ?? [];
  if (!Array.isArray(listeners) || !listeners.every((l) => typeof l === 'string' && l.length > 0)) {
    throw new InvalidArgumentError(operation, 'options.listeners', o.listeners, 'an array of registered names');
  }
  const meta = o.meta ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new InvalidArgumentError(operation, 'options.meta', o.meta, 'an object of metadata');
  if (o.runtime !== undefined && (typeof o.runtime !== 'object' || o.runtime === null || typeof o.runtime.whereis !== 'function')) {
    throw new InvalidArgumentError(operation, 'options.runtime', o.runtime, 'a Runtime');
  }
  return { kind: o.keys, name: o.name, partitions, listeners: [...listeners], meta: Object.entries(meta) };
}

/**
 * Starts a registry, not linked to anyone (Elixir's `Registry.start_link` outside a tree).
 *
 * @throws {@link InvalidArgumentError} for options without `keys` or `name`, or with a bad field.
 * @see {@link startLink}
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Registry.start({ keys: 'unique', name: 'sessions', runtime: rt });
 * expect(started).toEqual({ type: 'ok', pid: rt.whereis('sessions') });
 * rt.killAll();
 * ```
 */
export function start<K extends RegistryKey = RegistryKey, V = unknown>(options: RegistryOptions): Promise<RegistryStartResult<K, V>> {
  const config = configOf('Registry.start', options);
  return GenServer.start(registryBehaviour, config, { runtime: options.runtime ?? defaultRuntime(), name: config.name }) as Promise<RegistryStartResult<K, V>>;
}

/**
 * Starts a registry linked to the calling process, as a supervisor starts its children.
 *
 * @throws {@link InvalidArgumentError} for a bad context or bad options.
 * @see {@link childSpec}
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await rt.run((ctx) => Registry.startLink(ctx, { keys: 'duplicate', name: 'topics' }));
 * expect(started.type).toBe('ok'); // its parent has returned, so it is gone again
 * ```
 */
export function startLink<K extends RegistryKey = RegistryKey, V = unknown>(parent: Context, options: Omit<RegistryOptions, 'runtime'>): Promise<RegistryStartResult<K, V>> {
  const config = configOf('Registry.startLink', options);
  return GenServer.startLink(parent, registryBehaviour, config, { name: config.name }) as Promise<RegistryStartResult<K, V>>;
}

/**
 * A child spec that starts a registry under a supervisor: its id is the registry's name and its
 * type `'supervisor'`, as Elixir's `{Registry, keys: ..., name: ...}`.
 *
 * @throws {@link InvalidArgumentError} for bad options (at once, not when the supervisor starts it).
 * @example
 * ```ts
 * import { Registry, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Supervisor.start({ children: [Registry.childSpec({ keys: 'unique', name: 'rooms' })] }, { runtime: rt });
 * expect(Registry.count(Registry.named('rooms', rt))).toBe(0);
 * rt.killAll();
 * ```
 */
export function childSpec(options: Omit<RegistryOptions, 'runtime'>): ChildSpec {
  configOf('Registry.childSpec', options);
  return { id: options.name, type: 'supervisor', start: (sup) => startLink(sup, options) };
}

/**
 * A reference to the registry registered as `name` in `runtime` (the default runtime when
 * undefined), typed with its key and value types. It is looked up at each use, so it reaches the
 * registry again after a supervisor restarted it.
 *
 * @throws {@link InvalidArgumentError} for a name that cannot be registered or a runtime that is not one.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'users', runtime: rt });
 * const users = Registry.named<number, string>('users', rt);
 * await rt.run((ctx) => Registry.register(ctx, users, 7, 'ada'));
 * expect(Registry.count(users)).toBe(0); // the process that registered has exited
 * rt.killAll();
 * ```
 */
export function named<K extends RegistryKey = RegistryKey, V = unknown>(name: string, runtime?: Runtime): RegistryName<K, V> {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('Registry.named', 'name', name, 'a registered name');
  if (runtime !== undefined && (typeof runtime !== 'object' || runtime === null || typeof (runtime as { whereis?: unknown }).whereis !== 'function')) {
    throw new InvalidArgumentError('Registry.named', 'runtime', runtime, 'a Runtime, or undefined for the default runtime');
  }
  return { name, runtime: runtime ?? defaultRuntime() };
}

// The registry found last: a loop of calls on one reference skips the lookup. A table that is
// no longer alive (its registry exited, perhaps restarted under the same name) is looked up again.
let lastRef: unknown = undefined;
let lastTable: Table | undefined = undefined;

function tableOf(operation: string, ref: unknown): Table {
  if (ref === lastRef && lastTable!.alive) return lastTable!;
  let table: Table | undefined;
  if (typeof ref === 'string') table = Table.of(ref);
  else if (typeof ref === 'object' && ref !== null) {
    const { name, runtime } = ref as RegistryName;
    if (typeof name === 'string' && typeof runtime === 'object' && runtime !== null && typeof runtime.whereis === 'function') table = Table.of(runtime.whereis(name));
  }
  if (table === undefined) {
    throw new InvalidArgumentError(operation, 'registry', ref, 'a running registry: Registry.named(name, runtime) or its pid');
  }
  lastRef = ref;
  lastTable = table;
  return table;
}

function checkContext(operation: string, ctx: unknown, table: Table): Context {
  if (typeof ctx !== 'object' || ctx === null || (ctx as Context).runtime !== table.runtime) {
    throw new InvalidArgumentError(operation, 'ctx', ctx, "the calling process's context, in the registry's runtime");
  }
  return ctx as Context;
}

function checkPid(operation: string, pid: unknown): void {
  if (!isPid(pid)) throw new InvalidArgumentError(operation, 'pid', pid, 'a pid');
}

function checkFunction(operation: string, argument: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new InvalidArgumentError(operation, argument, fn, 'a function');
}

const pairs = (entries: readonly Entry[]): RegistryEntry[] => entries.map((e) => ({ pid: e.owner.pid, value: e.value }));

/**
 * Registers the calling process under `key` with `value`, and links it to the registry.
 *
 * In a unique registry a key already held (by anyone, the caller included) is refused with
 * `already_registered` and the holder. In a duplicate registry every call adds an entry, the
 * same key twice included. Listeners are told. The entry goes when the caller exits.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key, or a
 * context of another runtime.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'topics', runtime: rt });
 * const topics = Registry.named<string, string>('topics', rt);
 * const seen = await rt.run((ctx) => {
 *   Registry.register(ctx, topics, 'news', 'a');
 *   Registry.register(ctx, topics, 'news', 'b');
 *   return Registry.lookup(topics, 'news').map((e) => e.value);
 * });
 * expect(seen).toEqual(['a', 'b']);
 * expect(Registry.lookup(topics, 'news')).toEqual([]); // gone with the process
 * rt.killAll();
 * ```
 */
export function register<K extends RegistryKey, V>(ctx: Context, registry: RegistryRef<K, V>, key: K, value: V): RegisterResult {
  const table = tableOf('Registry.register', registry);
  checkContext('Registry.register', ctx, table);
  checkKey('Registry.register', key);
  return table.register(ctx, key, value);
}

/**
 * Removes every entry of the calling process under `key`; unlinks it from the registry when it
 * has no entry left. Entries of other processes are never touched. Listeners are told, even
 * when there was nothing to remove, as in Elixir.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key or context.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const r = Registry.named<string, number>('r', rt);
 * const keys = await rt.run((ctx) => {
 *   Registry.register(ctx, r, 'a', 1);
 *   Registry.register(ctx, r, 'b', 2);
 *   Registry.unregister(ctx, r, 'a');
 *   return Registry.keys(r, ctx.self);
 * });
 * expect(keys).toEqual(['b']);
 * rt.killAll();
 * ```
 */
export function unregister<K extends RegistryKey, V>(ctx: Context, registry: RegistryRef<K, V>, key: K): void {
  const table = tableOf('Registry.unregister', registry);
  checkContext('Registry.unregister', ctx, table);
  checkKey('Registry.unregister', key);
  table.unregister(ctx, key);
}

/**
 * Removes the calling process's entries under `key` whose value `match` accepts (Elixir's
 * `unregister_match`, with a predicate for the pattern). Listeners are told only when no entry of
 * the caller is left under the key.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key, context or predicate.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'r', runtime: rt });
 * const r = Registry.named<string, number>('r', rt);
 * const left = await rt.run((ctx) => {
 *   for (const n of [1, 2, 3]) Registry.register(ctx, r, 'n', n);
 *   Registry.unregisterMatch(ctx, r, 'n', (v) => v % 2 === 1);
 *   return Registry.values(r, 'n', ctx.self);
 * });
 * expect(left).toEqual([2]);
 * rt.killAll();
 * ```
 */
export function unregisterMatch<K extends RegistryKey, V>(ctx: Context, registry: RegistryRef<K, V>, key: K, match: (value: V) => boolean): void {
  const table = tableOf('Registry.unregisterMatch', registry);
  checkContext('Registry.unregisterMatch', ctx, table);
  checkKey('Registry.unregisterMatch', key);
  checkFunction('Registry.unregisterMatch', 'match', match);
  table.unregister(ctx, key, match as (value: unknown) => boolean);
}

/**
 * The entries under `key`: at most one in a unique registry; in a duplicate one, in the order
 * they were registered. Callable from any process or from plain code.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or a bad key.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const r = Registry.named<string, string>('r', rt);
 * const pid = rt.spawn(async (ctx) => { Registry.register(ctx, r, 'me', 'hi'); await ctx.receive(); });
 * await rt.settle();
 * expect(Registry.lookup(r, 'me')).toEqual([{ pid, value: 'hi' }]);
 * expect(Registry.lookup(r, 'nobody')).toEqual([]);
 * rt.killAll();
 * ```
 */
export function lookup<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K): Array<RegistryEntry<V>> {
  const table = tableOf('Registry.lookup', registry);
  checkKey('Registry.lookup', key);
  if (table.unique !== null) {
    const entry = table.unique.get(key);
    return entry === undefined ? [] : [{ pid: entry.owner.pid, value: entry.value as V }];
  }
  return pairs(table.entries(key)) as Array<RegistryEntry<V>>;
}

/**
 * The entries under `key` whose value `match` accepts (Elixir's `match/3`, with a predicate for
 * the pattern and guards).
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key or predicate.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'r', runtime: rt });
 * const r = Registry.named<string, { level: number }>('r', rt);
 * const found = await rt.run((ctx) => {
 *   Registry.register(ctx, r, 'alerts', { level: 1 });
 *   Registry.register(ctx, r, 'alerts', { level: 3 });
 *   return Registry.match(r, 'alerts', (v) => v.level > 2).map((e) => e.value);
 * });
 * expect(found).toEqual([{ level: 3 }]);
 * rt.killAll();
 * ```
 */
export function match<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K, match: (value: V) => boolean): Array<RegistryEntry<V>> {
  const table = tableOf('Registry.match', registry);
  checkKey('Registry.match', key);
  checkFunction('Registry.match', 'match', match);
  return pairs(table.entries(key).filter((e) => match(e.value as V))) as Array<RegistryEntry<V>>;
}

/**
 * How many entries the registry holds, in constant time.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'r', runtime: rt });
 * const r = Registry.named<string, null>('r', rt);
 * expect(await rt.run((ctx) => { Registry.register(ctx, r, 'a', null); Registry.register(ctx, r, 'a', null); return Registry.count(r); })).toBe(2);
 * rt.killAll();
 * ```
 */
export function count<K extends RegistryKey, V>(registry: RegistryRef<K, V>): number {
  return tableOf('Registry.count', registry).size;
}

/**
 * How many entries under `key` have a value that `match` accepts (Elixir's `count_match`).
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key or predicate.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'r', runtime: rt });
 * const r = Registry.named<string, number>('r', rt);
 * expect(await rt.run((ctx) => { for (const n of [1, 5, 9]) Registry.register(ctx, r, 'n', n); return Registry.countMatch(r, 'n', (v) => v > 2); })).toBe(2);
 * rt.killAll();
 * ```
 */
export function countMatch<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K, match: (value: V) => boolean): number {
  const table = tableOf('Registry.countMatch', registry);
  checkKey('Registry.countMatch', key);
  checkFunction('Registry.countMatch', 'match', match);
  let n = 0;
  for (const e of table.entries(key)) if (match(e.value as V)) n++;
  return n;
}

/**
 * The keys `pid` has registered, once per entry (a key twice in a duplicate registry appears
 * twice); empty for a process that has exited or has none. Newest first, as Elixir lists them.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or a `pid` that is not a pid.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const r = Registry.named<string, null>('r', rt);
 * expect(await rt.run((ctx) => { Registry.register(ctx, r, 'a', null); Registry.register(ctx, r, 'b', null); return Registry.keys(r, ctx.self); })).toEqual(['b', 'a']);
 * rt.killAll();
 * ```
 */
export function keys<K extends RegistryKey, V>(registry: RegistryRef<K, V>, pid: Pid): K[] {
  const table = tableOf('Registry.keys', registry);
  checkPid('Registry.keys', pid);
  const owner = table.ownerOf(pid);
  if (owner === undefined) return [];
  const out: K[] = [];
  for (let e = owner.last; e !== null; e = e.oPrev) out.push(e.key as K);
  return out;
}

/**
 * The values `pid` registered under `key`, in registration order; empty when it has none.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key or a `pid` that is not a pid.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'r', runtime: rt });
 * const r = Registry.named<string, string>('r', rt);
 * const [mine, other] = await rt.run((ctx) => {
 *   Registry.register(ctx, r, 'k', 'x');
 *   return [Registry.values(r, 'k', ctx.self), Registry.values(r, 'k', rt.rootPid)];
 * });
 * expect(mine).toEqual(['x']);
 * expect(other).toEqual([]);
 * rt.killAll();
 * ```
 */
export function values<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K, pid: Pid): V[] {
  const table = tableOf('Registry.values', registry);
  checkKey('Registry.values', key);
  checkPid('Registry.values', pid);
  const out: V[] = [];
  for (const e of table.entries(key)) if (e.owner.pid === pid) out.push(e.value as V);
  return out;
}

/**
 * Replaces the value of the calling process's entry under `key` in a unique registry with
 * `update(old)`: `{ new, old }`, or `'error'` when the key is not the caller's. If `update`
 * throws, nothing changes and the error propagates.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or not unique, a bad key, context or function.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * const r = Registry.named<string, number>('r', rt);
 * const out = await rt.run((ctx) => {
 *   Registry.register(ctx, r, 'hits', 1);
 *   return [Registry.updateValue(ctx, r, 'hits', (n) => n + 1), Registry.updateValue(ctx, r, 'other', (n) => n)];
 * });
 * expect(out).toEqual([{ new: 2, old: 1 }, 'error']);
 * rt.killAll();
 * ```
 */
export function updateValue<K extends RegistryKey, V>(ctx: Context, registry: RegistryRef<K, V>, key: K, update: (old: V) => V): { readonly new: V; readonly old: V } | 'error' {
  const table = tableOf('Registry.updateValue', registry);
  checkContext('Registry.updateValue', ctx, table);
  checkKey('Registry.updateValue', key);
  checkFunction('Registry.updateValue', 'update', update);
  if (table.unique === null) throw new InvalidArgumentError('Registry.updateValue', 'registry', registry, 'a unique registry (updateValue is not supported for duplicate registries)');
  const entry = table.unique.get(key);
  if (entry === undefined || entry.owner.ctx !== ctx) return 'error';
  const old = entry.value as V;
  const next = update(old);
  entry.value = next;
  return { new: next, old };
}

/**
 * Calls `fn` with the entries under `key`, in the caller, when there are any (Elixir's
 * `dispatch/3`): pub-sub is `dispatch(topics, topic, (entries) => entries.forEach((e) => send(e.pid, msg)))`.
 * An error that `fn` throws propagates to the caller. The registered processes take no part.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running, a bad key or function.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'duplicate', name: 'pubsub', runtime: rt });
 * const pubsub = Registry.named<string, null>('pubsub', rt);
 * const got = rt.run(async (ctx) => {
 *   Registry.register(ctx, pubsub, 'news', null);
 *   Registry.dispatch(pubsub, 'news', (entries) => entries.forEach((e) => rt.send(e.pid, 'extra!')));
 *   return ctx.receive();
 * });
 * expect(await got).toBe('extra!');
 * rt.killAll();
 * ```
 */
export function dispatch<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K, fn: (entries: Array<RegistryEntry<V>>) => void): void {
  const table = tableOf('Registry.dispatch', registry);
  checkKey('Registry.dispatch', key);
  checkFunction('Registry.dispatch', 'fn', fn);
  const entries = table.entries(key);
  if (entries.length > 0) fn(pairs(entries) as Array<RegistryEntry<V>>);
}

function checkMetaKey(operation: string, key: unknown): void {
  if (typeof key !== 'string') throw new InvalidArgumentError(operation, 'key', key, 'a string');
}

/**
 * Reads the registry's metadata under `key`: given at start, or stored with {@link putMeta}.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or a key that is not a string.
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt, meta: { region: 'eu' } });
 * const r = Registry.named('r', rt);
 * expect(Registry.meta(r, 'region')).toEqual({ type: 'ok', value: 'eu' });
 * Registry.putMeta(r, 'tier', 2);
 * expect(Registry.meta(r, 'tier')).toEqual({ type: 'ok', value: 2 });
 * Registry.deleteMeta(r, 'tier');
 * expect(Registry.meta(r, 'tier')).toBe('error');
 * rt.killAll();
 * ```
 */
export function meta(registry: RegistryRef, key: string): { readonly type: 'ok'; readonly value: unknown } | 'error' {
  const table = tableOf('Registry.meta', registry);
  checkMetaKey('Registry.meta', key);
  return table.meta.has(key) ? { type: 'ok', value: table.meta.get(key) } : 'error';
}

/**
 * Stores registry metadata under `key`.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or a key that is not a string.
 * @see {@link meta}
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
 * Registry.putMeta(Registry.named('r', rt), 'started', true);
 * expect(Registry.meta(Registry.named('r', rt), 'started')).toEqual({ type: 'ok', value: true });
 * rt.killAll();
 * ```
 */
export function putMeta(registry: RegistryRef, key: string, value: unknown): void {
  const table = tableOf('Registry.putMeta', registry);
  checkMetaKey('Registry.putMeta', key);
  table.meta.set(key, value);
}

/**
 * Deletes registry metadata under `key`; nothing happens when there is none.
 *
 * @throws {@link InvalidArgumentError} for a registry that is not running or a key that is not a string.
 * @see {@link meta}
 * @example
 * ```ts
 * import { Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'r', runtime: rt, meta: { a: 1 } });
 * Registry.deleteMeta(Registry.named('r', rt), 'a');
 * expect(Registry.meta(Registry.named('r', rt), 'a')).toBe('error');
 * rt.killAll();
 * ```
 */
export function deleteMeta(registry: RegistryRef, key: string): void {
  const table = tableOf('Registry.deleteMeta', registry);
  checkMetaKey('Registry.deleteMeta', key);
  table.meta.delete(key);
}

/** A via name held by a registry; prints as `{ via: 'Registry', registry, key }` in errors and logs. */
class RegistryVia implements Via<RegistryViaName> {
  readonly via = viaModule;
  constructor(readonly name: RegistryViaName) {}

  toJSON(): unknown {
    const r = this.name.registry;
    return { via: 'Registry', registry: typeof r === 'string' ? r : r.name, key: this.name.key };
  }
}

function viaTable(operation: string, name: RegistryViaName): Table {
  const table = tableOf(operation, name.registry);
  if (table.unique === null) throw new InvalidArgumentError(operation, 'registry', name.registry, 'a unique registry (via names need unique keys)');
  return table;
}

/** Registry as a via module: Elixir's `Registry.whereis_name/1`, `register_name/2`, `unregister_name/1`. */
const viaModule: ViaModule<RegistryViaName> = {
  whereisName(name) {
    return viaTable('Registry.whereisName', name).unique!.get(name.key)?.owner.pid;
  },
  registerName(name, pid) {
    const table = viaTable('Registry.registerName', name);
    const ctx = liveContext(table.runtime, pid);
    return ctx !== undefined && table.register(ctx, name.key, name.value).type === 'ok';
  },
  unregisterName(name) {
    const table = viaTable('Registry.unregisterName', name);
    const entry = table.unique!.get(name.key);
    if (entry !== undefined) table.unregister(entry.owner.ctx, name.key);
  },
};

/**
 * A via name for `key` in the unique registry `registry`: Elixir's `{:via, Registry, {registry, key}}`
 * (and `{registry, key, value}` with a value). Accepted by `GenServer.start` / `startLink` (the
 * server registers `key` with `value` from its own process before init), `GenServer.call`,
 * `cast`, `stop`, `GenServer.named`, the supervisors' names, `send`, `whereis` and `monitor`.
 * It is looked up at each use.
 *
 * A registry that is not running makes each use throw an {@link InvalidArgumentError}, and so
 * does a duplicate registry (Elixir: ":via is not supported for duplicate registries").
 *
 * @throws {@link InvalidArgumentError} for a bad key.
 * @example
 * ```ts
 * import { GenServer, Next, Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Room { arg: string; state: string; call: { readonly type: 'topic' }; reply: { topic: string } }
 * const room: GenServer.Behaviour<Room> = { init: (topic) => Next.ok(topic), handleCall: { topic: (_r, _f, t) => Next.reply(t, t) } };
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'rooms', runtime: rt });
 * const rooms = Registry.named<string, string>('rooms', rt);
 * const lobby = Registry.via(rooms, 'lobby', 'public');
 * const started = await GenServer.start(room, 'welcome', { runtime: rt, name: lobby });
 * expect(await GenServer.call(GenServer.named<Room>(lobby), { type: 'topic' })).toBe('welcome');
 * expect(Registry.lookup(rooms, 'lobby')).toEqual([{ pid: started.type === 'ok' ? started.pid : undefined, value: 'public' }]);
 * expect(await GenServer.start(room, 'again', { runtime: rt, name: lobby })).toMatchObject({ type: 'error', reason: { tag: 'already_started' } });
 * rt.killAll();
 * ```
 */
export function via<K extends RegistryKey, V>(registry: RegistryRef<K, V>, key: K, value?: V): Via<RegistryViaName<K, V>> {
  checkKey('Registry.via', key);
  return new RegistryVia({ registry, key, value }) as unknown as Via<RegistryViaName<K, V>>;
}
