/**
 * Probes for process-level tests: idle processes that run commands, mailbox snapshots, watchers.
 *
 * These are the TypeScript twins of the helpers in the Erlang oracle's `lib/oracle.hrl`:
 * - {@link idle} / {@link spawnIdle}: a process that waits and runs the functions sent to it
 *   with {@link ctl} (and answers) or {@link ctlAsync} (fire and forget). Unlike the Erlang idle
 *   process, it takes only commands out of its mailbox (a selective receive), so every other
 *   message stays queued and {@link mailboxOf} shows exactly what it was sent, in arrival order.
 *   That also makes an idle process a stand-in for "the test" of a scenario that waits until a
 *   message is queued without receiving it: `await rt.settle()`, then look.
 * - {@link peek}: the caller's own mailbox, oldest first, without removing anything.
 * - {@link watch}: monitors processes from a separate watcher and records their exit reasons.
 *
 * @module
 */
import type { Context, DownMessage, ExitReason, Pid, ProcessFn, Ref, Runtime } from 'ts-otp';

/** A function an idle process runs as itself. */
export type Command<T = unknown> = (ctx: Context) => T | PromiseLike<T>;

/** What {@link ctl} saw: the command's value, or the idle process's exit reason if it died first. */
export type CtlResult<T> = { readonly tag: 'ok'; readonly value: T } | { readonly tag: 'dead'; readonly reason: ExitReason };

class CommandMsg {
  constructor(
    readonly fn: Command,
    readonly replyTo: Pid | undefined,
    readonly ref: Ref | undefined,
  ) {}
}

class ReplyMsg {
  constructor(
    readonly ref: Ref,
    readonly value: unknown,
  ) {}
}

class FinishMsg {}

function isControl(msg: unknown): msg is CommandMsg | FinishMsg {
  return msg instanceof CommandMsg || msg instanceof FinishMsg;
}

/** `true` for a DOWN message, and for the given monitor's only when `ref` is passed. */
export function isDown(msg: unknown, ref?: Ref): msg is DownMessage {
  return (
    typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'DOWN' && (ref === undefined || (msg as DownMessage).ref === ref)
  );
}

/** Options of {@link idle}. */
export interface IdleOptions {
  /** Set the trap_exit flag as the first action. */
  readonly trapExit?: boolean;
  /** Called once the process is set up (trap flag set) and about to wait for commands. */
  readonly onReady?: () => void;
}

/**
 * The body of an idle process: it waits for commands and runs them, one at a time, as itself.
 * Other messages stay in its mailbox. It returns (reason `'normal'`) on {@link finish}.
 */
export function idle(options: IdleOptions = {}): ProcessFn {
  return async (ctx) => {
    if (options.trapExit === true) ctx.trapExit(true);
    options.onReady?.();
    for (;;) {
      const msg = await ctx.receive(isControl);
      if (msg instanceof FinishMsg) return;
      const value = await msg.fn(ctx);
      if (msg.replyTo !== undefined && msg.ref !== undefined) ctx.send(msg.replyTo, new ReplyMsg(msg.ref, value));
    }
  };
}

/** Spawns an idle process from plain code and resolves once it runs (its trap flag is set). */
export async function spawnIdle(rt: Runtime, options: Omit<IdleOptions, 'onReady'> = {}): Promise<Pid> {
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const pid = rt.spawn(idle({ ...options, onReady: ready }));
  await started;
  return pid;
}

/**
 * Makes idle process `pid` run `fn` and waits for its value, through a short-lived driver
 * process that monitors it: `{ tag: 'dead', reason }` if the idle process exits first (also when
 * `fn` itself ends it).
 */
export function ctl<T>(rt: Runtime, pid: Pid, fn: Command<T>): Promise<CtlResult<Awaited<T>>> {
  return rt.run(async (driver): Promise<CtlResult<Awaited<T>>> => {
    const ref = driver.monitor(pid);
    driver.send(pid, new CommandMsg(fn, driver.self, ref));
    const msg = await driver.receive((m) => (m instanceof ReplyMsg && m.ref === ref) || isDown(m, ref));
    if (isDown(msg)) return { tag: 'dead', reason: msg.reason };
    driver.demonitor(ref, { flush: true });
    return { tag: 'ok', value: (msg as ReplyMsg).value as Awaited<T> };
  });
}

/** Like {@link ctl}, for a command that must answer: its value, or an Error if the process died. */
export async function ctlValue<T>(rt: Runtime, pid: Pid, fn: Command<T>): Promise<Awaited<T>> {
  const result = await ctl(rt, pid, fn);
  if (result.tag === 'dead') throw new Error(`idle process ${pid} exited before answering`, { cause: result.reason });
  return result.value;
}

/** Makes idle process `pid` run `fn` without waiting for it (Erlang's `ctl_async`). */
export function ctlAsync(rt: Runtime, pid: Pid, fn: Command): void {
  rt.send(pid, new CommandMsg(fn, undefined, undefined));
}

/** Makes idle process `pid` return from its function: it ends with reason `'normal'`. */
export function finish(rt: Runtime, pid: Pid): void {
  rt.send(pid, new FinishMsg());
}

/**
 * The caller's mailbox, oldest first, without removing anything: a selective receive with a
 * timeout of 0 tries every queued message once and, as none matches, takes none.
 */
export async function peek(ctx: Context): Promise<unknown[]> {
  const seen: unknown[] = [];
  await ctx.receive((msg) => {
    seen.push(msg);
    return false;
  }, 0);
  return seen;
}

/** The messages waiting in idle process `pid`'s mailbox, oldest first (commands excluded). */
export function mailboxOf(rt: Runtime, pid: Pid): Promise<unknown[]> {
  return ctlValue(rt, pid, peek);
}

/** Exit reasons of watched processes, recorded from their DOWN messages. */
export interface Watch {
  /** The reason `pid` exited with, once its DOWN has arrived; undefined before. */
  reason(pid: Pid): ExitReason | undefined;
  /** Resolves with `pid`'s exit reason when its DOWN arrives. */
  down(pid: Pid): Promise<ExitReason>;
  /** Watched pids in the order their DOWN messages arrived. */
  readonly order: readonly Pid[];
}

/**
 * Monitors `pids` from a new watcher process (it neither links nor traps, so it changes nothing
 * for them) and resolves once every monitor is in place.
 */
export async function watch(rt: Runtime, pids: readonly Pid[]): Promise<Watch> {
  const reasons = new Map<Pid, ExitReason>();
  const waiters = new Map<Pid, Array<(reason: ExitReason) => void>>();
  const order: Pid[] = [];
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  rt.spawn(async (ctx) => {
    const refs = new Map<Ref, Pid>();
    for (const pid of pids) refs.set(ctx.monitor(pid), pid);
    ready();
    while (refs.size > 0) {
      const msg = await ctx.receive((m): m is DownMessage => isDown(m) && refs.has(m.ref));
      const pid = refs.get(msg.ref)!;
      refs.delete(msg.ref);
      reasons.set(pid, msg.reason);
      order.push(pid);
      for (const resolve of waiters.get(pid) ?? []) resolve(msg.reason);
      waiters.delete(pid);
    }
  });
  await started;
  return {
    reason: (pid) => reasons.get(pid),
    down: (pid) => {
      const known = reasons.get(pid);
      if (known !== undefined) return Promise.resolve(known);
      if (!pids.includes(pid)) return Promise.reject(new Error(`watch: ${pid} is not watched`));
      return new Promise((resolve) => {
        const list = waiters.get(pid) ?? [];
        list.push(resolve);
        waiters.set(pid, list);
      });
    },
    order,
  };
}

/** Resolves with `pid`'s exit reason, through a monitor made at once by a driver process. */
export function awaitDown(rt: Runtime, pid: Pid): Promise<ExitReason> {
  return rt.run(async (ctx) => {
    const ref = ctx.monitor(pid);
    const msg = await ctx.receive((m): m is DownMessage => isDown(m, ref));
    return msg.reason;
  });
}
