/**
 * Global names: names that hold across every connected node, Erlang's `global`.
 *
 * See the module documentation in ./index.ts for the design.
 *
 * @module
 */
import { InvalidArgumentError, NoProcError } from '../errors.js';
import { nodeOfPid } from '../node/node.js'; // internal to the package: not in Node's surface
import { defaultRuntime, isPid, isValidName, type Context, type Pid, type Runtime, type Via, type ViaModule } from '../process/index.js';
import { lookupServer, serverOf, type NameServer, type ResolveFunction } from './internal/server.js';

export type { NameConflictMessage, ResolveFunction } from './internal/server.js';

/**
 * How a clash of one name between two pids is settled when two parts of a cluster meet (Erlang's
 * `register_name/3` Resolve): a built-in method by its Erlang name, or your function.
 *
 * - `'random_exit_name'` (the default): the pid on the node with the smaller name keeps the name;
 *   the other is killed (`exit(pid, 'kill')`) and an info line is logged. Despite the name it is
 *   not random: Erlang's is not either.
 * - `'random_notify_name'`: the same pid keeps the name; the other gets a
 *   {@link NameConflictMessage} `{ type: 'global_name_conflict', name }` and keeps running.
 * - `'notify_all_name'`: nobody keeps it; both get `{ type: 'global_name_conflict', name, other }`.
 * - a function `(name, pid1, pid2) => pid1 | pid2 | undefined`, with `pid1` the other side's
 *   process and `pid2` the settling node's; returning anything else drops the name. It stays on
 *   the node that registered with it, which the settling node asks to run it (see the module
 *   documentation).
 *
 * @example
 * ```ts
 * import { Global } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const keepFirst: Global.ResolveMethod = (_name, pid1) => pid1;
 * const methods: Global.ResolveMethod[] = ['random_exit_name', 'random_notify_name', 'notify_all_name', keepFirst];
 * expect(methods).toHaveLength(4);
 * ```
 */
export type ResolveMethod = 'random_exit_name' | 'random_notify_name' | 'notify_all_name' | ResolveFunction;

/**
 * Options of {@link register}.
 *
 * @example
 * ```ts
 * import { Global } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Global.RegisterOptions = { resolve: 'notify_all_name' };
 * expect(options.resolve).toBe('notify_all_name');
 * ```
 */
export interface RegisterOptions {
  /** How a clash of this name after a partition heals is settled; `'random_exit_name'` by default. */
  readonly resolve?: ResolveMethod;
}

const METHODS: readonly string[] = ['random_exit_name', 'random_notify_name', 'notify_all_name'];

/** The runtime of a context or a runtime, checked. */
function runtimeOf(operation: string, where: unknown): Runtime {
  if (typeof where === 'object' && where !== null) {
    if ('kernel' in where) return where as Runtime;
    const rt = (where as { runtime?: unknown }).runtime;
    if (typeof rt === 'object' && rt !== null && 'kernel' in rt) return rt as Runtime;
  }
  throw new InvalidArgumentError(operation, 'runtime', where, 'a Runtime or a process context');
}

function checkName(operation: string, name: unknown): string {
  if (!isValidName(name)) throw new InvalidArgumentError(operation, 'name', name, "a non-empty string that is not a pid, a ref or 'undefined'");
  return name;
}

/**
 * Registers `pid` under `name` on every connected node (Erlang's `global:register_name/2,3`,
 * Elixir's `:global.register_name/2,3`). Resolves `true` once every node has it, or `false` when
 * the name is taken or the process already has a global name (Erlang's `yes` / `no`).
 *
 * Two nodes registering one name at once never both win: each registration first reserves the
 * name on every node; a node that finds it reserved by another registration says so, and the
 * loser gives its reservations back and tries again after a short random pause.
 *
 * @throws {@link InvalidArgumentError} for a bad name, pid or `options.resolve`;
 * {@link NodeError} `'not_a_node'` for a runtime that is not a node.
 * @example
 * ```ts
 * import { Global, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const worker = a.spawn((ctx) => ctx.receive());
 * expect(await Global.register(a, 'worker', worker)).toBe(true);
 * expect(await Global.register(b, 'worker', b.spawn((ctx) => ctx.receive()))).toBe(false); // taken
 * expect(Global.whereis(b, 'worker')).toBeDefined(); // b's number for a's process
 * await Node.stop(a);
 * await Node.stop(b);
 * a.killAll();
 * b.killAll();
 * ```
 */
export function register(where: Context | Runtime, name: string, pid: Pid, options: RegisterOptions = {}): Promise<boolean> {
  const operation = 'Global.register';
  const rt = runtimeOf(operation, where);
  const server = serverOf(operation, rt);
  checkName(operation, name);
  if (!isPid(pid) || nodeOfPid(rt, pid) === undefined) throw new InvalidArgumentError(operation, 'pid', pid, `a pid of node ${server.node} or of a node it is connected to`);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object { resolve? }');
  const resolve = options.resolve ?? 'random_exit_name';
  if (typeof resolve !== 'function' && !METHODS.includes(resolve)) {
    throw new InvalidArgumentError(operation, 'options.resolve', resolve, "'random_exit_name', 'random_notify_name', 'notify_all_name' or a function (name, pid1, pid2) => pid");
  }
  return server.request<boolean>(
    (done) => (typeof resolve === 'function' ? { g: 'register', name, pid, method: 'custom', resolve, done } : { g: 'register', name, pid, method: resolve, resolve: undefined, done }),
    false,
  );
}

/**
 * Removes `name` on every connected node (Erlang's `global:unregister_name/1`); resolves once
 * they all have. Nothing happens when nobody holds it.
 *
 * @throws {@link InvalidArgumentError} for a bad name; {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Global, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * const pid = rt.spawn((ctx) => ctx.receive());
 * await Global.register(rt, 'cache', pid);
 * await Global.unregister(rt, 'cache');
 * expect(Global.whereis(rt, 'cache')).toBeUndefined();
 * await Node.stop(rt);
 * rt.killAll();
 * ```
 */
export function unregister(where: Context | Runtime, name: string): Promise<void> {
  const operation = 'Global.unregister';
  const server = serverOf(operation, runtimeOf(operation, where));
  checkName(operation, name);
  return server.request<void>((done) => ({ g: 'unregister_local', name, done: () => done() }), undefined);
}

/**
 * The pid registered under `name`, from this node's copy of the table, with no message
 * (Erlang's `global:whereis_name/1`); undefined when nobody holds it.
 *
 * @throws {@link InvalidArgumentError} for a bad name; {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Global, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * expect(Global.whereis(rt, 'nobody')).toBeUndefined();
 * await Node.stop(rt);
 * ```
 */
export function whereis(where: Context | Runtime, name: string): Pid | undefined {
  const operation = 'Global.whereis';
  const pid = lookupServer(where, () => serverOf(operation, runtimeOf(operation, where))).whereis(name);
  if (pid === undefined) checkName(operation, name); // a bad name is never in the table: checked on a miss only
  return pid;
}

/**
 * Resolves once this node's name server and every connected node's have dealt with what they
 * sent each other before the call: the tables exchanged when nodes connect, and the outcome of
 * each clash (Erlang's `global:sync/0`). Use it after a connection to read a settled table.
 *
 * @throws {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Global, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Global.register(a, 'early', a.spawn((ctx) => ctx.receive()));
 * await Node.connect(a, b); // b learns a's names in the exchange that follows
 * await Global.sync(b);
 * expect(Global.registeredNames(b)).toEqual(['early']);
 * await Node.stop(a);
 * await Node.stop(b);
 * a.killAll();
 * ```
 */
export function sync(where: Context | Runtime): Promise<void> {
  const server = serverOf('Global.sync', runtimeOf('Global.sync', where));
  return server.request<void>((done) => ({ g: 'sync', done: () => done() }), undefined);
}

/**
 * The names registered in the cluster, as this node knows them (Erlang's `global:registered_names/0`).
 *
 * @throws {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Global, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * await Global.register(rt, 'db', rt.spawn((ctx) => ctx.receive()));
 * expect(Global.registeredNames(rt)).toEqual(['db']);
 * await Node.stop(rt);
 * rt.killAll();
 * ```
 */
export function registeredNames(where: Context | Runtime): string[] {
  return [...serverOf('Global.registeredNames', runtimeOf('Global.registeredNames', where)).table.keys()];
}

/**
 * Sends `msg` to the process registered under `name` and returns its pid (Erlang's
 * `global:send/2`). Sent as `ctx` when given a context, else from plain code.
 *
 * @throws {@link NoProcError} when nobody holds the name (Erlang exits `{badarg, {Name, Msg}}`);
 * {@link InvalidArgumentError}; {@link NodeError} `'not_a_node'`; {@link CloneError} for a message another node cannot receive.
 * @example
 * ```ts
 * import { Global, Node, NoProcError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * const echo = rt.spawn(async (ctx) => {
 *   const { from, text } = (await ctx.receive()) as { from: string; text: string };
 *   ctx.send(from, text);
 * });
 * await Global.register(rt, 'echo', echo);
 * const answer = await rt.run(async (ctx) => {
 *   expect(Global.send(ctx, 'echo', { from: ctx.self, text: 'hi' })).toBe(echo);
 *   return ctx.receive();
 * });
 * expect(answer).toBe('hi');
 * expect(() => Global.send(rt, 'nobody', 'hello')).toThrow(NoProcError);
 * await Node.stop(rt);
 * ```
 */
export function send(where: Context | Runtime, name: string, msg: unknown): Pid {
  const operation = 'Global.send';
  const rt = runtimeOf(operation, where);
  const pid = lookupServer(where, () => serverOf(operation, rt)).whereis(name);
  if (pid === undefined) throw new NoProcError(operation, checkName(operation, name));
  if (where === rt) rt.send(pid, msg);
  else (where as Context).send(pid, msg);
  return pid;
}

const modules = new WeakMap<NameServer, ViaModule<string>>();

/** The via module of one node's table: lookups read it, registrations go through its server. */
function moduleOf(rt: Runtime, server: NameServer): ViaModule<string> {
  let module = modules.get(server);
  if (module === undefined) {
    module = {
      whereisName: (name) => lookupServer(rt, () => serverOf('Global.whereis', rt)).whereis(name),
      registerName: (name, pid) => register(rt, name, pid),
      unregisterName: (name) => void unregister(rt, name),
    };
    modules.set(server, module);
  }
  return module;
}

/**
 * A via name for `name` in the global table of the node `rt` (the default runtime when
 * omitted): Erlang's `{global, Name}` (`{via, global, Name}`), Elixir's `{:global, name}`.
 * GenServer start/call/cast, supervisors' child names, send, whereis and monitor take it.
 *
 * @throws {@link InvalidArgumentError} for a bad name; {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { GenServer, Global, Next, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter { state: number; call: { readonly type: 'next' }; reply: { next: number } }
 * const counter: GenServer.Behaviour<Counter> = {
 *   init: () => Next.ok(0),
 *   handleCall: { next: (_req, _from, n) => Next.reply(n + 1, n + 1) },
 * };
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * await GenServer.start(counter, undefined, { runtime: a, name: Global.via('counter', a) });
 * // From the other node, by the same name:
 * expect(await GenServer.call(GenServer.named<Counter>(Global.via('counter', b)), { type: 'next' })).toBe(1);
 * await Node.stop(a);
 * await Node.stop(b);
 * a.killAll();
 * ```
 */
export function via(name: string, rt?: Runtime): Via<string> {
  const runtime = rt ?? defaultRuntime();
  checkName('Global.via', name);
  return { via: moduleOf(runtime, serverOf('Global.via', runtime)), name };
}
