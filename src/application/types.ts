/**
 * Applications as declared in code: name, dependencies, default env and the callbacks that start
 * and stop a supervision tree.
 *
 * @module
 */
import type { Context, Pid } from '../process/index.js';

/**
 * What happens when an application's top process exits on its own: `'temporary'` (the default)
 * reports it; `'transient'` stops everything and exits the Node process with status 1 when the
 * exit was abnormal; `'permanent'` does that whatever the reason.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const type: Application.StartType = 'permanent';
 * await Application.start({ name: 'core', start: (master) => Supervisor.startLink(master, { children: [] }) }, { runtime: rt, type });
 * expect(Application.whichApplications({ runtime: rt })).toMatchObject([{ name: 'core', startType: 'permanent' }]);
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export type StartType = 'temporary' | 'transient' | 'permanent';

/**
 * An application's env: its keys and their types (an interface or a type alias).
 *
 * @example
 * ```ts
 * import type { Application } from 'ts-otp';
 *
 * interface WebEnv {
 *   readonly port: number;
 *   readonly host: string;
 * }
 * const web: Application.ApplicationSpec<WebEnv> = { name: 'web', env: { port: 8080, host: '0.0.0.0' }, start: () => ({ type: 'ignore' }) };
 * void web;
 * ```
 */
export type Env = object;

/**
 * What an application's start callback returns: its top process (linked to the caller), and a
 * state for prepStop and stop. A supervisor's start result fits as it is; `ignore` counts as a
 * failed start.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const stopped: unknown[] = [];
 * const app: Application.ApplicationSpec<object, { readonly since: number }> = {
 *   name: 'web',
 *   start: async (master): Promise<Application.AppStartResult<{ readonly since: number }>> => {
 *     const top = await Supervisor.startLink(master, { children: [] });
 *     return top.type === 'ok' ? { ...top, state: { since: 1 } } : top; // the state reaches prepStop and stop
 *   },
 *   stop: (state) => void stopped.push(state),
 * };
 * await Application.start(app, { runtime: rt });
 * await Application.stop('web', { runtime: rt });
 * expect(stopped).toEqual([{ since: 1 }]);
 * ```
 */
export type AppStartResult<S = unknown> =
  | { readonly type: 'ok'; readonly pid: Pid; readonly state?: S }
  | { readonly type: 'ignore' }
  | { readonly type: 'error'; readonly reason: unknown };

/**
 * An application.
 *
 * `start` runs in the application's master process and must link the top process to it:
 * `(master) => Supervisor.startLink(master, tree)`. `prepStop` runs before the tree is stopped and
 * `stop` after it (both also when the tree died on its own), as OTP's `prep_stop/1` and `stop/1`.
 *
 * @example
 * ```ts
 * import { Application, Supervisor } from 'ts-otp';
 *
 * const app: Application.ApplicationSpec<{ port: number }> = {
 *   name: 'web',
 *   dependencies: [],
 *   env: { port: 8080 },
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * };
 * void app;
 * ```
 */
export interface ApplicationSpec<E extends Env = Env, S = unknown> {
  readonly name: string;
  readonly description?: string;
  readonly version?: string;
  /** Applications that must be running first; `ensureAllStarted` starts them in this order. */
  readonly dependencies?: readonly string[];
  /** Default env; overridden by a config at load and by environment variables (see `getEnv`). */
  readonly env?: E;
  // Method syntax on purpose: a spec with a narrower env still fits where any spec is taken.
  start(master: Context, env: Readonly<E>): AppStartResult<S> | PromiseLike<AppStartResult<S>>;
  prepStop?(state: S | undefined): S | undefined | PromiseLike<S | undefined>;
  stop?(state: S | undefined): void | PromiseLike<void>;
}

/**
 * Why an application did not load, start or stop, as OTP's `{error, Reason}`.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result = await Application.start('nothing', { runtime: rt });
 * const reason: Application.ApplicationError | undefined = result.type === 'error' ? result.reason : undefined;
 * expect(reason).toEqual({ tag: 'not_loaded', name: 'nothing' });
 * ```
 */
export type ApplicationError =
  | { readonly tag: 'already_loaded'; readonly name: string }
  | { readonly tag: 'already_started'; readonly name: string }
  | { readonly tag: 'not_started'; readonly name: string }
  | { readonly tag: 'not_loaded'; readonly name: string }
  /** The start callback failed: OTP wraps its reason with the callback, `{R, {Mod, start, [Type, Args]}}`. */
  | { readonly tag: 'start_failed'; readonly name: string; readonly reason: unknown };

/**
 * An outcome without a value.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result: Application.AppResult = await Application.stop('web', { runtime: rt });
 * expect(result).toEqual({ type: 'error', reason: { tag: 'not_started', name: 'web' } });
 * ```
 */
export type AppResult = { readonly type: 'ok' } | { readonly type: 'error'; readonly reason: ApplicationError };

/**
 * A running application, as `whichApplications` lists it (the most recently started first).
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Application.start({ name: 'web', description: 'the HTTP API', version: '2.0.1', start: (master) => Supervisor.startLink(master, { children: [] }) }, { runtime: rt });
 * const [web]: Application.RunningApplication[] = Application.whichApplications({ runtime: rt });
 * expect(web).toEqual({ name: 'web', description: 'the HTTP API', version: '2.0.1', startType: 'temporary' });
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export interface RunningApplication {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly startType: StartType;
}
