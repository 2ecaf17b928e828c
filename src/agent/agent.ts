/**
 * Agent: a process that holds one state, read and changed by the functions its callers send.
 *
 * An agent is a GenServer (as Elixir's Agent is), so it has a GenServer's names, timeouts,
 * {@link CallError}s and supervision: `get`, `update` and `getAndUpdate` are calls, `cast` is a
 * cast, `stop` is `GenServer.stop`. The functions run in the agent's process, one at a time, in
 * the order they arrive. Whatever the init function returns is the state, even a value shaped
 * like a `Next.*` result. A function that throws ends the agent with `{ tag: 'error', cause }`,
 * and the call that sent it fails with that reason, as do calls waiting behind it; a call that
 * times out leaves the agent running (its function still runs, and the late reply is dropped).
 *
 * Where Node differs from Elixir: a function may be `async`; the agent then waits for it before
 * taking the next message (so a state cannot itself be a thenable). Every function also gets the
 * agent's process context as its last argument. Functions cannot be copied to another thread:
 * for an agent of another node (a worker thread), name the function by module path, the
 * module-function-args form, as a {@link FunctionSpec}; a function sent there rejects the call
 * with a {@link CloneError} (a cast throws it), sending nothing.
 *
 * @module
 */
import { InvalidArgumentError, NodeError, type CloneError } from '../errors.js';
import * as GenServer from '../gen_server/index.js';
import { Next } from '../gen_server/next.js';
import { name as nodeName } from '../node/index.js';
import { checkModuleExport, loadFunction } from '../node/internal/modules.js';
import type { Context, Runtime } from '../process/index.js';
import { worker } from '../supervisor/child_spec.js';
import type { ChildSpec, RestartType, Shutdown } from '../supervisor/index.js';

/**
 * A function named by module path, for an agent of any node (Elixir's `module, fun, args`):
 * `init` calls the export as `fn(...args)`, the others as `fn(state, ...args)`.
 *
 * @example
 * ```ts
 * import { Agent } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const spec: Agent.FunctionSpec = { module: '/srv/app/dist/counters.js', export: 'add', args: [1] };
 * expect(spec.args).toEqual([1]);
 * ```
 */
export interface FunctionSpec {
  /** An absolute path, a `file:` URL or a package specifier, loaded by the agent's node. */
  readonly module: string;
  /** The export to call; `'default'` by default. */
  readonly export?: string;
  /** Arguments after the state; copied like messages. */
  readonly args?: readonly unknown[];
}

/**
 * What the agent's process runs for `get`, `update` and `cast`: a function of the state (and
 * the agent's context), or a {@link FunctionSpec}.
 *
 * @example
 * ```ts
 * import { Agent } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * const double: Agent.AgentFunction<number, number> = (n) => n * 2;
 * expectTypeOf(double).toMatchTypeOf<Agent.AgentFunction<number, number>>();
 * ```
 */
export type AgentFunction<S, R> = ((state: S, ctx: Context) => R | PromiseLike<R>) | FunctionSpec;

/**
 * The GenServer protocol of an agent whose state is `S`: what makes an {@link AgentPid} a
 * `GenServer.ServerPid`, so `GenServer.getState(agent)` is typed too.
 *
 * @example
 * ```ts
 * import type { Agent, GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * expectTypeOf<GenServer.StateOf<Agent.AgentProtocol<string[]>>>().toEqualTypeOf<string[]>();
 * ```
 */
export interface AgentProtocol<S> {
  arg: ((ctx: Context) => S | PromiseLike<S>) | FunctionSpec;
  state: S;
  call:
    | { readonly type: 'get'; readonly fun: AgentFunction<S, unknown> }
    | { readonly type: 'update'; readonly fun: AgentFunction<S, S> }
    | { readonly type: 'get_and_update'; readonly fun: AgentFunction<S, readonly [unknown, S]> };
  reply: { get: unknown; update: undefined; get_and_update: unknown };
  cast: { readonly type: 'cast'; readonly fun: AgentFunction<S, S> };
}

/**
 * A running agent whose state is `S`, by pid: what `start` returns. It is a GenServer's pid.
 *
 * @example
 * ```ts
 * import { Agent, Runtime, type Pid } from 'ts-otp';
 * import { expect, expectTypeOf } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => 0, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const pid: Agent.AgentPid<number> = started.pid;
 * expectTypeOf(pid).toMatchTypeOf<Pid>();
 * expect(rt.isAlive(pid)).toBe(true);
 * rt.killAll();
 * ```
 */
export type AgentPid<S> = GenServer.ServerPid<AgentProtocol<S>>;

/**
 * An agent by pid or by name ({@link named}).
 *
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Agent.start(() => 'hi', { runtime: rt, name: 'greeting' });
 * const ref: Agent.AgentRef<string> = Agent.named<string>('greeting', rt);
 * expect(await Agent.get(ref, (s) => s.length)).toBe(2);
 * rt.killAll();
 * ```
 */
export type AgentRef<S> = GenServer.ServerRef<AgentProtocol<S>>;

/**
 * The outcome of `start` / `startLink`: `{ type: 'ok', pid }`, or `{ type: 'error', reason }`
 * (the init function threw, or exited, or the name was taken).
 *
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const failed: Agent.AgentStartResult<number> = await Agent.start<number>(() => { throw new Error('no config'); }, { runtime: rt });
 * expect(failed).toMatchObject({ type: 'error', reason: { tag: 'error', cause: { message: 'no config' } } });
 * ```
 */
export type AgentStartResult<S> = GenServer.StartResult<AgentProtocol<S>>;

/**
 * Options of {@link childSpec}: the child's id (`'Agent'` by default, as Elixir's), the agent's
 * registered name, and the child spec's restart and shutdown.
 *
 * @example
 * ```ts
 * import { Agent } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Agent.ChildSpecOptions = { id: 'sessions', name: 'sessions', restart: 'transient' };
 * expect(Agent.childSpec(() => new Map(), options)).toMatchObject({ id: 'sessions', restart: 'transient' });
 * ```
 */
export interface ChildSpecOptions {
  readonly id?: string;
  readonly name?: string;
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
}

// ---- the agent's server ------------------------------------------------------------------

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A {@link FunctionSpec} run in the agent: loaded (Node caches the module), then applied. */
async function applySpec(ctx: Context, spec: FunctionSpec, before: readonly unknown[]): Promise<unknown> {
  const exportName = spec.export ?? 'default';
  const loaded = await loadFunction(spec.module, exportName);
  if ('reason' in loaded) throw new NodeError('Agent', nodeOf(ctx.runtime), loaded.reason, loaded.detail);
  return loaded.fn(...before, ...(spec.args ?? []));
}

function nodeOf(rt: Runtime): string {
  try {
    return nodeName(rt);
  } catch {
    return 'nonode@nohost'; // not a node: Erlang's name for a node that is not distributed
  }
}

/** Runs a request's function on the state: directly for a function, through its module for a spec. */
function apply(fun: AgentFunction<unknown, unknown>, state: unknown, ctx: Context): unknown {
  return typeof fun === 'function' ? fun(state, ctx) : applySpec(ctx, fun, [state]);
}

/** The result of getAndUpdate's function, which must be a `[reply, state]` pair (Elixir's `{reply, state}`). */
function replyAndState(result: unknown, state: unknown): GenServer.CallResult<unknown, unknown> {
  if (Array.isArray(result) && result.length === 2) return Next.reply(result[0], result[1]);
  return Next.stop({ bad_return_value: result }, state);
}

const getAndUpdateResult = (state: unknown) => (result: unknown) => replyAndState(result, state);

/**
 * The GenServer behind every agent. Handlers return plain results unless the function is async,
 * so a synchronous function costs the agent no promise.
 */
const server: GenServer.Behaviour<AgentProtocol<unknown>> = {
  init: (init, ctx) => {
    const state = typeof init === 'function' ? init(ctx) : applySpec(ctx, init, []);
    return isThenable(state) ? state.then((s) => Next.ok(s)) : Next.ok(state);
  },
  handleCall: {
    get: ({ fun }, _from, state, ctx) => {
      const reply = apply(fun, state, ctx);
      return isThenable(reply) ? reply.then((r) => Next.reply(r, state)) : Next.reply(reply, state);
    },
    update: ({ fun }, _from, state, ctx) => {
      const next = apply(fun, state, ctx);
      return isThenable(next) ? next.then((s) => Next.reply(undefined, s)) : Next.reply(undefined, next);
    },
    get_and_update: ({ fun }, _from, state, ctx) => {
      const result = apply(fun, state, ctx);
      return isThenable(result) ? result.then(getAndUpdateResult(state)) : replyAndState(result, state);
    },
  },
  handleCast: {
    cast: ({ fun }, state, ctx) => {
      const next = apply(fun, state, ctx);
      return isThenable(next) ? next.then((s) => Next.noreply(s)) : Next.noreply(next);
    },
  },
};

// ---- checks ------------------------------------------------------------------------------

function checkFunction(operation: string, argument: string, fun: unknown, expected: string): void {
  if (typeof fun === 'function') return;
  if (typeof fun !== 'object' || fun === null) throw new InvalidArgumentError(operation, argument, fun, expected);
  const spec = fun as FunctionSpec;
  checkModuleExport(operation, argument, spec.module, spec.export ?? 'default');
  if (spec.args !== undefined && !Array.isArray(spec.args)) throw new InvalidArgumentError(operation, `${argument}.args`, spec.args, 'an array of arguments');
}

const FUN = 'a function (state) => value, or a FunctionSpec { module, export, args }';

/**
 * A GenServer operation's bad-input error as the Agent operation's: it names that operation and
 * calls the server `agent`, as the user wrote it. Other errors pass unchanged.
 */
function relabeled(operation: string, error: unknown): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  return new InvalidArgumentError(operation, error.argument === 'server' ? 'agent' : error.argument, error.value, error.expected);
}

// ---- the API -----------------------------------------------------------------------------

/**
 * Starts an agent, not linked to anyone, whose state is what `init` returns (awaited when it is a
 * promise). `init` runs in the new process, which is registered first when `options.name` is
 * given; a taken name returns `{ type: 'error', reason: { tag: 'already_started', pid } }`
 * without running it. An `init` that throws or calls `ctx.exit(reason)` returns that reason and
 * leaves no agent. `options.timeout` bounds init, as for a GenServer.
 *
 * @throws {@link InvalidArgumentError} for an init that is neither a function nor a
 * {@link FunctionSpec}, or bad options.
 * @see {@link startLink}
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => ['a'], { runtime: rt, name: 'list' });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Agent.get(started.pid, (items) => items.length)).toBe(1);
 * expect(await Agent.start(() => [], { runtime: rt, name: 'list' })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: started.pid } });
 * expect(() => Agent.start(42 as never)).toThrow("Agent.start: argument 'init' must be");
 * rt.killAll();
 * ```
 */
export function start<S>(init: ((ctx: Context) => S | PromiseLike<S>) | FunctionSpec, options?: GenServer.StartOptions): Promise<AgentStartResult<S>> {
  checkFunction('Agent.start', 'init', init, 'a function () => state, or a FunctionSpec { module, export, args }');
  try {
    return GenServer.start(server as GenServer.Behaviour<AgentProtocol<S>>, init, options);
  } catch (error) {
    throw relabeled('Agent.start', error);
  }
}

/**
 * Starts an agent linked to the calling process `parent`, as {@link start} does. When init
 * fails, the start returns the reason and `parent` also gets the exit signal, as in Elixir.
 *
 * @throws {@link InvalidArgumentError} for a bad context, init or options.
 * @example
 * ```ts
 * import { Agent, Runtime, type ExitMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const seen = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const result = await Agent.startLink(ctx, (agent) => agent.exit('bad_config'));
 *   return { result, exit: ((await ctx.receive()) as ExitMessage).reason };
 * });
 * expect(seen).toEqual({ result: { type: 'error', reason: { tag: 'exit', value: 'bad_config' } }, exit: { tag: 'exit', value: 'bad_config' } });
 * ```
 */
export function startLink<S>(
  parent: Context,
  init: ((ctx: Context) => S | PromiseLike<S>) | FunctionSpec,
  options?: Omit<GenServer.StartOptions, 'runtime'>,
): Promise<AgentStartResult<S>> {
  checkFunction('Agent.startLink', 'init', init, 'a function () => state, or a FunctionSpec { module, export, args }');
  try {
    return GenServer.startLink(parent, server as GenServer.Behaviour<AgentProtocol<S>>, init, options);
  } catch (error) {
    throw relabeled('Agent.startLink', error);
  }
}

/**
 * Resolves with `fun(state)`, run in the agent; the state is unchanged.
 *
 * The third argument is the timeout (5000 ms by default, or `'infinity'`) or
 * `GenServer.CallOptions`. Rejects with a {@link CallError}: `'noproc'` when no agent is there,
 * `'timeout'`, or the agent's exit reason when it exits first (`fun` throwing is one way).
 *
 * @throws {@link InvalidArgumentError} for a `fun` that is neither a function nor a
 * {@link FunctionSpec}, a bad agent or timeout.
 * @example
 * ```ts
 * import { Agent, CallError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => ({ hits: 3 }), { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await Agent.get(started.pid, (s) => s.hits * 2)).toBe(6);
 * const crashed = await Agent.get(started.pid, () => { throw new Error('oops'); }).catch((e: CallError) => e.reason);
 * expect(crashed).toMatchObject({ tag: 'error', cause: { message: 'oops' } }); // and the agent is gone
 * expect(rt.isAlive(started.pid)).toBe(false);
 * ```
 */
export function get<S, R>(agent: AgentRef<S>, fun: ((state: S, ctx: Context) => R | PromiseLike<R>) | FunctionSpec, timeout?: GenServer.CallTimeout | GenServer.CallOptions): Promise<R> {
  checkFunction('Agent.get', 'fun', fun, FUN);
  try {
    return GenServer.call(agent, { type: 'get', fun }, timeout) as Promise<R>;
  } catch (error) {
    throw relabeled('Agent.get', error);
  }
}

/**
 * Replaces the state with `fun(state)`, run in the agent; resolves once it has. Fails as
 * {@link get} does.
 *
 * @throws {@link InvalidArgumentError} as {@link get}.
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => 1, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await Agent.update(started.pid, (n) => n + 1);
 * await Agent.update(started.pid, async (n) => n * 10); // the agent waits for it
 * expect(await Agent.get(started.pid, (n) => n)).toBe(20);
 * rt.killAll();
 * ```
 */
export function update<S>(agent: AgentRef<S>, fun: ((state: S, ctx: Context) => S | PromiseLike<S>) | FunctionSpec, timeout?: GenServer.CallTimeout | GenServer.CallOptions): Promise<void> {
  checkFunction('Agent.update', 'fun', fun, FUN);
  try {
    return GenServer.call(agent, { type: 'update', fun }, timeout);
  } catch (error) {
    throw relabeled('Agent.update', error);
  }
}

/**
 * Runs `fun(state)`, which returns `[reply, newState]`: the state becomes `newState` and the call
 * resolves with `reply`. Any other result stops the agent with
 * `{ tag: 'exit', value: { bad_return_value: result } }`, and the call fails with that reason.
 * Otherwise fails as {@link get} does.
 *
 * @throws {@link InvalidArgumentError} as {@link get}.
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => ['job1', 'job2'], { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const next = await Agent.getAndUpdate(started.pid, ([first, ...rest]) => [first, rest]);
 * expect(next).toBe('job1');
 * expect(await Agent.get(started.pid, (jobs) => jobs)).toEqual(['job2']);
 * rt.killAll();
 * ```
 */
export function getAndUpdate<S, R>(
  agent: AgentRef<S>,
  fun: ((state: S, ctx: Context) => readonly [R, S] | PromiseLike<readonly [R, S]>) | FunctionSpec,
  timeout?: GenServer.CallTimeout | GenServer.CallOptions,
): Promise<R> {
  checkFunction('Agent.getAndUpdate', 'fun', fun, FUN);
  try {
    return GenServer.call(agent, { type: 'get_and_update', fun }, timeout) as Promise<R>;
  } catch (error) {
    throw relabeled('Agent.getAndUpdate', error);
  }
}

/**
 * Replaces the state with `fun(state)` in the agent and returns at once, without waiting for it
 * to run. Never fails, even when no agent is there, as in Elixir. A `fun` that throws ends the
 * agent.
 *
 * @throws {@link InvalidArgumentError} for a bad `fun` or agent; {@link CloneError} for a
 * function sent to an agent of another thread (nothing is sent).
 * @example
 * ```ts
 * import { Agent, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => 0, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(Agent.cast(started.pid, (n) => n + 1)).toBeUndefined();
 * expect(await Agent.get(started.pid, (n) => n)).toBe(1); // after the cast: one at a time, in order
 * rt.killAll();
 * ```
 */
export function cast<S>(agent: AgentRef<S>, fun: ((state: S, ctx: Context) => S | PromiseLike<S>) | FunctionSpec): void {
  checkFunction('Agent.cast', 'fun', fun, FUN);
  try {
    GenServer.cast(agent, { type: 'cast', fun });
  } catch (error) {
    throw relabeled('Agent.cast', error);
  }
}

/**
 * Stops the agent with `reason` (default `'normal'`) and resolves once it has exited with it.
 * Rejects with a {@link StopError}: `'noproc'` when no agent is there, `'timeout'` when it has not
 * stopped within `timeout` (default `'infinity'`; the agent still stops when it gets to it).
 *
 * @throws {@link InvalidArgumentError} for a bad agent or timeout.
 * @example
 * ```ts
 * import { Agent, Runtime, type DownMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await Agent.start(() => 0, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const down = rt.run(async (ctx) => (ctx.monitor(started.pid), (await ctx.receive()) as DownMessage));
 * await Agent.stop(started.pid, 'shutdown');
 * expect((await down).reason).toBe('shutdown');
 * await expect(Agent.stop(started.pid)).rejects.toMatchObject({ reason: 'noproc' });
 * ```
 */
export function stop<S>(agent: AgentRef<S>, reason: unknown = 'normal', timeout: GenServer.CallTimeout = 'infinity'): Promise<void> {
  try {
    return GenServer.stop(agent, reason, timeout);
  } catch (error) {
    throw relabeled('Agent.stop', error);
  }
}

/**
 * A reference to the agent registered as `name` in `runtime` (`undefined`: the default runtime),
 * looked up at each use. Give the state type: `Agent.named<number>('counter', rt)`.
 *
 * @throws {@link InvalidArgumentError} for a name that cannot be registered or a runtime that is not one.
 * @example
 * ```ts
 * import { Agent, CallError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Agent.start(() => 5, { runtime: rt, name: 'counter' });
 * expect(await Agent.get(Agent.named<number>('counter', rt), (n) => n + 1)).toBe(6);
 * const missing = await Agent.get(Agent.named<number>('nobody', rt), (n) => n).catch((e: CallError) => e.reason);
 * expect(missing).toBe('noproc');
 * rt.killAll();
 * ```
 */
export function named<S>(name: string, runtime: Runtime | undefined): GenServer.ServerName<AgentProtocol<S>> {
  try {
    return GenServer.named<AgentProtocol<S>>(name, runtime);
  } catch (error) {
    throw relabeled('Agent.named', error);
  }
}

/**
 * A child spec that starts the agent with {@link startLink} under a supervisor, as Elixir's
 * `Agent.child_spec/1`: id `'Agent'` unless given, registered as `options.name` if given.
 *
 * @throws {@link InvalidArgumentError} for a bad init or options.
 * @example
 * ```ts
 * import { Agent, Runtime, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const sup = await Supervisor.start({ children: [Agent.childSpec(() => 0, { id: 'hits', name: 'hits' })] }, { runtime: rt });
 * if (sup.type !== 'ok') throw new Error('no start');
 * await Agent.update(Agent.named<number>('hits', rt), (n) => n + 1);
 * expect(await Agent.get(Agent.named<number>('hits', rt), (n) => n)).toBe(1);
 * await Supervisor.stop(sup.pid);
 * ```
 */
export function childSpec<S>(init: ((ctx: Context) => S | PromiseLike<S>) | FunctionSpec, options: ChildSpecOptions = {}): ChildSpec {
  checkFunction('Agent.childSpec', 'init', init, 'a function () => state, or a FunctionSpec { module, export, args }');
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('Agent.childSpec', 'options', options, 'an object { id?, name?, restart?, shutdown? }');
  const { id = 'Agent', ...rest } = options;
  if (typeof id !== 'string' || id === '') throw new InvalidArgumentError('Agent.childSpec', 'options.id', id, 'a non-empty string');
  return worker(id, server as GenServer.Behaviour<AgentProtocol<S>>, init, rest);
}
