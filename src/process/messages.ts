/**
 * The messages the kernel itself puts in a mailbox: EXIT, DOWN and timer timeouts.
 *
 * They are unions on `type`, like every typed protocol in ts-otp. A process receives EXIT
 * messages only while it traps exits, DOWN messages only for monitors it holds, and
 * `timeout` messages only from timers it (or someone) started with `startTimer`. Include the
 * ones you expect in your process's message type.
 *
 * @module
 */
import type { ExitReason } from './exit_reason.js';
import type { Pid, Ref } from './pid.js';

/**
 * An exit signal turned into a message, because the receiver traps exits.
 *
 * `from` is the linked process that exited, or the sender of `exit(pid, reason)`; the two cannot
 * be told apart, as in Erlang. `from` equals the receiver after `ctx.exit(ctx.self, reason)`.
 *
 * @example
 * ```ts
 * import { Runtime, type ExitMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const msg = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const child = ctx.spawnLink(() => { throw new Error('boom'); });
 *   const exit = (await ctx.receive()) as ExitMessage;
 *   return { exit, child };
 * });
 * expect(msg.exit).toMatchObject({ type: 'EXIT', from: msg.child, reason: { tag: 'error' } });
 * ```
 */
export interface ExitMessage {
  readonly type: 'EXIT';
  readonly from: Pid;
  readonly reason: ExitReason;
}

/**
 * A monitor fired: the watched process exited, or did not exist (`reason` is `'noproc'`).
 *
 * For a monitor on a pid, `pid` is that pid and `name` is undefined. For a monitor on a
 * registered name, `name` is the name and `pid` is undefined, as Erlang reports `{Name, Node}`
 * rather than the pid; for a monitor of `{ name, node }`, `node` is set too.
 *
 * @example
 * ```ts
 * import { Runtime, type DownMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const down = await rt.run(async (ctx) => {
 *   const ref = ctx.monitor('nobody');
 *   return { ref, msg: (await ctx.receive()) as DownMessage };
 * });
 * expect(down.msg).toEqual({ type: 'DOWN', ref: down.ref, pid: undefined, name: 'nobody', reason: 'noproc' });
 * ```
 */
export interface DownMessage {
  readonly type: 'DOWN';
  readonly ref: Ref;
  readonly pid: Pid | undefined;
  readonly name: string | undefined;
  /** The node of a monitor of `{ name, node }`; absent otherwise. */
  readonly node?: string;
  readonly reason: ExitReason;
}

/**
 * What a timer started with `startTimer(ms, dest, msg)` delivers: Erlang's `{timeout, Ref, Msg}`.
 *
 * @example
 * ```ts
 * import { Runtime, type TimeoutMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const got = await rt.run(async (ctx) => {
 *   const ref = ctx.startTimer(0, ctx.self, 'tick');
 *   return { ref, msg: (await ctx.receive()) as TimeoutMessage<string> };
 * });
 * expect(got.msg).toEqual({ type: 'timeout', ref: got.ref, msg: 'tick' });
 * ```
 */
export interface TimeoutMessage<T = unknown> {
  readonly type: 'timeout';
  readonly ref: Ref;
  readonly msg: T;
}

/**
 * Any message the kernel itself delivers.
 *
 * @example
 * ```ts
 * import type { KernelMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const describe = (msg: KernelMessage): string => {
 *   switch (msg.type) {
 *     case 'EXIT': return `exit from ${msg.from}`;
 *     case 'DOWN': return `down ${msg.ref}`;
 *     case 'timeout': return `timer ${msg.ref}`;
 *   }
 * };
 * expect(describe({ type: 'EXIT', from: '<0.1.0>' as never, reason: 'normal' })).toBe('exit from <0.1.0>');
 * ```
 */
export type KernelMessage = ExitMessage | DownMessage | TimeoutMessage;

/**
 * What `receive` returns when its timeout passes with no matching message.
 *
 * A symbol, so it can never be confused with a message someone sent.
 *
 * @example
 * ```ts
 * import { Runtime, TIMEOUT } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const got = await rt.run((ctx) => ctx.receive(0)); // poll an empty mailbox
 * expect(got).toBe(TIMEOUT);
 * ```
 */
export const TIMEOUT: unique symbol = Symbol('ts-otp.timeout');

/**
 * The type of {@link TIMEOUT}.
 *
 * @example
 * ```ts
 * import { Runtime, TIMEOUT, type Timeout } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const got: string | Timeout = await rt.run((ctx) => ctx.receive(0) as Promise<string | Timeout>);
 * expect(got === TIMEOUT).toBe(true);
 * ```
 */
export type Timeout = typeof TIMEOUT;
