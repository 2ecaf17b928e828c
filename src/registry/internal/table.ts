/**
 * A registry's tables: entries by key and by owning process, read and written by the caller.
 *
 * Elixir's Registry keeps its entries in ETS tables that every caller reads and writes directly;
 * in one thread a plain object does the same. Each entry sits in two intrusive lists at once:
 * its key's (duplicate registries; a unique key maps straight to its entry) and its process's.
 * Adding, finding and removing an entry is then O(1) with one Map operation at most, whatever
 * the registry's size, and a process's exit drops its entries in O(its entries) from an exit
 * hook the kernel runs the moment the process exits (so nobody finds them after).
 *
 * Not part of the public API.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import type { Context, ExitReason, Pid, Runtime } from '../../process/index.js';
import type { RegisterResult, RegistryEvent as Event } from '../registry.js';
import { addExitHook, findExitHook, hasExited, liveContext, removeExitHook, type ExitHook } from '../../process/hooks.js';

/** One registration: `owner`'s process under `key`, with `value`. */
export class Entry {
  /** The previous and next entries under the same key (duplicate registries only). */
  kPrev: Entry | null = null;
  kNext: Entry | null = null;
  /** The previous and next entries of the same process. */
  oPrev: Entry | null = null;
  oNext: Entry | null = null;
  constructor(
    readonly key: unknown,
    readonly owner: Owner,
    public value: unknown,
  ) {}
}

/** The entries under one key of a duplicate registry, in registration order. */
class KeyList {
  first: Entry | null = null;
  last: Entry | null = null;
}

/**
 * A process that has entries in a table: the exit hook that drops them, and their list. One per
 * process and table, found through the process's hooks (no Map keyed by pid).
 */
export class Owner implements ExitHook {
  first: Entry | null = null;
  last: Entry | null = null;
  size = 0;
  /** The table's other owners, for its close. */
  prev: Owner | null = null;
  next: Owner | null = null;
  constructor(
    readonly key: Table,
    readonly ctx: Context,
    readonly pid: Pid,
  ) {}

  exited(): void {
    this.key.dropOwner(this);
  }
}

export interface Config {
  readonly kind: 'unique' | 'duplicate';
  readonly name: string;
  readonly partitions: number;
  readonly listeners: readonly string[];
  readonly meta: ReadonlyArray<readonly [string, unknown]>;
}

/** Every live registry's table, by the registry's pid (pids are never reused within a thread). */
const tables = new Map<Pid, Table>();

export class Table {
  alive = true;
  /** Entries in all. */
  size = 0;
  readonly unique: Map<unknown, Entry> | null;
  readonly dup: Map<unknown, KeyList> | null;
  readonly meta: Map<string, unknown>;
  readonly pid: Pid;
  readonly runtime: Runtime;
  #owners: Owner | null = null;
  #ok: RegisterResult;

  constructor(
    readonly config: Config,
    ctx: Context,
  ) {
    this.unique = config.kind === 'unique' ? new Map() : null;
    this.dup = config.kind === 'duplicate' ? new Map() : null;
    this.meta = new Map(config.meta);
    this.pid = ctx.self;
    this.runtime = ctx.runtime;
    this.#ok = { type: 'ok', owner: this.pid };
    tables.set(this.pid, this);
    // Its own end (any reason, even killed before a step) drops everything.
    addExitHook(ctx, { key: tables, exited: (_reason: ExitReason) => this.close() });
  }

  /** The table of the live registry `pid`, if any. */
  static of(pid: unknown): Table | undefined {
    return tables.get(pid as Pid);
  }

  get name(): string {
    return this.config.name;
  }

  /** `ctx`'s owner record in this table; made (with its exit hook and a link) when `create`. */
  #owner(ctx: Context, create: boolean): Owner | undefined {
    const found = findExitHook(ctx, this) as Owner | undefined;
    if (found !== undefined || !create) return found;
    const owner = new Owner(this, ctx, ctx.self);
    addExitHook(ctx, owner);
    ctx.link(this.pid); // as Elixir links the caller to the registry's partition
    owner.next = this.#owners;
    if (this.#owners !== null) this.#owners.prev = owner;
    this.#owners = owner;
    return owner;
  }

  #forget(owner: Owner): void {
    if (owner.prev === null) this.#owners = owner.next;
    else owner.prev.next = owner.next;
    if (owner.next !== null) owner.next.prev = owner.prev;
    owner.prev = owner.next = null;
  }

  register(ctx: Context, key: unknown, value: unknown): RegisterResult {
    if (this.unique !== null) {
      const held = this.unique.get(key);
      if (held !== undefined) return { type: 'error', reason: { tag: 'already_registered', pid: held.owner.pid } };
    }
    if (hasExited(ctx)) return this.#ok; // leftover code of an exited process: no effect, as its context is inert
    const owner = this.#owner(ctx, true)!;
    const entry = new Entry(key, owner, value);
    entry.oPrev = owner.last;
    if (owner.last === null) owner.first = entry;
    else owner.last.oNext = entry;
    owner.last = entry;
    owner.size++;
    if (this.unique !== null) this.unique.set(key, entry);
    else {
      let list = this.dup!.get(key);
      if (list === undefined) this.dup!.set(key, (list = new KeyList()));
      entry.kPrev = list.last;
      if (list.last === null) list.first = entry;
      else list.last.kNext = entry;
      list.last = entry;
    }
    this.size++;
    const listeners = this.config.listeners;
    if (listeners.length > 0) this.#notify(ctx, { type: 'register', registry: this.name, key, pid: owner.pid, value });
    return this.#ok;
  }

  #notify(ctx: Context, event: Event): void {
    for (const listener of this.config.listeners) ctx.send(listener, event);
  }

  /** Removes `entry` from its key's structure and its owner's list. */
  #remove(entry: Entry): void {
    const owner = entry.owner;
    if (entry.oPrev === null) owner.first = entry.oNext;
    else entry.oPrev.oNext = entry.oNext;
    if (entry.oNext === null) owner.last = entry.oPrev;
    else entry.oNext.oPrev = entry.oPrev;
    owner.size--;
    this.#unkey(entry);
  }

  #unkey(entry: Entry): void {
    this.size--;
    if (this.unique !== null) {
      this.unique.delete(entry.key);
      return;
    }
    const list = this.dup!.get(entry.key)!;
    if (entry.kPrev === null) list.first = entry.kNext;
    else entry.kPrev.kNext = entry.kNext;
    if (entry.kNext === null) list.last = entry.kPrev;
    else entry.kNext.kPrev = entry.kPrev;
    if (list.first === null) this.dup!.delete(entry.key);
  }

  /** After removals: a process with no entries left is unlinked and forgotten, as Elixir's unlink_if_unregistered. */
  #release(owner: Owner): void {
    if (owner.size > 0) return;
    removeExitHook(owner.ctx, owner);
    this.#forget(owner);
    owner.ctx.unlink(this.pid);
  }

  /** Removes `ctx`'s entries under `key` that `match` accepts (all of them without one); true when none is left under the key. */
  unregister(ctx: Context, key: unknown, match?: (value: unknown) => boolean): void {
    const owner = this.#owner(ctx, false);
    let total = 0;
    let removed = 0;
    if (owner !== undefined) {
      if (this.unique !== null) {
        const entry = this.unique.get(key);
        if (entry !== undefined && entry.owner === owner) {
          total = 1;
          if (match === undefined || match(entry.value)) {
            this.#remove(entry);
            removed = 1;
          }
        }
      } else {
        for (let e = owner.first; e !== null; ) {
          const next = e.oNext;
          if (e.key === key || (e.key !== e.key && key !== key)) {
            total++;
            if (match === undefined || match(e.value)) {
              this.#remove(e);
              removed++;
            }
          }
          e = next;
        }
      }
      if (removed > 0) this.#release(owner);
    }
    // As Elixir: unregister tells the listeners always; unregisterMatch only when it removed every entry under the key.
    if (this.config.listeners.length > 0 && (match === undefined || (removed > 0 && removed === total))) {
      this.#notify(ctx, { type: 'unregister', registry: this.name, key, pid: ctx.self });
    }
  }

  /** The entries under `key`, in registration order. */
  entries(key: unknown): Entry[] {
    if (this.unique !== null) {
      const entry = this.unique.get(key);
      return entry === undefined ? [] : [entry];
    }
    const out: Entry[] = [];
    const list = this.dup!.get(key);
    if (list !== undefined) for (let e = list.first; e !== null; e = e.kNext) out.push(e);
    return out;
  }

  /** The owner record of the live process `pid` in this table, if it has entries. */
  ownerOf(pid: Pid): Owner | undefined {
    const ctx = liveContext(this.runtime, pid);
    return ctx === undefined ? undefined : this.#owner(ctx, false);
  }

  /** The owner record of `ctx`, if it has entries. */
  ownerOfContext(ctx: Context): Owner | undefined {
    return this.#owner(ctx, false);
  }

  /** The process `owner` exited: its entries go, with no event (Elixir's listeners monitor instead). */
  dropOwner(owner: Owner): void {
    if (!this.alive) return;
    for (let e = owner.first; e !== null; e = e.oNext) this.#unkey(e);
    owner.first = owner.last = null;
    owner.size = 0;
    this.#forget(owner);
  }

  /** The registry exited: every entry goes, and each process's hook with it. */
  close(): void {
    this.alive = false;
    tables.delete(this.pid);
    for (let o = this.#owners; o !== null; o = o.next) removeExitHook(o.ctx, o);
    this.#owners = null;
    this.unique?.clear();
    this.dup?.clear();
    this.size = 0;
  }
}

/** Throws unless `key` can be a registry key: a string, a number, a bigint or a boolean (compared as Map keys are). */
export function checkKey(operation: string, key: unknown): void {
  const t = typeof key;
  if (t !== 'string' && t !== 'number' && t !== 'bigint' && t !== 'boolean') {
    throw new InvalidArgumentError(operation, 'key', key, 'a string, a number, a bigint or a boolean');
  }
}
