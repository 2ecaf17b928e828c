/**
 * The types of the system requests every behaviour answers: trace events, statistics, status.
 *
 * @module
 */
import type { Pid } from '../process/index.js';

/**
 * One event a server handles, as a trace receives it (Erlang's sys debug events): a message in
 * (a call, a cast, or any other message), then a reply out with the new state, or the new state
 * without a reply; a `{ continue }` action's handleContinue is a `continue` event (after the
 * callback ran, as in Erlang) and then its new state. `pid` is the server's. A call made from plain code, or without the caller's
 * context, has `from: undefined`; so has the reply's `to`. A StateMachine's reply action is an
 * `out` event when the action runs (as gen_statem reports `{out, Reply, From}`), with the
 * `{ state, data }` of that moment, before the transition is applied; the loop's own event for
 * the call then follows (`noreply`, with the new `{ state, data }`).
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter { state: number; cast: { readonly type: 'add' } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Counter>({ init: () => Next.ok(0), handleCast: { add: (_m, n) => Next.noreply(n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const events: Sys.Event[] = [];
 * await Sys.trace(started.pid, (event) => events.push(event));
 * GenServer.cast(started.pid, { type: 'add' });
 * await Sys.trace(started.pid, false);
 * expect(events).toEqual([
 *   { type: 'in', pid: started.pid, kind: 'cast', msg: { type: 'add' } },
 *   { type: 'noreply', pid: started.pid, state: 1 },
 * ]);
 * rt.killAll();
 * ```
 */
export type Event =
  | { readonly type: 'in'; readonly pid: Pid; readonly kind: 'call'; readonly request: unknown; readonly from: Pid | undefined }
  | { readonly type: 'in'; readonly pid: Pid; readonly kind: 'cast' | 'info'; readonly msg: unknown }
  | { readonly type: 'out'; readonly pid: Pid; readonly reply: unknown; readonly to: Pid | undefined; readonly state: unknown }
  | { readonly type: 'noreply'; readonly pid: Pid; readonly state: unknown }
  | { readonly type: 'continue'; readonly pid: Pid; readonly arg: unknown };

/**
 * A server's counters since statistics were switched on (Erlang's `sys:statistics(Pid, get)`).
 * Times are milliseconds on the runtime's clock (as `Date.now()`). `messagesIn` counts calls,
 * casts and other messages handled, `messagesOut` the replies its callbacks returned; system
 * requests count in neither, as in Erlang. Erlang's `reductions` has no equivalent in Node.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: null; call: { readonly type: 'ping' }; reply: { ping: 'pong' } }>(
 *   { init: () => Next.ok(null), handleCall: { ping: (_r, _f, s) => Next.reply('pong', s) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await Sys.statistics(started.pid, true);
 * await GenServer.call(started.pid, { type: 'ping' });
 * const stats: Sys.Statistics | undefined = await Sys.statistics(started.pid, 'get');
 * expect(stats).toMatchObject({ messagesIn: 1, messagesOut: 1 });
 * rt.killAll();
 * ```
 */
export interface Statistics {
  readonly startTime: number;
  readonly currentTime: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
}

/**
 * A server's status (Erlang's `sys:get_status`): who it is, whether it is suspended, and its state
 * as its behaviour's formatStatus shows it (the raw state when it has none; a formatStatus that
 * throws shows as `'formatStatus threw: …'`). `module` is the OTP behaviour the loop stands for:
 * `'gen_statem'` for a StateMachine, `'gen_server'` for every other behaviour (a Supervisor is a
 * gen_server in OTP too). `parent` is the server itself when it was started without a link, as in
 * Erlang.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: { token: string } }>(
 *   { init: () => Next.ok({ token: 'secret' }), formatStatus: () => ({ token: '***' }) }, undefined, { runtime: rt, name: 'keeper' });
 * if (started.type !== 'ok') throw new Error('no start');
 * const status: Sys.Status = await Sys.getStatus(started.pid);
 * expect(status).toMatchObject({ pid: started.pid, name: 'keeper', module: 'gen_server', status: 'running', parent: started.pid, state: { token: '***' } });
 * rt.killAll();
 * ```
 */
export interface Status {
  readonly pid: Pid;
  /** Its registered name, if any. */
  readonly name: string | undefined;
  readonly module: 'gen_server' | 'gen_statem';
  readonly status: 'running' | 'suspended';
  readonly parent: Pid;
  /** Its parent, the parent's parent and so on, by name where they had one (proc_lib's `$ancestors`). */
  readonly ancestors: ReadonlyArray<Pid | string>;
  /** Its init function's name (proc_lib's `$initial_call`). */
  readonly initialCall: string;
  /** A trace is on. */
  readonly trace: boolean;
  /** Statistics are being collected. */
  readonly statistics: boolean;
  readonly state: unknown;
}

/**
 * What `Sys.getState` reads of a server of protocol `P`: its state, or for a StateMachine (a
 * protocol with `data`) its state and data, as Erlang's `sys:get_state` returns `{State, Data}`.
 *
 * @example
 * ```ts
 * import type { Sys } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<Sys.StateOf<{ state: number }>>().toEqualTypeOf<number>();
 * expectTypeOf<Sys.StateOf<{ state: 'on' | 'off'; data: number }>>().toEqualTypeOf<{ readonly state: 'on' | 'off'; readonly data: number }>();
 * ```
 */
export type StateOf<P extends { state: unknown }> = 'data' extends keyof P ? { readonly state: P['state']; readonly data: P['data'] } : P['state'];
