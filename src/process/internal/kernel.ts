/**
 * The kernel: process records, mailboxes, links, monitors, exit signals, names and timers.
 *
 * Design, for speed and for Erlang's ordering guarantees:
 * - Signals are handled synchronously, inside the call that sends them, through one FIFO work
 *   list. So signals and messages between any pair of processes keep their order, a dying
 *   process's link EXITs precede its DOWNs, and a cascade along a chain of links is complete when
 *   the call returns (which is also Erlang's guarantee for `is_process_alive` after `exit/2`).
 * - User code never runs inside another process's kernel call: processes start, selective
 *   receive predicates run, AbortSignals abort and events are emitted from one kernel microtask
 *   (`flush`) that runs after the current step.
 * - A process blocked in a plain receive is woken by resolving its pending promise with the
 *   message itself: no mailbox traffic, no closure, no Map entry per message.
 * - A process that has not started and that nothing has touched has no record: its table slot
 *   holds its body and the run queue its serial (see spawnPid).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import type { Logger } from 'pino';
import { exitReasonOf, InvalidArgumentError, loggableError, NoProcError, ProcessExit, RegisterError } from '../../errors.js';
import type { DemonitorOptions, Inbox, MonitorTarget, ProcessFn, ProcessInfo, SpawnOptions } from '../context.js';
import { describeValue, toExitReason, type ExitReason } from '../exit_reason.js';
import { reportedError } from './report.js';
import { TIMEOUT, type DownMessage, type ExitMessage, type TimeoutMessage } from '../messages.js';
import { isValidName, runtimeOf, type Pid, type Ref, type RemoteName } from '../pid.js';
import type { Runtime } from '../runtime.js';
import { isVia, type Via } from '../via.js';
import { Deadlines, type Deadline } from './deadlines.js';
import { Bound, Mailbox, refOf } from './mailbox.js';
import { SerialTable } from './serial_table.js';

/** Where time comes from; injectable so tests can drive timers without waiting. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay Node's setTimeout honours; a longer one fires after 1 ms. */
const MAX_DELAY = 2 ** 31 - 1;

/** A host timeout longer than MAX_DELAY, waited out in steps of at most that. */
class LongTimeout {
  #handle: ReturnType<typeof setTimeout>;
  #refd = true;
  constructor(
    readonly callback: () => void,
    readonly due: number,
  ) {
    this.#handle = this.#step();
  }

  #step(): ReturnType<typeof setTimeout> {
    const left = this.due - Date.now();
    const handle = left > MAX_DELAY ? setTimeout(() => (this.#handle = this.#step()), MAX_DELAY) : setTimeout(this.callback, Math.max(0, left));
    if (!this.#refd) handle.unref();
    return handle;
  }

  clear(): void {
    clearTimeout(this.#handle);
  }

  ref(): this {
    this.#refd = true;
    this.#handle.ref();
    return this;
  }

  unref(): this {
    this.#refd = false;
    this.#handle.unref();
    return this;
  }
}

/** Reads the globals at call time, so fake timers installed after the runtime was made still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => (ms > MAX_DELAY ? new LongTimeout(callback, Date.now() + ms) : setTimeout(callback, ms)),
  clearTimeout: (handle) => {
    if (handle instanceof LongTimeout) handle.clear();
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

// Process states.
const NEW = 0; // spawned, waiting in the run queue to start
const RUNNABLE = 1; // running or about to: not blocked in receive
const WAITING = 2; // blocked in receive
const EXITED = 3;

/** How many queued processes one kernel microtask starts or re-checks; see #flush. */
const RUN_BATCH = 512;

// Kinds of entries in the signal work list.
const LINK = 0; // a linked process exited
const EXIT2 = 1; // exit(pid, reason)
const DOWN = 2; // a monitor fired
export { LINK as LINK_SIGNAL, EXIT2 as EXIT_SIGNAL, DOWN as DOWN_SIGNAL, type Monitor };

/**
 * A monitor, in two intrusive lists at once: the watcher's (w) and the target's (t). Adding and
 * removing one is O(1) with no hashing, and both lists keep creation order (DOWNs go out in it).
 */
class Monitor {
  wPrev: Monitor | null = null;
  wNext: Monitor | null = null;
  tPrev: Monitor | null = null;
  tNext: Monitor | null = null;
  constructor(
    readonly self: Ref,
    readonly serial: number,
    readonly watcher: Proc,
    readonly target: Proc,
    readonly name: string | RemoteName | undefined, // set for monitors made by name, or by { name, node }
  ) {}
}

/** The DOWN of monitor `m`: by pid, by name, or by { name, node } (Erlang's `{Name, Node}`). */
function downOf(ref: Ref, target: Pid | undefined, name: string | RemoteName | undefined, reason: ExitReason): DownMessage {
  if (name === undefined) return { type: 'DOWN', ref, pid: target, name: undefined, reason };
  if (typeof name === 'string') return { type: 'DOWN', ref, pid: undefined, name, reason };
  return { type: 'DOWN', ref, pid: undefined, name: name.name, node: name.node, reason };
}

class Timer {
  handle: unknown = undefined;
  constructor(
    readonly self: Ref,
    readonly serial: number,
    readonly due: number,
    readonly dest: Proc | string,
    readonly msg: unknown,
  ) {}
}

type Matcher = ((msg: unknown) => boolean) | Ref;

function noop(): void {}

const RESOLVED = Promise.resolve();

/** The last three digits of a serial and the end of a pid: `'000.0>'` to `'999.0>'`. */
const PID_TAILS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}.0>`);

/** No message: what takeMatching returns on a miss, and the empty value of Extra.inbound. */
const NOTHING: unique symbol = Symbol('nothing');

/** Runs a process body and turns its outcome into an exit; a body that returns a plain value costs no promise. */
function runProcess(proc: Proc): void {
  let result: unknown;
  try {
    result = proc.fn!(proc);
    // Inside the try: a returned value whose `then` throws fails the process, as `await` of it would.
    if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => proc.k.returned(proc, value),
        (error: unknown) => proc.k.crashed(proc, error),
      );
      return;
    }
  } catch (error) {
    proc.k.crashed(proc, error);
    return;
  }
  proc.k.returned(proc, result);
}

/** The reason of a process whose bounded mailbox overflowed (see SpawnOptions). */
const MAILBOX_OVERFLOW: ExitReason = { tag: 'exit', value: 'mailbox_overflow' };

/**
 * The mailbox a spawn's options ask for, or null for an unbounded one made on first use.
 * `argument` names the options in errors: `'options'` for a spawn, `'options.spawn'` for a start.
 */
export function mailboxFor(operation: string, options: unknown, argument = 'options'): Mailbox | null {
  if (options === undefined) return null;
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, argument, options, 'an object { maxMessages?, overflow? }');
  const { maxMessages, overflow } = options as SpawnOptions;
  if (overflow !== undefined && overflow !== 'exit' && overflow !== 'drop') {
    throw new InvalidArgumentError(operation, `${argument}.overflow`, overflow, "'exit' or 'drop'");
  }
  if (maxMessages === undefined) return null;
  if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
    throw new InvalidArgumentError(operation, `${argument}.maxMessages`, maxMessages, 'an integer >= 1');
  }
  return new Mailbox(maxMessages, new Bound(overflow === 'drop'));
}

function validTimeout(operation: string, argument: string, value: unknown): boolean {
  if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return true;
  throw new InvalidArgumentError(operation, argument, value, 'a number of milliseconds >= 0');
}

/** Erlang's largest `receive ... after` (2^32-1 ms, about 49.7 days); beyond it is `timeout_value`, unlike a timer's. */
const MAX_RECEIVE_TIMEOUT = 4294967295;

function validReceiveTimeout(operation: string, value: unknown): void {
  if (typeof value === 'number' && value >= 0 && value <= MAX_RECEIVE_TIMEOUT) return;
  throw new InvalidArgumentError(operation, 'timeout', value, "a number of milliseconds from 0 to 4294967295 (Erlang's limit), or 'infinity'");
}

/**
 * A process's links: none, the one process (most processes link only to the one that started
 * them, and a Set for one entry cost more than the rest of their Extra), or a Set of two or more.
 */
type Links = Proc | Set<Proc> | null;

function addLink(x: Extra, other: Proc): void {
  const links = x.links;
  if (links === null) x.links = other;
  else if (links instanceof Set) links.add(other);
  else if (links !== other) x.links = new Set([links, other]); // in link order, as EXITs go out
}

function removeLink(x: Extra | null, other: Proc): void {
  if (x === null) return;
  const links = x.links;
  if (links === other) x.links = null;
  else if (links instanceof Set) links.delete(other);
}

/** The less used part of a process record. */
class Extra {
  links: Links = null;
  /** Monitors this process holds (first, last). */
  monitors: Monitor | null = null;
  monitorsLast: Monitor | null = null;
  /** Monitors on this process (first, last). */
  monitoredBy: Monitor | null = null;
  monitoredByLast: Monitor | null = null;
  trap = false;
  name: string | undefined = undefined;
  timers: Set<Timer> | null = null;
  controller: AbortController | null = null;
  /** In the run queue for a re-check of its selective receive. */
  queued = false;
  /** Set by Runtime.run or a behaviour: told the outcome once the process has exited. */
  onExit: ((proc: Proc) => void) | null = null;
  /** A behaviour's per-process object (a GenServer's state machine), found by pid. */
  data: unknown = null;
  /** Set by a behaviour (interceptOwnExit): asked first by a one-argument `ctx.exit`; true when it takes the exit on. */
  onOwnExit: ((reason: ExitReason) => boolean) | null = null;
  /** Set by awaitMessage: called from #flush with the next message instead of resolving a promise. */
  onMessage: ((msg: unknown) => void) | null = null;
  /** The message handed over to `onMessage` while the process waits in the run queue for it; NOTHING otherwise. */
  inbound: unknown = NOTHING;
  /** The resolve stand-in that hands a message over to `onMessage`; made once per process. */
  handOver: ((msg: unknown) => void) | null = null;
  returned = false;
  result: unknown = undefined;
  /** Exit hooks (a registry's entries of this process): run first when it exits, inside the kernel. */
  hooks: ExitHook[] | null = null;
}

/**
 * Run inside the kernel the moment a process exits, before its links and monitors fire: a table
 * that holds entries for the process (a Registry) drops them there, so no one finds them after.
 * `key` identifies the hook's owner (one hook per process and owner). It runs no user code.
 */
export interface ExitHook {
  readonly key: object;
  exited(reason: ExitReason): void;
}

function ext(proc: Proc): Extra {
  return (proc.x ??= new Extra());
}

/**
 * A process record; also the {@link Context} its body receives. Kernel state lives in plain
 * fields, hidden from users by the `Context` type.
 */
export class Proc implements Inbox<unknown> {
  status = NEW;
  /** The mailbox; null until a message has to wait in it, and once the process has exited. */
  box: Mailbox | null = null;
  /** The pending receive's resolve, while WAITING. */
  resolve: ((value: unknown) => void) | null = null;
  match: Matcher | null = null;
  reason: ExitReason | undefined = undefined;
  /** Everything a process may never use, made on first use: keeps an idle process small. */
  x: Extra | null = null;
  /** The deadline of a receive with a timeout, while it waits. */
  receiveTimer: Deadline<Proc> | null = null;
  /**
   * The pid this process last sent to and its record: a process that keeps messaging one peer
   * skips the lookup. Here rather than in Extra: a message then touches no Extra at either end,
   * and a ring of many processes is bound by how many objects each hop brings into the cache.
   */
  lastTo: unknown = undefined;
  lastToProc: Proc | null = null;

  /** The pid string once something has asked for it; see `self`. */
  pid: Pid | undefined = undefined;
  constructor(
    /** The kernel. A field, not a subclass per kernel with it on the prototype: one class keeps every runtime's processes on one hidden class, so the kernel's code stays monomorphic when a program makes many runtimes. */
    readonly k: Kernel,
    readonly serial: number,
    /** The body; null for an inbox, a process driven from plain code. */
    readonly fn: ProcessFn<unknown> | null,
  ) {}

  /**
   * The pid, made on first use and then kept. The pid that `spawn` returns is made for the
   * caller without being kept (see Kernel.spawnPid): a burst of spawns whose pids nobody keeps
   * then holds no strings while the processes wait to start.
   */
  get self(): Pid {
    return (this.pid ??= this.k.keptPid(this));
  }

  get runtime(): Runtime {
    return this.k.runtime;
  }

  get signal(): AbortSignal {
    const x = ext(this);
    if (x.controller === null) {
      x.controller = new AbortController();
      if (this.status === EXITED) x.controller.abort(new ProcessExit(this.self, this.reason ?? 'normal'));
    }
    return x.controller.signal;
  }

  receive(a?: unknown, b?: unknown): Promise<never> {
    let match: ((msg: unknown) => boolean) | null = null;
    let timeout: unknown = a;
    if (typeof a === 'function') {
      match = a as (msg: unknown) => boolean;
      timeout = b;
    }
    if (timeout !== undefined && timeout !== 'infinity') validReceiveTimeout('receive', timeout);
    if (this.status === EXITED) return new Promise(noop);
    const box = this.box;
    if (box !== null && box.size > 0) {
      if (match === null) return Promise.resolve(box.shift()) as Promise<never>;
      const hit = this.k.takeMatching(this, match, NOTHING);
      if (hit !== NOTHING) return Promise.resolve(hit) as Promise<never>;
    }
    if (timeout === 0) return Promise.resolve(TIMEOUT) as Promise<never>;
    return this.#park(match, timeout);
  }

  receiveRef(ref: Ref, timeout?: unknown): Promise<never> {
    if (typeof ref !== 'string') throw new InvalidArgumentError('receiveRef', 'ref', ref, 'a ref');
    if (timeout !== undefined && timeout !== 'infinity') validReceiveTimeout('receiveRef', timeout);
    if (this.status === EXITED) return new Promise(noop);
    const hit = this.k.takeRef(this, ref, NOTHING);
    if (hit !== NOTHING) return Promise.resolve(hit) as Promise<never>;
    if (timeout === 0) return Promise.resolve(TIMEOUT) as Promise<never>;
    return this.#park(ref, timeout);
  }

  #park(match: Matcher | null, timeout: unknown): Promise<never> {
    // An executor made here, not a shared function that stores into a module variable: the
    // optimiser inlines a closure it sees created into the Promise constructor and need not
    // allocate it, and the shared one cost every receive a call (ping-pong ran about 1.3x faster).
    const promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.match = match;
    if (typeof match === 'function' && this.box !== null) this.box.scan = this.box.q.length; // all tried
    if (typeof timeout === 'number') this.receiveTimer = this.k.deadlines.add(this, timeout);
    this.k.park(this);
    return promise as Promise<never>;
  }

  send(to: Pid | string | RemoteName | Via, msg: unknown): void {
    // Pids are never reused, so the cached record is right even once it has exited (deliver drops it then).
    if (this.lastTo === to) {
      if (this.status !== EXITED) this.k.deliver(this.lastToProc!, msg);
      return;
    }
    this.k.send(this, to, msg);
  }

  spawn(fn: ProcessFn<never>, options?: SpawnOptions): Pid {
    if (options !== undefined) return this.k.spawn(this, fn as ProcessFn<unknown>, 'spawn', options).self;
    return this.k.spawnPid(this, fn as ProcessFn<unknown>);
  }

  spawnLink(fn: ProcessFn<never>, options?: SpawnOptions): Pid {
    // The pid the child keeps: its caller (a supervisor, a GenServer's startLink) nearly always
    // keeps it too, as a Map key, and then both share one flat string.
    return this.k.spawn(this, fn as ProcessFn<unknown>, 'spawnLink', options).self;
  }

  spawnMonitor(fn: ProcessFn<never>, options?: SpawnOptions): { readonly pid: Pid; readonly ref: Ref } {
    const child = this.k.spawn(this, fn as ProcessFn<unknown>, 'spawnMonitor', options);
    // Atomic: the child cannot run before the monitor exists, as it starts on the next flush.
    const ref = child.status === EXITED ? this.k.newRef() : this.k.monitor(this, child.self);
    return { pid: child.self, ref };
  }

  link(pid: Pid): void {
    this.k.link(this, pid);
  }

  unlink(pid: Pid): void {
    this.k.unlink(this, pid);
  }

  monitor(target: Pid | string | RemoteName | Via): Ref {
    return this.k.monitor(this, target);
  }

  demonitor(ref: Ref, options?: DemonitorOptions): boolean {
    return this.k.demonitor(this, ref, options);
  }

  exit(a: unknown, b?: unknown): never {
    if (arguments.length >= 2) {
      this.k.exitSignal(this, a, b);
      if (this.status !== EXITED) return undefined as never;
    } else if (this.status !== EXITED) {
      const reason = toExitReason(a);
      const own = this.x === null ? null : this.x.onOwnExit;
      // A behaviour that takes the exit on (runs its terminate, then ends the process) only needs the stack unwound.
      if (own !== null && own(reason) && this.status !== EXITED) throw new ProcessExit(this.self, reason);
      if (this.status !== EXITED) this.k.terminate(this, reason);
    }
    throw new ProcessExit(this.self, this.reason ?? 'normal');
  }

  close(reason?: unknown): void {
    if (this.status !== EXITED) this.k.terminate(this, toExitReason(reason ?? 'normal'));
  }

  trapExit(on: boolean): boolean {
    if (typeof on !== 'boolean') throw new InvalidArgumentError('trapExit', 'on', on, 'a boolean');
    const before = this.x?.trap === true;
    if (this.status !== EXITED && on !== before) ext(this).trap = on;
    return before;
  }

  register(name: string, pid?: Pid): void {
    this.k.register(this, name, pid ?? this.self);
  }

  unregister(name: string): void {
    this.k.unregister(this, name);
  }

  sendAfter(ms: number, dest: Pid | string, msg: unknown): Ref {
    return this.k.startTimer(this, ms, dest, msg, false);
  }

  startTimer(ms: number, dest: Pid | string, msg: unknown): Ref {
    return this.k.startTimer(this, ms, dest, msg, true);
  }

  cancelTimer(ref: Ref): number | false {
    return this.k.cancelTimer(this, ref);
  }
}

/** Events the kernel emits through the runtime. */
export interface Emit {
  spawn(pid: Pid, parent: Pid | undefined): void;
  exit(pid: Pid, reason: ExitReason): void;
  wants(event: 'spawn' | 'exit'): boolean;
}

/**
 * What the node layer (src/node) plugs into a kernel to reach processes of other nodes. A remote
 * process is a proxy: a record with serial 0 (no table slot), never waiting, whose mailbox
 * forwards; links and monitors to it are ordinary, so losing its node fires each exactly once.
 */
export interface Remote {
  /** This node's name. */
  readonly name: string;
  /** A target that is not a live local pid or name: its proxy, or undefined for a dead process; throws for bad input. */
  lookup(operation: string, argument: string, target: unknown): Proc | undefined;
  /** A link exit, an exit/2 or a DOWN (`a` is then the Monitor) the kernel addressed to a proxy. */
  signal(proxy: Proc, a: unknown, reason: ExitReason, kind: number): void;
  /** A link, unlink, monitor (`ref`) or demonitor (`ref`) between a local process and a proxy was made or removed. */
  changed(op: 'link' | 'unlink' | 'monitor' | 'demonitor', from: Proc, proxy: Proc, ref: Ref | undefined): void;
}

/** One runtime's kernel state and every operation on it. `from` is the acting process, or null for plain code. */
export class Kernel {
  /** Live processes by pid; a process that has not started and that nothing has looked up is just its body. */
  readonly procs: SerialTable<Proc, ProcessFn<unknown>>;
  /** Live monitors and timers by ref. */
  readonly refs: SerialTable<Monitor | Timer>;
  /** Every deadline queue: the kernel's own and the behaviours' (call timeouts); stamped at the end of each flush, cleared by killAll. */
  readonly #deadlineQueues: Array<Deadlines<never>> = [];
  /** A deadline queue has deadlines without a due time: stamp them at the end of this or the next flush. */
  #stampDue = false;
  #flushing = false;
  /** Receive timeouts. */
  readonly deadlines: Deadlines<Proc> = this.newDeadlines((proc) => this.receiveTimedOut(proc));
  readonly names = new Map<string, Proc>();
  /** The sender of signals from code that is not a process. Never alive. */
  readonly rootPid: Pid;
  /** `<R.`: what every pid of this runtime begins with. */
  readonly pidPrefix: string;
  #serial = 0;
  #refSerial = 0;
  /** `<R.` and the serial's digits but the last three, for serials `#pidHigh * 1000` to `+ 999`. */
  #pidHead = '';
  #pidHigh = -1;
  /**
   * Processes to re-check a selective receive or to hand a message to, and serials of processes
   * to start: entries `#runHead` to `#runLen`. A length of its own, so emptying it never writes
   * `array.length`.
   */
  #runq: Array<Proc | number | undefined> = [];
  #runHead = 0;
  #runLen = 0;
  /** Deferred work that may run user code (abort listeners, events, logs, run() outcomes). */
  #after: Array<() => void> = [];
  #scheduled = false;
  /** Exit-signal work list: [target, a, b, kind] per entry; see deliverSignal. */
  #signals: unknown[] = [];
  #draining = false;
  /** Live processes not blocked in receive, plus those not yet started. */
  #running = 0;
  #idleWaiters: Array<() => void> = [];

  /** Set by the node layer when this runtime is a node: where pids of other nodes go. */
  remote: Remote | null = null;

  constructor(
    readonly runtime: Runtime,
    readonly id: number,
    readonly clock: Clock,
    readonly logger: () => Logger,
    readonly emit: Emit,
  ) {
    this.rootPid = `<${id}.0.0>` as Pid;
    this.pidPrefix = `<${id}.`;
    this.procs = new SerialTable(this.pidPrefix, '.0>', (serial, fn) => new Proc(this, serial, fn));
    this.refs = new SerialTable(`#Ref<${id}.`, '>');
  }

  /** The pid a process keeps once something has asked for it: flattened, as it will be read. */
  keptPid(proc: Proc): Pid {
    const pid = this.#pidString(proc.serial);
    // Reading a character flattens the rope into one 32-byte string. The test keeps the read
    // from being optimised away.
    if (pid.charCodeAt(0) !== 60) throw new Error(`malformed pid ${pid}`);
    return pid;
  }

  /**
   * Builds a pid from a head shared by a thousand serials and a tail from a table: turning each
   * serial into its decimal string was a third of the time of a burst of spawns. A pid of 13
   * characters or more is left as a rope of the two shared parts (20 bytes), which V8 flattens
   * the first time it is read: a pid that `spawn` returns and nobody uses costs no copy.
   */
  #pidString(serial: number): Pid {
    if (serial < 1000) return (this.pidPrefix + serial + '.0>') as Pid;
    const high = Math.floor(serial / 1000);
    if (high !== this.#pidHigh) {
      this.#pidHigh = high;
      this.#pidHead = this.pidPrefix + high;
    }
    return (this.#pidHead + PID_TAILS[serial - high * 1000]!) as Pid;
  }

  /** Whether the process has exited. */
  hasExited(proc: Proc): boolean {
    return proc.status === EXITED;
  }

  /** The process's less used fields, made on first use. */
  extra(proc: Proc): Extra {
    return ext(proc);
  }

  newRef(): Ref {
    return `#Ref<${this.id}.${++this.#refSerial}>` as Ref;
  }

  #nextRefSerial(): number {
    return ++this.#refSerial;
  }

  #refString(serial: number): Ref {
    return `#Ref<${this.id}.${serial}>` as Ref;
  }

  // ---- scheduling ------------------------------------------------------------------------

  #schedule(): void {
    if (!this.#scheduled) {
      this.#scheduled = true;
      // A resolved promise's then, not queueMicrotask: Node wraps each queueMicrotask callback in
      // an AsyncResource and a bound function, which cost a call-response loop a third of its time.
      RESOLVED.then(this.#flush);
    }
  }

  #flush = (): void => {
    this.#scheduled = false;
    this.#flushing = true;
    const q = this.#runq;
    // At most RUN_BATCH entries per microtask: the bodies started in one batch settle before the
    // next batch starts, so a burst of a million spawns never has a million pending promises at
    // once (keeping them all alive cost the spawn benchmark 2-3x its time in GC).
    let i = this.#runHead;
    const end = Math.min(this.#runLen, i + RUN_BATCH);
    for (; i < end; i++) {
      const entry = q[i]!;
      q[i] = undefined; // let a finished process be collected before the batch ends
      try {
        if (typeof entry === 'number') {
          // Made here if nothing has looked it up; gone if it was killed before it could start.
          const proc = this.procs.at(entry);
          if (proc !== undefined && proc.status === NEW) {
            proc.status = RUNNABLE;
            runProcess(proc);
          }
        } else if (entry.x !== null && entry.x.inbound !== NOTHING) {
          this.#runInbound(entry, entry.x);
        } else if (entry.x !== null) {
          // Queued for a re-check of its selective receive.
          entry.x.queued = false;
          if (entry.status === WAITING && typeof entry.match === 'function') this.#recheck(entry);
        }
      } catch (error) {
        this.#stepFailed(entry, error);
      }
    }
    if (i < this.#runLen) {
      this.#runHead = i;
      this.#schedule();
    } else {
      this.#runHead = this.#runLen = 0;
      if (q.length > 4 * RUN_BATCH) this.#runq = []; // give back the memory of a burst
    }
    while (this.#after.length > 0) {
      const work = this.#after;
      this.#after = [];
      for (const job of work) {
        try {
          job();
        } catch (error) {
          this.#log('error', 'runtime.listener_failed', undefined, { err: loggableError(error) }, 'a runtime listener threw');
        }
      }
    }
    this.#flushing = false;
    if (this.#stampDue) {
      // Last, so that the deadlines of calls answered in this flush were cancelled without a clock reading.
      this.#stampDue = false;
      for (const queue of this.#deadlineQueues) queue.stamp();
    }
    this.#checkIdle();
  };

  /**
   * The last line of defence: a step threw where nothing should (a value that throws from every
   * getter, a revoked Proxy). The one process concerned ends; the run queue and the rest of the
   * batch go on.
   */
  #stepFailed(entry: Proc | number, error: unknown): void {
    const proc = typeof entry === 'number' ? this.procs.at(entry) : entry;
    if (proc !== undefined) this.crashed(proc, error);
  }

  /**
   * Writes a report. An error that pino could not write (a throwing getter, a revoked Proxy) is
   * given as its description (loggableError); a logger that throws anyway is reported once on
   * stderr. Either way the kernel goes on.
   */
  #log(level: 'error' | 'warn', label: string, pid: Pid | undefined, fields: Record<string, unknown>, text: string): void {
    try {
      this.logger()[level]({ label, pid, ...fields }, text);
    } catch (broken) {
      this.#loggerBroken(broken);
    }
  }

  #loggerWarned = false;

  #loggerBroken(failure: unknown): void {
    if (this.#loggerWarned) return;
    this.#loggerWarned = true;
    globalThis.process?.stderr?.write(`ts-otp: runtime ${this.id}'s logger throws (${describeValue(failure)}); its reports are lost\n`);
  }

  /** A deadline queue whose deadlines this kernel stamps at the end of each flush; see Deadlines. */
  newDeadlines<T>(expire: (owner: T) => void): Deadlines<T> {
    const queue = new Deadlines<T>(() => this.clock, expire, () => {
      this.#stampDue = true;
      if (!this.#flushing) this.#schedule(); // a flush under way stamps when it ends
    });
    this.#deadlineQueues.push(queue as unknown as Deadlines<never>);
    return queue;
  }

  /** Calls a behaviour's message callback from the kernel's microtask, never inside a sender's call. */
  #runInbound(proc: Proc, x: Extra): void {
    const msg = x.inbound;
    x.inbound = NOTHING;
    if (proc.status === EXITED) return;
    try {
      x.onMessage!(msg);
    } catch (error) {
      this.crashed(proc, error);
    }
  }

  /** The oldest message, taken at once, or `none` when the mailbox is empty: no promise. */
  takeMessage(proc: Proc, none: unknown): unknown {
    const box = proc.box;
    return box !== null && box.size > 0 ? box.shift() : none;
  }

  /** The oldest message `match` accepts, taken at once, or `none`: a `receive(match, 0)` without a promise. */
  takeMatching(proc: Proc, match: (msg: unknown) => boolean, none: unknown): unknown {
    const box = proc.box;
    if (box === null || box.size === 0) return none;
    const i = box.find(match, 0);
    return i < 0 ? none : box.takeAt(i);
  }

  /** The oldest message whose `ref` is `ref`, taken at once, or `none`: a `receiveRef(ref, 0)` without a promise. */
  takeRef(proc: Proc, ref: Ref, none: unknown): unknown {
    const box = proc.box;
    if (box === null || box.size === 0) return none;
    const i = box.findRef(ref);
    return i < 0 ? none : box.takeAt(i);
  }

  /**
   * Waits for the next message like a plain `receive`, but hands it to `onMessage` (from the
   * kernel's microtask) instead of resolving a promise: a behaviour's loop costs no promise per
   * message. A timeout hands over TIMEOUT. The caller has emptied the mailbox with takeMessage.
   */
  awaitMessage(proc: Proc, onMessage: (msg: unknown) => void, timeout: number | 'infinity'): void {
    if (proc.status === EXITED) return;
    const x = ext(proc);
    x.onMessage = onMessage;
    x.handOver ??= (msg) => {
      x.inbound = msg;
      this.#runq[this.#runLen++] = proc;
      this.#schedule();
    };
    if (proc.box !== null && proc.box.size > 0) {
      x.handOver(proc.box.shift());
      return;
    }
    proc.resolve = x.handOver;
    proc.match = null;
    if (timeout !== 'infinity') proc.receiveTimer = this.deadlines.add(proc, timeout);
    this.park(proc);
  }

  #defer(job: () => void): void {
    this.#after.push(job);
    this.#schedule();
  }

  park(proc: Proc): void {
    proc.status = WAITING;
    if (proc.fn !== null && --this.#running === 0) this.#checkIdle();
  }

  #wake(proc: Proc, value: unknown): void {
    const resolve = proc.resolve!;
    proc.resolve = null;
    proc.match = null;
    this.#cancelReceiveTimer(proc);
    proc.status = RUNNABLE;
    if (proc.fn !== null) this.#running++;
    resolve(value);
  }

  #cancelReceiveTimer(proc: Proc): void {
    if (proc.receiveTimer !== null) {
      this.deadlines.cancel(proc.receiveTimer);
      proc.receiveTimer = null;
    }
  }

  receiveTimedOut(proc: Proc): void {
    proc.receiveTimer = null;
    if (proc.status === WAITING) this.#wake(proc, TIMEOUT);
  }

  #recheck(proc: Proc): void {
    const box = proc.box!; // queued for a re-check by a message put in it
    let i: number;
    try {
      i = box.find(proc.match as (msg: unknown) => boolean, box.scan);
    } catch (error) {
      this.crashed(proc, error);
      return;
    }
    if (i < 0) box.scan = box.q.length;
    else this.#wake(proc, box.takeAt(i));
  }

  /** Puts a message in a mailbox, or hands it straight to a plain receive that is waiting. */
  deliver(proc: Proc, msg: unknown): void {
    // Small enough to be inlined into send: a hop to a process waiting in a plain receive.
    if (proc.status === WAITING && proc.match === null) this.#wake(proc, msg);
    else this.#enqueue(proc, msg);
  }

  /**
   * Everything but the hand-over to a plain receive: a ref match, a queue, a bound, a re-check.
   * Only a process waiting in receive has a match (a ref, or a predicate); any other has none.
   */
  #enqueue(proc: Proc, msg: unknown): void {
    if (proc.status === EXITED) return;
    const match = proc.match;
    if (typeof match === 'string' && refOf(msg) === match) {
      this.#wake(proc, msg);
      return;
    }
    const box = (proc.box ??= new Mailbox());
    if (box.size >= box.max) {
      this.#overflow(proc, box);
      return;
    }
    box.push(msg);
    if (typeof match === 'function') {
      const x = ext(proc);
      if (!x.queued) {
        x.queued = true;
        this.#runq[this.#runLen++] = proc;
        this.#schedule();
      }
    }
  }

  /** A message found a bounded mailbox full: it is dropped, and the process exits or the drop is counted. */
  #overflow(proc: Proc, box: Mailbox): void {
    const bound = box.bound!;
    if (bound.drop) {
      bound.dropped++;
      if (bound.unreported++ === 0) {
        this.#defer(() => {
          const dropped = bound.unreported;
          bound.unreported = 0;
          this.#log('warn', 'process.mailbox_dropped', proc.self, { dropped, maxMessages: box.max }, `process ${proc.self} dropped ${dropped} messages: its mailbox holds at most ${box.max}`);
        });
      }
      return;
    }
    this.#defer(() =>
      this.#log('error', 'process.mailbox_overflow', proc.self, { maxMessages: box.max }, `process ${proc.self} exited: a message found its mailbox full (${box.max} waiting)`),
    );
    this.terminate(proc, MAILBOX_OVERFLOW);
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length > 0 && this.isIdle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  isIdle(): boolean {
    return this.#running === 0 && this.#runLen === 0 && this.#after.length === 0 && !this.#scheduled;
  }

  settle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  // ---- lookups ---------------------------------------------------------------------------


  /** A live process by pid; undefined for a dead one; throws for a malformed or foreign pid. */
  #lookupPid(operation: string, argument: string, pid: unknown): Proc | undefined {
    const proc = this.procs.get(pid);
    if (proc !== undefined) return proc;
    if (this.remote !== null) return this.remote.lookup(operation, argument, pid);
    this.#checkPid(operation, argument, pid);
    return undefined;
  }

  #checkPid(operation: string, argument: string, pid: unknown): void {
    const owner = typeof pid === 'string' ? runtimeOf(pid, 'pid') : -1;
    if (owner === -1) throw new InvalidArgumentError(operation, argument, pid, 'a pid');
    if (owner !== this.id) throw new InvalidArgumentError(operation, argument, pid, `a pid of runtime ${this.id}`);
  }

  #checkRef(operation: string, ref: unknown): void {
    const owner = typeof ref === 'string' ? runtimeOf(ref, 'ref') : -1;
    if (owner === -1) throw new InvalidArgumentError(operation, 'ref', ref, 'a ref');
  }

  /** Resolves a pid or a registered name. undefined: a dead pid. Throws for an unknown name. */
  #resolveDest(operation: string, dest: unknown): Proc | undefined {
    const proc = this.procs.get(dest) ?? this.names.get(dest as string);
    if (proc !== undefined) return proc;
    if (isValidName(dest)) throw new NoProcError(operation, dest);
    if (isVia(dest)) return this.#resolveVia(operation, dest, true);
    if (this.remote !== null) return this.remote.lookup(operation, 'dest', dest);
    this.#checkPid(operation, 'dest', dest);
    return undefined;
  }

  /**
   * The process a via name stands for now, asked of its module (Erlang's `Mod:whereis_name`);
   * undefined when nobody holds it, or throws NoProcError when `strict`.
   */
  #resolveVia(operation: string, via: Via, strict: boolean): Proc | undefined {
    const pid = via.via.whereisName(via.name);
    if (pid === undefined) {
      if (strict) throw new NoProcError(operation, via);
      return undefined;
    }
    return this.#lookupPid(operation, 'name', pid);
  }

  // ---- spawn and exit --------------------------------------------------------------------

  /** Spawns a process and returns its record, for a caller that links, monitors or watches it. */
  spawn(parent: Proc | null, fn: ProcessFn<unknown>, operation: 'spawn' | 'spawnLink' | 'spawnMonitor', options?: SpawnOptions): Proc {
    const box = mailboxFor(operation, options); // checked before anything is made
    const serial = this.#admit(parent, fn, operation);
    if (serial < 0) {
      // Leftover code of an exited process: the child is born dead and never runs.
      const proc = new Proc(this, -serial, fn);
      proc.status = EXITED;
      proc.reason = 'noproc';
      return proc;
    }
    const proc = this.procs.at(serial)!;
    proc.box = box;
    if (operation === 'spawnLink' && parent !== null) {
      addLink(ext(parent), proc);
      addLink(ext(proc), parent);
    }
    return proc;
  }

  /**
   * Spawns a process and returns only its pid. No record is made until the process starts or
   * something looks it up: a burst of spawns then holds one table slot and one run-queue slot
   * per process, not a record that would outlive the young generation.
   */
  spawnPid(parent: Proc | null, fn: ProcessFn<unknown>): Pid {
    const serial = this.#admit(parent, fn, 'spawn');
    return this.#pidString(serial < 0 ? -serial : serial);
  }

  /** Checks `fn`, gives the process a serial and queues its start; a negative serial: born dead. */
  #admit(parent: Proc | null, fn: ProcessFn<unknown>, operation: string): number {
    if (typeof fn !== 'function') throw new InvalidArgumentError(operation, 'fn', fn, 'a function');
    const serial = ++this.#serial;
    if (parent !== null && parent.status === EXITED) return -serial;
    this.procs.reserve(serial, fn);
    this.#running++;
    if (this.emit.wants('spawn')) {
      const parentPid = parent?.self;
      this.#defer(() => this.emit.spawn(this.#pidString(serial), parentPid));
    }
    // Queued, so it cannot run before its parent's step ends: spawn_link and spawn_monitor are atomic.
    this.#runq[this.#runLen++] = serial;
    this.#schedule();
    return serial;
  }

  /** A process with no body, driven from plain code; it does not keep `settle` waiting. */
  inbox(): Proc {
    const proc = new Proc(this, ++this.#serial, null);
    proc.status = RUNNABLE;
    this.procs.add(proc);
    if (this.emit.wants('spawn')) this.#defer(() => this.emit.spawn(proc.self, undefined));
    return proc;
  }

  returned(proc: Proc, result: unknown): void {
    if (proc.status === EXITED) return;
    const x = proc.x;
    if (x !== null && x.onExit !== null) {
      x.returned = true;
      x.result = result;
    }
    this.terminate(proc, 'normal');
  }

  /**
   * The body (or its selective-receive predicate) threw. Only this is reported as a crash, as
   * Erlang reports only the process that raised: processes it takes down over links, and
   * exit signals that carry an error reason, log nothing.
   */
  crashed(proc: Proc, error: unknown): void {
    if (proc.status === EXITED) return; // includes the ProcessExit that ctx.exit threw to unwind
    const exit = exitReasonOf(error); // never throws, whatever was thrown
    if (exit !== undefined) {
      this.terminate(proc, exit); // an Erlang exit (a failed call), not a crash: no report
      return;
    }
    // Queued before terminate, which may resolve settle() waiters: they must see the report.
    this.#defer(() => this.#log('error', 'process.crashed', proc.self, { err: reportedError(error) }, `process ${proc.self} exited with an error`));
    this.terminate(proc, { tag: 'error', cause: error });
  }

  /** Ends a process with `reason` and sends its signals; the whole cascade is done on return. */
  terminate(proc: Proc, reason: ExitReason): void {
    if (proc.status === EXITED) return;
    if (proc.status !== WAITING && proc.fn !== null) this.#running--;
    proc.status = EXITED;
    proc.reason = reason;
    proc.resolve = null;
    proc.match = null;
    proc.box = null;
    proc.lastTo = undefined; // a dead record that something still holds keeps no peer alive
    proc.lastToProc = null;
    const x = proc.x;
    this.#cancelReceiveTimer(proc);
    this.procs.delete(proc);
    if (x !== null) this.#release(proc, x, reason);
    this.#afterExit(proc, reason);
    if (x !== null) this.#drain();
    if (this.#running === 0) this.#checkIdle();
  }

  /** Frees what an exiting process held and queues its link and monitor signals, links first. */
  #release(proc: Proc, x: Extra, reason: ExitReason): void {
    if (x.hooks !== null) {
      const hooks = x.hooks;
      x.hooks = null;
      for (const hook of hooks) hook.exited(reason);
    }
    if (x.name !== undefined) {
      this.names.delete(x.name);
      x.name = undefined;
    }
    if (x.timers !== null) {
      for (const timer of x.timers) {
        this.clock.clearTimeout(timer.handle);
        this.refs.delete(timer);
      }
      x.timers = null;
    }
    const signals = this.#signals;
    const links = x.links;
    if (links !== null) {
      x.links = null;
      if (links instanceof Set) {
        for (const other of links) {
          removeLink(other.x, proc);
          signals.push(other, proc.self, reason, LINK);
        }
      } else {
        removeLink(links.x, proc);
        signals.push(links, proc.self, reason, LINK);
      }
    }
    for (let m = x.monitors; m !== null; m = m.wNext) {
      this.#unlinkFromTarget(m);
      this.refs.delete(m);
    }
    x.monitors = x.monitorsLast = null;
    for (let m = x.monitoredBy; m !== null; m = m.tNext) {
      this.#unlinkFromWatcher(m);
      this.refs.delete(m);
      signals.push(m.watcher, m, reason, DOWN);
    }
    x.monitoredBy = x.monitoredByLast = null;
  }

  #afterExit(proc: Proc, reason: ExitReason): void {
    const controller = proc.x?.controller ?? null;
    const crashed = typeof reason === 'object' && reason.tag === 'error';
    const onExit = proc.x?.onExit ?? null;
    const wantsEvent = this.emit.wants('exit');
    if (controller === null && onExit === null && !wantsEvent) return;
    this.#defer(() => {
      controller?.abort(new ProcessExit(proc.self, reason, crashed ? { cause: (reason as { cause: unknown }).cause } : undefined));
      if (onExit !== null) onExit(proc);
      if (wantsEvent) this.emit.exit(proc.self, reason);
    });
  }

  /** Queues an exit signal to `target` and handles the work list. */
  exitSignal(from: Proc | null, target: unknown, reason: unknown): void {
    const proc = this.#lookupPid('exit', 'pid', target);
    if (from !== null && from.status === EXITED) return;
    if (proc === undefined) return;
    this.#signals.push(proc, from === null ? this.rootPid : from.self, toExitReason(reason), EXIT2);
    this.#drain();
  }

  /** Handles queued signals in order until none are left. Not re-entrant: nested calls just queue. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    const q = this.#signals;
    let i = 0;
    try {
      while (i < q.length) {
        const target = q[i] as Proc;
        const a = q[i + 1];
        const reason = q[i + 2] as ExitReason;
        const kind = q[i + 3] as number;
        i += 4;
        if (target.status === EXITED) continue;
        if (target.serial === 0) {
          this.remote!.signal(target, a, reason, kind); // a proxy: the signal goes to its node
          continue;
        }
        if (kind === DOWN) {
          const m = a as Monitor;
          this.deliver(target, downOf(m.self, m.target.self, m.name, reason));
        } else if (kind === EXIT2 && reason === 'kill') {
          this.terminate(target, 'killed');
        } else if (target.x?.trap === true) {
          const msg: ExitMessage = { type: 'EXIT', from: a as Pid, reason };
          this.deliver(target, msg);
        } else if (reason !== 'normal') {
          this.terminate(target, reason);
        } else if (kind === EXIT2 && a === target.self) {
          this.terminate(target, 'normal'); // exit(self(), normal) ends a process that does not trap exits
        }
      }
    } finally {
      if (q.length > 0) q.length = 0;
      this.#draining = false;
    }
  }

  // ---- messages --------------------------------------------------------------------------

  send(from: Proc | null, to: unknown, msg: unknown): void {
    const proc = this.#resolveDest('send', to);
    if (proc === undefined || (from !== null && from.status === EXITED)) return;
    if (from !== null && proc.serial !== 0 && typeof to === 'string' && to.charCodeAt(0) === 60) {
      // A local pid, not a name (names never start with '<'): a name may move to another
      // process, and a remote pid's proxy ends with its connection while the pid lives on.
      from.lastTo = to;
      from.lastToProc = proc;
    }
    this.deliver(proc, msg);
  }

  // ---- links and monitors ----------------------------------------------------------------

  link(from: Proc, pid: unknown): void {
    const other = this.#lookupPid('link', 'pid', pid);
    if (from.status === EXITED || other === from) return;
    if (other !== undefined) {
      addLink(ext(from), other);
      addLink(ext(other), from);
      if (other.serial === 0) this.remote!.changed('link', from, other, undefined);
      return;
    }
    if (from.x?.trap === true) {
      const msg: ExitMessage = { type: 'EXIT', from: pid as Pid, reason: 'noproc' };
      this.deliver(from, msg);
      return;
    }
    throw new NoProcError('link', pid as Pid);
  }

  unlink(from: Proc, pid: unknown): void {
    const other = this.#lookupPid('unlink', 'pid', pid);
    if (from.status === EXITED || other === undefined) return;
    removeLink(from.x, other);
    removeLink(other.x, from);
    if (other.serial === 0) this.remote!.changed('unlink', from, other, undefined);
  }

  #addMonitor(watcher: Proc, target: Proc, name: string | RemoteName | undefined): Ref {
    const serial = this.#nextRefSerial();
    const m = new Monitor(this.#refString(serial), serial, watcher, target, name);
    const w = ext(watcher);
    m.wPrev = w.monitorsLast;
    if (w.monitorsLast === null) w.monitors = m;
    else w.monitorsLast.wNext = m;
    w.monitorsLast = m;
    const t = ext(target);
    m.tPrev = t.monitoredByLast;
    if (t.monitoredByLast === null) t.monitoredBy = m;
    else t.monitoredByLast.tNext = m;
    t.monitoredByLast = m;
    this.refs.add(m);
    return m.self;
  }

  #unlinkFromWatcher(m: Monitor): void {
    const w = m.watcher.x!;
    if (m.wPrev === null) w.monitors = m.wNext;
    else m.wPrev.wNext = m.wNext;
    if (m.wNext === null) w.monitorsLast = m.wPrev;
    else m.wNext.wPrev = m.wPrev;
  }

  #unlinkFromTarget(m: Monitor): void {
    const t = m.target.x!;
    if (m.tPrev === null) t.monitoredBy = m.tNext;
    else m.tPrev.tNext = m.tNext;
    if (m.tNext === null) t.monitoredByLast = m.tPrev;
    else m.tNext.tPrev = m.tPrev;
  }

  monitor(from: Proc, target: unknown): Ref {
    const byName = isValidName(target);
    const via = !byName && isVia(target);
    const proc = byName ? this.names.get(target) : via ? this.#resolveVia('monitor', target, false) : this.#lookupPid('monitor', 'target', target);
    // An object that got past the lookup and is no via name is a { name, node }, which the node layer resolved.
    const name = byName ? target : !via && typeof target === 'object' && target !== null ? (target as RemoteName) : undefined;
    // Erlang: monitoring yourself returns a ref but creates no monitor.
    if (from.status === EXITED || proc === from) return this.newRef();
    const ref = proc !== undefined ? this.#addMonitor(from, proc, name) : this.newRef();
    // Its DOWN can only come after this point: a receive for it skips what is queued (see Mailbox).
    if (from.box !== null) from.box.mark(ref);
    if (proc !== undefined) {
      if (proc.serial === 0) this.remote!.changed('monitor', from, proc, ref);
      return ref;
    }
    this.deliver(from, downOf(ref, via ? undefined : (target as Pid), name, 'noproc'));
    return ref;
  }

  demonitor(from: Proc, ref: unknown, options: DemonitorOptions | undefined): boolean {
    const entry = this.refs.get(ref);
    const m = entry instanceof Monitor && entry.watcher === from ? entry : undefined;
    if (m === undefined) this.#checkRef('demonitor', ref);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidArgumentError('demonitor', 'options', options, 'an object { flush?, info? }');
    }
    if (m !== undefined) {
      this.#unlinkFromWatcher(m);
      this.#unlinkFromTarget(m);
      this.refs.delete(m);
      if (m.target.serial === 0) this.remote!.changed('demonitor', from, m.target, m.self);
    }
    if (options?.flush === true && from.box !== null && from.box.size > 0) {
      const i = from.box.findRef(ref, 'DOWN');
      if (i >= 0) from.box.takeAt(i);
    }
    return options?.info === true ? m !== undefined : true;
  }

  // ---- names -----------------------------------------------------------------------------

  register(from: Proc | null, name: unknown, pid: unknown): void {
    if (!isValidName(name)) throw new InvalidArgumentError('register', 'name', name, "a non-empty string that is not a pid, a ref or 'undefined'");
    const proc = this.#lookupPid('register', 'pid', pid);
    if (from !== null && from.status === EXITED) return;
    if (proc === undefined) throw new RegisterError(name, 'not_alive', pid as Pid);
    if (this.names.has(name)) throw new RegisterError(name, 'name_taken', pid as Pid);
    if (proc.x?.name !== undefined) throw new RegisterError(name, 'already_registered', pid as Pid);
    ext(proc).name = name;
    this.names.set(name, proc);
  }

  unregister(from: Proc | null, name: unknown): void {
    if (!isValidName(name)) throw new InvalidArgumentError('unregister', 'name', name, 'a registered name');
    if (from !== null && from.status === EXITED) return;
    const proc = this.names.get(name);
    if (proc === undefined) throw new RegisterError(name, 'not_registered');
    this.names.delete(name);
    proc.x!.name = undefined;
  }

  whereis(name: unknown): Pid | undefined {
    if (isVia(name)) return this.#resolveVia('whereis', name, false)?.self;
    if (!isValidName(name)) throw new InvalidArgumentError('whereis', 'name', name, 'a registered name');
    return this.names.get(name)?.self;
  }

  // ---- timers ----------------------------------------------------------------------------

  startTimer(from: Proc | null, ms: unknown, dest: unknown, msg: unknown, wrap: boolean): Ref {
    const operation = wrap ? 'startTimer' : 'sendAfter';
    validTimeout(operation, 'ms', ms);
    let target: Proc | string;
    if (isValidName(dest)) target = dest;
    else {
      const proc = this.#lookupPid(operation, 'dest', dest);
      if (proc === undefined) return this.newRef(); // a timer to a dead pid would deliver nothing
      target = proc;
    }
    const serial = this.#nextRefSerial();
    const ref = this.#refString(serial);
    if (from !== null && from.status === EXITED) return ref;
    const timer = new Timer(ref, serial, this.clock.now() + (ms as number), target, wrap ? ({ type: 'timeout', ref, msg } satisfies TimeoutMessage) : msg);
    timer.handle = this.clock.setTimeout(() => this.#fire(timer), ms as number);
    this.refs.add(timer);
    if (typeof target !== 'string') (ext(target).timers ??= new Set()).add(timer);
    return ref;
  }

  /** Timers set with sendAfter or startTimer that have neither fired nor been cancelled: for leak checks. */
  liveTimers(): number {
    let n = 0;
    for (const entry of this.refs.values()) if (entry instanceof Timer) n++;
    return n;
  }

  #fire(timer: Timer): void {
    if (this.refs.get(timer.self) !== timer) return;
    this.refs.delete(timer);
    const dest = typeof timer.dest === 'string' ? this.names.get(timer.dest) : timer.dest;
    if (dest === undefined) return;
    dest.x?.timers?.delete(timer);
    this.deliver(dest, timer.msg);
  }

  cancelTimer(from: Proc | null, ref: unknown): number | false {
    const timer = this.refs.get(ref);
    if (!(timer instanceof Timer)) {
      this.#checkRef('cancelTimer', ref);
      return false;
    }
    if (from !== null && from.status === EXITED) return false;
    this.refs.delete(timer);
    this.clock.clearTimeout(timer.handle);
    if (typeof timer.dest !== 'string') timer.dest.x?.timers?.delete(timer);
    return Math.max(0, Math.ceil(timer.due - this.clock.now()));
  }

  // ---- introspection ---------------------------------------------------------------------

  isAlive(pid: unknown): boolean {
    return this.#lookupPid('isAlive', 'pid', pid) !== undefined;
  }

  processInfo(pid: unknown): ProcessInfo | undefined {
    const proc = this.#lookupPid('processInfo', 'pid', pid);
    if (proc === undefined) return undefined;
    const x = ext(proc);
    const monitors: MonitorTarget[] = [];
    for (let m = x.monitors; m !== null; m = m.wNext) monitors.push(m.name === undefined ? { pid: m.target.self } : typeof m.name === 'string' ? { name: m.name } : { name: m.name.name, node: m.name.node });
    const monitoredBy: Pid[] = [];
    for (let m = x.monitoredBy; m !== null; m = m.tNext) monitoredBy.push(m.watcher.self);
    return {
      pid: proc.self,
      status: proc.status === WAITING ? 'waiting' : 'runnable',
      registeredName: x.name,
      links: x.links === null ? [] : x.links instanceof Set ? [...x.links].map((p) => p.self) : [x.links.self],
      monitors,
      monitoredBy,
      trapExit: x.trap,
      messageQueueLen: proc.box?.size ?? 0,
      droppedMessages: proc.box?.bound?.dropped ?? 0,
    };
  }

  // ---- remote processes (see Remote) ----------------------------------------------------

  /** A proxy for the process `pid` of another node; `box` forwards what is delivered to it. */
  newProxy(pid: Pid, box: Mailbox): Proc {
    const proxy = new Proc(this, 0, null);
    proxy.pid = pid;
    proxy.status = RUNNABLE;
    proxy.box = box;
    return proxy;
  }

  /** The remote process of `proxy` exited (or its node was lost): its links and monitors fire with `reason`. */
  endProxy(proxy: Proc, reason: ExitReason): void {
    if (proxy.status === EXITED) return;
    proxy.status = EXITED;
    proxy.box = null;
    if (proxy.x !== null) this.#release(proxy, proxy.x, reason);
    this.#drain();
  }

  /** A link exit from the remote process of `proxy` to `target`: dropped unless they are still linked, as after an unlink. */
  remoteLinkExit(proxy: Proc, target: Proc, reason: ExitReason): void {
    const links = target.x?.links ?? null;
    if (links !== proxy && !(links instanceof Set && links.has(proxy))) return;
    removeLink(target.x, proxy);
    removeLink(proxy.x, target);
    this.#signals.push(target, proxy.self, reason, LINK);
    this.#drain();
  }

  /** Ends every process as `exit(pid, 'kill')` would and cancels every timer. */
  killAll(): void {
    for (const proc of [...this.procs.values()]) {
      this.#signals.push(proc, this.rootPid, 'kill', EXIT2);
    }
    this.#drain();
    for (const queue of this.#deadlineQueues) queue.clear();
    for (const entry of [...this.refs.values()]) {
      if (entry instanceof Timer) {
        this.clock.clearTimeout(entry.handle);
        this.refs.delete(entry);
      }
    }
  }

  /** Registers a callback for a process's exit, told whether its body returned and with what (for Runtime.run). */
  watch(proc: Proc, onExit: (reason: ExitReason, returned: boolean, result: unknown) => void): void {
    ext(proc).onExit = (done) => onExit(done.reason ?? 'normal', done.x!.returned, done.x!.result);
  }
}
