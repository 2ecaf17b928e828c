/**
 * The application controller of one runtime: which applications are loaded and running, their
 * env, and what to do when one's top process exits.
 *
 * Each running application has a master process that runs its start callback (so the top process
 * is linked to the master), waits for a stop request or the top process's EXIT, and then runs
 * prepStop and stop. The controller itself is plain code: its tables are read and written only
 * from calls that finish before they yield, so no two operations see half of each other.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { loggableError } from '../../errors.js';
import { isExpectedExit, isPid, formatReason, type Context, type ExitMessage, type Pid, type Runtime } from '../../process/index.js';
import { onProcessExit } from '../../process/hooks.js';
import type { AppResult, AppStartResult, ApplicationError, ApplicationSpec, Env, RunningApplication, StartType } from '../types.js';

/**
 * The environment-variable name of an application's env key: `OTP_<APP>_<KEY>`, camelCase split
 * into words, upper-cased, other characters as `_` (`flakyCrashAfterMs` of `backend` is
 * `OTP_BACKEND_FLAKY_CRASH_AFTER_MS`).
 */
export function envVarName(app: string, key: string): string {
  const part = (s: string): string =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '_');
  return `OTP_${part(app)}_${part(key)}`;
}

/** An environment variable's value: JSON when it parses, else the string itself. */
function parseEnvValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

export class Loaded {
  constructor(
    readonly spec: ApplicationSpec<Env>,
    readonly env: Map<string, unknown>,
  ) {}
}

type StopRequest = { readonly type: '$app_stop'; readonly done: () => void };

class Running {
  /** The stop under way, which a second stop waits for. */
  stopping: Promise<AppResult> | undefined = undefined;
  constructor(
    readonly name: string,
    readonly master: Pid,
    readonly startType: StartType,
  ) {}
}

export class Controller {
  readonly loaded = new Map<string, Loaded>();
  /** Start order. */
  readonly running: Running[] = [];
  /** Env set for applications that are not loaded (OTP allows it). */
  readonly pendingEnv = new Map<string, Map<string, unknown>>();
  /** Stops asked of a master, by its pid, answered when it has stopped however it ends. */
  readonly #stopsAsked = new Map<Pid, () => void>();
  /** Names being started: `start` resolves only after the master has run the start callback. */
  readonly starting = new Set<string>();
  halt: (code: number) => void = (code) => globalThis.process.exit(code);
  /** Set while a halt is under way: nothing else starts. */
  halting = false;

  constructor(
    readonly rt: Runtime,
    readonly source: NodeJS.ProcessEnv,
  ) {}

  load(spec: ApplicationSpec<Env>, config: Record<string, unknown> | undefined): AppResult {
    if (this.loaded.has(spec.name)) return { type: 'error', reason: { tag: 'already_loaded', name: spec.name } };
    const env = new Map<string, unknown>(Object.entries(spec.env ?? {}));
    for (const [k, v] of Object.entries(config ?? {})) env.set(k, v);
    for (const key of env.keys()) {
      const raw = this.source[envVarName(spec.name, key)];
      if (raw !== undefined) env.set(key, parseEnvValue(raw));
    }
    for (const [k, v] of this.pendingEnv.get(spec.name) ?? []) env.set(k, v);
    this.pendingEnv.delete(spec.name);
    this.loaded.set(spec.name, new Loaded(spec, env));
    return { type: 'ok' };
  }

  isRunning(name: string): boolean {
    return this.running.some((r) => r.name === name);
  }

  envOf(name: string): Map<string, unknown> | undefined {
    return this.loaded.get(name)?.env ?? this.pendingEnv.get(name);
  }

  /** The env of `name`, made (pending its load) when there is none yet. */
  envFor(name: string): Map<string, unknown> {
    const env = this.envOf(name);
    if (env !== undefined) return env;
    const fresh = new Map<string, unknown>();
    this.pendingEnv.set(name, fresh);
    return fresh;
  }

  /** Starts one loaded application whose dependencies run. */
  async start(name: string, startType: StartType): Promise<AppResult> {
    const loaded = this.loaded.get(name);
    if (loaded === undefined) return { type: 'error', reason: { tag: 'not_loaded', name } };
    if (this.isRunning(name) || this.starting.has(name)) return { type: 'error', reason: { tag: 'already_started', name } };
    for (const dep of loaded.spec.dependencies ?? []) {
      if (!this.isRunning(dep)) return { type: 'error', reason: { tag: 'not_started', name: dep } };
    }
    this.starting.add(name);
    try {
      const error = await new Promise<ApplicationError | null>((ack) => {
        this.rt.spawn((ctx: Context) => this.#master(ctx, loaded, startType, ack));
      });
      return error === null ? { type: 'ok' } : { type: 'error', reason: error };
    } finally {
      this.starting.delete(name);
    }
  }

  /** The master: starts the tree, then waits for a stop request or the tree's exit. */
  async #master(ctx: Context, loaded: Loaded, startType: StartType, ack: (error: ApplicationError | null) => void): Promise<void> {
    const { spec } = loaded;
    ctx.trapExit(true);
    // A master killed from outside (killAll, an exit signal to it) ends its application: a start
    // still waiting fails, and the application no longer counts as running.
    onProcessExit(ctx, (reason) => {
      ack({ tag: 'start_failed', name: spec.name, reason });
      this.#forget(ctx.self);
      // A stop asked while the tree was dying on its own: the application has stopped all the same.
      this.#stopsAsked.get(ctx.self)?.();
      this.#stopsAsked.delete(ctx.self);
    });
    let result: AppStartResult;
    try {
      result = await spec.start(ctx, Object.fromEntries(loaded.env));
    } catch (error) {
      result = { type: 'error', reason: { tag: 'error', cause: error } };
    }
    const r = result as Partial<{ type: string; pid: unknown; reason: unknown }> | null;
    if (typeof r !== 'object' || r === null || r.type !== 'ok' || !isPid(r.pid)) {
      const reason = r?.type === 'error' ? r.reason : r?.type === 'ignore' ? 'ignore' : { tag: 'exit', value: { bad_return_value: result } };
      ack({ tag: 'start_failed', name: spec.name, reason });
      return;
    }
    if (result.type !== 'ok') return; // narrowed above
    const top = result.pid;
    let state = result.state;
    this.running.push(new Running(spec.name, ctx.self, startType));
    ack(null);
    for (;;) {
      const msg = (await ctx.receive()) as StopRequest | ExitMessage | unknown;
      const m = msg as Partial<StopRequest> & Partial<ExitMessage>;
      if (m.type === '$app_stop') {
        state = await this.#prepStop(spec, state);
        ctx.exit(top, 'shutdown');
        await ctx.receive((x) => (x as Partial<ExitMessage>).type === 'EXIT' && (x as ExitMessage).from === top);
        await this.#stop(spec, state);
        this.#forget(ctx.self);
        m.done!();
        return;
      }
      if (m.type === 'EXIT' && m.from === top) {
        state = await this.#prepStop(spec, state);
        await this.#stop(spec, state);
        this.#forget(ctx.self);
        await this.#exited(spec.name, startType, m.reason!);
        return;
      }
    }
  }

  async #prepStop(spec: ApplicationSpec<Env>, state: unknown): Promise<unknown> {
    if (spec.prepStop === undefined) return state;
    try {
      return await spec.prepStop(state);
    } catch (error) {
      this.rt.logger.error({ label: 'application.prep_stop_failed', application: spec.name, err: loggableError(error) }, `prepStop of ${spec.name} threw`);
      return state;
    }
  }

  async #stop(spec: ApplicationSpec<Env>, state: unknown): Promise<void> {
    if (spec.stop === undefined) return;
    try {
      await spec.stop(state);
    } catch (error) {
      this.rt.logger.error({ label: 'application.stop_failed', application: spec.name, err: loggableError(error) }, `stop of ${spec.name} threw`);
    }
  }

  /** The application of this master no longer runs. By master, not name: an application started again has a new one. */
  #forget(master: Pid): void {
    const i = this.running.findIndex((r) => r.master === master);
    if (i >= 0) this.running.splice(i, 1);
  }

  /** An application's tree exited on its own: report it, and for a permanent one (or a transient one, abnormally) stop everything and halt. */
  async #exited(name: string, startType: StartType, reason: ExitMessage['reason']): Promise<void> {
    const fatal = startType === 'permanent' || (startType === 'transient' && !isExpectedExit(reason));
    const level = fatal || !isExpectedExit(reason) ? 'error' : 'info';
    this.rt.logger[level]({ label: 'application.exited', application: name, reason: formatReason(reason), startType }, `application ${name} exited: ${formatReason(reason)}`);
    if (!fatal || this.halting) return;
    this.halting = true;
    await this.stopAll();
    this.rt.logger.fatal(
      { label: 'application.halt', application: name, reason: formatReason(reason) },
      `application ${name} (${startType}) terminated with ${formatReason(reason)}: stopping the Node process`,
    );
    this.halt(1);
  }

  /** Stops a running application: prepStop, the tree (its top process gets 'shutdown'), stop. */
  stop(name: string): Promise<AppResult> {
    const running = this.running.find((r) => r.name === name);
    if (running === undefined) return Promise.resolve({ type: 'error', reason: { tag: 'not_started', name } });
    // OTP (checked with escript): a second stop waits for the first, then finds nothing running.
    if (running.stopping !== undefined) return running.stopping.then(() => ({ type: 'error', reason: { tag: 'not_started', name } }));
    running.stopping = new Promise((resolve) => {
      const done = (): void => resolve({ type: 'ok' });
      this.#stopsAsked.set(running.master, done);
      const request: StopRequest = { type: '$app_stop', done };
      this.rt.send(running.master, request);
    });
    return running.stopping;
  }

  /** Stops every running application, the most recently started first. */
  async stopAll(): Promise<void> {
    for (let i = this.running.length - 1; i >= 0; i--) {
      const r = this.running[i];
      if (r !== undefined) await this.stop(r.name);
    }
  }

  which(): RunningApplication[] {
    return this.running
      .map((r) => {
        const spec = this.loaded.get(r.name)!.spec;
        return { name: r.name, description: spec.description ?? r.name, version: spec.version ?? '', startType: r.startType };
      })
      .reverse();
  }
}

const controllers = new WeakMap<Runtime, Controller>();

/** The controller of `rt`, made on first use. */
export function controllerOf(rt: Runtime): Controller {
  let c = controllers.get(rt);
  if (c === undefined) {
    c = new Controller(rt, globalThis.process.env);
    controllers.set(rt, c);
  }
  return c;
}
