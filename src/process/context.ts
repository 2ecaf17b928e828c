/**
 * The process context: what a process function is given to act as a process.
 *
 * A process is an async function `(ctx) => …`. Its context carries its identity (`ctx.self`),
 * its mailbox (`ctx.receive`) and every operation whose effect depends on who performs it:
 * sending, spawning, linking, monitoring, exiting, trapping exits, registering, timers. There is
 * no global "current process": code that acts as a process is handed its context.
 *
 * Once a process has exited, for any reason, its context is inert: `receive` never settles,
 * `send`, `spawn`, `link`, `monitor`, `register` and timers have no effect, and `exit` throws
 * {@link ProcessExit} so leftover code unwinds. Its {@link Context.signal} is aborted, so
 * `fetch`, streams and timers that listen to it are cancelled.
 *
 * Methods are called on the context (`ctx.receive()`): they are not bound, so do not destructure
 * them.
 *
 * @module
 */
import type { CloneError, ProcessExit, NoProcError, RegisterError } from '../errors.js';
import type { DownMessage, ExitMessage, Timeout, TimeoutMessage, TIMEOUT } from './messages.js';
import type { Pid, Ref, RemoteName } from './pid.js';
import type { Runtime } from './runtime.js';
import type { Via } from './via.js';

/**
 * A process's body. It receives its context; returning ends the process with reason `'normal'`,
 * throwing or rejecting ends it with `{ tag: 'error', cause }`.
 *
 * @example
 * ```ts
 * import { Runtime, type ProcessFn } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const doubler: ProcessFn<number, number> = async (ctx) => 2 * (await ctx.receive());
 * const rt = new Runtime();
 * const result = rt.run(doubler);
 * rt.send(rt.processes()[0]!, 21);
 * expect(await result).toBe(42);
 * ```
 */
export type ProcessFn<M = unknown, R = unknown> = (ctx: Context<M>) => R | PromiseLike<R>;

/**
 * A receive timeout in milliseconds (0 polls), or `'infinity'` to wait for ever. As in Erlang,
 * at most 4294967295 (2^32-1, about 49.7 days); a larger one is an `InvalidArgumentError`
 * (Erlang's `timeout_value`). A fraction of a millisecond is accepted (Erlang wants an integer).
 *
 * @example
 * ```ts
 * import { Runtime, TIMEOUT, type ReceiveTimeout } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const poll: ReceiveTimeout = 0;
 * const rt = new Runtime();
 * expect(await rt.run((ctx) => ctx.receive(poll))).toBe(TIMEOUT);
 * ```
 */
export type ReceiveTimeout = number | 'infinity';

/**
 * Options of a spawn: a bound on the mailbox, for a process that must not fall behind without
 * limit. Off by default, and then free.
 *
 * With `maxMessages: n`, a message that finds `n` messages already waiting is not queued, and:
 * - `overflow: 'exit'` (the default): the process exits at once with reason
 *   `{ tag: 'exit', value: 'mailbox_overflow' }`, which it cannot trap, and an error report says
 *   so; as Erlang's `max_heap_size` ends a process that outgrew its limit. Its links and
 *   monitors fire as for any exit, so its supervisor restarts it with an empty mailbox.
 * - `overflow: 'drop'`: the message is dropped; the process goes on. A warning report counts the
 *   messages dropped (one report per burst), and {@link ProcessInfo.droppedMessages} keeps the total.
 *
 * A message handed straight to a process waiting in receive never counts: only a queue is bounded.
 *
 * @example
 * ```ts
 * import { Runtime, type DownMessage, type SpawnOptions } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const bounded: SpawnOptions = { maxMessages: 2 };
 * const rt = new Runtime();
 * const down = await rt.run(async (ctx) => {
 *   const { pid, ref } = ctx.spawnMonitor((c) => c.receive((m) => m === 'never'), bounded);
 *   for (let i = 0; i < 3; i++) ctx.send(pid, i); // the third finds two waiting
 *   return (await ctx.receiveRef(ref)) as DownMessage;
 * });
 * expect(down.reason).toEqual({ tag: 'exit', value: 'mailbox_overflow' });
 * ```
 */
export interface SpawnOptions {
  /** The most messages that may wait in the mailbox: an integer >= 1. */
  readonly maxMessages?: number;
  /** What a message past `maxMessages` does: end the process (`'exit'`, the default) or be dropped. */
  readonly overflow?: 'exit' | 'drop';
}

/**
 * Options of {@link Context.demonitor}.
 *
 * @example
 * ```ts
 * import { Runtime, type DemonitorOptions } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: DemonitorOptions = { flush: true, info: true };
 * const rt = new Runtime();
 * const left = await rt.run(async (ctx) => {
 *   const ref = ctx.monitor('nobody'); // fires at once: DOWN with 'noproc'
 *   const active = ctx.demonitor(ref, options); // false: it had fired; flush removes the DOWN
 *   return { active, len: rt.processInfo(ctx.self)!.messageQueueLen };
 * });
 * expect(left).toEqual({ active: false, len: 0 });
 * ```
 */
export interface DemonitorOptions {
  /** Also remove a DOWN message for this monitor that is already in the mailbox. */
  readonly flush?: boolean;
  /** Return whether the monitor was still active (it had not fired and was not removed). */
  readonly info?: boolean;
}

/**
 * What a process can do: its identity, its mailbox, and the operations performed as itself.
 *
 * `M` is the type of the messages the process expects. The kernel does not check it: include
 * {@link ExitMessage} when the process traps exits, {@link DownMessage} when it monitors, and
 * {@link TimeoutMessage} when it starts timers.
 *
 * @example
 * ```ts
 * import { Runtime, type Context } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * type EchoMsg = { from: import('ts-otp').Pid; text: string };
 * const echo = async (ctx: Context<EchoMsg>) => {
 *   const { from, text } = await ctx.receive();
 *   ctx.send(from, text.toUpperCase());
 * };
 *
 * const rt = new Runtime();
 * const answer = await rt.run(async (ctx) => {
 *   const pid = ctx.spawn(echo);
 *   ctx.send(pid, { from: ctx.self, text: 'hi' });
 *   return ctx.receive();
 * });
 * expect(answer).toBe('HI');
 * ```
 */
export interface Context<M = unknown> {
  /** This process's pid. */
  readonly self: Pid;
  /** The runtime this process lives in: for lookups such as `whereis` and `processInfo`. */
  readonly runtime: Runtime;
  /**
   * Aborted when this process exits, for any reason, with a {@link ProcessExit} as the abort
   * reason. Pass it to `fetch`, streams and timers so they stop with the process. Listeners run
   * after the kernel has finished handling the exit, never inside another process's call.
   */
  readonly signal: AbortSignal;

  /** Takes the oldest message, waiting for one if the mailbox is empty. */
  receive(): Promise<M>;
  /** Takes the oldest message, or returns {@link TIMEOUT} when none arrives within `timeout` ms (0 polls). */
  receive(timeout: ReceiveTimeout): Promise<M | Timeout>;
  /**
   * Selective receive: takes the oldest message for which `match` returns true and leaves the
   * others in the mailbox, in order. `match` runs as this process; if it throws, the process ends
   * with `{ tag: 'error', cause }`.
   */
  receive<T extends M>(match: (msg: M) => msg is T): Promise<T>;
  /** Selective receive with a timeout: {@link TIMEOUT} when no message matches in time. */
  receive<T extends M>(match: (msg: M) => msg is T, timeout: ReceiveTimeout): Promise<T | Timeout>;
  /** Selective receive with a plain predicate. */
  receive(match: (msg: M) => boolean): Promise<M>;
  /** Selective receive with a plain predicate and a timeout. */
  receive(match: (msg: M) => boolean, timeout: ReceiveTimeout): Promise<M | Timeout>;

  /**
   * Selective receive of the oldest message whose `ref` property is `ref`: a reply tagged with a
   * ref, the DOWN of a monitor, a timer's timeout message. The kernel matches it itself, so the
   * process wakes as soon as the message is sent, with no predicate to run.
   */
  receiveRef<T = M>(ref: Ref): Promise<T>;
  /** {@link Context.receiveRef} with a timeout: {@link TIMEOUT} when no such message arrives in time. */
  receiveRef<T = M>(ref: Ref, timeout: ReceiveTimeout): Promise<T | Timeout>;

  /**
   * Sends `msg` to a pid, a registered name, a name on a node ({@link RemoteName}) or a via name
   * ({@link Via}, looked up at the call). Sending to a dead pid does nothing, as in Erlang;
   * sending to a local or via name nobody holds throws {@link NoProcError}. A message for another node that cannot be copied throws
   * {@link CloneError} and is not sent.
   */
  send(to: Pid | string | RemoteName | Via, msg: unknown): void;

  /** Starts a new process running `fn`; it begins after the caller's current step. See {@link SpawnOptions}. */
  spawn<N = unknown>(fn: ProcessFn<N>, options?: SpawnOptions): Pid;
  /** Starts a new process linked to this one, atomically: a child that fails at once still delivers its exit. */
  spawnLink<N = unknown>(fn: ProcessFn<N>, options?: SpawnOptions): Pid;
  /** Starts a new process monitored by this one, atomically: the DOWN carries the child's real reason. */
  spawnMonitor<N = unknown>(fn: ProcessFn<N>, options?: SpawnOptions): { readonly pid: Pid; readonly ref: Ref };

  /**
   * Links this process with `pid`, both ways. Linking twice makes one link; linking to self does
   * nothing. If `pid` has exited: throws {@link NoProcError} when this process does not trap
   * exits, and delivers `{ type: 'EXIT', from: pid, reason: 'noproc' }` when it does.
   */
  link(pid: Pid): void;
  /** Removes the link with `pid`, both ways. An EXIT message already in the mailbox stays. */
  unlink(pid: Pid): void;
  /**
   * Watches a pid, a registered name, a name on a node ({@link RemoteName}, on a runtime that is
   * a node) or a via name ({@link Via}). When it exits (or if it does not exist) a
   * {@link DownMessage} with this ref arrives; one of `{ name, node }` fires with
   * `'noconnection'` when that node is lost or not connected. A via name is looked up at the call
   * and its process watched by pid; if nobody holds it, the DOWN (`'noproc'`) has neither pid nor
   * name. Each call creates a separate monitor.
   */
  monitor(target: Pid | string | RemoteName | Via): Ref;
  /**
   * Removes a monitor this process holds. Returns `true`, or with `info`, whether the monitor was
   * still active. With `flush`, a DOWN for it that is already in the mailbox is removed too.
   */
  demonitor(ref: Ref, options?: DemonitorOptions): boolean;

  /**
   * Ends this process with `reason` (Erlang's `exit/1`). Links receive `reason` as an ordinary
   * signal, so `'kill'` here is trappable by them. Throws {@link ProcessExit} to unwind the
   * caller's code; catching it does not bring the process back.
   */
  exit(reason: unknown): never;
  /**
   * Sends an exit signal to `pid` (Erlang's `exit/2`). `'kill'` cannot be trapped and ends the
   * target with `'killed'`; `'normal'` is ignored unless the target traps exits or is this
   * process; a trapping target gets an EXIT message; any other reason ends the target. If the
   * signal (or its echo over a link) ends this process, throws {@link ProcessExit}.
   */
  exit(pid: Pid, reason: unknown): void;
  /** Sets whether exit signals become EXIT messages (Erlang's trap_exit flag). Returns the previous value. */
  trapExit(on: boolean): boolean;

  /** Registers `pid` (this process by default) under `name`; throws {@link RegisterError} as Erlang's `badarg`. */
  register(name: string, pid?: Pid): void;
  /** Removes a registered name; throws {@link RegisterError} if nobody holds it. */
  unregister(name: string): void;

  /** Sends `msg` to `dest` after `ms` milliseconds. A pid's timer is cancelled when that process exits. */
  sendAfter(ms: number, dest: Pid | string, msg: unknown): Ref;
  /** Like {@link Context.sendAfter}, but delivers `{ type: 'timeout', ref, msg }`. */
  startTimer(ms: number, dest: Pid | string, msg: unknown): Ref;
  /** Cancels a timer: returns the milliseconds that were left, or `false` if it already fired or never existed. */
  cancelTimer(ref: Ref): number | false;
}

/**
 * A process with no body, driven from plain Node code: it has a pid, a mailbox, links and
 * monitors like any process, and lives until {@link Inbox.close}. Plain code uses one to talk to
 * processes and wait for their answers (a request handler calling a server, a test). It never
 * keeps {@link Runtime.settle} waiting.
 *
 * @example
 * ```ts
 * import { Runtime, type DownMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const inbox = rt.inbox();
 * const echo = rt.spawn(async (ctx) => {
 *   const { from, text } = (await ctx.receive()) as { from: string; text: string };
 *   ctx.send(from, text);
 * });
 * const ref = inbox.monitor(echo);
 * inbox.send(echo, { from: inbox.self, text: 'hi' });
 * expect(await inbox.receive()).toBe('hi');
 * expect(((await inbox.receiveRef(ref)) as DownMessage).reason).toBe('normal');
 * inbox.close();
 * expect(rt.isAlive(inbox.self)).toBe(false);
 * ```
 */
export interface Inbox<M = unknown> extends Context<M> {
  /**
   * Ends the inbox with `reason` (default `'normal'`), as if its process exited: its links and
   * monitors fire. Unlike `exit(reason)`, it does not throw. Closing twice does nothing.
   */
  close(reason?: unknown): void;
}

/**
 * The state of a process in {@link ProcessInfo}.
 *
 * @example
 * ```ts
 * import { Runtime, type ProcessStatus } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn((ctx) => ctx.receive());
 * expect(rt.processInfo(pid)?.status).toBe('runnable'); // spawned, not started yet
 * await rt.settle();
 * const status: ProcessStatus | undefined = rt.processInfo(pid)?.status;
 * expect(status).toBe('waiting');
 * rt.killAll();
 * ```
 */
export type ProcessStatus =
  | 'waiting' // blocked in receive with no matching message
  | 'runnable'; // has something to do: started, woken, or awaiting something outside the kernel

/**
 * A monitor as {@link ProcessInfo.monitors} lists it: by pid, or by the registered name it was made with.
 *
 * @example
 * ```ts
 * import { Runtime, type MonitorTarget } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const worker = rt.spawn((ctx) => ctx.receive());
 * rt.register('worker', worker);
 * const monitors: readonly MonitorTarget[] = await rt.run((ctx) => {
 *   ctx.monitor(worker);
 *   ctx.monitor('worker');
 *   return rt.processInfo(ctx.self)!.monitors;
 * });
 * expect(monitors).toEqual([{ pid: worker }, { name: 'worker' }]);
 * rt.killAll();
 * ```
 */
export type MonitorTarget = { readonly pid: Pid } | { readonly name: string } | { readonly name: string; readonly node: string }; // the last for { name, node }

/**
 * A snapshot of a live process, as Erlang's `process_info/1` gives it.
 *
 * @example
 * ```ts
 * import { Runtime, type ProcessInfo } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const info: ProcessInfo | undefined = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   ctx.spawnLink((child) => child.receive());
 *   ctx.send(ctx.self, 'note to self');
 *   return rt.processInfo(ctx.self);
 * });
 * expect(info).toMatchObject({ trapExit: true, messageQueueLen: 1, registeredName: undefined });
 * expect(info?.links).toHaveLength(1);
 * rt.killAll();
 * ```
 */
export interface ProcessInfo {
  readonly pid: Pid;
  readonly status: ProcessStatus;
  /** The name it is registered under, if any. */
  readonly registeredName: string | undefined;
  /** Linked processes. */
  readonly links: readonly Pid[];
  /** Monitors this process holds, in creation order. */
  readonly monitors: readonly MonitorTarget[];
  /** Processes that monitor this one, one entry per monitor. */
  readonly monitoredBy: readonly Pid[];
  readonly trapExit: boolean;
  /** Messages waiting in the mailbox. */
  readonly messageQueueLen: number;
  /** Messages dropped because the mailbox was full (see {@link SpawnOptions}); 0 without a bound. */
  readonly droppedMessages: number;
}
