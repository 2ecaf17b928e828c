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

export class SerialTable<P extends Entry> {
  // Indexed by serial >>> SHIFT. The outer array keeps one word per 256 serials ever used
  // (about 32 MB after a billion spawns); chunks themselves are freed once empty.
  #chunks: Array<Chunk<P> | undefined> = [];
  /** The chunk new serials go into: kept even while empty, so spawn-exit-spawn reuses it. */
  #current = -1;
  #size = 0;

  /** `prefixLength` is the length of `<R.` or `#Ref<R.`: what comes before the serial in every key. */
  constructor(readonly prefixLength: number) {}

  get size(): number {
    return this.#size;
  }

  /** The serial in a key of this table; garbage for anything else (lookups then miss on the `self` check). */
  #serial(key: string): number {
    let n = 0;
    for (let i = this.prefixLength; i < key.length; i++) {
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
    const entry = this.#chunks[n >>> SHIFT]?.slots[n & MASK];
    return entry !== undefined && entry.self === key ? entry : undefined;
  }

  /** Adds an entry; serials only grow. */
  add(entry: P): void {
    const serial = entry.serial;
    const c = serial >>> SHIFT;
    let chunk = this.#chunks[c];
    if (chunk === undefined) {
      chunk = { slots: new Array<P | undefined>(SLOTS), live: 0 };
      this.#chunks[c] = chunk;
      const previous = this.#current;
      this.#current = c;
      if (previous >= 0 && this.#chunks[previous]?.live === 0) this.#chunks[previous] = undefined;
    }
    chunk.slots[serial & MASK] = entry;
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

  /** Live entries, oldest first. */
  *values(): IterableIterator<P> {
    for (const chunk of this.#chunks) {
      if (chunk === undefined) continue;
      for (const entry of chunk.slots) if (entry !== undefined) yield entry;
    }
  }
}
