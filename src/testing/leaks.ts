/**
 * Leak checks: what a test left running in a runtime.
 *
 * A test that ends with a process alive, a timer set or a listener on the runtime's events leaks
 * into the tests after it (a timer that fires later, a listener that counts the next test's
 * exits). {@link findLeaks} lists them; {@link assertNoLeaks} fails when there is any. A runtime
 * that is a node also leaks by staying one (its connections and ticks) and by worker threads it
 * started that have not exited: `await Node.stop(rt)` ends both.
 *
 * Pending GenServer calls and receive timeouts are not counted apart: each belongs to a waiting
 * process (a call from plain code waits in an inbox of its own), which is listed.
 *
 * @module
 */
import { InvalidArgumentError, Node, NodeError, OtpError, Runtime, type Pid, type ProcessStatus, type RuntimeEvents } from '../index.js';
import { liveTimers } from '../process/hooks.js';

/** A live process as a leak report lists it. */
export interface LeakedProcess {
  readonly pid: Pid;
  readonly registeredName: string | undefined;
  readonly status: ProcessStatus;
}

/**
 * What a runtime still holds: every field empty, zero or false means nothing leaked.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { findLeaks, type Leaks } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const leaks: Leaks = findLeaks(new Runtime());
 * expect(leaks).toEqual({ processes: [], timers: 0, listeners: {}, node: undefined, workers: 0 });
 * ```
 */
export interface Leaks {
  /** Live processes (inboxes included), oldest first. */
  readonly processes: readonly LeakedProcess[];
  /** Timers set with `sendAfter` or `startTimer` that have neither fired nor been cancelled. */
  readonly timers: number;
  /** Listeners on `runtime.events`, by event name; events without listeners are left out. */
  readonly listeners: { readonly [E in keyof RuntimeEvents]?: number };
  /** The node name while the runtime is still a node, else undefined. */
  readonly node: string | undefined;
  /** Worker threads the node started that have not exited. */
  readonly workers: number;
}

/**
 * A test left something running; `leaks` says what.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { assertNoLeaks, LeakError } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * rt.spawn((ctx) => ctx.receive());
 * await rt.settle();
 * const error = (() => { try { assertNoLeaks(rt); } catch (e) { return e; } })();
 * expect(error).toBeInstanceOf(LeakError);
 * expect((error as LeakError).leaks.processes).toHaveLength(1);
 * rt.killAll();
 * ```
 */
export class LeakError extends OtpError {
  override name = 'LeakError' as const;
  constructor(readonly leaks: Leaks) {
    super(`the runtime still holds ${describeLeaks(leaks).join('; ')}`);
  }
}

function checkRuntime(operation: string, rt: unknown): Runtime {
  if (!(rt instanceof Runtime)) throw new InvalidArgumentError(operation, 'runtime', rt, 'a Runtime');
  return rt;
}

function nodeName(rt: Runtime): string | undefined {
  try {
    return Node.name(rt);
  } catch (error) {
    if (error instanceof NodeError) return undefined; // not a node
    throw error;
  }
}

/**
 * What `rt` still holds: live processes, pending timers, event listeners, and for a node its
 * name and live worker threads. A snapshot; nothing is changed.
 *
 * @throws {@link ts-otp!InvalidArgumentError} when `rt` is not a Runtime.
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { findLeaks } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const inbox = rt.inbox();
 * inbox.register('test');
 * rt.sendAfter(1_000, 'test', 'later');
 * const onExit = (): void => {};
 * rt.events.on('exit', onExit);
 * expect(findLeaks(rt)).toEqual({
 *   processes: [{ pid: inbox.self, registeredName: 'test', status: 'runnable' }],
 *   timers: 1,
 *   listeners: { exit: 1 },
 *   node: undefined,
 *   workers: 0,
 * });
 * rt.killAll();
 * rt.events.off('exit', onExit);
 * expect(findLeaks(rt).timers).toBe(0);
 * ```
 */
export function findLeaks(rt: Runtime): Leaks {
  checkRuntime('findLeaks', rt);
  const processes: LeakedProcess[] = [];
  for (const pid of rt.processes()) {
    const info = rt.processInfo(pid);
    if (info !== undefined) processes.push({ pid, registeredName: info.registeredName, status: info.status });
  }
  const listeners: { [E in keyof RuntimeEvents]?: number } = {};
  for (const event of rt.events.eventNames()) {
    const count = rt.events.listenerCount(event);
    if (count > 0) listeners[event] = count;
  }
  return { processes, timers: liveTimers(rt), listeners, node: nodeName(rt), workers: Node.liveWorkers(rt) };
}

/** One phrase per kind of leak. */
function describeLeaks(leaks: Leaks): string[] {
  const parts: string[] = [];
  if (leaks.processes.length > 0) {
    const listed = leaks.processes.slice(0, 10).map((p) => (p.registeredName === undefined ? p.pid : `${p.pid} (${p.registeredName})`));
    const more = leaks.processes.length > 10 ? `, and ${leaks.processes.length - 10} more` : '';
    parts.push(`${leaks.processes.length} live process${leaks.processes.length === 1 ? '' : 'es'}: ${listed.join(', ')}${more}`);
  }
  if (leaks.timers > 0) parts.push(`${leaks.timers} pending timer${leaks.timers === 1 ? '' : 's'}`);
  const events = Object.entries(leaks.listeners);
  if (events.length > 0) parts.push(`event listeners: ${events.map(([e, n]) => `${n} on '${e}'`).join(', ')}`);
  if (leaks.node !== undefined) parts.push(`node '${leaks.node}' not stopped (await Node.stop(runtime))`);
  if (leaks.workers > 0) parts.push(`${leaks.workers} live worker thread${leaks.workers === 1 ? '' : 's'}`);
  return parts;
}

/**
 * Throws a {@link LeakError} if `rt` still holds anything {@link findLeaks} lists: call it at the
 * end of a test, after stopping what the test started, to show the test cleans up after itself.
 *
 * @throws {@link LeakError} naming what is left; {@link ts-otp!InvalidArgumentError} when `rt` is not a Runtime.
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { assertNoLeaks } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn((ctx) => ctx.receive());
 * rt.sendAfter(50, pid, 'wake');
 * await rt.settle();
 * expect(() => assertNoLeaks(rt)).toThrow(/1 live process: <\d+\.1\.0>; 1 pending timer/);
 * rt.exit(pid, 'kill'); // its timers go with it
 * assertNoLeaks(rt);
 * ```
 */
export function assertNoLeaks(rt: Runtime): void {
  const leaks = findLeaks(checkRuntime('assertNoLeaks', rt));
  if (describeLeaks(leaks).length > 0) throw new LeakError(leaks);
}
