/**
 * The GenServer loop and the pending-call records that callers wait on.
 *
 * Design, for speed: a call is one `Pending` record, sent as the message itself and kept in the
 * server's intrusive list of unanswered requests; the reply resolves the caller's promise
 * directly. So a call costs the caller one promise and the server none: the loop takes queued
 * messages synchronously and, with an empty mailbox, waits through the kernel's awaitMessage,
 * which calls back instead of resolving a promise. When the server's process exits, however it
 * ends, every unanswered request fails with the exit reason, as a call's monitor would tell it.
 * Call timeouts share the runtime's deadline queues (one host timer per duration).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { CallError, exitReasonOf, ProcessExit, StopError, type CallFailure } from '../../errors.js';
import { formatReason, isExpectedExit, TIMEOUT, toExitReason, type Context, type ExitMessage, type DownMessage, type ExitReason, type Inbox, type Pid, type Ref, type RemoteName, type Runtime, type Via } from '../../process/index.js';
import { awaitMessage, clockNow, clockTimer, deadlineQueue, type DeadlineQueue, deliverTo, endProcess, hasExited, interceptOwnExit, NO_MESSAGE, onProcessExit, setProcessData, takeMatching, takeMessage, reportedError } from '../../process/hooks.js';
import { logEvent } from '../../sys/log.js';
import type { Event as SysEvent, Statistics as SysStatistics, Status as SysStatus } from '../../sys/types.js';
import type { NextAction } from '../next.js';
import type { BaseBehaviour, From, GenCallMessage, Protocol, StartError, StartResult } from '../types.js';

/** Kinds of requests a Pending record carries. */
export const CALL = 0;
export const STOP = 1;
export const GET_STATE = 2;
export const REPLACE_STATE = 3;
export const GET_STATUS = 4;
export const SUSPEND = 5;
export const RESUME = 6;
export const TRACE = 7;
export const STATISTICS = 8;
export const INSTALL = 9;
export const REMOVE = 10;
/** Every kind but CALL is a system request (Erlang's `{system, From, Req}`), answered even while suspended. */
export type SystemKind = typeof GET_STATE | typeof REPLACE_STATE | typeof GET_STATUS | typeof SUSPEND | typeof RESUME | typeof TRACE | typeof STATISTICS | typeof INSTALL | typeof REMOVE;
type Kind = typeof CALL | typeof STOP | SystemKind;

/**
 * What a behaviour built on this loop shows of its state to the system requests, when that is
 * not the loop's state itself (a StateMachine shows `{ state, data }`, not its machine).
 */
export interface SysView {
  readonly module: 'gen_server' | 'gen_statem';
  get(state: unknown): unknown;
  /** The loop state holding `view`; may update `state` in place. */
  replace(state: unknown, view: unknown): unknown;
  /** For a trace: the cast a plain message of the behaviour's own carries, if it is one. */
  castOf?(msg: unknown): { readonly msg: unknown } | undefined;
}

/** Where a behaviour keeps its {@link SysView}. */
export const SYS_VIEW: unique symbol = Symbol('ts-otp.sys_view');

/** Trace and statistics of one server: null on the server while both are off, so they cost one check. */
/** A function installed with `Sys.install`: it sees every event; returning `'done'` removes it. */
type Installed = (event: SysEvent) => unknown;

class Debug {
  /** The one trace `Sys.trace` sets. */
  trace: ((event: SysEvent) => void) | null = null;
  /** Functions installed beside it (Erlang's `sys:install`), in installation order. */
  installed: Installed[] = [];
  stats: { startTime: number; in: number; out: number } | null = null;
  /** Whether any function wants events. */
  get watched(): boolean {
    return this.trace !== null || this.installed.length > 0;
  }
}

/** Who keeps a request until it is answered: a server, or the watch of a call to a plain process. */
export interface Owner {
  readonly deadlines: DeadlineQueue<Pending>;
  /** Marks the request answered and forgets it. */
  untrack(pending: Pending): void;
}

/** The promise of every request that nobody awaits in this thread. */
const UNAWAITED: Promise<unknown> = Promise.resolve();

/** An unanswered request: the message a caller sends, and the `From` handleCall receives. */
export class Pending {
  prev: Pending | null = null;
  next: Pending | null = null;
  done = false;
  deadline: ReturnType<DeadlineQueue<Pending>['add']> | null = null;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;
  readonly promise: Promise<unknown>;

  constructor(
    readonly kind: Kind,
    readonly owner: Owner,
    /** The server as the caller named it, for errors. */
    readonly target: Pid | string | Via | RemoteName,
    readonly request: unknown,
    /** As passed by the caller; undefined for the default. */
    readonly timeout: number | 'infinity' | undefined,
    /** The calling process, when the caller said which it is; undefined for plain code. */
    readonly caller: Pid | undefined,
    /** False for a request nobody awaits here (a call from another node): no promise is made. */
    awaited = true,
  ) {
    // An executor made here, which the optimiser can inline into the Promise constructor (as in
    // the kernel's receive); a shared one that stored into module variables was a call per call.
    this.promise = awaited
      ? new Promise((resolve, reject) => {
          this.resolve = resolve;
          this.reject = reject;
        })
      : UNAWAITED;
  }
}

/** The error a request's caller gets when the server exited (or timed out) without answering. */
export function failure(target: Pid | string | Via | RemoteName, reason: CallFailure, kind: Kind, request: unknown, timeout: number | 'infinity' | undefined): CallError {
  return kind === STOP ? new StopError(target, reason, 'stop', timeout) : new CallError(target, reason, request, timeout);
}

/**
 * The exit reason for an error a callback threw: the reason an Erlang exit stands for (a failed
 * call's `{ reason, call }`), else `{ tag: 'error', cause }`, as gen_server's terminate reason is
 * `R` for `exit(R)` and `{R, Stack}` for an error.
 */
function reasonOfThrown(error: unknown): ExitReason {
  return exitReasonOf(error) ?? { tag: 'error', cause: error };
}

const RESULT_TAGS: ReadonlySet<unknown> = new Set(['ok', 'ignore', 'reply', 'noreply', 'stop']);

/**
 * A thrown value that is a callback result (`throw Next.reply(...)`): gen_server uses a value
 * thrown from a callback as its return value. Any other thrown value is a crash.
 */
function isThrownResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  try {
    return RESULT_TAGS.has((value as { next?: unknown }).next);
  } catch {
    return false; // a revoked Proxy or a throwing getter: a crash like any other thrown value
  }
}

/** A cast, wrapped so the server tells it from plain messages (Erlang's `{'$gen_cast', Msg}`). */
export class Cast {
  constructor(readonly msg: { readonly type: string }) {}
}

type Result = { readonly next?: unknown; readonly state?: unknown; readonly action?: NextAction; readonly reply?: unknown; readonly reason?: unknown; readonly replies?: boolean };

// What a result is for: which `next` values are valid.
const HANDLE_CALL = 1;
const HANDLE_OTHER = 2;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

const deadlinesByRuntime = new WeakMap<Runtime, DeadlineQueue<Pending>>();

function callDeadlines(rt: Runtime): DeadlineQueue<Pending> {
  let queue = deadlinesByRuntime.get(rt);
  if (queue === undefined) {
    queue = deadlineQueue<Pending>(rt, (pending) => {
      pending.deadline = null;
      fail(pending, 'timeout');
    });
    deadlinesByRuntime.set(rt, queue);
  }
  return queue;
}

/** Answers a request once; later answers, and answers after a timeout, are dropped. */
export function answer(pending: Pending, value: unknown): void {
  if (pending.done) return;
  pending.owner.untrack(pending);
  pending.resolve(value);
}

/** Fails a request once, as {@link answer} answers it: with the server's exit reason or `'timeout'`. */
function fail(pending: Pending, reason: CallFailure): void {
  if (pending.done) return;
  pending.owner.untrack(pending);
  pending.reject(failure(pending.target, reason, pending.kind, pending.request, pending.timeout));
}

/**
 * Starts a request's timeout; false for a timeout of 0, which Erlang fails before any reply can
 * come, once the request is delivered: the caller then fails it with `fail(pending, 'timeout')`.
 */
function startTimeout(pending: Pending): boolean {
  const ms = pending.timeout ?? 5000;
  if (ms === 0) return false;
  if (ms !== 'infinity') pending.deadline = pending.owner.deadlines.add(pending, ms);
  return true;
}

/**
 * A call to a live process that is not a GenServer, as Erlang's gen:call: the request goes to its
 * mailbox as a {@link GenCallMessage} and the caller waits for `GenServer.reply(from, value)`, the
 * process's exit (watched by a monitor held by an inbox of the call's own) or the timeout.
 */
class ProcessCall implements Owner {
  readonly deadlines: DeadlineQueue<Pending>;
  readonly inbox: Inbox;
  constructor(rt: Runtime) {
    this.deadlines = callDeadlines(rt);
    this.inbox = rt.inbox();
  }

  untrack(pending: Pending): void {
    pending.done = true;
    if (pending.deadline !== null) {
      this.deadlines.cancel(pending.deadline);
      pending.deadline = null;
    }
    this.inbox.close(); // removes its monitor
  }
}

/**
 * Calls the live process `pid` of this node, which is not a GenServer; see {@link ProcessCall}.
 */
export function callProcess(rt: Runtime, pid: Pid, target: Pid | string | Via | RemoteName, request: unknown, timeout: number | 'infinity' | undefined, caller: Pid | undefined): Promise<unknown> {
  const owner = new ProcessCall(rt);
  const pending = new Pending(CALL, owner, target, request, timeout, caller);
  const ref = owner.inbox.monitor(pid);
  void owner.inbox.receiveRef<DownMessage>(ref).then((m) => fail(pending, m.reason));
  onProcessExit(owner.inbox, (reason) => fail(pending, reason)); // the inbox killed (killAll): the caller is not left waiting
  const timed = startTimeout(pending);
  rt.send(pid, { type: '$gen_call', from: pending as From<unknown>, request } satisfies GenCallMessage);
  if (!timed) fail(pending, 'timeout');
  return pending.promise;
}

/** A call to a server of another node, kept by its runtime's {@link RemoteCalls}. */
class OutCall extends Pending {
  /** The watch of the server called, which lists the call (through prev and next) until it is answered. */
  watch: Watch | null = null;
  constructor(owner: RemoteCalls, target: Pid | string | Via | RemoteName, request: unknown, timeout: number | 'infinity' | undefined, caller: Pid | undefined, readonly tag: number) {
    super(CALL, owner, target, request, timeout, caller);
  }
}

/**
 * The monitor on one server of another node, and the calls to it that wait for their reply. A
 * server called by `{ name, node }` gets a watch per call: the name may pass to another process
 * between calls, and each call must see the exit of the process that got it.
 */
class Watch {
  first: OutCall | null = null;
  last: OutCall | null = null;
  constructor(readonly pid: Pid | null, readonly ref: Ref) {}
}

/**
 * The calls of one runtime to servers of other nodes. One inbox takes every reply and every
 * DOWN, and one monitor per server called watches it for all calls to it, so a call costs a
 * request and a reply message: no process, proxy or monitor of its own (Erlang makes a monitor
 * per call; what the caller sees is the same; a call by `{ name, node }` has a monitor of its
 * own, as in Erlang, since the name may move). A reply finds its call by the call's tag; one
 * whose call has timed out finds none and is dropped. A DOWN fails every call to that server
 * with its reason. Once no call is pending, after the current turn (so that a loop of calls
 * keeps it), the inbox closes, which removes its monitors: nothing outlives a burst of calls.
 */
class RemoteCalls implements Owner {
  readonly deadlines: DeadlineQueue<Pending>;
  readonly inbox: Inbox;
  readonly #calls = new Map<number, OutCall>();
  readonly #watches = new Map<Pid, Watch>();
  readonly #byRef = new Map<Ref, Watch>();
  #tag = 0;
  #idleCheck = false;
  closed = false;
  readonly #onMessage = (msg: unknown): void => {
    this.#handle(msg);
    this.#drain();
  };
  readonly #checkIdle = (): void => {
    this.#idleCheck = false;
    if (this.#calls.size === 0) this.inbox.close();
  };

  constructor(readonly rt: Runtime) {
    this.deadlines = callDeadlines(rt);
    this.inbox = rt.inbox();
    // Closed when idle, or killed (killAll): every call still waiting fails with its reason.
    onProcessExit(this.inbox, (reason) => {
      this.closed = true;
      if (remoteCallsByRuntime.get(rt) === this) remoteCallsByRuntime.delete(rt);
      for (const pending of [...this.#calls.values()]) fail(pending, reason);
    });
    awaitMessage(this.inbox, this.#onMessage, 'infinity');
  }

  call(dest: Pid | RemoteName, target: Pid | string | Via | RemoteName, request: unknown, timeout: number | 'infinity' | undefined, caller: Pid | undefined): Promise<unknown> {
    const tag = ++this.#tag;
    const pending = new OutCall(this, target, request, timeout, caller, tag);
    // A name is watched before the send, as gen:call does: the monitor finds the process the
    // request will reach, and its DOWN carries that process's reason, not noproc.
    const named = typeof dest !== 'string' ? new Watch(null, this.inbox.monitor(dest)) : null;
    try {
      this.rt.send(dest, { type: '$gen_call', from: { pid: this.inbox.self, tag } satisfies RemoteFrom as From<unknown>, request } satisfies GenCallMessage);
    } catch (error) {
      if (named !== null) this.inbox.demonitor(named.ref, { flush: true });
      pending.done = true;
      pending.reject(error); // a request that cannot be copied: nothing was sent
      return pending.promise;
    }
    const timed = startTimeout(pending);
    let watch = named ?? this.#watches.get(dest as Pid);
    if (watch === undefined) {
      // After the send: its DOWN, even one for a server already gone, comes after any reply.
      watch = new Watch(dest as Pid, this.inbox.monitor(dest));
      this.#watches.set(dest as Pid, watch);
      this.#byRef.set(watch.ref, watch);
    } else if (named !== null) this.#byRef.set(named.ref, named);
    pending.watch = watch;
    pending.prev = watch.last;
    if (watch.last === null) watch.first = pending;
    else watch.last.next = pending;
    watch.last = pending;
    this.#calls.set(tag, pending);
    if (!timed) fail(pending, 'timeout');
    return pending.promise;
  }

  untrack(pending: Pending): void {
    const call = pending as OutCall;
    call.done = true;
    if (call.deadline !== null) {
      this.deadlines.cancel(call.deadline);
      call.deadline = null;
    }
    this.#calls.delete(call.tag);
    const watch = call.watch;
    if (watch !== null) {
      if (call.prev === null) watch.first = call.next as OutCall | null;
      else call.prev.next = call.next;
      if (call.next === null) watch.last = call.prev as OutCall | null;
      else call.next.prev = call.prev;
      call.prev = call.next = null;
      call.watch = null;
      if (watch.pid === null && watch.first === null && this.#byRef.delete(watch.ref)) {
        this.inbox.demonitor(watch.ref, { flush: true }); // a call by name is over: so is its monitor
      }
    }
    if (this.#calls.size === 0 && !this.#idleCheck && !this.closed) {
      this.#idleCheck = true;
      setImmediate(this.#checkIdle);
    }
  }

  #drain(): void {
    for (;;) {
      const msg = takeMessage(this.inbox);
      if (msg === NO_MESSAGE) break;
      this.#handle(msg);
    }
    awaitMessage(this.inbox, this.#onMessage, 'infinity');
  }

  #handle(msg: unknown): void {
    const m = msg as Partial<GenReplyMessage> & Partial<DownMessage>;
    if (m.type === '$gen_reply') {
      const pending = this.#calls.get(m.tag!);
      if (pending !== undefined) answer(pending, m.reply);
    } else if (m.type === 'DOWN') {
      const watch = this.#byRef.get(m.ref!);
      if (watch === undefined) return;
      this.#byRef.delete(watch.ref);
      if (watch.pid !== null) this.#watches.delete(watch.pid);
      while (watch.first !== null) fail(watch.first, m.reason!);
    }
  }
}

const remoteCallsByRuntime = new WeakMap<Runtime, RemoteCalls>();

/**
 * Calls `dest`, a process of another node or a name there (`{ name, node }`): it gets
 * `{ type: '$gen_call', from: { pid, tag }, request }`, a `from` that can cross a thread (Erlang's `{Pid, Tag}`: the runtime's reply inbox and the
 * call's number), and answers with `{ type: '$gen_reply', tag, reply }` to that inbox.
 */
export function callRemote(rt: Runtime, dest: Pid | RemoteName, target: Pid | string | Via | RemoteName, request: unknown, timeout: number | 'infinity' | undefined, caller: Pid | undefined): Promise<unknown> {
  let calls = remoteCallsByRuntime.get(rt);
  if (calls === undefined || calls.closed) {
    calls = new RemoteCalls(rt);
    remoteCallsByRuntime.set(rt, calls);
  }
  return calls.call(dest, target, request, timeout, caller);
}

/** The `from` of a call from another node: the caller's reply inbox and the call's tag. */
export interface RemoteFrom {
  readonly pid: Pid;
  readonly tag: number;
}

/** The answer to a call from another node. */
interface GenReplyMessage {
  readonly type: '$gen_reply';
  readonly tag: number;
  readonly reply: unknown;
}

/** Whether `from` is a {@link RemoteFrom}: what a `$gen_call` from another node carries. */
export function isRemoteFrom(from: unknown): from is RemoteFrom {
  return typeof from === 'object' && from !== null && !(from instanceof Pending) && typeof (from as RemoteFrom).pid === 'string' && typeof (from as RemoteFrom).tag === 'number';
}

/** Answers a call from another node: the reply goes back as a message to the caller's inbox. */
export function replyRemote(rt: Runtime, from: RemoteFrom, value: unknown): void {
  rt.send(from.pid, { type: '$gen_reply', tag: from.tag, reply: value } satisfies GenReplyMessage);
}

/**
 * A call from another node as the server keeps it: answering sends the reply back; a server
 * that exits answers nothing, as the caller's monitor reports the exit.
 */
class RemoteCall extends Pending {
  constructor(owner: Owner, rt: Runtime, from: RemoteFrom, request: unknown) {
    super(CALL, owner, from.pid, request, 'infinity', undefined, false);
    this.resolve = (value) => replyRemote(rt, from, value);
    this.reject = () => {};
  }
}

const NONE: unique symbol = Symbol('none');

/** What handleContinue handles, as reports show it (`{ continue: arg }`) and a trace tells it from a plain message. */
class ContinueMessage {
  readonly continue: unknown;
  constructor(arg: unknown) {
    this.continue = arg;
  }
}

/**
 * Where a behaviour built on this loop (StateMachine) takes every call and cast whatever its
 * `type`, instead of handlers by type. Looked up only when no handler of the type exists, so a
 * GenServer's own messages never pay for it.
 */
export const ANY_REQUEST: unique symbol = Symbol('ts-otp.any_request');

/** The catch-all handlers under {@link ANY_REQUEST}, called as handleCall's and handleCast's are. */
export interface AnyRequest {
  call(request: unknown, from: From<unknown>, state: unknown, ctx: Context): unknown;
  cast(msg: unknown, state: unknown, ctx: Context): unknown;
}

/** One running GenServer: its state and its loop. */
export class Server {
  state: unknown = undefined;
  handled = 0;
  lastMessage: unknown = undefined;
  #first: Pending | null = null;
  #last: Pending | null = null;
  #continue: unknown = NONE;
  #timeout: number | 'infinity' = 'infinity';
  /** The stop request being carried out, answered once the process has exited with its reason. */
  #stopping: Pending | null = null;
  /** Tells `start` the outcome while init has not finished; null after. */
  #startFailed: ((reason: ExitReason) => void) | null = null;
  /** terminate is running or has run: results and messages that come now are ignored. */
  #terminating = false;
  /** Ends the process once terminate is done; set while terminate runs. */
  #finish: ((final: ExitReason, terminateFailed: boolean) => void) | null = null;
  /**
   * A callback is running synchronously: a request made now can only come from the server
   * itself, which would wait for its own reply, so it fails at once with 'calling_self'.
   */
  #inCallback = false;
  /** Trace and statistics; null while both are off, so that they cost one check per message. */
  #debug: Debug | null = null;
  /** Suspended by a system request: only system requests (and the parent's EXIT) are taken. */
  #suspended = false;
  /** The idle timeout in force when the current message was taken: a system request keeps it, as in Erlang. */
  #armed: number | 'infinity' = 'infinity';
  readonly #isSystem = (msg: unknown): boolean => (msg instanceof Pending && msg.kind !== CALL) || (this.parent !== undefined && isExitFrom(msg, this.parent));
  readonly #onSystem = (msg: unknown): void => {
    this.#dispatch(msg);
    if (this.#suspendedLoop()) this.#loop();
  };
  readonly deadlines: DeadlineQueue<Pending>;
  readonly #onMessage = (msg: unknown): void => {
    if (this.#dispatch(msg)) this.#loop();
  };

  constructor(
    readonly ctx: Context,
    readonly behaviour: BaseBehaviour<Protocol> & { readonly handleCall?: object; readonly handleCast?: object; readonly [ANY_REQUEST]?: AnyRequest; readonly [SYS_VIEW]?: SysView },
    /** The process that started it with a link; its EXIT means "terminate". */
    readonly parent: Pid | undefined,
    readonly name: string | undefined,
    /** Its parent, the parent's parent and so on, by name where they had one: for reports. */
    readonly ancestors: ReadonlyArray<Pid | string>,
  ) {
    this.deadlines = callDeadlines(ctx.runtime);
    setProcessData(ctx, this); // its exit reaches exitedWith through the starter's watch (gen_server.ts)
    interceptOwnExit(ctx, (reason) => this.#ownExit(reason));
  }

  get pid(): Pid {
    return this.ctx.self;
  }

  /** The server's process has exited (at once: before the exit callbacks run). */
  get exited(): boolean {
    return hasExited(this.ctx);
  }

  /** Sends a cast to the server's own mailbox. */
  cast(msg: { readonly type: string }): void {
    deliverTo(this.ctx, new Cast(msg));
  }

  /** Runs one of the server's own callbacks: a request made while it runs comes from the server itself. */
  #own<R>(callback: () => R): R {
    this.#inCallback = true;
    try {
      return callback();
    } finally {
      this.#inCallback = false;
    }
  }

  // ---- requests --------------------------------------------------------------------------

  /**
   * Sends a request and returns what its caller awaits. A request from the server itself (named
   * as `caller`, or made while one of its callbacks runs on the stack) fails at once.
   */
  request(kind: Kind, target: Pid | string | Via | RemoteName, request: unknown, timeout: number | 'infinity' | undefined, caller?: Pid): Promise<unknown> {
    if (this.#inCallback || caller === this.ctx.self) return Promise.reject(failure(target, 'calling_self', kind, request, timeout));
    const pending = new Pending(kind, this, target, request, timeout, caller);
    this.#track(pending);
    const timed = startTimeout(pending);
    deliverTo(this.ctx, pending);
    if (!timed) fail(pending, 'timeout');
    return pending.promise;
  }

  #track(pending: Pending): void {
    pending.prev = this.#last;
    if (this.#last === null) this.#first = pending;
    else this.#last.next = pending;
    this.#last = pending;
  }

  untrack(pending: Pending): void {
    pending.done = true;
    if (pending.deadline !== null) {
      this.deadlines.cancel(pending.deadline);
      pending.deadline = null;
    }
    if (pending.prev === null) this.#first = pending.next;
    else pending.prev.next = pending.next;
    if (pending.next === null) this.#last = pending.prev;
    else pending.next.prev = pending.prev;
    pending.prev = pending.next = null;
  }

  /** The process has exited: every unanswered request fails with its reason (a stop succeeds). */
  exitedWith(reason: ExitReason): void {
    this.#startFailed?.(reason); // killed (or linked to a crash) while init ran
    const stopping = this.#stopping;
    for (let p = this.#first; p !== null; ) {
      const next = p.next;
      this.untrack(p);
      if (p === stopping && reason === (stopping.request as ExitReason)) p.resolve(undefined);
      else p.reject(failure(p.target, reason, p.kind, p.request, p.timeout));
      p = next;
    }
  }

  // ---- start -----------------------------------------------------------------------------

  /** Runs init; `started` learns the outcome, once, before any message is handled. */
  start(arg: unknown, timeout: number | 'infinity', started: (result: StartResult<Protocol>) => void): void {
    let done = false;
    const ack = (result: StartResult<Protocol>): void => {
      if (done) return;
      done = true;
      this.#startFailed = null;
      cancelTimer();
      started(result);
    };
    this.#startFailed = (reason) => ack({ type: 'error', reason });
    const cancelTimer =
      timeout === 'infinity'
        ? () => {}
        : clockTimer(this.ctx.runtime, timeout, () => {
            if (done) return;
            ack({ type: 'error', reason: 'timeout' });
            // As proc_lib: unlink from the parent before the kill, so the parent neither dies nor gets an EXIT.
            if (this.parent !== undefined) this.ctx.unlink(this.parent);
            this.ctx.runtime.exit(this.ctx.self, 'kill');
          });
    const fail = (reason: StartError & ExitReason): void => {
      endProcess(this.ctx, reason);
      ack({ type: 'error', reason });
    };
    const apply = (result: unknown): void => {
      if (done || this.exited) return;
      const r = result as Result;
      switch (typeof r === 'object' && r !== null ? r.next : undefined) {
        case 'ok':
          this.state = r.state;
          this.#setAction(r.action);
          ack({ type: 'ok', pid: this.ctx.self });
          this.#loop();
          return;
        case 'ignore':
          ack({ type: 'ignore' });
          endProcess(this.ctx, 'normal');
          return;
        case 'stop': {
          const reason = toExitReason(r.reason);
          // As proc_lib's crash report for an init that stops with an unexpected reason.
          if (!isExpectedExit(reason)) this.#report('gen_server.init_failed', reason, undefined, false);
          fail(reason);
          return;
        }
        default:
          fail(badReturn(result));
      }
    };
    const crash = (error: unknown): void => {
      if (done) return;
      if (isThrownResult(error)) {
        apply(error); // a thrown Next.* result is init's result, as gen_server's init catches throw
        return;
      }
      if (error instanceof ProcessExit && error.pid === this.ctx.self) {
        ack({ type: 'error', reason: error.reason }); // answered by #ownExit already, unless the process was ended from outside
        return;
      }
      if (this.exited) return;
      const reason = reasonOfThrown(error);
      this.#report('gen_server.init_failed', reason, undefined, false);
      fail(reason);
    };
    let result: unknown;
    try {
      result = this.#own(() => this.behaviour.init(arg as never, this.ctx));
    } catch (error) {
      crash(error);
      return;
    }
    if (isThenable(result)) result.then(apply, crash);
    else apply(result);
  }

  // ---- the loop --------------------------------------------------------------------------

  /** Handles messages until the mailbox is empty (then waits) or a callback is pending. */
  #loop(): void {
    while (!this.exited) {
      if (this.#continue !== NONE) {
        const arg = this.#continue;
        this.#continue = NONE;
        const handle = this.behaviour.handleContinue;
        if (handle === undefined) {
          this.#crash(new TypeError('handleContinue is not defined, but a callback returned { continue }'), { continue: arg });
          return;
        }
        if (!this.#run(handle, arg, NONE, new ContinueMessage(arg), HANDLE_OTHER, null)) return;
        continue;
      }
      const msg = takeMessage(this.ctx);
      if (msg === NO_MESSAGE) {
        if (this.#timeout === 0) {
          this.#timeout = 'infinity';
          if (!this.#dispatch(TIMEOUT)) return;
          continue;
        }
        const timeout = this.#timeout;
        this.#timeout = 'infinity';
        this.#armed = timeout;
        awaitMessage(this.ctx, this.#onMessage, timeout);
        return;
      }
      this.#armed = this.#timeout;
      this.#timeout = 'infinity'; // any message but a system request cancels an idle timeout
      if (!this.#dispatch(msg)) return;
    }
  }

  /**
   * The loop while suspended, as sys's suspend_loop: a selective receive of system requests and
   * the parent's EXIT; every other message stays queued, in order, for the loop after resume.
   * True once resumed without waiting: the caller's loop goes on (no recursion, however many
   * suspends and resumes are queued); false while it waits, or once the server is ending.
   */
  #suspendedLoop(): boolean {
    while (this.#suspended) {
      if (this.exited || this.#terminating) return false;
      const msg = takeMatching(this.ctx, this.#isSystem);
      if (msg === NO_MESSAGE) {
        void this.ctx.receive(this.#isSystem).then(this.#onSystem); // never settles if the process exits
        return false;
      }
      this.#dispatch(msg);
    }
    return !this.exited && !this.#terminating; // resumed (a stop ends the loop instead)
  }

  /** Handles one message; true when it finished synchronously and the loop may go on. */
  #dispatch(msg: unknown): boolean {
    if (this.exited || this.#terminating) return false;
    this.handled++;
    this.lastMessage = msg;
    if (msg instanceof Pending) {
      if (msg.kind !== CALL) return this.#system(msg);
      if (this.#debug !== null) this.#debugIn(msg);
      return this.#call(msg);
    }
    if (this.#debug !== null) this.#debugIn(msg);
    const b = this.behaviour;
    if (msg instanceof Cast) return this.#cast(msg);
    if (isGenMessage(msg)) {
      // Erlang's {'$gen_call', From, Req} and {'$gen_cast', Msg} as plain messages: from another node.
      if (msg.type === '$gen_cast') return this.#cast(new Cast(msg.msg as { readonly type: string }));
      if (isRemoteFrom(msg.from)) {
        const pending = new RemoteCall(this, this.ctx.runtime, msg.from, msg.request);
        this.#track(pending);
        return this.#call(pending);
      }
    }
    if (this.parent !== undefined && isExitFrom(msg, this.parent)) {
      this.#terminate(msg.reason, msg, undefined); // the parent's EXIT is an order to stop, never an info
      return false;
    }
    const handleInfo = b.handleInfo;
    if (handleInfo === undefined) {
      this.ctx.runtime.logger.warn(
        { label: 'gen_server.unexpected_message', pid: this.ctx.self, name: this.name, message: describe(msg) }, // not `msg`: pino's message key
        `gen_server ${this.name ?? this.ctx.self} received an unexpected message`,
      );
      return true;
    }
    return this.#run(handleInfo, msg, NONE, msg, HANDLE_OTHER, null);
  }

  /**
   * Answers a system request; true when the loop may go on (false once stopping or suspended).
   * The idle timeout in force stays armed, restarted, as a system message leaves it in Erlang.
   */
  #system(msg: Pending): boolean {
    this.#timeout = this.#armed;
    const view = this.behaviour[SYS_VIEW];
    switch (msg.kind) {
      case STOP:
        this.#suspended = false;
        this.#stopping = msg;
        this.#terminate(msg.request as ExitReason, msg, undefined);
        return false;
      case GET_STATE:
        answer(msg, view === undefined ? this.state : view.get(this.state));
        return true;
      case REPLACE_STATE: {
        let state: unknown;
        try {
          state = this.#own(() => {
            const update = msg.request as (s: unknown) => unknown;
            return view === undefined ? update(this.state) : view.replace(this.state, update(view.get(this.state)));
          });
        } catch (error) {
          msg.owner.untrack(msg);
          msg.reject(error); // Erlang: sys:replace_state fails the caller and keeps the state
          return true;
        }
        this.state = state;
        answer(msg, view === undefined ? state : view.get(state));
        return true;
      }
      case GET_STATUS:
        answer(msg, this.#status(view?.module ?? 'gen_server'));
        return true;
      case SUSPEND:
        answer(msg, undefined);
        if (this.#suspended) return true; // already in the suspended loop, which goes on
        this.#suspended = true;
        return this.#suspendedLoop();
      case RESUME:
        this.#suspended = false; // the suspended loop, if it runs, ends and resumes the main loop
        answer(msg, undefined);
        return true;
      case TRACE:
        this.#setDebug(this.#tracer(msg.request as boolean | ((event: SysEvent) => void)), this.#debug?.stats ?? null);
        answer(msg, undefined);
        return true;
      case INSTALL: {
        const debug = (this.#debug ??= new Debug());
        if (!debug.installed.includes(msg.request as Installed)) debug.installed.push(msg.request as Installed);
        answer(msg, undefined);
        return true;
      }
      case REMOVE:
        if (this.#debug !== null) this.#uninstall(this.#debug, msg.request as Installed);
        answer(msg, undefined);
        return true;
      case STATISTICS: {
        const stats = this.#debug?.stats ?? null;
        if (msg.request === 'get') {
          const now = clockNow(this.ctx.runtime);
          answer(msg, stats === null ? undefined : ({ startTime: stats.startTime, currentTime: now, messagesIn: stats.in, messagesOut: stats.out } satisfies SysStatistics));
          return true;
        }
        if (msg.request === true) this.#setDebug(this.#debug?.trace ?? null, stats ?? { startTime: clockNow(this.ctx.runtime), in: 0, out: 0 });
        else this.#setDebug(this.#debug?.trace ?? null, null);
        answer(msg, undefined);
        return true;
      }
      default:
        return true;
    }
  }

  /** Where a trace goes: the function given, or for `true` the runtime's logger; null for off. */
  #tracer(to: boolean | ((event: SysEvent) => void)): ((event: SysEvent) => void) | null {
    if (to === false) return null;
    if (to !== true) return to;
    const logger = this.ctx.runtime.logger;
    const name = this.name;
    return (event) => logEvent(logger, name, event);
  }

  #setDebug(trace: ((event: SysEvent) => void) | null, stats: Debug['stats']): void {
    const debug = (this.#debug ??= new Debug());
    debug.trace = trace;
    debug.stats = stats;
    this.#dropIdle(debug);
  }

  /** Removes an installed function. */
  #uninstall(debug: Debug, fn: Installed): void {
    const i = debug.installed.indexOf(fn);
    if (i >= 0) debug.installed.splice(i, 1);
    this.#dropIdle(debug);
  }

  /** With no trace, installed function or statistics left, the loop is back to its one null check. */
  #dropIdle(debug: Debug): void {
    if (!debug.watched && debug.stats === null && this.#debug === debug) this.#debug = null;
  }

  #status(module: SysStatus['module']): SysStatus {
    return {
      pid: this.ctx.self,
      name: this.name,
      module,
      status: this.#suspended ? 'suspended' : 'running',
      parent: this.parent ?? this.ctx.self,
      ancestors: this.ancestors,
      initialCall: initialCallOf(this.behaviour),
      trace: this.#debug?.trace != null,
      statistics: this.#debug?.stats != null,
      state: this.#formatState(),
    };
  }

  /** The state as formatStatus shows it, for reports and status; a formatStatus that throws is shown as such. */
  #formatState(): unknown {
    try {
      return this.behaviour.formatStatus !== undefined ? this.behaviour.formatStatus(this.state) : this.state;
    } catch (error) {
      return `formatStatus threw: ${String(error)}`;
    }
  }

  /** A message in, traced and counted (not the parent's EXIT, which is an order to stop). */
  #debugIn(msg: unknown): void {
    if (this.parent !== undefined && isExitFrom(msg, this.parent)) return;
    const debug = this.#debug!;
    if (debug.stats !== null) debug.stats.in++;
    if (!debug.watched) return;
    const pid = this.ctx.self;
    let event: SysEvent;
    if (msg instanceof Pending) event = { type: 'in', pid, kind: 'call', request: msg.request, from: msg.caller };
    else if (msg instanceof Cast) event = { type: 'in', pid, kind: 'cast', msg: msg.msg };
    else if (isGenMessage(msg)) {
      event = msg.type === '$gen_cast' ? { type: 'in', pid, kind: 'cast', msg: msg.msg } : { type: 'in', pid, kind: 'call', request: msg.request, from: isRemoteFrom(msg.from) ? msg.from.pid : undefined };
    } else {
      const cast = this.behaviour[SYS_VIEW]?.castOf?.(msg);
      event = cast === undefined ? { type: 'in', pid, kind: 'info', msg } : { type: 'in', pid, kind: 'cast', msg: cast.msg };
    }
    this.#emit(debug, event);
  }

  /**
   * A callback's result applied: a reply out, or a new state without one; after handleContinue,
   * first the continue itself (as gen_server reports `{continue, Arg}` once the callback has run).
   */
  #debugOut(msg: unknown, call: Pending | null, replied: boolean, reply: unknown): void {
    const debug = this.#debug!;
    if (replied && debug.stats !== null) debug.stats.out++;
    if (!debug.watched) return;
    const pid = this.ctx.self;
    if (msg instanceof ContinueMessage) {
      this.#emit(debug, { type: 'continue', pid, arg: msg.continue });
      if (!debug.watched) return; // they threw or were done, and were removed
    }
    const view = this.behaviour[SYS_VIEW];
    const state = view === undefined ? this.state : view.get(this.state);
    this.#emit(debug, replied ? { type: 'out', pid, reply, to: call!.caller ?? (call instanceof RemoteCall ? (call.target as Pid) : undefined), state } : { type: 'noreply', pid, state });
  }

  /**
   * A reply a callback sent as an action (a StateMachine's reply action): an `out` event, as
   * gen_statem reports `{out, Reply, From}` to sys. One field check while nothing watches.
   */
  tracedReply(from: unknown, reply: unknown): void {
    const debug = this.#debug;
    if (debug === null) return;
    if (debug.stats !== null) debug.stats.out++;
    if (!debug.watched) return;
    const to = from instanceof RemoteCall ? (from.target as Pid) : from instanceof Pending ? from.caller : isRemoteFrom(from) ? from.pid : undefined;
    const view = this.behaviour[SYS_VIEW];
    this.#emit(debug, { type: 'out', pid: this.ctx.self, reply, to, state: view === undefined ? this.state : view.get(this.state) });
  }

  /**
   * Hands an event to the trace and to each installed function. One that throws is removed and
   * logged, as sys removes a debug function that crashes; an installed one that returns `'done'`
   * is removed, as a sys:install function that returns `done`.
   */
  #emit(debug: Debug, event: SysEvent): void {
    const trace = debug.trace;
    if (trace !== null) {
      try {
        trace(event);
      } catch (error) {
        this.#setDebug(null, debug.stats);
        this.#debugFailed(error, 'the trace is off');
      }
    }
    const installed = debug.installed;
    for (let i = 0; i < installed.length; ) {
      const fn = installed[i]!;
      let result: unknown;
      try {
        result = fn(event);
      } catch (error) {
        this.#uninstall(debug, fn); // the next one slides into slot i
        this.#debugFailed(error, 'the installed function is removed');
        continue;
      }
      if (result === 'done') this.#uninstall(debug, fn);
      else i++;
    }
  }

  #debugFailed(error: unknown, what: string): void {
    this.ctx.runtime.logger.warn({ label: 'sys.trace_failed', pid: this.ctx.self, name: this.name, err: reportedError(error) }, `sys trace of ${this.name ?? this.ctx.self} threw; ${what}`);
  }

  /** Runs handleCast for a cast. */
  #cast(msg: Cast): boolean {
    const type = msg.msg.type;
    const handler = (this.behaviour.handleCast as Record<string, Function> | undefined)?.[type];
    if (typeof handler !== 'function') {
      const any = this.behaviour[ANY_REQUEST];
      if (any !== undefined) return this.#run(any.cast, msg.msg, NONE, msg, HANDLE_OTHER, null);
      this.#crash(new TypeError(`no handleCast for ${JSON.stringify(type)}`), msg);
      return false;
    }
    return this.#run(handler, msg.msg, NONE, msg, HANDLE_OTHER, null);
  }

  /** Runs handleCall for a call. */
  #call(msg: Pending): boolean {
    const type = (msg.request as { type?: unknown } | null)?.type;
    const handler = typeof type === 'string' ? (this.behaviour.handleCall as Record<string, Function> | undefined)?.[type] : undefined;
    if (typeof handler !== 'function') {
      const any = this.behaviour[ANY_REQUEST];
      if (any !== undefined) return this.#run(any.call, msg.request, msg, msg, HANDLE_CALL, msg);
      this.#crash(new TypeError(`no handleCall for ${JSON.stringify(type)}`), msg);
      return false;
    }
    return this.#run(handler, msg.request, msg, msg, HANDLE_CALL, msg);
  }

  /**
   * Calls `handler(first, [second,] state, ctx)` and applies its result; true when all of that
   * was synchronous. `second` is NONE for the callbacks that take one argument. The handler is
   * called directly, not through a closure: this runs for every message. A thrown (or rejected)
   * `Next.*` result is the handler's result, as gen_server uses a thrown value; anything else
   * thrown is a crash.
   */
  #run(handler: Function, first: unknown, second: unknown, msg: unknown, what: number, call: Pending | null): boolean {
    let result: unknown;
    this.#inCallback = true; // as #own does, written out: no closure per message
    try {
      result = second === NONE ? handler(first, this.state, this.ctx) : handler(first, second, this.state, this.ctx);
    } catch (error) {
      this.#inCallback = false;
      if (isThrownResult(error)) return this.#apply(error, msg, what, call);
      this.#crash(error, msg);
      return false;
    }
    this.#inCallback = false;
    if (isThenable(result)) {
      result.then(
        (value) => {
          if (this.#apply(value, msg, what, call)) this.#loop();
        },
        (error: unknown) => {
          if (!isThrownResult(error)) this.#crash(error, msg);
          else if (this.#apply(error, msg, what, call)) this.#loop();
        },
      );
      return false;
    }
    return this.#apply(result, msg, what, call);
  }

  /** Applies a callback's result; true when the server goes on. Ignored once the server is ending (the callback called ctx.exit). */
  #apply(result: unknown, msg: unknown, what: number, call: Pending | null): boolean {
    if (this.#terminating || this.exited) return false;
    const r = result as Result;
    const next = typeof r === 'object' && r !== null ? r.next : undefined;
    if (next === 'reply' && what === HANDLE_CALL) {
      this.state = r.state;
      this.#setAction(r.action);
      answer(call!, r.reply);
      if (this.#debug !== null) this.#debugOut(msg, call, true, r.reply);
      return true;
    }
    if (next === 'noreply') {
      this.state = r.state;
      this.#setAction(r.action);
      if (this.#debug !== null) this.#debugOut(msg, call, false, undefined);
      return true;
    }
    if (next === 'stop') {
      this.state = r.state;
      this.#terminate(toExitReason(r.reason), msg, r.replies === true && call !== null ? { call, value: r.reply } : undefined);
      return false;
    }
    this.#terminate(badReturn(result), msg, undefined); // terminate first, as a stop would
    return false;
  }

  #setAction(action: NextAction | undefined): void {
    if (action === undefined) return;
    if ('continue' in action) this.#continue = action.continue;
    else if ('timeout' in action) this.#timeout = action.timeout;
  }

  // ---- the end ---------------------------------------------------------------------------

  /** A callback threw: terminate runs with the error, then the server exits with it, reported. */
  #crash(error: unknown, msg: unknown): void {
    // Nothing to do once the server is ending or gone: this is then the ProcessExit that
    // ctx.exit threw to unwind the callback, or a callback's late failure.
    if (this.#terminating || this.exited) return;
    this.#terminate(reasonOfThrown(error), msg, undefined);
  }

  /**
   * The server's own `ctx.exit(reason)`: an exception gen_server's loop catches. In init the
   * start returns the reason and the kernel ends the process; in a callback (or any code of the
   * server's while it waits) terminate runs with the state the callback was given, then the
   * server exits with the reason, reported unless expected; in terminate itself it is
   * terminate's failure: reported, and the server exits with it.
   */
  #ownExit(reason: ExitReason): boolean {
    const startFailed = this.#startFailed;
    if (startFailed !== null) {
      // In init, before or after an await: as gen_server's init_it, the start returns the
      // reason, then the process exits with it, so a linked starter gets the EXIT.
      if (!isExpectedExit(reason)) this.#report('gen_server.init_failed', reason, undefined, false);
      startFailed(reason);
      return false;
    }
    if (this.#finish !== null) {
      this.#finish(reason, true);
      return true;
    }
    if (this.#terminating) return false;
    this.#terminate(reason, this.lastMessage, undefined);
    return true;
  }

  /** Runs terminate, replies if asked to, reports an unexpected reason, and ends the process. */
  #terminate(reason: ExitReason, msg: unknown, reply: { call: Pending; value: unknown } | undefined): void {
    if (this.exited || this.#terminating) return; // killed meanwhile: terminate does not run, as for any kill
    this.#terminating = true;
    this.lastMessage = msg;
    const finish = (final: ExitReason, terminateFailed: boolean): void => {
      this.#finish = null;
      if (this.exited) return;
      if (reply !== undefined) answer(reply.call, reply.value);
      // A failed terminate is reported whatever its reason, as gen_server's error_info.
      if (terminateFailed || !isExpectedExit(final)) this.#report('gen_server.terminate', final, msg, terminateFailed);
      if (this.#stopping !== null && final !== reason) this.#stopping = null; // terminate crashed: the stop fails
      endProcess(this.ctx, final);
    };
    const terminate = this.behaviour.terminate;
    if (terminate === undefined) {
      finish(reason, false);
      return;
    }
    this.#finish = finish;
    let result: unknown;
    try {
      result = this.#own(() => terminate(reason, this.state, this.ctx));
    } catch (error) {
      if (isThrownResult(error)) finish(reason, false);
      else finish(reasonOfThrown(error), true); // does nothing after ctx.exit, which finished already
      return;
    }
    if (isThenable(result)) {
      result.then(
        () => finish(reason, false),
        (error: unknown) => (isThrownResult(error) ? finish(reason, false) : finish(reasonOfThrown(error), true)),
      );
    } else {
      finish(reason, false);
    }
  }

  /**
   * One error report per crash, with what OTP's gen_server and proc_lib reports show: the last
   * message and the client that sent it, the state as formatStatus shows it, the reason and the
   * error (its stack without ts-otp's own frames), ancestors, initial call, queue length, links.
   */
  #report(label: string, reason: ExitReason, msg: unknown, inTerminate: boolean): void {
    const state = this.#formatState();
    const last = msg === undefined ? this.lastMessage : msg;
    const info = this.ctx.runtime.processInfo(this.ctx.self);
    const cause = typeof reason === 'object' && reason.tag === 'error' ? reason.cause : undefined;
    this.ctx.runtime.logger.error(
      {
        label,
        pid: this.ctx.self,
        name: this.name,
        lastMessage: describe(last),
        client: last instanceof Pending ? last.caller : undefined,
        state,
        reason: formatReason(reason),
        inTerminate,
        initialCall: initialCallOf(this.behaviour),
        ancestors: this.ancestors,
        messageQueueLen: info?.messageQueueLen ?? 0,
        links: info?.links ?? [],
        err: cause === undefined ? undefined : reportedError(cause),
      },
      `gen_server ${this.name ?? this.ctx.self} terminating: ${formatReason(reason)}`,
    );
  }
}

/** A `$gen_call` or `$gen_cast` sent as a plain message. */
function isGenMessage(msg: unknown): msg is { type: '$gen_call' | '$gen_cast'; from?: unknown; request?: unknown; msg?: unknown } {
  if (typeof msg !== 'object' || msg === null) return false;
  const type = (msg as { type?: unknown }).type;
  return type === '$gen_call' || type === '$gen_cast';
}

/** `true` for an EXIT message from `pid`. */
export function isExitFrom(msg: unknown, pid: Pid): msg is ExitMessage {
  return typeof msg === 'object' && msg !== null && (msg as Partial<ExitMessage>).type === 'EXIT' && (msg as ExitMessage).from === pid;
}

/** What a report shows as the initial call: the init function's name, with the behaviour's class when it has one. */
function initialCallOf(behaviour: object): string {
  try {
    const init = (behaviour as { init?: { name?: unknown } }).init;
    const fn = typeof init?.name === 'string' && init.name !== '' ? init.name : 'init';
    const ctor = Object.getPrototypeOf(behaviour)?.constructor as { name?: unknown } | undefined;
    return typeof ctor?.name === 'string' && ctor.name !== '' && ctor !== Object ? `${ctor.name}.${fn}` : fn;
  } catch {
    return 'init'; // a Proxy behaviour that cannot be read
  }
}

function badReturn(value: unknown): ExitReason {
  return { tag: 'exit', value: { bad_return_value: value } };
}

/** A message as a report shows it: the request of a call, the message of a cast. */
function describe(msg: unknown): unknown {
  if (msg instanceof Pending) return msg.kind === CALL ? { call: msg.request } : { system: msg.kind };
  if (msg instanceof Cast) return { cast: msg.msg };
  if (msg === TIMEOUT) return 'timeout';
  return msg;
}
