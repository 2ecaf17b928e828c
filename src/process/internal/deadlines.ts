/**
 * Receive timeouts without a host timer for each.
 *
 * A GenServer call waits with a timeout (5 s by default) and is nearly always answered first, so
 * a timer per receive would be armed and cancelled on every call (about half a microsecond in
 * Node). Deadlines are instead kept in one FIFO per duration: entries of the same duration are
 * due in insertion order, so each queue is sorted by construction and only its head matters.
 * One host timer is armed for the earliest head. Cancelling marks the entry; marked entries are
 * skipped when reached, and a queue that is mostly marked is compacted, so memory stays
 * proportional to the live deadlines. With none live, the host timer stays armed but is unref'd
 * (re-arming it on every call would cost what this saves), so a Node program whose processes
 * are all idle can still exit.
 *
 * A deadline is stamped with its due time not when it is added but when the kernel's microtask
 * that follows ends (`stamp`): reading the clock cost a call-response loop a quarter of its
 * time, and a call answered within that microtask, the usual case, never reads it. So a
 * deadline is never early, and late by at most the rest of the step that added it (for
 * `await call(...)`, nothing).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */

/** The part of the runtime clock this needs. */
export interface DeadlineClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Queue<T> {
  items: Array<Deadline<T>>;
  head: number;
  dead: number;
}

/** A pending deadline; `owner` is null once it fired or was cancelled. */
export class Deadline<T> {
  /** NaN until stamped. */
  due = NaN;
  constructor(
    public owner: T | null,
    readonly queue: Queue<T>,
  ) {}
}

const COMPACT_MIN = 64;

/** Node's timers can be unref'd so they do not keep the program alive; other clocks' handles are left alone. */
function setRef(handle: unknown, on: boolean): void {
  const h = handle as { ref?: () => void; unref?: () => void } | undefined;
  if (typeof h === 'object' && h !== null) (on ? h.ref : h.unref)?.call(h);
}

export class Deadlines<T> {
  #queues = new Map<number, Queue<T>>();
  #live = 0;
  #handle: unknown = undefined;
  /** Whether the host timer keeps the program alive; it does while any deadline is live. */
  #refd = true;
  #unrefQueued = false;
  #armedFor = Infinity;
  /**
   * Live deadlines without a due time yet; with none, stamping reads no clock. Deadlines without
   * one (live, or cancelled before a stamp) are always the last of their queues.
   */
  #unstampedLive = 0;

  constructor(
    readonly clock: () => DeadlineClock,
    readonly expire: (owner: T) => void,
    /** Asks for `stamp` to be called soon: at the end of the kernel's next microtask. */
    readonly requestStamp: () => void,
  ) {}

  add(owner: T, ms: number): Deadline<T> {
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = { items: [], head: 0, dead: 0 };
      this.#queues.set(ms, queue);
    }
    const deadline = new Deadline(owner, queue);
    queue.items.push(deadline);
    this.#live++;
    if (this.#unstampedLive++ === 0) this.requestStamp();
    return deadline;
  }

  /** Gives every deadline added since the last stamp its due time, and arms the host timer for them. */
  stamp(): void {
    // None live (the calls were answered in the flush that just ended): the cancelled ones keep no
    // due time, which nothing reads, and the next stamp gives them one on the way.
    if (this.#unstampedLive === 0) return;
    this.#unstampedLive = 0;
    const now = this.clock().now();
    let earliest = Infinity;
    for (const [ms, queue] of this.#queues) {
      const items = queue.items;
      let live = false;
      for (let i = items.length - 1; i >= queue.head && Number.isNaN(items[i]!.due); i--) {
        items[i]!.due = now + ms;
        if (items[i]!.owner !== null) live = true;
      }
      if (live) earliest = Math.min(earliest, now + ms);
    }
    if (earliest < this.#armedFor) this.#arm(earliest, now);
    else if (!this.#refd) {
      setRef(this.#handle, true);
      this.#refd = true;
    }
  }

  cancel(deadline: Deadline<T>): void {
    if (deadline.owner === null) return;
    deadline.owner = null;
    if (Number.isNaN(deadline.due)) this.#unstampedLive--;
    const queue = deadline.queue;
    queue.dead++;
    // The queues are kept when the last deadline goes: a call-response loop adds and cancels one
    // per request, and clearing them cost a Map insert per request.
    if (--this.#live === 0) this.#unrefSoon();
    if (queue.dead > COMPACT_MIN && queue.dead * 2 > queue.items.length - queue.head) {
      queue.items = queue.items.filter((d, i) => i >= queue.head && d.owner !== null);
      queue.head = 0;
      queue.dead = 0;
    }
  }

  /** Forgets every deadline and clears the host timer (the runtime's killAll). */
  clear(): void {
    for (const queue of this.#queues.values()) for (const d of queue.items) d.owner = null;
    this.#queues.clear();
    this.#live = 0;
    this.#unstampedLive = 0;
    if (this.#handle !== undefined) this.clock().clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#armedFor = Infinity;
  }

  /**
   * Lets the program exit once no deadline is live, checked after the current macrotask: a loop
   * of calls adds and cancels a deadline per request, and toggling the timer's ref each time
   * cost a tenth of a call.
   */
  #unrefSoon(): void {
    if (this.#unrefQueued) return;
    this.#unrefQueued = true;
    setImmediate(() => {
      this.#unrefQueued = false;
      if (this.#live === 0 && this.#refd) {
        setRef(this.#handle, false);
        this.#refd = false;
      }
    }).unref();
  }

  #arm(due: number, now: number = this.clock().now()): void {
    const clock = this.clock();
    if (this.#handle !== undefined) clock.clearTimeout(this.#handle);
    this.#armedFor = due;
    this.#handle = clock.setTimeout(this.#fire, Math.max(0, due - now));
    this.#refd = true;
  }

  #fire = (): void => {
    this.#handle = undefined;
    this.#armedFor = Infinity;
    this.stamp(); // a hand-driven clock can fire before the kernel's microtask has run
    const now = this.clock().now();
    let next = Infinity;
    for (const [ms, queue] of this.#queues) {
      const items = queue.items;
      while (queue.head < items.length) {
        const d = items[queue.head]!;
        if (d.owner === null) {
          queue.head++;
          queue.dead--;
          continue;
        }
        if (d.due > now) break;
        queue.head++;
        const owner = d.owner;
        d.owner = null;
        this.#live--;
        this.expire(owner);
      }
      if (queue.head >= items.length) this.#queues.delete(ms);
      else {
        next = Math.min(next, items[queue.head]!.due);
        if (queue.head > COMPACT_MIN && queue.head * 2 > items.length) {
          queue.items = items.slice(queue.head);
          queue.head = 0;
        }
      }
    }
    if (this.#live > 0 && next !== Infinity) this.#arm(next, now);
    else if (this.#live === 0) this.#queues.clear();
  };
}
