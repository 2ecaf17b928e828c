/**
 * The process table: pid → process, without hashing.
 *
 * A pid's serial number indexes a two-level array (chunks of 256 slots), so inserting and
 * looking up cost a few array accesses whatever the number of live processes, and serials being
 * consecutive keeps a burst of spawns in the same few chunks. A chunk is dropped when its last
 * process exits. This replaced a Map keyed by pid string, whose inserts cost ~500 ns each with a
 * million live processes.
 *
 * @module
 * @internal
 */

const SHIFT = 8;
const SLOTS = 1 << SHIFT;
const MASK = SLOTS - 1;

/** What the table stores: anything with its pid string as `self` and the pid's serial. */
export interface Entry {
  readonly self: string;
  readonly serial: number;
}

interface Chunk<P> {
  readonly slots: Array<P | undefined>;
  live: number;
}

export class ProcTable<P extends Entry> {
  // Indexed by serial >>> SHIFT. The outer array keeps one word per 256 serials ever used
  // (about 32 MB after a billion spawns); chunks themselves are freed once empty.
  #chunks: Array<Chunk<P> | undefined> = [];
  /** The chunk new serials go into: kept even while empty, so spawn-exit-spawn reuses it. */
  #current = -1;
  #size = 0;

  /** `prefixLength` is the length of `<R.`, the part of every pid of this runtime before the serial. */
  constructor(readonly prefixLength: number) {}

  get size(): number {
    return this.#size;
  }

  /** The serial of a pid of this runtime; garbage for anything else (lookups then miss on the `self` check). */
  #serial(pid: string): number {
    let n = 0;
    for (let i = this.prefixLength; i < pid.length; i++) {
      const c = pid.charCodeAt(i);
      if (c === 46) return n; // '.'
      n = n * 10 + (c - 48);
    }
    return -1;
  }

  get(pid: unknown): P | undefined {
    if (typeof pid !== 'string') return undefined;
    const n = this.#serial(pid);
    if (n < 0) return undefined;
    const entry = this.#chunks[n >>> SHIFT]?.slots[n & MASK];
    return entry !== undefined && entry.self === pid ? entry : undefined;
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
