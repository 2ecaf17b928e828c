/**
 * `Application.main`: run a Node program as an application, the way a release boots, and stop it
 * cleanly when the platform asks.
 *
 * It starts the application and its dependencies (`ensureAllStarted`, start type `'permanent'` by
 * default). On SIGTERM or SIGINT it stops every application, most recently started first, and
 * exits 0. A second signal, or the shutdown deadline (30 s by default), forces the exit with
 * status 1 after logging what was still running. The same signal again within half a second is
 * not a second one: one Ctrl-C reaches node twice under a wrapper that forwards signals, such as
 * `npm start` (from the terminal, to the whole process group, and from npm). The policy for failures nobody caught: an
 * `uncaughtException` or `unhandledRejection` is logged at fatal level and treated as a
 * permanent application's death: everything is stopped in order, then the program exits with
 * status 1, so it never stays half alive. A permanent application whose tree dies does the same.
 * Before any exit the logger is flushed (for at most a second), so that with an asynchronous
 * destination the last records, which say why the program exits, are written and in order.
 *
 * @module
 */
import { InvalidArgumentError, loggableError } from '../errors.js';
import type { Runtime } from '../process/index.js';
import { checkApp, ensureAllStarted, onHalt, runtimeOf, startTypeOf, stopAll, whichApplications } from './application.js';
import type { ApplicationSpec, Env, StartType } from './types.js';

/**
 * What `main` needs from the Node process; tests pass their own.
 *
 * @example
 * ```ts
 * import type { Application } from 'ts-otp';
 * import { EventEmitter } from 'node:events';
 *
 * // A host for a test: signals are events it emits, and the exit is recorded.
 * const codes: number[] = [];
 * const host: Application.MainHost = Object.assign(new EventEmitter(), { exit: (code: number) => void codes.push(code) });
 * void host;
 * ```
 */
export interface MainHost {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
}

/**
 * Options of {@link main}.
 *
 * @example
 * ```ts
 * import type { Application } from 'ts-otp';
 *
 * // Kubernetes waits 30 s after SIGTERM by default: stop within 25.
 * const options: Application.MainOptions = { shutdownTimeout: 25_000, signals: ['SIGTERM', 'SIGINT'] };
 * void options;
 * ```
 */
export interface MainOptions {
  readonly runtime?: Runtime;
  /** Default `'permanent'`, as the applications of a release. */
  readonly type?: StartType;
  /** Milliseconds the orderly stop may take before the exit is forced (default 30000). */
  readonly shutdownTimeout?: number;
  /** Default `['SIGTERM', 'SIGINT']`. */
  readonly signals?: readonly string[];
  /** Default: Node's `process`. */
  readonly host?: MainHost;
}

/**
 * A running program.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { EventEmitter } from 'node:events';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const host = Object.assign(new EventEmitter(), { exit: () => undefined });
 * const program: Application.MainHandle = await Application.main({ name: 'web', start: (master) => Supervisor.startLink(master, { children: [] }) }, { runtime: rt, host });
 * expect(program.started).toEqual(['web']);
 * expect(await program.shutdown('done')).toBe(0);
 * ```
 */
export interface MainHandle {
  /** The applications `main` started, dependencies first. */
  readonly started: readonly string[];
  /** Stops everything as a signal would; resolves with the exit status it passed to `host.exit`. */
  shutdown(why?: string): Promise<number>;
}

/** A repeat of the same signal within this many milliseconds is the same signal delivered twice. */
const REPEAT_MS = 500;

/** How long an exit waits for the logger to flush; a destination that never answers cannot hold the exit. */
const FLUSH_LIMIT_MS = 1000;

const nodeHost: MainHost = {
  on: (event, listener) => globalThis.process.on(event, listener),
  off: (event, listener) => globalThis.process.off(event, listener),
  exit: (code) => globalThis.process.exit(code),
};

/**
 * Starts `app` and its dependencies and installs the signal and failure handlers described above.
 * Resolves once everything has started; if the start fails, logs it and exits with status 1.
 *
 * @throws {@link InvalidArgumentError} for bad options.
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { EventEmitter } from 'node:events';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const codes: number[] = [];
 * const host = Object.assign(new EventEmitter(), { exit: (code: number) => void codes.push(code) });
 * const app: Application.ApplicationSpec = { name: 'web', start: (master) => Supervisor.startLink(master, { children: [] }) };
 * const program = await Application.main(app, { runtime: rt, host });
 * expect(program.started).toEqual(['web']);
 * host.emit('SIGTERM');
 * await expect.poll(() => codes).toEqual([0]);
 * expect(Application.whichApplications({ runtime: rt })).toEqual([]);
 * ```
 */
export async function main<E extends Env>(app: string | ApplicationSpec<E>, options: MainOptions = {}): Promise<MainHandle> {
  const rt = runtimeOf('Application.main', options);
  const host = options.host ?? nodeHost;
  if (typeof host !== 'object' || host === null || typeof host.on !== 'function' || typeof host.off !== 'function' || typeof host.exit !== 'function') {
    throw new InvalidArgumentError('Application.main', 'options.host', host, 'an object with on, off and exit functions');
  }
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(signals) || !signals.every((s) => typeof s === 'string')) throw new InvalidArgumentError('Application.main', 'options.signals', signals, 'an array of signal names');
  const deadline = options.shutdownTimeout ?? 30_000;
  if (typeof deadline !== 'number' || !(deadline >= 0)) throw new InvalidArgumentError('Application.main', 'options.shutdownTimeout', deadline, 'a number of milliseconds >= 0');
  const type = startTypeOf('Application.main', options, 'permanent');
  checkApp('Application.main', app);
  const log = rt.logger;
  let stopping: Promise<number> | undefined;
  let exited = false;
  let lastSignal: { readonly name: unknown; readonly at: number } | undefined;

  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    for (const s of signals) host.off(s, onSignal);
    host.off('uncaughtException', onFailure);
    host.off('unhandledRejection', onFailure);
    let done = false;
    const leave = (): void => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      host.exit(code);
    };
    const limit = setTimeout(leave, FLUSH_LIMIT_MS); // not unref'd: the exit code must be ours, not Node's 0
    try {
      log.flush(() => leave());
    } catch {
      leave(); // a destination that cannot flush: nothing more to wait for
    }
  };

  const shutdown = (why: string, code: number): Promise<number> => {
    if (stopping !== undefined) return stopping;
    log.info({ label: 'application.shutdown', why }, `shutting down (${why})`);
    stopping = new Promise<number>((resolve) => {
      const timer = setTimeout(() => {
        const left = whichApplications({ runtime: rt }).map((a) => a.name);
        log.error({ label: 'application.shutdown_forced', why: 'deadline', applications: left, processes: rt.processCount() }, `shutdown took over ${deadline} ms: forcing the exit`);
        exit(1);
        resolve(1);
      }, deadline);
      timer.unref?.();
      void stopAll({ runtime: rt }).then(() => {
        clearTimeout(timer);
        if (exited) return;
        log.info({ label: 'application.stopped' }, 'all applications stopped');
        exit(code);
        resolve(code);
      });
    });
    return stopping;
  };

  function onSignal(signal: unknown): void {
    const now = Date.now();
    const repeat = lastSignal !== undefined && lastSignal.name === signal && now - lastSignal.at < REPEAT_MS;
    lastSignal = { name: signal, at: now };
    if (stopping === undefined) {
      void shutdown(String(signal ?? 'signal'), 0);
      return;
    }
    if (repeat) return;
    const left = whichApplications({ runtime: rt }).map((a) => a.name);
    log.error({ label: 'application.shutdown_forced', why: 'second signal', applications: left, processes: rt.processCount() }, 'second signal: forcing the exit');
    exit(1);
  }

  function onFailure(error: unknown): void {
    log.fatal({ label: 'application.uncaught', err: loggableError(error) }, 'an error nobody caught: stopping everything');
    void shutdown('uncaught error', 1);
  }

  // A permanent application's death: the controller has stopped the others already.
  onHalt((code) => exit(code), { runtime: rt });
  for (const s of signals) host.on(s, onSignal);
  host.on('uncaughtException', onFailure);
  host.on('unhandledRejection', onFailure);

  const result = await ensureAllStarted(app, { runtime: rt, type });
  if (result.type === 'error') {
    log.fatal({ label: 'application.start_failed', reason: result.reason }, 'the application did not start');
    await stopAll({ runtime: rt });
    exit(1);
    return { started: [], shutdown: () => Promise.resolve(1) };
  }
  log.info({ label: 'application.started', applications: result.started }, `started ${result.started.join(', ')}`);
  return { started: result.started, shutdown: (why = 'requested') => shutdown(why, 0) };
}
