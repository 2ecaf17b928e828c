/**
 * A mailbox: a queue whose every operation costs the same at any depth.
 *
 * Messages sit in an array from `head` on. Taking the oldest moves `head`; taking one from the
 * middle (selective receive) leaves a hole in its slot, so nothing after it moves and indices
 * into the queue stay valid. The dead part (the slots before `head` and the holes) is dropped
 * once it outgrows the live part, so a drain or a run of selective takes costs O(1) amortised per
 * message, where `shift()`/`splice()` on a large array cost O(depth) each.
 *
 * Two positions follow the messages through a compaction:
 * - `scan`: where a waiting selective receive resumes. Messages before it were already tried,
 *   so a receive that wakes for a new message tries only the new ones (as Erlang's save pointer).
 * - `markPos`: the end of the queue when `markRef` was made (a monitor's ref). Nothing queued
 *   before a ref existed can carry it, so a receive for that ref starts there: Erlang's receive
 *   marker, which keeps a call's or a monitor's receive O(1) in unrelated queued messages.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */

/** A taken message's slot. Private: no sent value can be it. */
const HOLE: unique symbol = Symbol('hole');

/** Below this many dead slots the queue is never compacted: a small queue just reuses its slots. */
const MIN_DEAD = 64;

/** A message's `ref` field; undefined for a value without one, or whose `ref` getter throws. */
export function refOf(msg: unknown): unknown {
  if (typeof msg !== 'object' || msg === null) return undefined;
  try {
    return (msg as { ref?: unknown }).ref;
  } catch {
    return undefined; // a hostile message is still delivered; it just matches no ref
  }
}

/** A bounded mailbox's policy and its count of dropped messages. */
export class Bound {
  /** Dropped since the last report; the report is queued when this leaves 0. */
  unreported = 0;
  dropped = 0;
  constructor(readonly drop: boolean) {}
}

export class Mailbox {
  constructor(
    /** The most messages that may wait; the kernel checks it before each push. */
    readonly max: number = Infinity,
    readonly bound: Bound | null = null,
  ) {}

  /** Slots `head` to the end; holes are taken messages. */
  q: unknown[] = [];
  head = 0;
  /** Live messages. */
  size = 0;
  /** Holes after `head`. */
  holes = 0;
  /** A waiting selective receive has tried the messages before this index. */
  scan = 0;
  markRef: unknown = undefined;
  markPos = 0;

  push(msg: unknown): void {
    this.q.push(msg);
    this.size++;
  }

  /** The oldest message; the caller checks `size > 0`. */
  shift(): unknown {
    const q = this.q;
    const msg = q[this.head];
    if (--this.size === 0) {
      this.#clear();
      return msg;
    }
    q[this.head++] = undefined;
    this.#skipHoles();
    if (this.head >= MIN_DEAD && this.head > this.size) this.#compact();
    return msg;
  }

  /** Takes the message at index `i` (a live slot). */
  takeAt(i: number): unknown {
    if (i === this.head) return this.shift();
    const q = this.q;
    const msg = q[i];
    q[i] = HOLE;
    this.size--;
    if (++this.holes >= MIN_DEAD && this.holes + this.head > this.size) this.#compact();
    return msg;
  }

  /** The index of the oldest message from `from` on that `match` accepts, or -1. `match` may throw. */
  find(match: (msg: unknown) => boolean, from: number): number {
    const q = this.q;
    for (let i = from < this.head ? this.head : from; i < q.length; i++) {
      const msg = q[i];
      if (msg !== HOLE && match(msg)) return i;
    }
    return -1;
  }

  /**
   * The index of the oldest message whose `ref` is `ref` (and whose `type` is `type`, if given),
   * or -1. Starts at the mark when `ref` made it.
   */
  findRef(ref: unknown, type?: string): number {
    const q = this.q;
    let i = this.head;
    if (ref === this.markRef && this.markPos > i) i = this.markPos;
    for (; i < q.length; i++) {
      const msg = q[i];
      // A hole is a symbol: refOf gives undefined.
      if (refOf(msg) === ref && (type === undefined || (msg as { type?: unknown }).type === type)) return i;
    }
    return -1;
  }

  /** Notes that `ref` is made now: see the module's header. */
  mark(ref: unknown): void {
    this.markRef = ref;
    this.markPos = this.q.length;
  }

  #skipHoles(): void {
    const q = this.q;
    while (q[this.head] === HOLE) {
      q[this.head++] = undefined;
      this.holes--;
    }
  }

  #clear(): void {
    // A fresh array rather than `length = 0` after a flood: it gives its backing store back at once.
    if (this.q.length > MIN_DEAD) this.q = [];
    else this.q.length = 0;
    this.head = this.holes = this.scan = this.markPos = 0;
  }

  /** Drops the dead slots; `scan` and `markPos` move with the messages they point at. */
  #compact(): void {
    const q = this.q;
    const out: unknown[] = [];
    let scan = -1;
    let mark = -1;
    for (let i = this.head; i < q.length; i++) {
      if (i === this.scan) scan = out.length;
      if (i === this.markPos) mark = out.length;
      if (q[i] !== HOLE) out.push(q[i]);
    }
    this.scan = scan === -1 ? (this.scan < this.head ? 0 : out.length) : scan;
    this.markPos = mark === -1 ? (this.markPos < this.head ? 0 : out.length) : mark;
    this.q = out;
    this.head = this.holes = 0;
  }
}
