/**
 * Test helpers for the kernel: a fresh runtime per test, a clock driven by hand, a logger that
 * keeps its records, and small probe processes.
 *
 * `useRuntime()` makes a new Runtime before each test and kills everything in it after, so no
 * test leaves a process, timer or listener behind. The probes wait on messages and
 * `rt.settle()`, never on time.
 *
 * @module
 */
import { afterEach, beforeEach } from 'vitest';
import { pino, type Logger } from 'pino';
import { Runtime, TIMEOUT, type Context, type ExitReason, type Pid, type RuntimeClock, type RuntimeOptions } from 'ts-otp';

/** Makes a new Runtime before each test and kills everything in it after; call at file level. */
export function useRuntime(options?: () => RuntimeOptions): () => Runtime {
  let rt: Runtime | undefined;
  beforeEach(() => {
    rt = new Runtime(options?.());
  });
  afterEach(() => {
    rt?.killAll();
    rt?.events.removeAllListeners();
    rt = undefined;
  });
  return () => {
    if (rt === undefined) throw new Error('useRuntime: no runtime outside a test');
    return rt;
  };
}

/** A {@link RuntimeClock} that moves only when the test calls `advance`. */
export interface ManualClock extends RuntimeClock {
  /** Moves time forward by `ms`, running every callback that falls due, in due order (then set order). */
  advance(ms: number): void;
  /** Callbacks set and neither run nor cleared. */
  pending(): number;
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const due = new Set<{ at: number; seq: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout(run, ms) {
      const handle = { at: now + ms, seq: seq++, run };
      due.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      due.delete(handle as never);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let next: { at: number; seq: number; run: () => void } | undefined;
        for (const t of due) if (t.at <= until && (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
        if (next === undefined) break;
        due.delete(next);
        now = next.at;
        next.run();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

/** A pino logger at level 'info' whose records are kept, parsed, in `records`. */
export function memoryLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const stream = {
    write(chunk: string): void {
      for (const line of chunk.split('\n')) if (line !== '') records.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { logger: pino({ level: 'info', base: null }, stream), records };
}

/** A promise with its resolve function, to hold a process at a point the test controls. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A process that keeps every message it receives, in order, in `messages`. */
export interface Recorder {
  readonly pid: Pid;
  readonly messages: unknown[];
}

/**
 * Spawns a {@link Recorder}, optionally trapping exits and registered, and waits until it is
 * blocked in receive (so its trap flag and name are in place).
 */
export async function startRecorder(rt: Runtime, options: { trapExit?: boolean; name?: string } = {}): Promise<Recorder> {
  const messages: unknown[] = [];
  const pid = rt.spawn(async (ctx) => {
    if (options.trapExit === true) ctx.trapExit(true);
    if (options.name !== undefined) ctx.register(options.name);
    for (;;) messages.push(await ctx.receive());
  });
  await rt.settle();
  return { pid, messages };
}

const ACTION = Symbol('puppet action');
interface Action {
  readonly [ACTION]: (ctx: Context) => unknown;
  readonly settle: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
}
const isAction = (m: unknown): m is Action => typeof m === 'object' && m !== null && ACTION in m;

/**
 * An idle process the test makes act: `act(fn)` runs `fn` as that process, between its
 * receives, and resolves with what `fn` returns (rejects with what it throws). Other messages
 * stay in its mailbox until `mailbox()` takes them.
 */
export interface Puppet {
  readonly pid: Pid;
  act<T>(fn: (ctx: Context) => T | PromiseLike<T>): Promise<Awaited<T>>;
  /** Takes every message waiting in its mailbox, oldest first. */
  mailbox(): Promise<unknown[]>;
}

/** Spawns a {@link Puppet}, optionally trapping exits, and waits until it is ready. */
export async function startPuppet(rt: Runtime, options: { trapExit?: boolean } = {}): Promise<Puppet> {
  const pid = rt.spawn(async (ctx) => {
    if (options.trapExit === true) ctx.trapExit(true);
    for (;;) {
      const action = await ctx.receive(isAction);
      try {
        action.settle({ ok: true, value: await action[ACTION](ctx) });
      } catch (error) {
        action.settle({ ok: false, error });
        if (!rt.isAlive(ctx.self)) throw error; // the action ended this process: unwind
      }
    }
  });
  await rt.settle();
  const act = <T>(fn: (ctx: Context) => T | PromiseLike<T>): Promise<Awaited<T>> =>
    new Promise((resolve, reject) => {
      const action: Action = {
        [ACTION]: fn,
        settle: (outcome) => (outcome.ok ? resolve(outcome.value as Awaited<T>) : reject(outcome.error)),
      };
      rt.send(pid, action);
    });
  return {
    pid,
    act,
    mailbox: () =>
      act(async (ctx) => {
        const got: unknown[] = [];
        for (;;) {
          const m = await ctx.receive((x) => !isAction(x), 0);
          if (m === TIMEOUT) return got;
          got.push(m);
        }
      }),
  };
}

/**
 * The reason `pid` will exit with, from the runtime's 'exit' event. Call it while `pid` is alive
 * (right after spawning it, before the test yields); it throws for a pid that has already exited.
 */
export function exitReasonOf(rt: Runtime, pid: Pid): Promise<ExitReason> {
  if (!rt.isAlive(pid)) throw new Error(`exitReasonOf: ${pid} has already exited`);
  return new Promise((resolve) => {
    const listener = (exited: Pid, reason: ExitReason): void => {
      if (exited !== pid) return;
      rt.events.off('exit', listener);
      resolve(reason);
    };
    rt.events.on('exit', listener);
  });
}

/** Every exit from now on, by pid, from the runtime's 'exit' event (emitted after the kernel step). */
export function recordExits(rt: Runtime): Map<Pid, ExitReason> {
  const exits = new Map<Pid, ExitReason>();
  rt.events.on('exit', (pid, reason) => exits.set(pid, reason));
  return exits;
}

/**
 * Whether `promise` has settled by now: anything that settled it has already run. Used to show
 * that a killed process's receive stays pending.
 */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const first = await Promise.race([promise.then(() => true, () => true), Promise.resolve().then(() => pending)]);
  return first !== pending;
}

/**
 * Runs `start` and sends an exit signal (`'kill'` by default), at once, to the one process it
 * spawned: the signal reaches that process before its first step.
 */
export function killNewborn<T>(rt: Runtime, start: () => T, reason: unknown = 'kill'): { result: T; pid: Pid } {
  const before = new Set(rt.processes());
  const result = start();
  const born = rt.processes().filter((p) => !before.has(p));
  if (born.length !== 1) throw new Error(`killNewborn: ${born.length} processes were spawned`);
  rt.exit(born[0]!, reason);
  return { result, pid: born[0]! };
}
