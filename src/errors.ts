/**
 * Error classes: every error ts-otp throws or rejects with is an {@link OtpError}.
 *
 * Bad input (a non-function to spawn, a negative timeout, a malformed pid) throws an
 * {@link InvalidArgumentError} at the call, naming the function, the argument and the value,
 * and leaves the runtime as it was. Outcomes Erlang reports as `noproc` or `badarg` have their
 * own classes with readonly fields for the data a handler needs.
 *
 * @module
 */
import { describeValue as describe, formatReason, textOf, toExitReason, type ExitReason } from './process/exit_reason.js';
import type { Pid, RemoteName } from './process/pid.js';
import type { Via } from './process/via.js';

const otpErrorBrand = Symbol.for('ts-otp.OtpError');

/**
 * The one base class of ts-otp's errors.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, OtpError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * expect(() => rt.spawn(42 as never)).toThrow(OtpError);
 * expect(() => rt.spawn(42 as never)).toThrow(InvalidArgumentError);
 * ```
 */
export class OtpError extends Error {
  override name: string = 'OtpError';
  /** @internal brand checked by {@link isOtpError}, so the check works across realms and copies */
  readonly [otpErrorBrand] = true;
}

/**
 * `true` for an {@link OtpError}, also one from another copy of ts-otp or another realm.
 *
 * @example
 * ```ts
 * import { isOtpError, NoProcError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(isOtpError(new NoProcError('link', 'worker'))).toBe(true);
 * expect(isOtpError(new Error('plain'))).toBe(false);
 * ```
 */
export function isOtpError(value: unknown): value is OtpError {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as Record<symbol, unknown>)[otpErrorBrand] === true;
  } catch {
    return false; // a revoked Proxy or a throwing getter: not one of ours
  }
}

/**
 * A function was called with an argument it cannot accept. Thrown at the call; nothing changed.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * try {
 *   rt.sendAfter(-1, 'somebody', 'late');
 * } catch (e) {
 *   expect(e).toBeInstanceOf(InvalidArgumentError);
 *   expect((e as InvalidArgumentError).argument).toBe('ms');
 *   expect((e as InvalidArgumentError).value).toBe(-1);
 * }
 * ```
 */
export class InvalidArgumentError extends OtpError {
  override name = 'InvalidArgumentError' as const;
  constructor(
    /** The function that was called, such as `'spawn'`. */
    readonly operation: string,
    /** The argument's name, such as `'fn'`. */
    readonly argument: string,
    /** The value that was passed. */
    readonly value: unknown,
    /** What the argument must be, as a phrase: `'a function'`. */
    readonly expected: string,
  ) {
    super(`${textOf(operation)}: argument '${textOf(argument)}' must be ${textOf(expected)}, got ${describe(value)}`);
  }
}

/**
 * The target process does not exist: linking a dead pid while not trapping exits, or sending
 * to a name nobody registered (Erlang's `noproc` and `badarg`).
 *
 * @example
 * ```ts
 * import { NoProcError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * expect(() => rt.send('nobody', 'hello')).toThrow(NoProcError);
 * ```
 */
export class NoProcError extends OtpError {
  override name = 'NoProcError' as const;
  constructor(
    /** The operation that found no process: `'link'`, `'send'`. */
    readonly operation: string,
    /** The pid, registered name or via name that was not there. */
    readonly target: Pid | string | Via,
    options?: ErrorOptions,
  ) {
    super(`${textOf(operation)}: no process ${describe(target)}`, options);
  }
}

/**
 * Why {@link RegisterError} was thrown.
 *
 * @example
 * ```ts
 * import { RegisterError, Runtime, type RegisterErrorReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const a = rt.spawn((ctx) => ctx.receive());
 * const b = rt.spawn((ctx) => ctx.receive());
 * rt.register('db', a);
 * const reasonOf = (f: () => void): RegisterErrorReason | undefined => {
 *   try { f(); } catch (e) { if (e instanceof RegisterError) return e.reason; }
 *   return undefined;
 * };
 * expect(reasonOf(() => rt.register('db', b))).toBe('name_taken');
 * expect(reasonOf(() => rt.register('cache', a))).toBe('already_registered');
 * rt.killAll();
 * ```
 */
export type RegisterErrorReason =
  | 'name_taken' // another process holds the name
  | 'already_registered' // the process already has a name
  | 'not_alive' // the process to register has exited
  | 'not_registered'; // unregister of a name nobody holds

/**
 * register or unregister failed, as Erlang's `badarg` does for the same calls.
 *
 * @example
 * ```ts
 * import { RegisterError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * try {
 *   rt.unregister('nobody');
 * } catch (e) {
 *   expect(e).toBeInstanceOf(RegisterError);
 *   expect((e as RegisterError).reason).toBe('not_registered');
 * }
 * ```
 */
export class RegisterError extends OtpError {
  override name = 'RegisterError' as const;
  constructor(
    /** The name asked for. */
    readonly registeredName: string,
    /** What was wrong. */
    readonly reason: RegisterErrorReason,
    /** The process concerned, where there is one. */
    readonly pid?: Pid,
  ) {
    super(`register ${describe(registeredName)}${pid === undefined ? '' : ` for ${textOf(pid)}`} failed: ${textOf(reason)}`);
  }
}

/**
 * A process ended with `reason`. Thrown by `ctx.exit(...)` to unwind the caller's code when the
 * call ended the caller, and the rejection of {@link Runtime.run} when its process exits without
 * returning a value. Catching it does not bring the process back: it has already exited.
 *
 * @example
 * ```ts
 * import { ProcessExit, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const outcome = rt.run((ctx) => ctx.exit('shutdown'));
 * await expect(outcome).rejects.toBeInstanceOf(ProcessExit);
 * await expect(outcome).rejects.toMatchObject({ reason: 'shutdown' });
 * ```
 */
export class ProcessExit extends OtpError {
  override name = 'ProcessExit' as const;
  constructor(
    /** The process that exited. */
    readonly pid: Pid,
    /** Its exit reason. */
    readonly reason: ExitReason,
    options?: ErrorOptions,
  ) {
    super(`process ${textOf(pid)} exited: ${formatReason(reason)}`, options);
  }
}

/**
 * @internal What to log as a record's `err`: the value itself when a logger can read it, else its
 * description. pino's error serializer reads `message`, `stack`, `name`, `constructor`, `cause`,
 * `errors` and every enumerable key, and a revoked Proxy or a throwing getter among them makes
 * the log call throw, in the middle of whatever was reporting the failure.
 */
export function loggableError(value: unknown): unknown {
  return readable(value, 0) ? value : describe(value);
}

function readable(value: unknown, depth: number): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return true;
  if (depth > 3) return false; // causes nested this deep are not worth the walk
  try {
    const e = value as Record<string, unknown>;
    for (const key of ['message', 'stack', 'name', 'constructor']) void e[key];
    for (const key in e) void e[key];
    const errors = e['errors'];
    return readable(e['cause'], depth + 1) && (!Array.isArray(errors) || errors.every((x) => readable(x, depth + 1)));
  } catch {
    return false;
  }
}

const exitsWith = Symbol.for('ts-otp.exitsWith');

/**
 * @internal The exit reason a thrown error stands for, when it is an Erlang exit rather than a
 * crash: a process that does not catch it ends with this reason and no crash report, as a
 * process that does not catch a failed `gen_server:call` exits with `{Reason, {gen_server, call, Args}}`.
 */
export function exitReasonOf(error: unknown): ExitReason | undefined {
  if (!isOtpError(error)) return undefined;
  try {
    const reason = (error as unknown as Record<symbol, unknown>)[exitsWith];
    return reason === undefined ? undefined : toExitReason(reason);
  } catch {
    return undefined; // an object that claims to be ours but cannot say why: a crash like any other
  }
}

/**
 * What made a {@link CallError}: the server's exit reason, `'timeout'` or `'calling_self'`.
 *
 * @example
 * ```ts
 * import { CallError, type CallFailure } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const reasons: CallFailure[] = ['timeout', 'calling_self', 'noproc', { tag: 'error', cause: new Error('boom') }];
 * expect(reasons.map((r) => new CallError('kv', r, { type: 'get' }).reason)).toEqual(reasons);
 * ```
 */
export type CallFailure = ExitReason | 'timeout' | 'calling_self';

/**
 * Options of a {@link CallError}.
 *
 * @example
 * ```ts
 * import { CallError, type CallErrorOptions } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: CallErrorOptions = { lookedUpIn: 'runtime 3' };
 * const error = new CallError('kv', 'noproc', { type: 'get' }, undefined, options);
 * expect(error.message).toBe('call to "kv" failed: no process is registered as "kv" in runtime 3 (noproc)');
 * ```
 */
export interface CallErrorOptions extends ErrorOptions {
  /** Where a registered name was looked up, as a phrase: `'the default runtime'`, `'runtime 3'`. */
  readonly lookedUpIn?: string;
  /** The process is alive but is not a GenServer, so it cannot answer a stop or a state request. */
  readonly notAServer?: boolean;
}

/** A server as messages show it: a pid as it is, a name quoted. */
function serverText(server: Pid | string | Via | RemoteName): string {
  return typeof server === 'string' && server.startsWith('<') ? server : describe(server);
}

/** Why a call failed, in words; the reason's tag stays in parentheses for those who know Erlang's. */
function callFailureText(server: Pid | string | Via | RemoteName, reason: CallFailure, timeout: number | 'infinity' | undefined, options: CallErrorOptions | undefined): string {
  const lookedUpIn = options?.lookedUpIn;
  if (reason === 'noproc' && options?.notAServer === true) return 'the process is alive but is not a GenServer, so it cannot answer this (noproc)';
  if (reason === 'noproc') {
    if (typeof server !== 'string') return `no process is registered as ${describe(server)} (noproc)`; // a via name
    return !server.startsWith('<') ? `no process is registered as ${describe(server)} in ${lookedUpIn ?? 'its runtime'} (noproc)` : 'the process is not alive (noproc)';
  }
  if (reason === 'timeout') return `no reply within ${timeout === undefined ? 5000 : textOf(timeout)} ms (timeout)`;
  if (reason === 'calling_self') return 'a process called itself, and would wait for ever for its own reply (calling_self)';
  return `it exited before replying, with reason ${formatReason(reason)}`;
}

/**
 * A call got no reply: the server was not there (`'noproc'`), exited before replying (its exit
 * reason), did not reply in time (`'timeout'`), or was called from itself (`'calling_self'`: it
 * would wait for itself, so the call fails at once, as in Erlang).
 *
 * `reason` keeps Erlang's tag as data; the message says it in words, with the name and the
 * runtime looked up when a registered name was not found. A process that does not catch it ends
 * with {@link CallError.exitReason}, Erlang's `{Reason, {gen_server, call, Args}}` as
 * `{ tag: 'exit', value: { reason, call } }`, and no crash report, as in OTP. `call.timeout` is
 * present only when the caller passed a timeout, as Erlang lists the timeout in `Args` only then.
 *
 * @example
 * ```ts
 * import { CallError, GenServer, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn(() => {});
 * await rt.settle(); // it has exited
 * const failed = await GenServer.call(pid, { type: 'get' }).catch((e: unknown) => e);
 * expect(failed).toBeInstanceOf(CallError);
 * expect((failed as CallError).reason).toBe('noproc');
 * expect((failed as CallError).message).toBe(`call to ${pid} failed: the process is not alive (noproc)`);
 * expect((failed as CallError).exitReason).toEqual({
 *   tag: 'exit',
 *   value: { reason: 'noproc', call: { server: pid, request: { type: 'get' } } },
 * });
 * ```
 */
export class CallError extends OtpError {
  override name: 'CallError' | 'StopError' = 'CallError';
  /** Where a registered name was looked up, when the call named a server that was not found. */
  readonly lookedUpIn: string | undefined;
  constructor(
    /** The server as the caller named it: a pid, a registered name, a via name or a `{ name, node }`. */
    readonly server: Pid | string | Via | RemoteName,
    /** Why there is no reply. */
    readonly reason: CallFailure,
    /** What was asked. */
    readonly request: unknown,
    /** The timeout the caller passed, if it passed one. */
    readonly timeout?: number | 'infinity',
    options?: CallErrorOptions,
  ) {
    super(`${new.target === StopError ? 'stop of' : 'call to'} ${serverText(server)} failed: ${callFailureText(server, reason, timeout, options)}`, options);
    this.lookedUpIn = options?.lookedUpIn;
  }

  /** The exit reason of a process that does not catch this error. */
  get exitReason(): ExitReason {
    const call = this.timeout === undefined ? { server: this.server, request: this.request } : { server: this.server, request: this.request, timeout: this.timeout };
    return { tag: 'exit', value: { reason: this.reason, call } };
  }

  /** @internal */
  get [exitsWith](): ExitReason {
    return this.exitReason;
  }
}

/**
 * A failed `GenServer.stop`: the server was not there (`'noproc'`), its terminate failed (with
 * that failure's reason), or it did not stop in time (`'timeout'`). A process that does not catch
 * it exits with the bare reason (`'noproc'`, terminate's crash, `{ tag: 'exit', value: 'timeout' }`),
 * as Erlang's `gen_server:stop` exits with `noproc`, the server's reason or `timeout`, not the
 * call shape.
 *
 * @example
 * ```ts
 * import { GenServer, Runtime, StopError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn(() => {});
 * await rt.settle(); // it has exited
 * const failed = await GenServer.stop(pid).catch((e: unknown) => e);
 * expect(failed).toBeInstanceOf(StopError);
 * expect((failed as StopError).reason).toBe('noproc');
 * expect((failed as StopError).exitReason).toBe('noproc');
 * expect((failed as StopError).message).toBe(`stop of ${pid} failed: the process is not alive (noproc)`);
 * ```
 */
export class StopError extends CallError {
  override name = 'StopError' as const;
  override get exitReason(): ExitReason {
    if (this.reason === 'calling_self') return super.exitReason; // Erlang: {calling_self, {sys, terminate, ...}}
    return this.reason === 'timeout' ? toExitReason('timeout') : this.reason;
  }
}

/**
 * What made a {@link TaskError}: the task's exit reason, `'timeout'`, or (for a TaskSupervisor
 * that reached its `maxChildren`) `'max_children'`.
 *
 * @example
 * ```ts
 * import { TaskError, type TaskFailure } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const reasons: TaskFailure[] = ['timeout', 'max_children', 'noconnection', { tag: 'exit', value: 'boom' }];
 * expect(reasons.map((r) => new TaskError('Task.await', r, []).reason)).toEqual(reasons);
 * ```
 */
export type TaskFailure = ExitReason | 'timeout' | 'max_children';

/**
 * A task gave no result: `Task.await` ran out of time (`'timeout'`) or saw the task exit (its
 * reason), or an async stream's task ran out of time with `onTimeout: 'exit'`. Elixir exits the
 * caller with `{Reason, {Task, :await, [task, timeout]}}`; here the call rejects with this error,
 * and a process that does not catch it exits with {@link TaskError.exitReason},
 * `{ tag: 'exit', value: { reason, call: { function, args } } }`, and no crash report, as a
 * failed `GenServer.call` does (see {@link CallError}).
 *
 * @example
 * ```ts
 * import { Runtime, Task, TaskError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const failed = await rt.run(async (ctx) => {
 *   const task = Task.async(ctx, (t) => t.receive()); // never answers
 *   return Task.await(ctx, task, 10).catch((e: unknown) => e);
 * });
 * expect(failed).toBeInstanceOf(TaskError);
 * expect((failed as TaskError).reason).toBe('timeout');
 * expect((failed as TaskError).exitReason).toMatchObject({ tag: 'exit', value: { reason: 'timeout', call: { function: 'Task.await' } } });
 * rt.killAll();
 * ```
 */
export class TaskError extends OtpError {
  override name = 'TaskError' as const;
  constructor(
    /** The function that failed: `'Task.await'`, `'Task.awaitMany'`, `'Task.asyncStream'`, ... */
    readonly operation: string,
    /** Why there is no result. */
    readonly reason: TaskFailure,
    /** The call's arguments, as Elixir's exit reason lists them: `[task, timeout]`. */
    readonly args: readonly unknown[],
    options?: ErrorOptions,
  ) {
    super(`${textOf(operation)} failed: ${taskFailureText(reason)}`, options);
  }

  /** The exit reason of a process that does not catch this error. */
  get exitReason(): ExitReason {
    return { tag: 'exit', value: { reason: this.reason, call: { function: this.operation, args: this.args } } };
  }

  /** @internal */
  get [exitsWith](): ExitReason {
    return this.exitReason;
  }
}

function taskFailureText(reason: TaskFailure): string {
  if (reason === 'timeout') return 'the task did not answer in time (timeout)';
  if (reason === 'max_children') return 'the task supervisor runs as many tasks as its maxChildren allows (max_children)';
  return `the task exited with reason ${formatReason(reason)}`;
}

/**
 * A child spec or supervisor spec that cannot be used: thrown by `Supervisor.start`,
 * `Supervisor.startChild` and `Supervisor.checkChildSpecs` before anything starts, naming the
 * child and the field.
 *
 * @example
 * ```ts
 * import { ChildSpecError, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const start = () => ({ type: 'ignore' as const });
 * try {
 *   Supervisor.checkChildSpecs([{ id: 'a', start }, { id: 'a', start }]);
 * } catch (e) {
 *   expect(e).toBeInstanceOf(ChildSpecError);
 *   expect((e as ChildSpecError).reason).toBe('duplicate_child_name');
 *   expect((e as ChildSpecError).child).toBe('a');
 *   expect((e as ChildSpecError).message).toBe('child a: id must be an id no other child has, got "a" (duplicate_child_name)');
 * }
 * ```
 */
export class ChildSpecError extends OtpError {
  override name = 'ChildSpecError' as const;
  constructor(
    /** The child's id, or its position when it has no usable id. */
    readonly child: string,
    /** The field at fault: `'start'`, `'restart'`, `'shutdown'`, ..., or `'id'`. */
    readonly field: string,
    /** The bad value. */
    readonly value: unknown,
    /** OTP's word for it: `'invalid_child_spec'`, `'duplicate_child_name'`, `'bad_combination'`, ... */
    readonly reason: string,
    /** What the field must be. */
    readonly expected: string,
  ) {
    // In words first; OTP's tag last, for those who know it (it stays in `reason` as data).
    super(`child ${textOf(child)}: ${textOf(field)} must be ${textOf(expected)}, got ${describe(value)} (${textOf(reason)})`);
  }
}

/**
 * Why a {@link NodeError} was thrown.
 *
 * @example
 * ```ts
 * import type { NodeErrorReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const reason: NodeErrorReason = 'not_connected';
 * expect(reason).toBe('not_connected');
 * ```
 */
export type NodeErrorReason =
  | 'not_a_node' // the runtime has not been started as a node
  | 'already_a_node' // the runtime is a node already
  | 'name_taken' // a connected node, or this one, has that name
  | 'not_connected' // no connection to that node
  | 'connection_lost' // the connection closed before the handshake ended
  | 'not_loaded' // a module path that did not load on the target node
  | 'not_a_function' // an export that is not a function
  | 'not_a_behaviour' // an export that is not a behaviour
  | 'too_large'; // a message or argument larger than the connection to that node carries

/**
 * A node operation failed: connecting, spawning on a node, or using a runtime that is not a node.
 *
 * @example
 * ```ts
 * import { Node, NodeError, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const failed = (() => { try { Node.nodes(rt); } catch (e) { return e; } })();
 * expect(failed).toBeInstanceOf(NodeError);
 * expect((failed as NodeError).reason).toBe('not_a_node');
 * ```
 */
export class NodeError extends OtpError {
  override name = 'NodeError' as const;
  constructor(
    /** The operation: `'connect'`, `'spawn'`, ... */
    readonly operation: string,
    /** The node concerned. */
    readonly node: string,
    /** What went wrong. */
    readonly reason: NodeErrorReason,
    /** More about it: the module path, the export, the loader's message. */
    readonly detail?: string,
  ) {
    super(`${operation} on node ${JSON.stringify(node)} failed: ${reason}${detail === undefined ? '' : ` (${detail})`}`);
  }
}

/**
 * A message (or spawn argument) for another node that structured clone cannot copy: thrown at
 * the send, naming where in the value the culprit is and its type. Nothing was sent.
 *
 * @example
 * ```ts
 * import { CloneError } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const e = new CloneError('send', 'msg.reply', 'function');
 * expect(e.message).toBe('send: msg.reply is a function, which cannot be copied to another node');
 * ```
 */
export class CloneError extends OtpError {
  override name = 'CloneError' as const;
  constructor(
    /** The operation: `'send'`, `'spawn'`. */
    readonly operation: string,
    /** Where the value is: `msg`, `msg.reply`, `msg[2]`. */
    readonly path: string,
    /** Its type: `'function'`, `'symbol'`, `'WeakMap'`, ... */
    readonly valueType: string,
  ) {
    super(`${operation}: ${path} is a ${valueType}, which cannot be copied to another node`);
  }
}
