/**
 * A test's own world: a runtime, an inbox that plays the test process, a per-test supervisor for
 * {@link OtpTest.startSupervised}, and a cleanup that stops it all in order.
 *
 * This is ExUnit's test process and test supervisor. `start_supervised!` starts a child under a
 * supervisor of the test's own (one_for_one, so a crashed child is restarted while the test
 * runs); when the test ends the supervisor is stopped, which stops its children in the reverse
 * order of their start, each with its shutdown; then the `onExit` callbacks run, newest first;
 * then the inbox is closed and whatever the test left running is killed, or reported
 * (`leaks: 'fail'`); a runtime the test made a node stops being one (`Node.stop`).
 *
 * The kit imports no test framework. The cleanup is handed to the framework's hook through
 * `onFinished`: vitest's `onTestFinished` (called inside the test), node:test's `t.after`, or
 * anything that takes an async function; or the test calls {@link OtpTest.cleanup} itself.
 *
 * @module
 */
import { inspect } from 'node:util';
import type { Logger } from 'pino';
import { InvalidArgumentError, Node, OtpError, Runtime, Supervisor, type Inbox } from '../index.js';
import { VirtualClock } from './clock.js';
import { assertNoLeaks } from './leaks.js';
import { assertReceive, refuteReceive, type Pattern, type Received } from './receive.js';

/**
 * Options of {@link otpTest}.
 *
 * @example
 * ```ts
 * import { otpTest, type OtpTestOptions } from 'ts-otp/testing';
 * import { expect, onTestFinished } from 'vitest';
 *
 * const options: OtpTestOptions = { onFinished: onTestFinished, clock: 'virtual', leaks: 'fail' };
 * const t = otpTest(options);
 * expect(t.clock?.now()).toBe(0);
 * ```
 */
export interface OtpTestOptions {
  /**
   * Registers the cleanup with the test framework, to run when the test ends: vitest's
   * `onTestFinished`, node:test's `t.after` (as `(fn) => t.after(fn)`). Without it, call
   * {@link OtpTest.cleanup} yourself.
   */
  readonly onFinished?: (cleanup: () => Promise<void>) => unknown;
  /**
   * The runtime's clock: `'system'` (the default: host timers, real time), `'virtual'` (a new
   * {@link VirtualClock}) or a VirtualClock of your own.
   */
  readonly clock?: 'system' | 'virtual' | VirtualClock;
  /** The runtime's pino logger (by default as `new Runtime()` makes one). */
  readonly logger?: Logger;
  /**
   * What the cleanup does with processes, timers and listeners left after the supervised
   * children are stopped: `'kill'` (the default) ends them, as an ExUnit test process's exit ends
   * what is linked to it; `'fail'` makes the cleanup throw a {@link LeakError} (after killing them).
   */
  readonly leaks?: 'kill' | 'fail';
}

/** The pid a child spec's start gives on success: a GenServer's typed pid, for a GenServer child. */
export type StartedPid<S extends Supervisor.ChildSpec> = Extract<Awaited<ReturnType<S['start']>>, { readonly type: 'ok' }>['pid'];

/** Fields of a child spec that {@link OtpTest.startSupervised} may override, as ExUnit's `start_supervised(spec, overrides)`. */
export type ChildOverrides = Partial<Omit<Supervisor.ChildSpec, 'start'>>;

/**
 * {@link OtpTest.startSupervised} could not start the child, or {@link OtpTest.stopSupervised}
 * found no child with that id.
 *
 * @example
 * ```ts
 * import { otpTest, SupervisedError } from 'ts-otp/testing';
 * import { expect, onTestFinished } from 'vitest';
 *
 * const t = otpTest({ onFinished: onTestFinished });
 * const failing = t.startSupervised({ id: 'db', start: () => ({ type: 'error', reason: 'econnrefused' }) });
 * await expect(failing).rejects.toThrow(SupervisedError);
 * await expect(failing).rejects.toMatchObject({ id: 'db', reason: 'econnrefused' });
 * ```
 */
export class SupervisedError extends OtpError {
  override name = 'SupervisedError' as const;
  constructor(
    /** `'startSupervised'` or `'stopSupervised'`. */
    readonly operation: 'startSupervised' | 'stopSupervised',
    /** The child's id. */
    readonly id: string,
    /** Why: the start's error reason, `'ignore'`, or `'not_found'`. */
    readonly reason: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** What {@link otpTest} returns: the test's runtime, clock, inbox and supervisor. */
export interface OtpTest<M = unknown> {
  /** The test's runtime, made for it. */
  readonly runtime: Runtime;
  /** Its virtual clock; undefined on the system clock (typed as present when `clock` was given as `'virtual'` or a VirtualClock). */
  readonly clock: VirtualClock | undefined;
  /** The test's own mailbox, as an ExUnit test process's: its pid is `inbox.self`. */
  readonly inbox: Inbox<M>;
  /**
   * Starts `spec` (with `overrides` applied) under the test's supervisor and resolves with its
   * pid: ExUnit's `start_supervised!`. The supervisor (one_for_one, a million restarts a second,
   * as ExUnit's) is started at the first call.
   *
   * @throws {@link SupervisedError} (as a rejection) when the start fails or returns ignore;
   * {@link ts-otp!ChildSpecError} for a bad spec, such as an id already started.
   */
  startSupervised<S extends Supervisor.ChildSpec>(spec: S, overrides?: ChildOverrides): Promise<StartedPid<S>>;
  /** Stops the supervised child `id` (its shutdown applies) and forgets it: ExUnit's `stop_supervised!`. @throws {@link SupervisedError} `'not_found'`. */
  stopSupervised(id: string): Promise<void>;
  /** The test's supervisor, started on first use: for `Supervisor.whichChildren` and the like. */
  supervisor(): Promise<Supervisor.SupervisorPid>;
  /** Runs `fn` at cleanup, after the supervised children have stopped; newest first, as ExUnit's `on_exit`. */
  onExit(fn: () => unknown): void;
  /** {@link assertReceive} on the test's inbox. */
  assertReceive<T extends M>(match: (msg: M) => msg is T, timeout?: number): Promise<T>;
  assertReceive<const P extends Pattern<M>>(pattern: P, timeout?: number): Promise<Received<M, P>>;
  /** {@link refuteReceive} on the test's inbox. */
  refuteReceive(pattern: Pattern<M>, timeout?: number): Promise<void>;
  /** Stops the supervisor, runs `onExit` callbacks, closes the inbox, then kills (or reports) the rest and stops a node. Runs once; later calls wait for it. */
  cleanup(): Promise<void>;
}

/** ExUnit's test supervisor flags: one_for_one, at most a million restarts a second. */
const TEST_SUPERVISOR = { strategy: 'one_for_one', intensity: 1_000_000, period: 1, children: [] } as const;

function checkOptions(options: unknown): OtpTestOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('otpTest', 'options', options, 'an object');
  const { onFinished, clock, leaks } = options as OtpTestOptions;
  if (onFinished !== undefined && typeof onFinished !== 'function') {
    throw new InvalidArgumentError('otpTest', 'options.onFinished', onFinished, "a function that registers the cleanup (vitest's onTestFinished, node:test's t.after)");
  }
  if (clock !== undefined && clock !== 'system' && clock !== 'virtual' && !(clock instanceof VirtualClock)) {
    throw new InvalidArgumentError('otpTest', 'options.clock', clock, "'system', 'virtual' or a VirtualClock");
  }
  if (leaks !== undefined && leaks !== 'kill' && leaks !== 'fail') throw new InvalidArgumentError('otpTest', 'options.leaks', leaks, "'kill' or 'fail'");
  return options as OtpTestOptions;
}

/**
 * Sets up a test: a new runtime (on a virtual clock if asked), the test's inbox, and a cleanup
 * handed to `options.onFinished`. See {@link OtpTest}.
 *
 * @throws {@link ts-otp!InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { Next, Supervisor, type GenServer } from 'ts-otp';
 * import { otpTest } from 'ts-otp/testing';
 * import { expect, onTestFinished } from 'vitest';
 *
 * interface Greeter { state: string; call: { type: 'greet' }; reply: { greet: string } }
 * const greeter: GenServer.Behaviour<Greeter> = {
 *   init: () => Next.ok('hello'),
 *   handleCall: { greet: (_m, _from, s) => Next.reply(s, s) },
 * };
 *
 * const t = otpTest({ onFinished: onTestFinished });
 * const pid = await t.startSupervised(Supervisor.worker('greeter', greeter, undefined));
 * t.inbox.monitor(pid);
 * t.runtime.exit(pid, 'kill');
 * await t.assertReceive({ type: 'DOWN', pid, reason: 'killed' });
 * const [child] = await Supervisor.whichChildren(await t.supervisor());
 * expect(child?.pid).not.toBe(pid); // restarted by the test's supervisor
 * ```
 */
export function otpTest<M = unknown>(options: OtpTestOptions & { readonly clock: 'virtual' | VirtualClock }): OtpTest<M> & { readonly clock: VirtualClock };
export function otpTest<M = unknown>(options?: OtpTestOptions): OtpTest<M>;
export function otpTest<M = unknown>(options: OtpTestOptions = {}): OtpTest<M> {
  const { onFinished, logger, leaks = 'kill' } = checkOptions(options);
  const clock = options.clock === 'virtual' ? new VirtualClock() : options.clock instanceof VirtualClock ? options.clock : undefined;
  const runtime = new Runtime({ ...(clock === undefined ? {} : { clock }), ...(logger === undefined ? {} : { logger }) });
  const inbox = runtime.inbox<M>();
  const exits: Array<() => unknown> = [];
  let sup: Promise<Supervisor.SupervisorPid> | undefined;
  let cleaning: Promise<void> | undefined;

  /** A promise that may need virtual time to settle: driven by the clock when there is one. */
  const timed = <T>(promise: Promise<T>): Promise<T> => (clock === undefined ? promise : clock.drive(promise));

  const supervisor = (): Promise<Supervisor.SupervisorPid> => {
    sup ??= Supervisor.start(TEST_SUPERVISOR, { runtime }).then((started) => {
      if (started.type !== 'ok') throw new SupervisedError('startSupervised', '', started, 'the test supervisor did not start');
      return started.pid;
    });
    return sup;
  };

  const startSupervised = async <S extends Supervisor.ChildSpec>(spec: S, overrides: ChildOverrides = {}): Promise<StartedPid<S>> => {
    if (typeof overrides !== 'object' || overrides === null) throw new InvalidArgumentError('startSupervised', 'overrides', overrides, 'an object of child spec fields');
    if (cleaning !== undefined) throw new InvalidArgumentError('startSupervised', 'spec', spec, 'started before the cleanup');
    const full: Supervisor.ChildSpec = typeof spec === 'object' && spec !== null ? { ...spec, ...overrides } : spec;
    const pid = await supervisor();
    const result = await timed(Supervisor.startChild(pid, full));
    if (result.type === 'ok' && result.pid !== undefined) return result.pid as StartedPid<S>;
    const reason = result.type === 'ok' ? 'ignore' : result.reason;
    if (result.type === 'ok') await Supervisor.deleteChild(pid, full.id); // as ExUnit leaves none behind it cannot stop
    throw new SupervisedError('startSupervised', full.id, reason, `failed to start child '${full.id}': ${reason === 'ignore' ? 'its start returned ignore' : inspect(reason, { depth: 6, breakLength: Infinity })}`);
  };

  const stopSupervised = async (id: string): Promise<void> => {
    if (typeof id !== 'string') throw new InvalidArgumentError('stopSupervised', 'id', id, 'a child id');
    const found = sup === undefined ? undefined : await supervisor();
    const stopped = found === undefined ? { type: 'error' as const } : await timed(Supervisor.terminateChild(found, id));
    if (stopped.type !== 'ok') throw new SupervisedError('stopSupervised', id, 'not_found', `could not stop child '${id}' because it was not found`);
    await Supervisor.deleteChild(found!, id); // a temporary child is gone already: not_found is fine
  };

  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      const errors: unknown[] = [];
      const attempt = async (step: () => unknown): Promise<void> => {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      };
      if (sup !== undefined) {
        const pending = sup;
        await attempt(async () => {
          const pid = await pending;
          if (runtime.isAlive(pid)) await timed(Supervisor.stop(pid));
        });
      }
      for (const fn of exits.reverse()) await attempt(fn);
      inbox.close();
      if (leaks === 'fail') await attempt(() => assertNoLeaks(runtime));
      await attempt(() => timed(Node.stop(runtime))); // a node's connections and threads; nothing for a plain runtime
      runtime.killAll();
      runtime.events.removeAllListeners();
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, 'the test cleanup failed in several steps');
    })();
    return cleaning;
  };

  onFinished?.(cleanup);
  return {
    runtime,
    clock,
    inbox,
    startSupervised,
    stopSupervised,
    supervisor,
    onExit: (fn) => {
      if (typeof fn !== 'function') throw new InvalidArgumentError('onExit', 'fn', fn, 'a function');
      exits.push(fn);
    },
    assertReceive: (pattern: unknown, timeout?: number) => assertReceive(inbox as Inbox<unknown>, pattern, timeout) as never,
    refuteReceive: (pattern, timeout) => refuteReceive(inbox, pattern, timeout),
    cleanup,
  };
}
