/**
 * Tables keyed by a pid or a ref without hashing: pid → process, ref → monitor or timer.
 *
 * The serial number inside a pid (`<R.N.0>`) or a ref (`#Ref<R.N>`) indexes a two-level array
 * (chunks of 256 slots), so inserting and looking up cost a few array accesses whatever the
 * number of entries, and consecutive serials keep a burst of spawns or monitors in the same few
 * chunks. A chunk is dropped when its last entry goes. This replaced Maps keyed by the strings:
 * with a million live processes a Map insert cost ~500 ns, and a monitor/demonitor pair paid
 * for hashing a fresh ref string and rehashing small tables on every call.
 *
 * A slot may hold a placeholder instead of an entry (for the process table: the body of a
 * process that has not started). The entry is made from it by `grow` when the slot is first
 * read, so a burst of spawns allocates no record per process until each one starts.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */

const SHIFT = 8;
const SLOTS = 1 << SHIFT;
const MASK = SLOTS - 1;

/** What a table stores: its key string as `self` (a pid, or a ref) and the key's serial. */
export interface Entry {
  readonly self: string;
  readonly serial: number;
}

interface Chunk<P> {
  readonly slots: Array<P | undefined>;
  live: number;
}

/** An entry, or what one is made from; placeholders are functions, entries are not. */
type Slot<P, L> = P | L;

export class SerialTable<P extends Entry, L extends (...args: never[]) => unknown = never> {
  // Indexed by serial >>> SHIFT. The outer array keeps one word per 256 serials ever used
  // (about 32 MB after a billion spawns); chunks themselves are freed once empty.
  #chunks: Array<Chunk<Slot<P, L>> | undefined> = [];
  /** The chunk new serials go into: kept even while empty, so spawn-exit-spawn reuses it. */
  #current = -1;
  #size = 0;

  readonly #prefixLength: number;

  /**
   * Keys are `prefix` + serial + `suffix` (`<R.` and `.0>` for pids, `#Ref<R.` and `>` for
   * refs). `grow` makes the entry for a placeholder's slot.
   */
  constructor(
    readonly prefix: string,
    readonly suffix: string,
    readonly grow: (serial: number, placeholder: L) => P = () => {
      throw new Error('this table holds no placeholders');
    },
  ) {
    this.#prefixLength = prefix.length;
  }

  get size(): number {
    return this.#size;
  }

  /** The serial in a key of this table; garbage for anything else (lookups then miss on the `self` check). */
  #serial(key: string): number {
    let n = 0;
    for (let i = this.#prefixLength; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c === 46 || c === 62) return n; // '.' ends a pid's serial, '>' a ref's
      n = n * 10 + (c - 48);
    }
    return -1;
  }

  get(key: unknown): P | undefined {
    if (typeof key !== 'string') return undefined;
    const n = this.#serial(key);
    if (n < 0) return undefined;
    const slot = this.#chunks[n >>> SHIFT]?.slots[n & MASK];
    if (slot === undefined) return undefined;
    if (typeof slot !== 'function') return (slot as P).self === key ? (slot as P) : undefined;
    return this.#isKeyOf(key, n) ? this.#grown(n, slot as L) : undefined;
  }

  /** The entry with this serial, made now if its slot holds a placeholder. */
  at(serial: number): P | undefined {
    const slot = this.#chunks[serial >>> SHIFT]?.slots[serial & MASK];
    if (slot === undefined || typeof slot !== 'function') return slot as P | undefined;
    return this.#grown(serial, slot as L);
  }

  /** Whether `key` is exactly the key of serial `n`, without building that key's string. */
  #isKeyOf(key: string, n: number): boolean {
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    // The length rules out leading zeros: "<0.07.0>" is not "<0.7.0>".
    return key.length === this.#prefixLength + digits + this.suffix.length && key.startsWith(this.prefix) && key.endsWith(this.suffix);
  }

  #grown(serial: number, placeholder: L): P {
    const entry = this.grow(serial, placeholder);
    this.#chunks[serial >>> SHIFT]!.slots[serial & MASK] = entry;
    return entry;
  }

  /** Adds an entry; serials only grow. */
  add(entry: P): void {
    this.reserve(entry.serial, entry);
  }

  /** Fills the slot of a new serial with an entry or a placeholder. */
  reserve(serial: number, slot: Slot<P, L>): void {
    const c = serial >>> SHIFT;
    let chunk = this.#chunks[c];
    if (chunk === undefined) {
      chunk = { slots: new Array<Slot<P, L> | undefined>(SLOTS), live: 0 };
      this.#chunks[c] = chunk;
      const previous = this.#current;
      this.#current = c;
      if (previous >= 0 && this.#chunks[previous]?.live === 0) this.#chunks[previous] = undefined;
    }
    chunk.slots[serial & MASK] = slot;
    chunk.live++;
    this.#size++;
  }

  delete(entry: P): void {
    const n = entry.serial;
    const c = n >>> SHIFT;
    const chunk = this.#chunks[c];
    if (chunk === undefined || chunk.slots[n & MASK] !== entry) return;
    chunk.slots[n & MASK] = undefined;
    this.#size--;
    if (--chunk.live === 0 && c !== this.#current) this.#chunks[c] = undefined;
  }

  /** Live entries, oldest first; placeholders are made into entries on the way. */
  *values(): IterableIterator<P> {
    for (let c = 0; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c];
      if (chunk === undefined) continue;
      for (let i = 0; i < SLOTS; i++) {
        const slot = chunk.slots[i];
        if (slot === undefined) continue;
        yield typeof slot === 'function' ? this.#grown(c * SLOTS + i, slot as L) : (slot as P);
      }
    }
  }
}
