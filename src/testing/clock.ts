/**
 * A virtual clock: time that moves only when a test moves it, for runtimes made with it.
 *
 * A {@link VirtualClock} is a {@link RuntimeClock}: give it to `new Runtime({ clock })` and every
 * wait of that runtime runs on it: `sendAfter` and `startTimer`, receive timeouts, GenServer call
 * and start timeouts, supervisor shutdown timeouts and restart-intensity windows (which read
 * `now()`). Nothing fires until the test calls {@link VirtualClock.advance} (or `runNext`,
 * `runAll`); then callbacks run one at a time in due order (equal due times in the order they were
 * set), and after each one the clock lets everything that it set off run to a standstill before
 * the next fires, so a timer set by a process woken at 40 ms and due at 60 ms fires within
 * `advance(100)`, in its place.
 *
 * What it cannot drive: anything outside the runtime's clock. Host timers a callback sets itself
 * (`setTimeout` in user code, `fetch`, file I/O), worker threads and message ports of other
 * nodes keep real time; node ticks use the runtime clock but the frames they wait for do not.
 * "A standstill" is one turn of the host's event loop (every pending promise job has run); work
 * that waits on I/O is not waited for.
 *
 * @module
 */
import { InvalidArgumentError, Runtime, type RuntimeClock, type RuntimeOptions } from '../index.js';

/** The host's own setImmediate, read when this module loads: fake timers installed later (vitest's) do not stop the clock's turns. */
const hostImmediate: (run: () => void) => unknown = globalThis.setImmediate;

/** @internal Resolves after one turn of the host event loop: every promise job queued before it has run. */
export function hostTurn(): Promise<void> {
  return new Promise((resolve) => hostImmediate(resolve));
}

/** A callback set on a {@link VirtualClock}: its due time, its order among equal due times, and the callback (null once run or cleared). */
class Entry {
  constructor(
    readonly at: number,
    readonly seq: number,
    public run: (() => void) | null,
  ) {}
}

/** Whether `a` is due before `b`. */
const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function checkMs(operation: string, argument: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(operation, argument, ms, 'a finite number of milliseconds >= 0');
  return ms;
}

/**
 * A {@link RuntimeClock} that moves only when the test moves it, firing the runtime's timers,
 * receive timeouts and call timeouts in due order.
 *
 * Time starts at `start` (default 0) and never goes back. Moving it is asynchronous: each
 * callback that falls due runs, then the clock waits one host event-loop turn so the processes it
 * woke can act (and set new timers, which then fire in their place) before the next one. Moves
 * are serialised: a second `advance` while one is running starts after it.
 *
 * @example
 * ```ts
 * import { Runtime, TIMEOUT } from 'ts-otp';
 * import { VirtualClock } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const clock = new VirtualClock();
 * const rt = new Runtime({ clock });
 * const seen: string[] = [];
 * rt.spawn(async (ctx) => {
 *   ctx.sendAfter(50, ctx.self, 'tick');
 *   seen.push(`${await ctx.receive()} at ${clock.now()}`);
 *   const none = await ctx.receive(1000); // a receive timeout on the same clock
 *   seen.push(`${none === TIMEOUT ? 'timeout' : 'message'} at ${clock.now()}`);
 * });
 * await clock.advance(60);
 * expect(seen).toEqual(['tick at 50']);
 * await clock.advance(1000);
 * expect(seen).toEqual(['tick at 50', 'timeout at 1050']);
 * expect(clock.now()).toBe(1060);
 * ```
 */
export class VirtualClock implements RuntimeClock {
  #now: number;
  #seq = 0;
  /** Pending callbacks, in no order; the earliest is searched for when one must fire (tests hold few). */
  readonly #due = new Set<Entry>();
  /** The move in progress: moves run one after the other. */
  #moving: Promise<unknown> = Promise.resolve();

  /**
   * A clock at `start` milliseconds.
   *
   * @throws {@link ts-otp!InvalidArgumentError} for a `start` that is not a finite number >= 0.
   * @example
   * ```ts
   * import { VirtualClock } from 'ts-otp/testing';
   * import { InvalidArgumentError } from 'ts-otp';
   * import { expect } from 'vitest';
   *
   * expect(new VirtualClock(1_000).now()).toBe(1_000);
   * expect(() => new VirtualClock(-1)).toThrow(InvalidArgumentError);
   * ```
   */
  constructor(start = 0) {
    this.#now = checkMs('VirtualClock', 'start', start);
  }

  /** The current virtual time in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Sets `callback` to run once the clock has moved `ms` forward; the runtime calls this. */
  setTimeout(callback: () => void, ms: number): unknown {
    if (typeof callback !== 'function') throw new InvalidArgumentError('VirtualClock.setTimeout', 'callback', callback, 'a function');
    const delay = typeof ms === 'number' && ms > 0 ? ms : 0; // as the host's setTimeout: NaN or negative is 0
    const entry = new Entry(this.#now + delay, this.#seq++, callback);
    this.#due.add(entry);
    return entry;
  }

  /** Cancels a callback set with {@link VirtualClock.setTimeout}; anything else is ignored. */
  clearTimeout(handle: unknown): void {
    if (handle instanceof Entry) {
      handle.run = null;
      this.#due.delete(handle);
    }
  }

  /**
   * How many callbacks are set and have neither run nor been cleared. The runtime keeps one for
   * its receive and call deadlines even while none is live, so this counts clock callbacks, not
   * the runtime's timers (see {@link assertNoLeaks} for those).
   */
  pending(): number {
    return this.#due.size;
  }

  /** When the next callback is due, or undefined when none is set. */
  nextDue(): number | undefined {
    return this.#earliest()?.at;
  }

  /**
   * Moves time forward by `ms`, firing every callback due by then in due order, each followed by
   * an event-loop turn; resolves with the clock at the old time plus `ms`.
   *
   * @throws {@link ts-otp!InvalidArgumentError} for `ms` that is not a finite number >= 0.
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock();
   * const rt = new Runtime({ clock });
   * const inbox = rt.inbox();
   * rt.sendAfter(30, inbox.self, 'b');
   * rt.sendAfter(10, inbox.self, 'a');
   * await clock.advance(29);
   * expect(await inbox.receive(0)).toBe('a');
   * await clock.advance(1);
   * expect(await inbox.receive(0)).toBe('b');
   * inbox.close();
   * ```
   */
  advance(ms: number): Promise<void> {
    const by = checkMs('VirtualClock.advance', 'ms', ms);
    return this.#serial(async () => {
      await this.#runUntil(this.#now + by, () => false); // from the time when this move starts
    });
  }

  /**
   * Moves time forward to `time` (a time in the past is an error), as {@link VirtualClock.advance}.
   *
   * @throws {@link ts-otp!InvalidArgumentError} for a `time` before {@link VirtualClock.now} or not finite.
   * @example
   * ```ts
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock(100);
   * await clock.advanceTo(250);
   * expect(clock.now()).toBe(250);
   * await expect(clock.advanceTo(10)).rejects.toThrow(/time/);
   * ```
   */
  advanceTo(time: number): Promise<void> {
    if (typeof time !== 'number' || !Number.isFinite(time) || time < this.#now) {
      return Promise.reject(new InvalidArgumentError('VirtualClock.advanceTo', 'time', time, `a finite time in milliseconds >= now (${this.#now})`));
    }
    return this.#serial(async () => {
      await this.#runUntil(Math.max(time, this.#now), () => false);
    });
  }

  /**
   * Fires the next callback, moving time to its due time, and lets what it set off run; resolves
   * `false` (time unchanged) when nothing is set.
   *
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock();
   * const rt = new Runtime({ clock });
   * const inbox = rt.inbox();
   * rt.sendAfter(5_000, inbox.self, 'late');
   * expect(await clock.runNext()).toBe(true);
   * expect(clock.now()).toBe(5_000);
   * expect(await inbox.receive(0)).toBe('late');
   * inbox.close();
   * ```
   */
  runNext(): Promise<boolean> {
    return this.#serial(async () => {
      await hostTurn(); // what is already under way may set an earlier callback
      const next = this.#earliest();
      if (next === undefined) return false;
      await this.#fire(next);
      return true;
    });
  }

  /**
   * Fires callbacks in due order until none is left, at most `limit` of them (default 10 000),
   * and resolves with how many ran. A process that sets a timer each time one fires never runs
   * out: past the limit this rejects, naming the limit, rather than spinning for ever.
   *
   * @throws {@link ts-otp!InvalidArgumentError} for a `limit` that is not a positive integer, and (as a
   * rejection) when more than `limit` callbacks would run.
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock();
   * const rt = new Runtime({ clock });
   * const inbox = rt.inbox();
   * for (const ms of [300, 100, 200]) rt.sendAfter(ms, inbox.self, ms);
   * expect(await clock.runAll()).toBe(3);
   * expect([await inbox.receive(0), await inbox.receive(0), await inbox.receive(0)]).toEqual([100, 200, 300]);
   * inbox.close();
   * ```
   */
  runAll(limit = 10_000): Promise<number> {
    if (!Number.isInteger(limit) || limit < 1) return Promise.reject(new InvalidArgumentError('VirtualClock.runAll', 'limit', limit, 'a positive integer'));
    return this.#serial(async () => {
      let ran = 0;
      for (;;) {
        await hostTurn();
        const next = this.#earliest();
        if (next === undefined) return ran;
        if (ran === limit) throw new InvalidArgumentError('VirtualClock.runAll', 'limit', limit, `more than the callbacks that keep being set (next due at ${next.at})`);
        await this.#fire(next);
        ran++;
      }
    });
  }

  /**
   * Fires callbacks in due order until `promise` settles, then resolves or rejects as it does:
   * for a result that needs time to pass, such as a GenServer call answered after a timer, a
   * call that times out, or a supervisor shutdown that waits out a child's shutdown time. When no
   * callback is left and `promise` is still pending, this waits for it as it is.
   *
   * @example
   * ```ts
   * import { TIMEOUT } from 'ts-otp';
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock();
   * const rt = clock.runtime();
   * const waited = rt.run(async (ctx) => {
   *   ctx.sendAfter(300, ctx.self, 'first');
   *   return [await ctx.receive(), await ctx.receive(2_000)];
   * });
   * expect(await clock.drive(waited)).toEqual(['first', TIMEOUT]);
   * expect(clock.now()).toBe(2_300);
   * ```
   */
  drive<T>(promise: PromiseLike<T>): Promise<T> {
    let settled = false;
    const watched = Promise.resolve(promise).finally(() => {
      settled = true;
    });
    watched.catch(() => undefined); // the caller gets the rejection from what this returns
    return this.#serial(async () => {
      for (;;) {
        await hostTurn();
        if (settled) break;
        const next = this.#earliest();
        if (next === undefined) break;
        await this.#fire(next);
      }
      return watched;
    });
  }

  /**
   * @internal Moves time towards `until`, firing callbacks in order, and stops early once `done()`
   * holds (checked before each callback and after each turn). Resolves with whether `done()`
   * held; on `false` the clock stands at `until`. For assertReceive and refuteReceive.
   */
  waitUntil(until: number, done: () => boolean): Promise<boolean> {
    return this.#serial(() => this.#runUntil(Math.max(until, this.#now), done));
  }

  async #runUntil(until: number, done: () => boolean): Promise<boolean> {
    for (;;) {
      await hostTurn();
      if (done()) return true;
      const next = this.#earliest();
      if (next === undefined || next.at > until) break;
      await this.#fire(next);
    }
    this.#now = until;
    return false;
  }

  async #fire(entry: Entry): Promise<void> {
    this.#due.delete(entry);
    const run = entry.run;
    entry.run = null;
    this.#now = Math.max(this.#now, entry.at);
    run?.();
    await hostTurn();
  }

  #earliest(): Entry | undefined {
    let first: Entry | undefined;
    for (const entry of this.#due) if (first === undefined || before(entry, first)) first = entry;
    return first;
  }

  #serial<T>(move: () => Promise<T>): Promise<T> {
    const result = this.#moving.then(move);
    this.#moving = result.catch(() => undefined);
    return result;
  }

  /**
   * A new {@link Runtime} on this clock: `new Runtime({ ...options, clock: this })`.
   *
   * @example
   * ```ts
   * import { VirtualClock } from 'ts-otp/testing';
   * import { expect } from 'vitest';
   *
   * const clock = new VirtualClock();
   * const rt = clock.runtime();
   * const inbox = rt.inbox();
   * rt.sendAfter(10, inbox.self, 'hi');
   * await clock.advance(10);
   * expect(await inbox.receive(0)).toBe('hi');
   * inbox.close();
   * ```
   */
  runtime(options: Omit<RuntimeOptions, 'clock'> = {}): Runtime {
    return new Runtime({ ...options, clock: this });
  }
}
