/**
 * Runtimes: independent worlds of processes, and the default one that ordinary programs use.
 *
 * A {@link Runtime} owns its processes, registered names and timers. Runtimes do not share
 * anything, so a test can make its own and end it with {@link Runtime.killAll}; a pid from one
 * runtime is refused by another. Plain Node code (an HTTP handler, a test) uses the runtime's
 * methods to spawn, send and look up; code running as a process uses its {@link Context}.
 *
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import pino, { type Logger } from 'pino';
import { InvalidArgumentError, ProcessExit } from '../errors.js';
import type { Context, Inbox, ProcessFn, ProcessInfo, SpawnOptions } from './context.js';
import type { ExitReason } from './exit_reason.js';
import { Kernel, systemClock } from './internal/kernel.js';
import { runtimeOf as runtimeIdOf, type Pid, type Ref, type RemoteName } from './pid.js';
import type { Via } from './via.js';

/**
 * Events a runtime emits, for tools that observe it.
 *
 * @example
 * ```ts
 * import { Runtime, type RuntimeEvents } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const exits: RuntimeEvents['exit'][] = [];
 * rt.events.on('exit', (pid, reason) => exits.push([pid, reason]));
 * const pid = rt.spawn(() => {});
 * await rt.settle();
 * expect(exits).toEqual([[pid, 'normal']]);
 * rt.events.removeAllListeners();
 * ```
 */
export interface RuntimeEvents {
  /** A process was spawned; `parent` is undefined when plain code spawned it. */
  spawn: [pid: Pid, parent: Pid | undefined];
  /** A process exited with `reason`. */
  exit: [pid: Pid, reason: ExitReason];
}

/**
 * Where a runtime takes the time from. Tests can pass one they drive by hand.
 *
 * @example
 * ```ts
 * import { Runtime, type RuntimeClock } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * let now = 0;
 * const due: Array<{ at: number; run: () => void }> = [];
 * const clock: RuntimeClock = {
 *   now: () => now,
 *   setTimeout: (run, ms) => { const t = { at: now + ms, run }; due.push(t); return t; },
 *   clearTimeout: (t) => { due.splice(due.indexOf(t as never), 1); },
 * };
 * const rt = new Runtime({ clock });
 * const ref = rt.sendAfter(1000, rt.spawn((ctx) => ctx.receive()), 'late');
 * now = 400;
 * expect(rt.cancelTimer(ref)).toBe(600);
 * expect(due).toHaveLength(0);
 * rt.killAll();
 * ```
 */
export interface RuntimeClock {
  /** Milliseconds, as `Date.now()`. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a callback set with `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/**
 * Options of {@link Runtime}.
 *
 * @example
 * ```ts
 * import { pino } from 'pino';
 * import { Runtime, type RuntimeOptions } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: RuntimeOptions = { logger: pino({ level: 'silent' }) };
 * const rt = new Runtime(options);
 * expect(rt.logger.level).toBe('silent');
 * ```
 */
export interface RuntimeOptions {
  /**
   * The pino logger for crash reports. By default a pino logger at the level given by the
   * environment variable `OTP_LOG_LEVEL` (`'info'` when unset). Reports carry the ts-otp pid as
   * `pid`; make your own logger with `base: null` (or a base without `pid`) so that pino's OS
   * process id does not become a second `pid` key in the same JSON record.
   */
  readonly logger?: Logger;
  /** The clock for timers and receive timeouts; by default the global timers, read at each call. */
  readonly clock?: RuntimeClock;
}

let nextRuntimeId = 1;

/** Every runtime by id, weakly: lets a pid, which carries its runtime's id, find its runtime. */
const runtimesById = new Map<number, WeakRef<Runtime>>();
/** Forgets a runtime's entry once the runtime is garbage, so making and dropping runtimes costs nothing lasting. */
const forgetRuntime = new FinalizationRegistry<number>((id) => runtimesById.delete(id)); // ids are never reused

/** @internal How many runtimes the table knows: for the test that they are forgotten. */
export function knownRuntimes(): number {
  return runtimesById.size;
}

/** The methods of a pino logger that ts-otp calls. */
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error', 'fatal', 'isLevelEnabled'] as const;
const CLOCK_METHODS = ['now', 'setTimeout', 'clearTimeout'] as const;

/** The level of the default logger: `OTP_LOG_LEVEL`, checked when the runtime is made rather than at its first report. */
function defaultLevel(): string {
  const level = globalThis.process.env['OTP_LOG_LEVEL'] ?? 'info';
  if (level !== 'silent' && !Object.hasOwn(pino.levels.values, level)) {
    throw new InvalidArgumentError('Runtime', 'OTP_LOG_LEVEL', level, `a pino level (${[...Object.keys(pino.levels.values), 'silent'].join(', ')})`);
  }
  return level;
}

function defaultLogger(level: string): Logger {
  // No base fields: pino's own `pid` (the OS process) would clash with the ts-otp pid in reports.
  return pino({ level, base: null });
}

/** Throws unless `options.<field>` is an object with every method in `methods`. */
function checkMethods(field: string, value: unknown, methods: readonly string[], expected: string): void {
  let ok = (typeof value === 'object' || typeof value === 'function') && value !== null;
  try {
    ok &&= methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
  } catch {
    ok = false; // a getter that throws, a revoked Proxy
  }
  if (!ok) throw new InvalidArgumentError('Runtime', `options.${field}`, value, expected);
}

/**
 * A world of processes: spawn them, message them and look them up from plain Node code.
 *
 * Each runtime is independent; tests make one each and end it with {@link Runtime.killAll}.
 * Ordinary programs can use {@link defaultRuntime}.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn(async (ctx) => {
 *   const msg = await ctx.receive();
 *   ctx.send('reporter', { got: msg });
 * });
 * const seen = rt.run(async (ctx) => {
 *   ctx.register('reporter');
 *   rt.send(pid, 'hello');
 *   return ctx.receive();
 * });
 * expect(await seen).toEqual({ got: 'hello' });
 * rt.killAll();
 * ```
 */
export class Runtime {
  /** Spawn and exit events, for tools. Listeners run after the kernel has handled the event. */
  readonly events = new EventEmitter<RuntimeEvents>();
  readonly #k: Kernel;
  #logger: Logger | undefined;
  /** The logger, the default one made on first use. */
  readonly #loggerOf: () => Logger;

  /**
   * Makes a runtime: an empty world of processes with its own pids, registered names, timers and
   * applications. Nothing runs until a process is spawned, and a runtime needs no closing; a test
   * ends its processes with {@link Runtime.killAll}. `options.logger` receives the crash and
   * supervisor reports: by default a pino logger at the level of the environment variable
   * `OTP_LOG_LEVEL` (`'info'` when unset), made at the first report. `options.clock` drives timers,
   * receive and call timeouts and restart intensities: by default the global timers; tests pass a
   * clock they move by hand.
   *
   * @throws {@link InvalidArgumentError} for options that are not an object, a `logger` that is not a
   * pino logger, a `clock` without `now`, `setTimeout` and `clearTimeout`, or (with no `logger`)
   * an `OTP_LOG_LEVEL` that is not a pino level.
   * @example
   * ```ts
   * import { pino } from 'pino';
   * import { InvalidArgumentError, Runtime } from 'ts-otp';
   * import { expect } from 'vitest';
   *
   * const rt = new Runtime({ logger: pino({ level: 'warn', base: null }) });
   * expect(rt.logger.level).toBe('warn');
   * expect(await rt.run(() => 'ran')).toBe('ran');
   * expect(() => new Runtime({ logger: 5 as never })).toThrow(InvalidArgumentError);
   * ```
   */
  constructor(options: RuntimeOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('Runtime', 'options', options, 'an object');
    const { logger, clock } = options;
    if (logger !== undefined) checkMethods('logger', logger, LOGGER_METHODS, 'a pino logger');
    if (clock !== undefined) checkMethods('clock', clock, CLOCK_METHODS, 'a RuntimeClock: { now, setTimeout, clearTimeout }');
    this.#logger = logger;
    const level = logger === undefined ? defaultLevel() : '';
    this.#loggerOf = () => (this.#logger ??= defaultLogger(level));
    const events = this.events;
    const id = idForNewRuntime();
    runtimesById.set(id, new WeakRef(this));
    forgetRuntime.register(this, id);
    this.#k = new Kernel(this, id, clock ?? systemClock, this.#loggerOf, {
      spawn: (pid, parent) => events.emit('spawn', pid, parent),
      exit: (pid, reason) => events.emit('exit', pid, reason),
      // One field read per spawn and exit: eventemitter3 counts its listeners in _eventsCount.
      wants: () => (events as unknown as { _eventsCount: number })._eventsCount > 0,
    });
  }

  /** @internal the kernel, for the behaviour hooks of the layers above (src/process/hooks.ts) */
  get kernel(): Kernel {
    return this.#k;
  }

  /** The pino logger this runtime reports crashes to. */
  get logger(): Logger {
    return this.#loggerOf();
  }

  /**
   * The pid that signals from plain code carry as their sender, such as the `from` of the EXIT
   * message a trapping process gets for `runtime.exit(pid, reason)`. It is never alive.
   */
  get rootPid(): Pid {
    return this.#k.rootPid;
  }

  /**
   * Starts a process running `fn`. It begins after the current step of the caller. See
   * {@link SpawnOptions} for a bound on its mailbox.
   *
   * @throws {@link InvalidArgumentError} if `fn` is not a function, or for bad options.
   */
  spawn<M = unknown>(fn: ProcessFn<M>, options?: SpawnOptions): Pid {
    if (options !== undefined) return this.#k.spawn(null, fn as ProcessFn<unknown>, 'spawn', options).self;
    return this.#k.spawnPid(null, fn as ProcessFn<unknown>);
  }

  /**
   * Runs `fn` as a process and resolves with what it returns: the bridge from plain code
   * (a test, an HTTP handler) into process code.
   *
   * Rejects with {@link ProcessExit} if the process ends any other way: it throws (the error is
   * the `cause`), calls `ctx.exit`, or is killed by a signal.
   *
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { expect } from 'vitest';
   *
   * const rt = new Runtime();
   * expect(await rt.run(async (ctx) => ctx.self.startsWith('<'))).toBe(true);
   * await expect(rt.run(() => { throw new Error('boom'); })).rejects.toThrow('boom');
   * ```
   */
  run<R, M = unknown>(fn: (ctx: Context<M>) => R | PromiseLike<R>): Promise<Awaited<R>> {
    const proc = this.#k.spawn(null, fn as ProcessFn<unknown>, 'spawn');
    return new Promise((resolve, reject) => {
      this.#k.watch(proc, (reason, returned, result) => {
        if (returned) resolve(result as Awaited<R>);
        else {
          const cause = typeof reason === 'object' && reason.tag === 'error' ? reason.cause : undefined;
          reject(new ProcessExit(proc.self, reason, cause === undefined ? undefined : { cause }));
        }
      });
    });
  }

  /** A new {@link Inbox}: a process with no body, for plain code to send, receive and monitor as a process. */
  inbox<M = unknown>(): Inbox<M> {
    return this.#k.inbox() as Inbox<M>;
  }

  /**
   * Sends `msg` to a pid, a registered name or a via name ({@link Via}). A dead pid drops it silently.
   *
   * @throws {@link NoProcError} for a name nobody holds. {@link InvalidArgumentError} for a value that is neither a pid nor a name.
   */
  send(to: Pid | string | RemoteName | Via, msg: unknown): void {
    this.#k.send(null, to, msg);
  }

  /**
   * Sends an exit signal to `pid` from outside any process, with {@link Runtime.rootPid} as the
   * sender. The rules are those of {@link Context.exit}: `'kill'` is untrappable, `'normal'` is
   * ignored by a process that does not trap exits.
   */
  exit(pid: Pid, reason: unknown): void {
    this.#k.exitSignal(null, pid, reason);
  }

  /** Registers `pid` under `name`. @throws {@link RegisterError} as Erlang's `register/2` raises `badarg`. */
  register(name: string, pid: Pid): void {
    this.#k.register(null, name, pid);
  }

  /** Removes a registered name. @throws {@link RegisterError} if nobody holds it. */
  unregister(name: string): void {
    this.#k.unregister(null, name);
  }

  /** The pid registered under `name` (a registered name, or a via name asked of its module), or undefined. */
  whereis(name: string | Via): Pid | undefined {
    return this.#k.whereis(name);
  }

  /** Every registered name. */
  registered(): string[] {
    return [...this.#k.names.keys()];
  }

  /**
   * Whether `pid` is alive. Every signal sent before the call has already been handled, so after
   * `exit(pid, 'kill')` this is `false` at once.
   */
  isAlive(pid: Pid): boolean {
    return this.#k.isAlive(pid);
  }

  /** A snapshot of a live process; undefined when it has exited. */
  processInfo(pid: Pid): ProcessInfo | undefined {
    return this.#k.processInfo(pid);
  }

  /** The pids of every live process, oldest first. */
  processes(): Pid[] {
    return Array.from(this.#k.procs.values(), (proc) => proc.self);
  }

  /**
   * How many processes are alive: Erlang's `erlang:system_info(process_count)`. Read from a
   * counter, so it costs the same with a million processes as with one.
   *
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { expect } from 'vitest';
   *
   * const rt = new Runtime();
   * rt.spawn((ctx) => ctx.receive());
   * rt.spawn((ctx) => ctx.receive());
   * expect(rt.processCount()).toBe(2);
   * rt.killAll();
   * expect(rt.processCount()).toBe(0);
   * ```
   */
  processCount(): number {
    return this.#k.procs.size;
  }

  /** Sends `msg` to `dest` (a pid or a name, looked up when it fires) after `ms` milliseconds. */
  sendAfter(ms: number, dest: Pid | string, msg: unknown): Ref {
    return this.#k.startTimer(null, ms, dest, msg, false);
  }

  /** Like {@link Runtime.sendAfter}, but delivers `{ type: 'timeout', ref, msg }`. */
  startTimer(ms: number, dest: Pid | string, msg: unknown): Ref {
    return this.#k.startTimer(null, ms, dest, msg, true);
  }

  /** Cancels a timer: the milliseconds that were left, or `false` if it fired or never existed. */
  cancelTimer(ref: Ref): number | false {
    return this.#k.cancelTimer(null, ref);
  }

  /**
   * Resolves once nothing in the runtime can make progress by itself: every live process is
   * blocked in `receive` with no matching message, and the kernel has no pending work. Timers
   * and outside events (I/O) can start things again later. For tests and tools.
   *
   * A process that awaits something other than `receive` (a `fetch`, a sleep) counts as busy
   * until it is back in `receive` or has exited, so settle waits for it.
   *
   * @example
   * ```ts
   * import { Runtime } from 'ts-otp';
   * import { expect } from 'vitest';
   *
   * const rt = new Runtime();
   * const pid = rt.spawn(async (ctx) => { await ctx.receive(); });
   * await rt.settle();
   * expect(rt.processInfo(pid)?.status).toBe('waiting');
   * rt.send(pid, 'go');
   * await rt.settle();
   * expect(rt.isAlive(pid)).toBe(false);
   * ```
   */
  settle(): Promise<void> {
    return this.#k.settle();
  }

  /**
   * Ends every process as `exit(pid, 'kill')` would and cancels every timer. For tests: nothing
   * is left running afterwards. The runtime stays usable.
   */
  killAll(): void {
    this.#k.killAll();
  }
}

/**
 * The runtime a pid belongs to (its first number), or undefined if that runtime is gone or the
 * value is not a pid. Lets code that is handed only a pid (a server reference, say) reach the
 * right runtime.
 *
 * @example
 * ```ts
 * import { Runtime, runtimeOf } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn(() => {});
 * expect(runtimeOf(pid)).toBe(rt);
 * expect(runtimeOf('not a pid')).toBeUndefined();
 * await rt.settle();
 * ```
 */
export function runtimeOf(pid: unknown): Runtime | undefined {
  const id = typeof pid === 'string' ? runtimeIdOf(pid, 'pid') : -1;
  if (id < 0) return undefined;
  if (id === 0) return defaultRuntime();
  return runtimesById.get(id)?.deref();
}

/**
 * @internal A runtime number no runtime of this thread will take, under which `rt` is found by
 * {@link runtimeOf}: the node layer prints the pids of another node with it.
 */
export function aliasRuntimeId(rt: Runtime): number {
  const id = nextRuntimeId++;
  runtimesById.set(id, new WeakRef(rt));
  return id;
}

let theDefault: Runtime | undefined;
let creatingDefault = false;

function idForNewRuntime(): number {
  return creatingDefault ? 0 : nextRuntimeId++;
}

/**
 * The runtime ordinary programs use, made on first use. Its pids begin with `<0.`.
 *
 * @example
 * ```ts
 * import { defaultRuntime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = defaultRuntime();
 * expect(defaultRuntime()).toBe(rt);
 * expect(await rt.run((ctx) => ctx.self.startsWith('<0.'))).toBe(true);
 * ```
 */
export function defaultRuntime(): Runtime {
  if (theDefault === undefined) {
    creatingDefault = true;
    try {
      theDefault = new Runtime();
    } finally {
      creatingDefault = false;
    }
  }
  return theDefault;
}
