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
 */
export type StartType = 'temporary' | 'transient' | 'permanent';

/** An application's env: its keys and their types (an interface or a type alias). */
export type Env = object;

/**
 * What an application's start callback returns: its top process (linked to the caller), and a
 * state for prepStop and stop. A supervisor's start result fits as it is; `ignore` counts as a
 * failed start.
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

/** Why an application did not load, start or stop, as OTP's `{error, Reason}`. */
export type ApplicationError =
  | { readonly tag: 'already_loaded'; readonly name: string }
  | { readonly tag: 'already_started'; readonly name: string }
  | { readonly tag: 'not_started'; readonly name: string }
  | { readonly tag: 'not_loaded'; readonly name: string }
  /** The start callback failed: OTP wraps its reason with the callback, `{R, {Mod, start, [Type, Args]}}`. */
  | { readonly tag: 'start_failed'; readonly name: string; readonly reason: unknown };

/** An outcome without a value. */
export type AppResult = { readonly type: 'ok' } | { readonly type: 'error'; readonly reason: ApplicationError };

/** A running application, as `whichApplications` lists it (the most recently started first). */
export interface RunningApplication {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly startType: StartType;
}
