/**
 * Application: how a whole Node backend runs: its supervision tree, its env, and its start and
 * stop order, with OTP's rules.
 *
 * `start` needs every dependency running (`{ tag: 'not_started', name }` otherwise);
 * `ensureAllStarted` starts them first, depth first in the listed order, and says what it
 * started. `stop` runs prepStop, stops the tree and runs stop; it does not stop the applications
 * that depend on this one, as in OTP. When a top process exits on its own, prepStop and stop
 * still run; then a `'permanent'` application (or a `'transient'` one that exited abnormally)
 * stops every other application, most recent first, and exits the Node process with status 1.
 * Each runtime has its own set of applications.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { defaultRuntime, isValidName, Runtime } from '../process/index.js';
import { controllerOf, envVarName as envVarNameOf, type Controller } from './internal/controller.js';
import type { AppResult, ApplicationSpec, Env, RunningApplication, StartType } from './types.js';

/**
 * Which runtime's applications: the default runtime's when omitted.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const option: Application.RuntimeOption = { runtime: rt };
 * expect(Application.whichApplications(option)).toEqual([]);
 * ```
 */
export interface RuntimeOption {
  readonly runtime?: Runtime;
}

/**
 * Options of `load`: a config that overrides the spec's default env.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: Application.LoadOptions = { runtime: rt, config: { port: 9000 } };
 * Application.load({ name: 'web', env: { port: 8080 }, start: () => ({ type: 'ignore' }) }, options);
 * expect(Application.getEnv('web', 'port', { runtime: rt })).toBe(9000);
 * ```
 */
export interface LoadOptions extends RuntimeOption {
  readonly config?: Record<string, unknown>;
}

/**
 * Options of `start` and `ensureAllStarted`.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const options: Application.StartOptions = { runtime: rt, type: 'transient' };
 * await Application.start({ name: 'web', start: (master) => Supervisor.startLink(master, { children: [] }) }, options);
 * expect(Application.whichApplications({ runtime: rt })[0]?.startType).toBe('transient');
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export interface StartOptions extends LoadOptions {
  /** Default `'temporary'`. */
  readonly type?: StartType;
}

const START_TYPES: readonly StartType[] = ['temporary', 'transient', 'permanent'];

function checkSpec(operation: string, spec: unknown): ApplicationSpec<Env> {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError(operation, 'spec', spec, 'an application spec object');
  const s = spec as ApplicationSpec<Env>;
  if (!isValidName(s.name)) throw new InvalidArgumentError(operation, 'spec.name', s.name, 'a name');
  if (typeof s.start !== 'function') throw new InvalidArgumentError(operation, 'spec.start', s.start, 'a function (master, env) => start result');
  if (s.dependencies !== undefined && (!Array.isArray(s.dependencies) || !s.dependencies.every((d) => isValidName(d)))) {
    throw new InvalidArgumentError(operation, 'spec.dependencies', s.dependencies, 'an array of application names');
  }
  if (s.env !== undefined && (typeof s.env !== 'object' || s.env === null)) throw new InvalidArgumentError(operation, 'spec.env', s.env, 'an object');
  for (const f of ['prepStop', 'stop'] as const) {
    if (s[f] !== undefined && typeof s[f] !== 'function') throw new InvalidArgumentError(operation, `spec.${f}`, s[f], 'a function');
  }
  return s;
}

/** @internal The runtime `options` names, the default one when it names none; checked for `operation`. */
export function runtimeOf(operation: string, options: RuntimeOption | undefined): Runtime {
  if (options === undefined) return defaultRuntime();
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  const rt: unknown = options.runtime;
  if (rt === undefined) return defaultRuntime();
  if (!(rt instanceof Runtime)) throw new InvalidArgumentError(operation, 'options.runtime', rt, 'a Runtime');
  return rt;
}

/** The config of load options, checked. */
function configOf(operation: string, options: LoadOptions | undefined): Record<string, unknown> | undefined {
  const config: unknown = options?.config;
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    throw new InvalidArgumentError(operation, 'options.config', config, 'an object of env keys and values');
  }
  return config as Record<string, unknown> | undefined;
}

function keyOf(operation: string, key: unknown): string {
  if (typeof key !== 'string') throw new InvalidArgumentError(operation, 'key', key, 'a string');
  return key;
}

/** @internal The start type `options` names, `fallback` when it names none; checked for `operation`. */
export function startTypeOf(operation: string, options: { readonly type?: StartType } | undefined, fallback: StartType = 'temporary'): StartType {
  const type = options?.type ?? fallback;
  if (!START_TYPES.includes(type)) throw new InvalidArgumentError(operation, 'options.type', type, START_TYPES.join(' | '));
  return type;
}

/**
 * Loads an application: its spec and env (defaults, then `config`, then environment variables
 * `OTP_<APP>_<KEY>`). `{ tag: 'already_loaded' }` when loaded before.
 *
 * @throws {@link InvalidArgumentError} for a bad spec.
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app: Application.ApplicationSpec<{ k: number }> = { name: 'app1', env: { k: 1 }, start: () => ({ type: 'error', reason: 'unused' }) };
 * expect(Application.load(app, { runtime: rt })).toEqual({ type: 'ok' });
 * expect(Application.load(app, { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'already_loaded', name: 'app1' } });
 * expect(Application.getEnv(app, 'k', { runtime: rt })).toBe(1);
 * ```
 */
export function load<E extends Env>(spec: ApplicationSpec<E>, options?: LoadOptions): AppResult {
  const rt = runtimeOf('Application.load', options);
  return controllerOf(rt).load(checkSpec('Application.load', spec), configOf('Application.load', options));
}

/**
 * Starts a loaded application (loading it first when given its spec): its master process runs
 * `start`, and the application runs once that has returned its top process. Its dependencies must
 * be running (`{ tag: 'not_started', name }` names the first that is not; see
 * {@link ensureAllStarted}); a failed start is `{ tag: 'start_failed', name, reason }`. The start
 * type (default `'temporary'`) says what its top process's exit does to the rest.
 *
 * @throws {@link InvalidArgumentError} for a bad spec or start type.
 * @see {@link ensureAllStarted}
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app = (name: string, dependencies: string[] = []): Application.ApplicationSpec => ({
 *   name,
 *   dependencies,
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * });
 * expect(await Application.start(app('web', ['db']), { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'not_started', name: 'db' } });
 * expect(await Application.start(app('db'), { runtime: rt })).toEqual({ type: 'ok' });
 * expect(await Application.start('web', { runtime: rt })).toEqual({ type: 'ok' }); // loaded by the first call
 * expect(await Application.start('db', { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'already_started', name: 'db' } });
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export async function start<E extends Env>(app: string | ApplicationSpec<E>, options?: StartOptions): Promise<AppResult> {
  const c = controllerOf(runtimeOf('Application.start', options));
  const type = startTypeOf('Application.start', options);
  return c.start(loadedName(c, 'Application.start', app, configOf('Application.start', options)), type);
}

/** The application's name; given its spec, loaded first unless it is loaded already. */
function loadedName(c: Controller, operation: string, app: unknown, config: Record<string, unknown> | undefined): string {
  if (typeof app !== 'object' || app === null) return nameOf(operation, app);
  const spec = checkSpec(operation, app);
  if (!c.loaded.has(spec.name)) c.load(spec, config);
  return spec.name;
}

/** @internal Checks an application given by name or by spec, as `start` will. */
export function checkApp(operation: string, app: unknown): void {
  nameOf(operation, app);
}

/** The name of an application given by name or by spec; `argument` is what the caller calls it. */
function nameOf(operation: string, app: unknown, argument = 'app'): string {
  if (typeof app === 'object' && app !== null) return checkSpec(operation, app).name;
  if (!isValidName(app)) throw new InvalidArgumentError(operation, argument, app, 'an application name or spec');
  return app;
}

/**
 * Starts an application after its dependencies, depth first in the order they are listed,
 * loading it first when given its spec; resolves with the names it started (`[]` when all were
 * running). Dependencies must be loaded, or the result is `{ tag: 'not_loaded', name }`. When
 * one fails to start, the applications this call started are stopped again, the most recently
 * started first, and the result is that one's error, as OTP's `ensure_all_started`; those that
 * were running before the call keep running.
 *
 * @throws {@link InvalidArgumentError} for a bad spec or start type.
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app = (name: string, dependencies: string[] = []): Application.ApplicationSpec => ({
 *   name,
 *   dependencies,
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * });
 * for (const spec of [app('app1'), app('app2', ['app1']), app('app3', ['app2'])]) Application.load(spec, { runtime: rt });
 * expect(await Application.ensureAllStarted('app3', { runtime: rt })).toEqual({ type: 'ok', started: ['app1', 'app2', 'app3'] });
 * expect(await Application.ensureAllStarted('app3', { runtime: rt })).toEqual({ type: 'ok', started: [] });
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export async function ensureAllStarted<E extends Env>(
  app: string | ApplicationSpec<E>,
  options?: StartOptions,
): Promise<{ readonly type: 'ok'; readonly started: string[] } | Extract<AppResult, { type: 'error' }>> {
  const c = controllerOf(runtimeOf('Application.ensureAllStarted', options));
  const type = startTypeOf('Application.ensureAllStarted', options);
  const started: string[] = [];
  const visit = async (a: string | ApplicationSpec<Env>): Promise<AppResult> => {
    const name = loadedName(c, 'Application.ensureAllStarted', a, undefined);
    if (c.isRunning(name)) return { type: 'ok' };
    const loaded = c.loaded.get(name);
    if (loaded === undefined) return { type: 'error', reason: { tag: 'not_loaded', name } };
    for (const dep of loaded.spec.dependencies ?? []) {
      const r = await visit(dep);
      if (r.type === 'error') return r;
    }
    const r = await c.start(name, type);
    if (r.type === 'ok') started.push(name);
    return r;
  };
  const result = await visit(app as string | ApplicationSpec<Env>);
  if (result.type === 'ok') return { type: 'ok', started };
  // As OTP: what this call started is stopped again, the most recently started first.
  for (let i = started.length - 1; i >= 0; i--) await c.stop(started[i]!);
  return result;
}

/**
 * Stops a running application: prepStop, its tree (the top process gets `'shutdown'`), stop.
 * `{ tag: 'not_started' }` when it is not running. Applications that depend on it keep running.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const calls: string[] = [];
 * const app: Application.ApplicationSpec = {
 *   name: 'app1',
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 *   prepStop: (s) => { calls.push('prepStop'); return s; },
 *   stop: () => { calls.push('stop'); },
 * };
 * expect(await Application.start(app, { runtime: rt })).toEqual({ type: 'ok' });
 * expect(Application.whichApplications({ runtime: rt }).map((a) => a.name)).toEqual(['app1']);
 * expect(await Application.stop('app1', { runtime: rt })).toEqual({ type: 'ok' });
 * expect(calls).toEqual(['prepStop', 'stop']);
 * expect(await Application.stop('app1', { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'not_started', name: 'app1' } });
 * ```
 */
export function stop(name: string, options?: RuntimeOption): Promise<AppResult> {
  return controllerOf(runtimeOf('Application.stop', options)).stop(nameOf('Application.stop', name, 'name'));
}

/**
 * Stops every running application, the most recently started first (so each stops before those
 * it depends on), each as {@link stop} does. What `main` does on SIGTERM.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app = (name: string, dependencies: string[] = []): Application.ApplicationSpec => ({
 *   name,
 *   dependencies,
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * });
 * Application.load(app('db'), { runtime: rt });
 * await Application.ensureAllStarted(app('web', ['db']), { runtime: rt });
 * await Application.stopAll({ runtime: rt });
 * expect(Application.whichApplications({ runtime: rt })).toEqual([]);
 * ```
 */
export function stopAll(options?: RuntimeOption): Promise<void> {
  return controllerOf(runtimeOf('Application.stopAll', options)).stopAll();
}

/**
 * The running applications, the most recently started first, each with its description and
 * version (the name and `''` when the spec has none) and its start type.
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app = (name: string, dependencies: string[] = []): Application.ApplicationSpec => ({
 *   name,
 *   dependencies,
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * });
 * await Application.start(app('db'), { runtime: rt });
 * await Application.start({ ...app('web'), version: '1.2.0' }, { runtime: rt, type: 'permanent' });
 * expect(Application.whichApplications({ runtime: rt })).toEqual([
 *   { name: 'web', description: 'web', version: '1.2.0', startType: 'permanent' },
 *   { name: 'db', description: 'db', version: '', startType: 'temporary' },
 * ]);
 * await Application.stopAll({ runtime: rt });
 * ```
 */
export function whichApplications(options?: RuntimeOption): RunningApplication[] {
  return controllerOf(runtimeOf('Application.whichApplications', options)).which();
}

/**
 * Whether the application is loaded (running or not).
 *
 * @example
 * ```ts
 * import { Application, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app = (name: string, dependencies: string[] = []): Application.ApplicationSpec => ({
 *   name,
 *   dependencies,
 *   start: (master) => Supervisor.startLink(master, { children: [] }),
 * });
 * expect(Application.isLoaded('db', { runtime: rt })).toBe(false);
 * Application.load(app('db'), { runtime: rt });
 * expect(Application.isLoaded('db', { runtime: rt })).toBe(true);
 * ```
 */
export function isLoaded(name: string, options?: RuntimeOption): boolean {
  return controllerOf(runtimeOf('Application.isLoaded', options)).loaded.has(nameOf('Application.isLoaded', name, 'name'));
}

/**
 * The env keys of an application given as its spec; any string for one given by name.
 *
 * @example
 * ```ts
 * import type { Application } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * type Web = Application.ApplicationSpec<{ port: number; host: string }>;
 * expectTypeOf<Application.EnvKey<Web>>().toEqualTypeOf<'port' | 'host'>();
 * expectTypeOf<Application.EnvKey<'web'>>().toEqualTypeOf<string>();
 * ```
 */
export type EnvKey<A> = A extends ApplicationSpec<infer E> ? Extract<keyof E, string> : string;
/**
 * The type of env key `K` of an application given as its spec; `unknown` for one given by name.
 *
 * @example
 * ```ts
 * import type { Application } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * type Web = Application.ApplicationSpec<{ port: number }>;
 * expectTypeOf<Application.EnvValue<Web, 'port'>>().toEqualTypeOf<number>();
 * expectTypeOf<Application.EnvValue<'web', 'port'>>().toEqualTypeOf<unknown>();
 * ```
 */
export type EnvValue<A, K> = A extends ApplicationSpec<infer E> ? (K extends keyof E ? E[K] : unknown) : unknown;

/**
 * An env value: what `putEnv` set, else the environment variable `OTP_<APP>_<KEY>` (camelCase
 * split into words, upper-cased, other characters as `_`; JSON when it parses), else the load
 * config, else the spec's default,
 * else `fallback`. Typed by the spec's env when given the spec.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app: Application.ApplicationSpec<{ port: number }> = { name: 'web', env: { port: 8080 }, start: () => ({ type: 'error', reason: 'unused' }) };
 * Application.load(app, { runtime: rt, config: { port: 9000 } });
 * const port: number = Application.getEnv(app, 'port', { runtime: rt });
 * expect(port).toBe(9000);
 * Application.putEnv('web', 'port', 9001, { runtime: rt });
 * expect(Application.getEnv(app, 'port', { runtime: rt })).toBe(9001);
 * expect(Application.getEnv('web', 'missing', { runtime: rt, fallback: 'dflt' })).toBe('dflt');
 * expect(Application.envVarName('web', 'maxConns')).toBe('OTP_WEB_MAX_CONNS');
 * ```
 */
export function getEnv<A extends string | ApplicationSpec<Env>, K extends EnvKey<A>>(
  app: A,
  key: K,
  options?: RuntimeOption & { readonly fallback?: unknown },
): EnvValue<A, K> {
  const c = controllerOf(runtimeOf('Application.getEnv', options));
  const env = c.envOf(nameOf('Application.getEnv', app));
  keyOf('Application.getEnv', key);
  return (env !== undefined && env.has(key) ? env.get(key) : options?.fallback) as EnvValue<A, K>;
}

/**
 * Every env key and value of an application, sorted by key, each as {@link getEnv} would return
 * it; `{}` for an unknown one.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const app: Application.ApplicationSpec<{ port: number; host: string }> = { name: 'web', env: { port: 8080, host: 'localhost' }, start: () => ({ type: 'ignore' }) };
 * Application.load(app, { runtime: rt, config: { port: 9000 } });
 * expect(Application.getAllEnv('web', { runtime: rt })).toEqual({ host: 'localhost', port: 9000 });
 * expect(Application.getAllEnv('unknown', { runtime: rt })).toEqual({});
 * ```
 */
export function getAllEnv(app: string | ApplicationSpec<Env>, options?: RuntimeOption): Record<string, unknown> {
  const env = controllerOf(runtimeOf('Application.getAllEnv', options)).envOf(nameOf('Application.getAllEnv', app));
  return Object.fromEntries([...(env ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Sets an env value, over every other source (environment variables, the load config, the
 * spec's default). It also works for an application that is not loaded yet: the value applies
 * when it loads. Running processes see the new value at their next `getEnv`.
 *
 * @throws {@link InvalidArgumentError} when `app` is not an application name or `key` is not a string.
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Application.putEnv('web', 'port', 9001, { runtime: rt }); // before the load
 * Application.load({ name: 'web', env: { port: 8080 }, start: () => ({ type: 'ignore' }) }, { runtime: rt });
 * expect(Application.getEnv('web', 'port', { runtime: rt })).toBe(9001);
 * Application.putEnv('web', 'port', 9002, { runtime: rt });
 * expect(Application.getEnv('web', 'port', { runtime: rt })).toBe(9002);
 * ```
 */
export function putEnv(app: string, key: string, value: unknown, options?: RuntimeOption): void {
  const c = controllerOf(runtimeOf('Application.putEnv', options));
  const name = nameOf('Application.putEnv', app);
  c.envFor(name).set(keyOf('Application.putEnv', key), value);
}

/**
 * Removes an env value: `getEnv` then returns its fallback. The spec's default does not come
 * back, as in OTP, where `unset_env` removes the key whatever set it.
 *
 * @throws {@link InvalidArgumentError} when `app` is not an application name or `key` is not a string.
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Application.load({ name: 'web', env: { port: 8080 }, start: () => ({ type: 'ignore' }) }, { runtime: rt });
 * Application.unsetEnv('web', 'port', { runtime: rt });
 * expect(Application.getEnv('web', 'port', { runtime: rt, fallback: 'none' })).toBe('none');
 * ```
 */
export function unsetEnv(app: string, key: string, options?: RuntimeOption): void {
  const c = controllerOf(runtimeOf('Application.unsetEnv', options));
  const name = nameOf('Application.unsetEnv', app);
  const k = keyOf('Application.unsetEnv', key);
  c.envOf(name)?.delete(k);
}

/**
 * What to do when a permanent (or abnormally ended transient) application takes the Node process
 * down: by default `process.exit(code)`. Tests and embedders pass their own.
 *
 * @example
 * ```ts
 * import { Application, Runtime } from 'ts-otp';
 *
 * const rt = new Runtime();
 * const codes: number[] = [];
 * Application.onHalt((code) => codes.push(code), { runtime: rt });
 * ```
 */
export function onHalt(halt: (code: number) => void, options?: RuntimeOption): void {
  if (typeof halt !== 'function') throw new InvalidArgumentError('Application.onHalt', 'halt', halt, 'a function (code) => void');
  controllerOf(runtimeOf('Application.onHalt', options)).halt = halt;
}

/**
 * The environment variable that sets env key `key` of application `app`: `OTP_<APP>_<KEY>`,
 * camelCase split into words, upper-cased, other characters as `_`.
 *
 * @throws {@link InvalidArgumentError} when `app` is not an application name or `key` is not a string.
 * @example
 * ```ts
 * import { Application, InvalidArgumentError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(Application.envVarName('backend', 'flakyCrashAfterMs')).toBe('OTP_BACKEND_FLAKY_CRASH_AFTER_MS');
 * expect(Application.envVarName('web-api', 'max-conns')).toBe('OTP_WEB_API_MAX_CONNS');
 * expect(() => Application.envVarName(42 as never, 'port')).toThrow(InvalidArgumentError);
 * ```
 */
export function envVarName(app: string, key: string): string {
  if (!isValidName(app)) throw new InvalidArgumentError('Application.envVarName', 'app', app, 'an application name');
  return envVarNameOf(app, keyOf('Application.envVarName', key));
}
