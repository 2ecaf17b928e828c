/**
 * Sys: the system requests every behaviour answers, as Erlang's `sys` module.
 *
 * Every behaviour of ts-otp runs the GenServer loop (GenServer, Supervisor, DynamicSupervisor,
 * StateMachine, Agent, TaskSupervisor, Registry, PartitionSupervisor), and that loop answers these
 * requests between two messages, in mailbox order: read or replace the state, read the status
 * (with formatStatus applied), suspend and resume, trace each event, collect statistics. A
 * suspended server answers only system requests; every other message stays queued, in order,
 * until `resume`, so a call to it times out. Exit signals still reach it: one that does not trap
 * exits dies of them; one that traps them gets the EXIT message after `resume` (its parent's EXIT
 * ends it even while suspended). A system request keeps an idle timeout armed, restarting it.
 *
 * Each request waits for its answer 5000 ms by default (`timeout`), then fails with a
 * {@link CallError} `'timeout'`, as `sys` does. A reference to no process fails with `'noproc'`.
 * Where Node differs from Erlang: a live process that is not a behaviour fails at once with
 * `'noproc'` (Erlang's request waits out its timeout there), and a server of another node is
 * refused with an {@link InvalidArgumentError}.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { systemRequest } from '../gen_server/gen_server.js';
import { GET_STATE, GET_STATUS, INSTALL, REMOVE, REPLACE_STATE, RESUME, STATISTICS, SUSPEND, TRACE } from '../gen_server/internal/server.js';
import type { Protocol, ServerRef } from '../gen_server/index.js';
import type { Event, StateOf, Statistics, Status } from './types.js';

/**
 * The server's state, read between two messages (Erlang's `sys:get_state`); a StateMachine's
 * state and data.
 *
 * @throws {@link InvalidArgumentError} for a value that is not a server reference, a bad timeout, or a server of another node.
 * @see {@link replaceState}
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: number }>({ init: () => Next.ok(7) }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Sys.getState(started.pid)).toBe(7);
 * rt.killAll();
 * await expect(Sys.getState(started.pid)).rejects.toMatchObject({ name: 'CallError', reason: 'noproc' });
 * ```
 */
export function getState<P extends Protocol>(server: ServerRef<P>, timeout?: number | 'infinity'): Promise<StateOf<P>> {
  return systemRequest('Sys.getState', server, GET_STATE, 'get_state', timeout) as Promise<StateOf<P>>;
}

/**
 * Replaces the server's state with `update(state)` between two messages (Erlang's
 * `sys:replace_state`) and resolves with the new state. When `update` throws, the call rejects
 * with that error and the server keeps its state and goes on.
 *
 * @throws {@link InvalidArgumentError} when `update` is not a function, and as {@link getState}.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: number }>({ init: () => Next.ok(1) }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Sys.replaceState(started.pid, (n) => n * 10)).toBe(10);
 * await expect(Sys.replaceState(started.pid, () => { throw new Error('bad'); })).rejects.toThrow('bad');
 * expect(await Sys.getState(started.pid)).toBe(10);
 * rt.killAll();
 * ```
 */
export function replaceState<P extends Protocol>(server: ServerRef<P>, update: (state: StateOf<P>) => StateOf<P>, timeout?: number | 'infinity'): Promise<StateOf<P>> {
  if (typeof update !== 'function') throw new InvalidArgumentError('Sys.replaceState', 'update', update, 'a function');
  return systemRequest('Sys.replaceState', server, REPLACE_STATE, update, timeout, 'replace_state') as Promise<StateOf<P>>;
}

/**
 * The server's {@link Status} (Erlang's `sys:get_status`), its state as formatStatus shows it.
 *
 * @throws {@link InvalidArgumentError} as {@link getState}.
 * @example
 * ```ts
 * import { Runtime, Supervisor, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const sup = await Supervisor.start({ strategy: 'one_for_one', children: [] }, { runtime: rt });
 * if (sup.type !== 'ok') throw new Error('no start');
 * expect(await Sys.getStatus(sup.pid)).toMatchObject({ module: 'gen_server', status: 'running', state: { strategy: 'one_for_one', children: [] } });
 * rt.killAll();
 * ```
 */
export function getStatus<P extends Protocol>(server: ServerRef<P>, timeout?: number | 'infinity'): Promise<Status> {
  return systemRequest('Sys.getStatus', server, GET_STATUS, 'get_status', timeout) as Promise<Status>;
}

/**
 * Suspends the server (Erlang's `sys:suspend`): from then on it answers only system requests;
 * calls, casts and other messages wait in its mailbox, in order, until {@link resume}. Suspending
 * a suspended server does nothing more.
 *
 * @throws {@link InvalidArgumentError} as {@link getState}.
 * @example
 * ```ts
 * import { CallError, GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Echo { state: null; call: { readonly type: 'echo'; readonly text: string }; reply: { echo: string } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Echo>({ init: () => Next.ok(null), handleCall: { echo: ({ text }, _f, s) => Next.reply(text, s) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await Sys.suspend(started.pid);
 * const late = GenServer.call(started.pid, { type: 'echo', text: 'later' });
 * expect((await Sys.getStatus(started.pid)).status).toBe('suspended'); // system requests are still answered
 * await Sys.resume(started.pid);
 * expect(await late).toBe('later');
 * rt.killAll();
 * ```
 */
export function suspend<P extends Protocol>(server: ServerRef<P>, timeout?: number | 'infinity'): Promise<void> {
  return systemRequest('Sys.suspend', server, SUSPEND, 'suspend', timeout) as Promise<void>;
}

/**
 * Resumes a suspended server (Erlang's `sys:resume`): it handles the messages that waited, in the
 * order they came. Resuming a running server does nothing.
 *
 * @throws {@link InvalidArgumentError} as {@link getState}.
 * @see {@link suspend}
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Log { state: string[]; cast: { readonly type: 'add'; readonly item: string } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Log>({ init: () => Next.ok([]), handleCast: { add: ({ item }, s) => Next.noreply([...s, item]) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await Sys.suspend(started.pid);
 * GenServer.cast(started.pid, { type: 'add', item: 'a' });
 * GenServer.cast(started.pid, { type: 'add', item: 'b' });
 * expect(await Sys.getState(started.pid)).toEqual([]);
 * await Sys.resume(started.pid);
 * expect(await Sys.getState(started.pid)).toEqual(['a', 'b']);
 * rt.killAll();
 * ```
 */
export function resume<P extends Protocol>(server: ServerRef<P>, timeout?: number | 'infinity'): Promise<void> {
  return systemRequest('Sys.resume', server, RESUME, 'resume', timeout) as Promise<void>;
}

/**
 * Traces the server (Erlang's `sys:trace`): each {@link Event} it handles from now on goes to
 * `to`, a function called with the event between the server's own steps, or with `true` to the
 * runtime's logger (at `info`, label `'sys.trace'`, a `*DBG*` line as Erlang prints). `false`
 * switches the trace off; a server without trace pays one check per message. A trace function
 * that throws is removed (a warning is logged) and the server goes on, as sys removes a debug
 * function that crashes. The events carry the raw state, not formatStatus's view of it, as
 * Erlang's do.
 *
 * @throws {@link InvalidArgumentError} when `to` is not a boolean or a function, and as {@link getState}.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Echo { state: number; call: { readonly type: 'echo' }; reply: { echo: number } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Echo>({ init: () => Next.ok(0), handleCall: { echo: (_r, _f, n) => Next.reply(n, n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const seen: string[] = [];
 * await Sys.trace(started.pid, (event) => seen.push(event.type));
 * await GenServer.call(started.pid, { type: 'echo' });
 * await Sys.trace(started.pid, false);
 * await GenServer.call(started.pid, { type: 'echo' });
 * expect(seen).toEqual(['in', 'out']);
 * rt.killAll();
 * ```
 */
export function trace<P extends Protocol>(server: ServerRef<P>, to: boolean | ((event: Event) => void), timeout?: number | 'infinity'): Promise<void> {
  if (typeof to !== 'boolean' && typeof to !== 'function') throw new InvalidArgumentError('Sys.trace', 'to', to, 'true (to the logger), false (off) or a function called with each event');
  return systemRequest('Sys.trace', server, TRACE, to, timeout, 'trace') as Promise<void>;
}

/**
 * Installs a function that sees every {@link Event} the server handles from now on, beside the
 * trace and beside other installed functions (Erlang's `sys:install`): several tools can watch one
 * server without displacing each other or a user's `Sys.trace`. A function returning `'done'` is
 * removed, as Erlang's returning `done`; one that throws is removed and a warning is logged.
 * Installing the same function twice installs it once.
 *
 * @throws {@link InvalidArgumentError} when `fn` is not a function, and as {@link getState}.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Echo { state: number; call: { readonly type: 'echo' }; reply: { echo: number } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Echo>({ init: () => Next.ok(0), handleCall: { echo: (_r, _f, n) => Next.reply(n, n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const traced: string[] = [];
 * const counted: string[] = [];
 * await Sys.trace(started.pid, (event) => traced.push(event.type));
 * await Sys.install(started.pid, (event) => { counted.push(event.type); return counted.length === 3 ? 'done' : undefined; });
 * await GenServer.call(started.pid, { type: 'echo' });
 * await GenServer.call(started.pid, { type: 'echo' });
 * expect(traced).toEqual(['in', 'out', 'in', 'out']); // the trace was not displaced
 * expect(counted).toEqual(['in', 'out', 'in']); // done after its third event
 * rt.killAll();
 * ```
 */
export function install<P extends Protocol>(server: ServerRef<P>, fn: (event: Event) => unknown, timeout?: number | 'infinity'): Promise<void> {
  if (typeof fn !== 'function') throw new InvalidArgumentError('Sys.install', 'fn', fn, 'a function called with each event');
  return systemRequest('Sys.install', server, INSTALL, fn, timeout, 'install') as Promise<void>;
}

/**
 * Removes a function {@link install} installed (Erlang's `sys:remove`); removing one that is not
 * installed does nothing.
 *
 * @throws {@link InvalidArgumentError} when `fn` is not a function, and as {@link getState}.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Echo { state: number; call: { readonly type: 'echo' }; reply: { echo: number } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Echo>({ init: () => Next.ok(0), handleCall: { echo: (_r, _f, n) => Next.reply(n, n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const seen: string[] = [];
 * const watch = (event: Sys.Event): void => { seen.push(event.type); };
 * await Sys.install(started.pid, watch);
 * await GenServer.call(started.pid, { type: 'echo' });
 * await Sys.remove(started.pid, watch);
 * await GenServer.call(started.pid, { type: 'echo' });
 * expect(seen).toEqual(['in', 'out']);
 * rt.killAll();
 * ```
 */
export function remove<P extends Protocol>(server: ServerRef<P>, fn: (event: Event) => unknown, timeout?: number | 'infinity'): Promise<void> {
  if (typeof fn !== 'function') throw new InvalidArgumentError('Sys.remove', 'fn', fn, 'a function installed with Sys.install');
  return systemRequest('Sys.remove', server, REMOVE, fn, timeout, 'remove') as Promise<void>;
}

/**
 * Switches statistics on (`true`, counting from zero; on already: kept) or off (`false`), or reads
 * them (`'get'`: the {@link Statistics}, or undefined when they are off, Erlang's `no_statistics`),
 * as Erlang's `sys:statistics`.
 *
 * @throws {@link InvalidArgumentError} when `flag` is not `true`, `false` or `'get'`, and as {@link getState}.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, Sys } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter { state: number; cast: { readonly type: 'add' } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Counter>({ init: () => Next.ok(0), handleCast: { add: (_m, n) => Next.noreply(n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Sys.statistics(started.pid, 'get')).toBeUndefined();
 * await Sys.statistics(started.pid, true);
 * GenServer.cast(started.pid, { type: 'add' });
 * GenServer.cast(started.pid, { type: 'add' });
 * expect(await Sys.statistics(started.pid, 'get')).toMatchObject({ messagesIn: 2, messagesOut: 0 });
 * await Sys.statistics(started.pid, false);
 * expect(await Sys.statistics(started.pid, 'get')).toBeUndefined();
 * rt.killAll();
 * ```
 */
export function statistics<P extends Protocol>(server: ServerRef<P>, flag: 'get', timeout?: number | 'infinity'): Promise<Statistics | undefined>;
export function statistics<P extends Protocol>(server: ServerRef<P>, flag: boolean, timeout?: number | 'infinity'): Promise<void>;
export function statistics(server: ServerRef<Protocol>, flag: boolean | 'get', timeout?: number | 'infinity'): Promise<Statistics | undefined | void> {
  if (flag !== true && flag !== false && flag !== 'get') throw new InvalidArgumentError('Sys.statistics', 'flag', flag, "true (on), false (off) or 'get'");
  return systemRequest('Sys.statistics', server, STATISTICS, flag, timeout, 'statistics') as Promise<Statistics | undefined>;
}
