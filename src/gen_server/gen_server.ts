/**
 * GenServer: a process that owns state and answers calls, casts and plain messages, one at a time.
 *
 * `start` and `startLink` return once init has answered, or once the server has exited before it
 * did (killed, even before its first step), with that reason, as OTP's proc_lib. `call` works from a process and from
 * plain Node code alike (an HTTP handler awaits it): it fails with a {@link CallError} when no
 * process is there (`'noproc'`, at once), the server exits before replying (with its reason) or
 * does not reply within the timeout (5000 ms by default; a late reply is dropped). A live process
 * that is not a GenServer gets the request in its mailbox, as Erlang's `{'$gen_call', From, Req}`,
 * and may answer it with `reply`. A process that does not catch that error exits with Erlang's
 * `{Reason, {gen_server, call, Args}}` shape.
 * A server of another node is called with Erlang's `{ type: '$gen_call', from, request }` message,
 * `from` being the caller runtime's reply inbox and the call's tag, and answers with a message back; the call fails
 * with the server's exit reason, or `'noconnection'` when its node is lost. The request and the
 * reply cross by structured clone: a request that cannot rejects with a CloneError, sending nothing.
 * `cast` never fails. Where Node differs from Erlang: a caller's reply does not pass through its
 * mailbox (it resolves the promise the caller awaits), so a call never leaves a stray message,
 * and a process killed while it awaits a call simply never resumes.
 *
 * @module
 */
import { CallError, InvalidArgumentError, StopError } from '../errors.js';
import { defaultRuntime, isPid, isValidName, isVia, runtimeOf, type Context, type Pid, type Runtime, toExitReason, type Via } from '../process/index.js';
import { isRemoteName, type RemoteName } from '../process/pid.js';
import { checkSpawnOptions, hasExited, isRemote, namedProcessData, nodeName, onPidExit, processData, registeredName, takeMatching } from '../process/hooks.js';
import { answer, CALL, callProcess, callRemote, GET_STATE, isExitFrom, isRemoteFrom, Pending, REPLACE_STATE, replyRemote, Server, STOP, type SystemKind } from './internal/server.js';
import type {
  ArgOf,
  Behaviour,
  CallOf,
  CallOptions,
  GenCastMessage,
  CastOf,
  From,
  Protocol,
  ProtocolRequired,
  ReplyOf,
  ServerName,
  ServerRef,
  ServerStatistics,
  StartOptions,
  StartResult,
  StateOf,
} from './types.js';

/**
 * A call's timeout: milliseconds, or `'infinity'`.
 *
 * @example
 * ```ts
 * import { GenServer } from 'ts-otp';
 * import { expectTypeOf } from 'vitest';
 *
 * const patient: GenServer.CallTimeout = 'infinity';
 * expectTypeOf(patient).toEqualTypeOf<GenServer.CallTimeout>();
 * expectTypeOf<number>().toMatchTypeOf<GenServer.CallTimeout>();
 * ```
 */
export type CallTimeout = number | 'infinity';

function checkTimeout(operation: string, argument: string, value: unknown): void {
  // A call waits in a receive: Erlang's limit for it holds (beyond it, gen:call raises timeout_value).
  if (value === 'infinity' || (typeof value === 'number' && value >= 0 && value <= 4294967295)) return;
  throw new InvalidArgumentError(operation, argument, value, "a number of milliseconds from 0 to 4294967295 (Erlang's limit), or 'infinity'");
}

function checkBehaviour(operation: string, behaviour: unknown): void {
  if (typeof behaviour !== 'object' || behaviour === null || typeof (behaviour as { init?: unknown }).init !== 'function') {
    throw new InvalidArgumentError(operation, 'behaviour', behaviour, 'an object with an init function');
  }
  for (const key of ['handleCall', 'handleCast'] as const) {
    const handlers = (behaviour as Record<string, unknown>)[key];
    if (handlers !== undefined && (typeof handlers !== 'object' || handlers === null)) {
      throw new InvalidArgumentError(operation, `behaviour.${key}`, handlers, 'an object of handlers by message type');
    }
  }
}

function checkOptions(operation: string, options: unknown): StartOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(operation, 'options', options, 'an object');
  const o = options as StartOptions;
  if (o.name !== undefined && !isValidName(o.name) && !isVia(o.name)) throw new InvalidArgumentError(operation, 'options.name', o.name, 'a registered name or a via name');
  if (o.timeout !== undefined) checkTimeout(operation, 'options.timeout', o.timeout);
  checkSpawnOptions(operation, 'options.spawn', o.spawn);
  return o;
}

// The server found last by pid: a loop of calls to one server skips the lookup. Pids are never
// reused, and an exited server is not returned.
let lastPid: unknown = undefined;
let lastServer: Server | undefined = undefined;

/** A reference looked up: the running server behind it, if any, and what the caller named. */
interface Found {
  readonly server: Server | undefined;
  readonly target: Pid | string | Via | RemoteName;
  /** The runtime of a name, or of a pid whose runtime is still there. */
  readonly runtime: Runtime | undefined;
  /** The pid of another node a via name stands for (a global name): requests go there by the node layer. */
  readonly remote?: Pid;
}

/** The running server behind a reference, or undefined when there is none. */
function serverOf(operation: string, ref: unknown): Found {
  if (ref === lastPid && lastServer !== undefined && !hasExited(lastServer.ctx)) return { server: lastServer, target: ref as Pid, runtime: lastServer.ctx.runtime };
  if (typeof ref === 'string') {
    const server = processData(ref as Pid);
    if (server === undefined && !isPid(ref)) {
      throw new InvalidArgumentError(operation, 'server', ref, 'a server pid or GenServer.named<Protocol>(name, runtime)');
    }
    if (server instanceof Server) {
      lastPid = ref;
      lastServer = server;
      return { server, target: ref, runtime: server.ctx.runtime };
    }
    const runtime = runtimeOf(ref);
    if (runtime !== undefined && isRemote(ref as Pid, runtime)) remoteOnlyCalled(operation, ref);
    return { server: undefined, target: ref, runtime };
  }
  if (typeof ref === 'object' && ref !== null) {
    const { name, runtime } = ref as ServerName<Protocol>;
    if (typeof name === 'string') {
      const server = namedProcessData(name, runtime);
      return { server: server instanceof Server ? server : undefined, target: name, runtime };
    }
    if (isVia(name)) return viaServer(operation, name);
    if (isRemoteName(name)) {
      const own = nodeName(runtime);
      if (own === undefined) throw new InvalidArgumentError(operation, 'server', ref, 'a { name, node } on a runtime that is a node (Node.start)');
      // This node's own name is a local name, as gen's do_for_proc makes it: calling_self, stop and the rest hold.
      if (name.node === own) {
        const server = namedProcessData(name.name, runtime);
        return { server: server instanceof Server ? server : undefined, target: name, runtime };
      }
      remoteOnlyCalled(operation, ref);
      return { server: undefined, target: name, runtime };
    }
    if (isVia(ref)) return viaServer(operation, ref);
  }
  throw new InvalidArgumentError(operation, 'server', ref, 'a server pid or GenServer.named<Protocol>(name, runtime)');
}

/** Only calls and casts reach a server of another node: a stop or a state request is refused. */
function remoteOnlyCalled(operation: string, ref: unknown): void {
  if (operation === 'GenServer.call' || operation === 'GenServer.cast') return;
  throw new InvalidArgumentError(operation, 'server', ref, 'a server of this node: only call and cast reach a server of another node');
}

/** The server a via name stands for now: its module is asked at each use. */
function viaServer(operation: string, via: Via): Found {
  const pid = via.via.whereisName(via.name);
  if (pid === undefined) return { server: undefined, target: via, runtime: undefined };
  const server = processData(pid);
  const runtime = runtimeOf(pid);
  if (runtime !== undefined && isRemote(pid, runtime)) {
    remoteOnlyCalled(operation, via);
    return { server: undefined, target: via, runtime, remote: pid };
  }
  return { server: server instanceof Server ? server : undefined, target: via, runtime };
}

/** The live process a reference that is not a running server stands for, if any. */
function livePid({ target, runtime }: Found): Pid | undefined {
  if (runtime === undefined) return undefined;
  // Another node's name: only that node knows; this node's own is a local name.
  if (isRemoteName(target)) return target.node === nodeName(runtime) ? runtime.whereis(target.name) : undefined;
  if (isPid(target)) return runtime.isAlive(target) ? target : undefined;
  return runtime.whereis(target); // a name, or a via name
}

/**
 * Whether a request goes to another node: to the pid of a process there (whose liveness only
 * that node knows), or to a `{ name, node }` of another node, which that node resolves.
 */
function onAnotherNode({ target, runtime, remote }: Found): boolean {
  if (runtime === undefined) return false;
  if (remote !== undefined) return true;
  return typeof target === 'object' ? isRemoteName(target) && target.node !== nodeName(runtime) : isPid(target) && isRemote(target, runtime);
}

/** Where a name was looked up, in words: for the message of a call that found nobody. */
function runtimeLabel(rt: Runtime | undefined): string | undefined {
  if (rt === undefined) return undefined;
  const id = rt.rootPid.slice(1, rt.rootPid.indexOf('.'));
  return id === '0' ? 'the default runtime' : `runtime ${id}`;
}

/** The error of a request to a server that is not there: it names the runtime a name was looked up in. */
function noproc(found: Found, request: unknown, timeout: CallTimeout | undefined, stop = false): CallError {
  // A stop or a state request to a live process that is not a GenServer: nothing could answer it.
  const options = livePid(found) !== undefined ? { notAServer: true } : typeof found.target !== 'string' || isPid(found.target) ? undefined : { lookedUpIn: runtimeLabel(found.runtime) ?? 'its runtime' };
  return stop ? new StopError(found.target, 'noproc', request, timeout, options) : new CallError(found.target, 'noproc', request, timeout, options);
}

function checkCallOptions(options: object): { timeout: CallTimeout | undefined; caller: Pid | undefined } {
  const { timeout, caller } = options as CallOptions;
  if (timeout !== undefined) checkTimeout('GenServer.call', 'options.timeout', timeout);
  if (caller !== undefined && (typeof caller !== 'object' || caller === null || !isPid((caller as { self?: unknown }).self))) {
    throw new InvalidArgumentError('GenServer.call', 'options.caller', caller, "the calling process's context");
  }
  return { timeout, caller: caller?.self };
}

/**
 * A new server's ancestors, as proc_lib's: its parent, by the name it is registered under if any
 * (whatever kind of process it is), then the parent's own ancestors when it is a server.
 */
function ancestorsOf(parent: Context | undefined): ReadonlyArray<Pid | string> {
  if (parent === undefined) return [];
  const me = registeredName(parent) ?? parent.self;
  const server = processData(parent.self);
  return server instanceof Server ? [me, ...server.ancestors] : [me];
}

function spawnServer<P extends Protocol>(
  rt: Runtime,
  parent: Context | undefined,
  behaviour: Behaviour<P>,
  arg: ArgOf<P>,
  options: StartOptions,
): Promise<StartResult<P>> {
  const name = options.name;
  if (name !== undefined) {
    // Checked by the caller before spawning, as OTP's gen:start does: a taken name runs no init
    // and sends no EXIT to the caller.
    const holder = rt.whereis(name);
    if (holder !== undefined) return Promise.resolve({ type: 'error', reason: { tag: 'already_started', pid: holder } });
  }
  /** Set once the server holds its via name: a start that fails then gives the name back, as gen's init_it does. */
  let viaHeld: Via | undefined;
  const ancestors = ancestorsOf(parent);
  return new Promise((resolve) => {
    let answered = false;
    let server: Server | undefined;
    const started = (result: StartResult<Protocol>): void => {
      if (answered) return;
      answered = true;
      if (viaHeld !== undefined && result.type !== 'ok') viaHeld.via.unregisterName(viaHeld.name);
      // A starter that has exited is not answered: its code never resumes, as after a receive.
      if (parent === undefined || !hasExited(parent)) resolve(result as StartResult<P>);
    };
    const body = (ctx: Context): Promise<never> => {
      if (typeof name === 'string') {
        const holder = rt.whereis(name);
        if (holder !== undefined) {
          started({ type: 'error', reason: { tag: 'already_started', pid: holder } });
          ctx.exit('normal'); // before the server exists: no terminate for an init that never ran
        }
        ctx.register(name);
      } else if (name !== undefined) {
        // In the new process, as gen's init_it calls Mod:register_name(Name, self()).
        const registered = name.via.registerName(name.name, ctx.self);
        // A cluster-wide registry answers after a round of messages (Global.via).
        if (typeof registered !== 'boolean') return Promise.resolve(registered).then((yes) => viaRegistered(ctx, name, yes));
        return viaRegistered(ctx, name, registered);
      }
      return runServer(ctx);
    };
    const viaRegistered = (ctx: Context, via: Via, yes: boolean): Promise<never> => {
      if (!yes) {
        const holder = via.via.whereisName(via.name);
        started(holder === undefined ? { type: 'error', reason: 'normal' } : { type: 'error', reason: { tag: 'already_started', pid: holder } });
        ctx.exit('normal');
      }
      viaHeld = via;
      return runServer(ctx);
    };
    const runServer = (ctx: Context): Promise<never> => {
      server = new Server(ctx, behaviour as never, parent?.self, typeof name === 'string' ? name : undefined, ancestors);
      server.start(arg, options.timeout ?? 'infinity', started);
      return new Promise<never>(() => {}); // the process lives until the server ends it
    };
    const pid = parent === undefined ? rt.spawn(body, options.spawn) : parent.spawnLink(body, options.spawn);
    // As proc_lib's start watches the EXIT (linked) or the DOWN (not linked): a server that ends
    // before init answers, even before its body first runs (killed at once), makes the start
    // return its reason, and a linked starter's EXIT was that answer, so it is taken. (A child of
    // a starter that had already exited is born dead and has nothing to watch.)
    onPidExit(pid, (reason) => {
      if (!answered && parent !== undefined && !hasExited(parent)) takeMatching(parent, (msg) => isExitFrom(msg, pid));
      if (server !== undefined) server.exitedWith(reason); // fails its pending requests, and the start if unanswered
      else started({ type: 'error', reason });
    });
  });
}

/**
 * @internal starts a server for another behaviour built on this loop (StateMachine): its options
 * are checked and named as `operation`'s; `parent`, when given, links it as startLink does.
 */
export function startServer<P extends Protocol>(operation: string, parent: Context | undefined, behaviour: Behaviour<P>, arg: ArgOf<P>, options: unknown): Promise<StartResult<P>> {
  const o = checkOptions(operation, options);
  return spawnServer(parent?.runtime ?? o.runtime ?? defaultRuntime(), parent, behaviour, arg, o);
}

/**
 * @internal runs a server in the calling process, as Erlang's `gen_server:enter_loop` after an
 * init: for a process spawned by module path on another node, whose pid its starter already
 * holds. `parent` is the process whose EXIT means "terminate"; `started` learns init's outcome.
 */
export function serve<P extends Protocol>(ctx: Context, behaviour: Behaviour<P>, arg: ArgOf<P>, parent: Pid, started: (result: StartResult<P>) => void): Promise<never> {
  checkBehaviour('GenServer.serve', behaviour);
  const server = new Server(ctx, behaviour as never, parent, undefined, [parent]);
  onPidExit(ctx.self, (reason) => server.exitedWith(reason));
  server.start(arg, 'infinity', started as (result: StartResult<Protocol>) => void);
  return new Promise<never>(() => {}); // the process lives until the server ends it
}

/**
 * Starts a server, not linked to anyone, and waits for its init.
 *
 * @throws {@link InvalidArgumentError} for a behaviour without init, a bad name or timeout.
 * @see {@link startLink}
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const result = await GenServer.start<{ state: string }>({ init: () => Next.ok('ready') }, undefined, { runtime: rt, name: 'svc' });
 * expect(result.type).toBe('ok');
 * expect(await GenServer.start({ init: () => Next.ok(0) }, undefined, { runtime: rt, name: 'svc' })).toMatchObject({
 *   type: 'error',
 *   reason: { tag: 'already_started' },
 * });
 * expect(await GenServer.start({ init: () => Next.ignore() }, undefined, { runtime: rt })).toEqual({ type: 'ignore' });
 * rt.killAll();
 * ```
 */
export function start<P extends Protocol>(behaviour: Behaviour<P>, arg: ArgOf<P>, options?: StartOptions): Promise<StartResult<P>> {
  checkBehaviour('GenServer.start', behaviour);
  const o = checkOptions('GenServer.start', options);
  return spawnServer(o.runtime ?? defaultRuntime(), undefined, behaviour, arg, o);
}

/**
 * Starts a server linked to the calling process `parent` and waits for its init. An exit signal
 * from the parent stops the server (running terminate when the server traps exits); when init
 * stops or throws, the parent also gets the exit signal, as in OTP 25.
 *
 * @throws {@link InvalidArgumentError} for a bad context, behaviour, name or timeout.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, type ExitMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const seen = await rt.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   const result = await GenServer.startLink(ctx, { init: () => Next.stop('bad_config') }, undefined);
 *   const exit = (await ctx.receive()) as ExitMessage;
 *   return { result, exit: exit.reason };
 * });
 * expect(seen.result).toEqual({ type: 'error', reason: { tag: 'exit', value: 'bad_config' } });
 * expect(seen.exit).toEqual({ tag: 'exit', value: 'bad_config' });
 * ```
 */
export function startLink<P extends Protocol>(
  parent: Context,
  behaviour: Behaviour<P>,
  arg: ArgOf<P>,
  options?: Omit<StartOptions, 'runtime'>,
): Promise<StartResult<P>> {
  if (typeof parent !== 'object' || parent === null || typeof (parent as Context).spawnLink !== 'function') {
    throw new InvalidArgumentError('GenServer.startLink', 'parent', parent, "the calling process's context");
  }
  checkBehaviour('GenServer.startLink', behaviour);
  const o = checkOptions('GenServer.startLink', options);
  return spawnServer(parent.runtime, parent, behaviour, arg, o);
}

/**
 * Sends `request` and waits for the reply, whose type follows from the request's `type`.
 *
 * The third argument is the timeout (5000 ms by default, or `'infinity'`), or
 * {@link CallOptions} `{ timeout, caller }`: a process that passes its context as `caller` fails
 * at once with `'calling_self'` when it calls itself, wherever it does so. A live process that
 * is not a GenServer gets the request in its mailbox as a {@link GenCallMessage}, as in Erlang;
 * the call then waits for `GenServer.reply(from, value)`, that process's exit or the timeout.
 *
 * @throws {@link InvalidArgumentError} for a bad server reference, timeout or caller (at the call).
 * @returns the reply; rejects with a {@link CallError} as described in the module summary.
 * @example
 * ```ts
 * import { CallError, GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Echo { state: null; call: { readonly type: 'echo'; readonly text: string } | { readonly type: 'hang' }; reply: { echo: string; hang: never } }
 * const echo: GenServer.Behaviour<Echo> = {
 *   init: () => Next.ok(null),
 *   handleCall: { echo: ({ text }, _from, s) => Next.reply(text, s), hang: (_req, _from, s) => Next.noreply(s) },
 * };
 * const rt = new Runtime();
 * const started = await GenServer.start(echo, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await GenServer.call(started.pid, { type: 'echo', text: 'hi' })).toBe('hi');
 * const late = await GenServer.call(started.pid, { type: 'hang' }, 10).catch((e: unknown) => e);
 * expect((late as CallError).reason).toBe('timeout');
 * const fromProcess = await rt.run((ctx) => GenServer.call(started.pid, { type: 'echo', text: 'me' }, { caller: ctx, timeout: 1000 }));
 * expect(fromProcess).toBe('me');
 * rt.killAll();
 * ```
 */
export function call<P extends Protocol, const C extends CallOf<P>>(server: ServerRef<P>, request: C, options?: CallTimeout | CallOptions): Promise<ReplyOf<P, C['type']>> {
  let timeout: CallTimeout | undefined;
  let caller: Pid | undefined;
  if (typeof options === 'object' && options !== null) ({ timeout, caller } = checkCallOptions(options));
  else if (options !== undefined) {
    checkTimeout('GenServer.call', 'timeout', options);
    timeout = options;
  }
  // The server called last, again: no lookup and no allocation but the call's own.
  if (server === lastPid && lastServer !== undefined && !hasExited(lastServer.ctx)) {
    return lastServer.request(CALL, server as Pid, request, timeout, caller) as Promise<ReplyOf<P, C['type']>>;
  }
  const found = serverOf('GenServer.call', server);
  const s = found.server;
  if (s !== undefined && !s.exited) return s.request(CALL, found.target, request, timeout, caller) as Promise<ReplyOf<P, C['type']>>;
  if (onAnotherNode(found)) return callRemote(found.runtime!, found.remote ?? (found.target as Pid | RemoteName), found.target, request, timeout, caller) as Promise<ReplyOf<P, C['type']>>;
  const pid = livePid(found);
  if (pid === undefined) return Promise.reject(noproc(found, request, timeout));
  if (pid === caller) return Promise.reject(new CallError(found.target, 'calling_self', request, timeout));
  return callProcess(found.runtime!, pid, found.target, request, timeout, caller) as Promise<ReplyOf<P, C['type']>>;
}

/**
 * Sends `msg` to the server's handleCast and returns at once. Never fails, even when the server
 * is not there, as in Erlang. A live process that is not a GenServer gets a {@link GenCastMessage}.
 *
 * @throws {@link InvalidArgumentError} for a value that is not a server reference (Erlang's `function_clause`).
 * @example
 * ```ts
 * import { GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * expect(GenServer.cast(GenServer.named<{ state: null; cast: { readonly type: 'ping' } }>('nobody', rt), { type: 'ping' })).toBeUndefined();
 * ```
 */
export function cast<P extends Protocol>(server: ServerRef<P>, msg: CastOf<P>): void {
  const found = serverOf('GenServer.cast', server); // absent or dead: dropped, a cast never fails
  if (found.server !== undefined && !found.server.exited) {
    found.server.cast(msg);
    return;
  }
  const pid = onAnotherNode(found) ? (found.remote ?? (found.target as Pid | RemoteName)) : livePid(found);
  if (pid !== undefined) found.runtime!.send(pid, { type: '$gen_cast', msg } satisfies GenCastMessage);
}

/**
 * Answers a call that handleCall left unanswered (`Next.noreply`), or the `from` of a
 * {@link GenCallMessage} a hand-written process received, from any process or from plain code.
 * Only the first answer counts; an answer to a caller that timed out is dropped.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Later { state: GenServer.From<number> | null; call: { readonly type: 'wait' }; reply: { wait: number }; cast: { readonly type: 'release' } }
 * const later: GenServer.Behaviour<Later> = {
 *   init: () => Next.ok(null),
 *   handleCall: { wait: (_req, from) => Next.noreply(from) },
 *   handleCast: { release: (_msg, from) => { if (from) GenServer.reply(from, 42); return Next.noreply(null); } },
 * };
 * const rt = new Runtime();
 * const started = await GenServer.start(later, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * const answer = GenServer.call(started.pid, { type: 'wait' });
 * GenServer.cast(started.pid, { type: 'release' });
 * expect(await answer).toBe(42);
 * rt.killAll();
 * ```
 */
export function reply<R>(from: From<R>, value: R): void {
  if (from instanceof Pending) answer(from, value);
  else if (isRemoteFrom(from)) {
    const rt = runtimeOf(from.pid); // a call from another node that a plain process received
    if (rt !== undefined) replyRemote(rt, from, value);
  } else throw new InvalidArgumentError('GenServer.reply', 'from', from, 'the from handleCall received');
}

/**
 * Stops a server: it runs terminate with `reason` and exits; resolves once it has exited with that
 * reason. Rejects with a {@link CallError} when the server is not there (`'noproc'`), when
 * terminate fails (with that error's reason), or on timeout. A process that does not catch it
 * exits with that bare reason (`'noproc'`, terminate's crash, `{ tag: 'exit', value: 'timeout' }`),
 * as Erlang's `gen_server:stop` exits with `noproc` rather than the call shape.
 *
 * @throws {@link InvalidArgumentError} for a bad reference or timeout.
 * @example
 * ```ts
 * import { GenServer, Next, Runtime, type ExitReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const seen: ExitReason[] = [];
 * const started = await GenServer.start<{ state: null }>({ init: () => Next.ok(null), terminate: (r) => { seen.push(r); } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * await GenServer.stop(started.pid, { tag: 'shutdown', detail: 'bye' });
 * expect(seen).toEqual([{ tag: 'shutdown', detail: 'bye' }]);
 * await expect(GenServer.stop(started.pid)).rejects.toMatchObject({ reason: 'noproc' });
 * ```
 */
export function stop<P extends Protocol>(server: ServerRef<P>, reason: unknown = 'normal', timeout: CallTimeout = 'infinity'): Promise<void> {
  checkTimeout('GenServer.stop', 'timeout', timeout);
  const found = serverOf('GenServer.stop', server);
  const s = found.server;
  if (s === undefined || s.exited) return Promise.reject(noproc(found, 'stop', timeout, true));
  return s.request(STOP, found.target, toExitReason(reason), timeout) as Promise<void>;
}

/**
 * The server's state, read between two messages (Erlang's `sys:get_state`). For tools and tests.
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: number }>({ init: () => Next.ok(7) }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await GenServer.getState(started.pid)).toBe(7);
 * expect(await GenServer.replaceState(started.pid, (n) => n + 1)).toBe(8);
 * expect(GenServer.statistics(started.pid)).toEqual({ messagesHandled: 2, messageQueueLen: 0 });
 * rt.killAll();
 * ```
 */
export function getState<P extends Protocol>(server: ServerRef<P>, timeout?: CallTimeout): Promise<StateOf<P>> {
  return systemRequest('GenServer.getState', server, GET_STATE, 'get_state', timeout) as Promise<StateOf<P>>;
}

/**
 * @internal sends a system request (Erlang's `{system, From, Req}`) to a server of this node: the
 * one path of GenServer.getState, replaceState and the Sys functions. `request` is what the
 * server gets, and what an error shows unless `label` is given.
 */
export function systemRequest(operation: string, server: unknown, kind: SystemKind, request: unknown, timeout: unknown, label: unknown = request): Promise<unknown> {
  if (timeout !== undefined) checkTimeout(operation, 'timeout', timeout);
  const found = serverOf(operation, server);
  const s = found.server;
  if (s === undefined || s.exited) return Promise.reject(noproc(found, label, timeout as CallTimeout | undefined));
  return s.request(kind, found.target, request, timeout as CallTimeout | undefined);
}

/**
 * Replaces the server's state with `update(state)` between two messages (Erlang's
 * `sys:replace_state`) and resolves with the new state. If `update` throws, the call rejects with
 * that error and the state is unchanged.
 *
 * @see {@link getState}
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const started = await GenServer.start<{ state: readonly string[] }>({ init: () => Next.ok(['a']) }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * expect(await GenServer.replaceState(started.pid, (items) => [...items, 'b'])).toEqual(['a', 'b']);
 * await expect(GenServer.replaceState(started.pid, () => { throw new Error('no'); })).rejects.toThrow('no');
 * expect(await GenServer.getState(started.pid)).toEqual(['a', 'b']); // unchanged by the failed update
 * rt.killAll();
 * ```
 */
export function replaceState<P extends Protocol>(server: ServerRef<P>, update: (state: StateOf<P>) => StateOf<P>, timeout?: CallTimeout): Promise<StateOf<P>> {
  if (typeof update !== 'function') throw new InvalidArgumentError('GenServer.replaceState', 'update', update, 'a function');
  return systemRequest('GenServer.replaceState', server, REPLACE_STATE, update, timeout, 'replace_state') as Promise<StateOf<P>>;
}

/**
 * Counters of a live server, read at once; undefined when it is not running.
 *
 * @see {@link getState}
 *
 * @example
 * ```ts
 * import { GenServer, Next, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Counter { state: number; cast: { readonly type: 'add' } }
 * const rt = new Runtime();
 * const started = await GenServer.start<Counter>({ init: () => Next.ok(0), handleCast: { add: (_m, n) => Next.noreply(n + 1) } }, undefined, { runtime: rt });
 * if (started.type !== 'ok') throw new Error('no start');
 * GenServer.cast(started.pid, { type: 'add' });
 * GenServer.cast(started.pid, { type: 'add' });
 * await GenServer.getState(started.pid); // handled after the two casts
 * expect(GenServer.statistics(started.pid)).toEqual({ messagesHandled: 3, messageQueueLen: 0 });
 * await GenServer.stop(started.pid);
 * expect(GenServer.statistics(started.pid)).toBeUndefined();
 * ```
 */
export function statistics<P extends Protocol>(server: ServerRef<P>): ServerStatistics | undefined {
  const { server: s } = serverOf('GenServer.statistics', server);
  if (s === undefined || s.exited) return undefined;
  return { messagesHandled: s.handled, messageQueueLen: s.ctx.runtime.processInfo(s.pid)?.messageQueueLen ?? 0 };
}

/**
 * A reference to the server registered as `name` in `runtime`, looked up at each use, typed with
 * protocol `P`. `name` may also be a via name (`Registry.via(registry, key)`): its module finds
 * the server at each use, and `runtime` is not needed. Or a name on a node, `{ name, node }`
 * (Erlang's `{Name, Node}`), called and cast to from `runtime`, which must be a node: the call
 * monitors the name on its node and fails with `'noproc'` when nobody holds it there, with the
 * server's reason when it exits first, and with `'noconnection'` when the node is not reachable.
 *
 * Both are required, so that neither mistake can be made silently: without `<P>` every request
 * would type as `never`, so the name argument does not compile (it asks for the protocol); and
 * the runtime is named at each reference, since a name looked up in the wrong runtime finds
 * nobody. Pass `defaultRuntime()` (or `undefined`) for the default runtime. A call that finds no
 * process under the name fails with `'noproc'`, and its message names the name and the runtime
 * looked up.
 *
 * @throws {@link InvalidArgumentError} for a name that cannot be registered or a runtime that is not one.
 * @example
 * ```ts
 * import { CallError, GenServer, Next, Registry, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Hello { state: null; call: { readonly type: 'hello' }; reply: { hello: string } }
 * const hello: GenServer.Behaviour<Hello> = { init: () => Next.ok(null), handleCall: { hello: (_r, _f, s) => Next.reply('world', s) } };
 * const rt = new Runtime();
 * await GenServer.start(hello, undefined, { runtime: rt, name: 'greeter' });
 * expect(await GenServer.call(GenServer.named<Hello>('greeter', rt), { type: 'hello' })).toBe('world');
 * const missing = await GenServer.call(GenServer.named<Hello>('greeter', undefined), { type: 'hello' }).catch((e: CallError) => e);
 * expect((missing as CallError).message).toBe('call to "greeter" failed: no process is registered as "greeter" in the default runtime (noproc)');
 *
 * await Registry.start({ keys: 'unique', name: 'greeters', runtime: rt });
 * const byVia = Registry.via(Registry.named<string, null>('greeters', rt), 'en');
 * await GenServer.start(hello, undefined, { runtime: rt, name: byVia });
 * expect(await GenServer.call(GenServer.named<Hello>(byVia), { type: 'hello' })).toBe('world');
 * rt.killAll();
 * ```
 * @example
 * ```ts
 * import { CallError, GenServer, Next, Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * interface Hello { state: null; call: { readonly type: 'hello' }; reply: { hello: string } }
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * await GenServer.start<Hello>({ init: () => Next.ok(null), handleCall: { hello: () => Next.reply('from b', null) } }, undefined, { runtime: b, name: 'greeter' });
 * expect(await GenServer.call(GenServer.named<Hello>({ name: 'greeter', node: 'b' }, a), { type: 'hello' })).toBe('from b');
 * const nobody = await GenServer.call(GenServer.named<Hello>({ name: 'nobody', node: 'b' }, a), { type: 'hello' }).catch((e: CallError) => e.reason);
 * expect(nobody).toBe('noproc');
 * a.killAll();
 * b.killAll();
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function named<P extends Protocol = never>(name: [P] extends [never] ? ProtocolRequired : string, runtime: Runtime | undefined): ServerName<P>;
export function named<P extends Protocol = never>(name: [P] extends [never] ? ProtocolRequired : Via): ServerName<P>;
export function named<P extends Protocol = never>(name: [P] extends [never] ? ProtocolRequired : RemoteName, runtime: Runtime | undefined): ServerName<P>;
export function named(name: unknown, runtime?: Runtime): ServerName<Protocol> {
  if (isVia(name)) return { name, runtime: runtime ?? defaultRuntime() };
  if (!isValidName(name) && !isRemoteName(name)) throw new InvalidArgumentError('GenServer.named', 'name', name, 'a registered name, a via name or { name, node }');
  if (runtime !== undefined && (typeof runtime !== 'object' || runtime === null || typeof (runtime as { whereis?: unknown }).whereis !== 'function')) throw new InvalidArgumentError('GenServer.named', 'runtime', runtime, 'a Runtime, or undefined for the default runtime');
  return { name, runtime: runtime ?? defaultRuntime() };
}
