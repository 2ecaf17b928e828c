/**
 * Remote calls by node name: run a function on a node and get its result (Erlang's `erpc:call`),
 * or just run it there (`erpc:cast`).
 *
 * The function is named by module path and export, as for {@link spawn}: functions cannot cross
 * threads, module paths can. One mechanism: a call spawns a small process of ts-otp's own on the
 * target (the spawn frame, by a module name each node resolves against its own copy of ts-otp),
 * which loads the function, runs it, awaits a promise result and sends the outcome back. The
 * caller waits in an inbox of its own, so a late answer (after a timeout) never reaches the
 * caller's mailbox, as erpc's aliases ensure. That inbox traps exits and is linked to the call
 * process from its spawn on (a link, unlike a monitor made after the spawn, exists before the
 * process runs, as erpc's spawn_request monitor does), so a lost node or a call process ended by
 * a signal is seen at once; it is unlinked before the call is abandoned.
 *
 * Outcomes, as recorded from erpc on Erlang/OTP 25: the result; the function threw
 * (`'exception'`, with what it threw, as far as a copy keeps it: an Error's name and message
 * always cross; erpc's error and throw classes); it ended its process with `ctx.exit(reason)`
 * (`'exit'`, erpc's `{exception, Reason}`); its process was ended by an exit signal
 * (`'signal'`, erpc's `{signal, Reason}`); `'timeout'`; `'noconnection'` (not connected at the
 * call, or lost before the answer); the module did not load or the export is not a function
 * (erpc's `undef`). After a timeout or a lost connection the function may still run, as in
 * Erlang: erpc abandons the call but does not kill its process (a timed-out call process of
 * OTP 25 was still alive a second later); kill it yourself if it must stop. A call to the
 * caller's own node runs there the same way.
 *
 * @module
 */
import { InvalidArgumentError, NodeError, OtpError } from '../errors.js';
import { describeValue } from '../process/exit_reason.js';
import type { Context, DownMessage, ExitMessage, Inbox, Pid } from '../process/index.js';
import { OWN_MODULE } from './internal/modules.js';
import type { Outcome } from './internal/rpc_entry.js';
import { checkNodeName, checkSpec, contextOf, nodeOf, spawn, spawnLink, type SpawnSpec } from './node.js';

const ENTRY = `${OWN_MODULE}node/internal/rpc_entry`;

/**
 * Why a {@link call} failed (erpc's error classes):
 * - `'exception'`: the function threw or rejected; {@link RpcError.value} is what it threw (a copy).
 * - `'exit'`: the function ended its process, `ctx.exit(reason)`; `value` is the reason.
 * - `'signal'`: its process was ended by an exit signal (killed, say); `value` is the reason.
 * - `'timeout'`: no answer within the timeout; the function may still be running.
 * - `'noconnection'`: the node was not connected at the call, or was lost before the answer.
 * - `'not_loaded'`, `'not_a_function'`: the module did not load on the node, or the export is not a function.
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const reasons: Node.RpcFailure[] = ['exception', 'exit', 'signal', 'timeout', 'noconnection', 'not_loaded', 'not_a_function'];
 * expect(reasons).toHaveLength(7);
 * ```
 */
export type RpcFailure = 'exception' | 'exit' | 'signal' | 'timeout' | 'noconnection' | 'not_loaded' | 'not_a_function';

/**
 * A {@link call} failed: see {@link RpcFailure}. For `'exception'`, `cause` is also what the
 * function threw, so that a logger shows it.
 *
 * @example
 * ```ts
 * import { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const e = new Node.RpcError('b', { module: '/app/jobs.js', export: 'run' }, 'timeout', undefined);
 * expect(e.message).toBe('Node.call of /app/jobs.js#run on node "b" failed: timeout');
 * expect(e).toMatchObject({ name: 'RpcError', node: 'b', reason: 'timeout' });
 * ```
 */
export class RpcError extends OtpError {
  override name = 'RpcError' as const;
  constructor(
    /** The node the call was for. */
    readonly node: string,
    /** What was called. */
    readonly spec: Pick<SpawnSpec, 'module' | 'export'>,
    /** Why it failed. */
    readonly reason: RpcFailure,
    /** What the function threw (`'exception'`), the process's exit reason (`'exit'`, `'signal'`), or the loader's message. */
    readonly value: unknown,
  ) {
    const what = value === undefined ? '' : `: ${value instanceof Error ? `${value.name}: ${value.message}` : typeof value === 'string' ? value : describeValue(value)}`;
    super(`Node.call of ${spec.module}#${spec.export ?? 'default'} on node ${JSON.stringify(node)} failed: ${reason}${what}`, reason === 'exception' ? { cause: value } : undefined);
  }
}

type Waiting =
  | Outcome
  | ExitMessage
  | DownMessage
  | { readonly type: '$rpc_spawned'; readonly pid: Pid }
  | { readonly type: '$rpc_spawn_failed'; readonly error: unknown }
  | { readonly type: '$rpc_timeout' };

/**
 * Runs the export `spec.export` of `spec.module` on `node` as `fn(ctx, ...spec.args)` in a new
 * process there, and resolves with its result, a promise result once settled (Erlang's
 * `erpc:call(Node, M, F, A, Timeout)`). The result and the arguments are copied like messages.
 * On the caller's own node it runs there, the same way. `timeoutMs` (default `'infinity'`)
 * bounds the whole call; when it passes, the call is abandoned (a late answer is dropped) and,
 * as with erpc, the function's process is left running.
 *
 * If the caller exits meanwhile, the call is abandoned as on a timeout, and the promise never
 * settles.
 *
 * @throws {@link InvalidArgumentError} at the call for a bad context, node name, spec or
 * timeout; {@link CloneError} for arguments that cannot be copied; {@link NodeError}
 * `'not_a_node'` when the caller's runtime is not a node. Rejects with {@link RpcError} (see
 * {@link RpcFailure}).
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { resolve } from 'node:path';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const module = resolve('examples/cluster/functions.ts');
 * const answer = await a.run((ctx) => Node.call(ctx, 'b', { module, export: 'add', args: [2, 3] }, 5_000));
 * expect(answer).toEqual({ sum: 5, node: 'b' });
 * const failed = await a.run((ctx) => Node.call(ctx, 'b', { module, export: 'fail', args: ['no'] }).catch((e: unknown) => e));
 * expect(failed).toMatchObject({ name: 'RpcError', reason: 'exception', value: { name: 'RangeError', message: 'no' } });
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function call<T = unknown>(ctx: Context, node: string, spec: SpawnSpec, timeoutMs: number | 'infinity' = 'infinity'): Promise<T> {
  const op = 'Node.call';
  const proc = contextOf(op, ctx);
  nodeOf(op, proc.runtime);
  checkNodeName(op, 'node', node);
  const s = checkSpec(op, spec);
  if (timeoutMs !== 'infinity' && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
    throw new InvalidArgumentError(op, 'timeoutMs', timeoutMs, "a number of milliseconds >= 0 or 'infinity'");
  }
  const called = { module: s.module, export: s.exportName };
  const inbox = proc.runtime.inbox<Waiting>();
  inbox.trapExit(true);
  inbox.monitor(proc.self); // a caller that exits stops waiting: its inbox goes with it
  let spawning: Promise<Pid>;
  try {
    spawning = startOn(inbox, node, inbox.self, s, true);
  } catch (error) {
    inbox.close();
    if (error instanceof NodeError && error.reason === 'not_connected') return Promise.reject(new RpcError(node, called, 'noconnection', undefined));
    throw error; // arguments that cannot be copied
  }
  if (timeoutMs !== 'infinity') inbox.sendAfter(timeoutMs, inbox.self, { type: '$rpc_timeout' });
  // Once the inbox is closed (a timeout), these sends do nothing.
  spawning.then(
    (pid) => inbox.send(inbox.self, { type: '$rpc_spawned', pid }),
    (error: unknown) => inbox.send(inbox.self, { type: '$rpc_spawn_failed', error }),
  );
  return awaitOutcome<T>(inbox, node, called).finally(() => inbox.close());
}

async function awaitOutcome<T>(inbox: Inbox<Waiting>, node: string, called: RpcError['spec']): Promise<T> {
  let pid: Pid | undefined;
  for (;;) {
    const m = await inbox.receive();
    switch (m.type) {
      case '$rpc':
        if (m.tag === 'ok') return m.value as T;
        if (m.tag === 'exception') throw new RpcError(node, called, 'exception', thrownValue(m));
        if (m.tag === 'exit') throw new RpcError(node, called, 'exit', m.value);
        throw new RpcError(node, called, m.tag, m.detail);
      case '$rpc_spawned':
        pid = m.pid;
        break;
      case '$rpc_spawn_failed': {
        const e = m.error;
        if (e instanceof NodeError && (e.reason === 'not_loaded' || e.reason === 'not_a_function')) throw new RpcError(node, called, e.reason, e.detail);
        throw new RpcError(node, called, 'noconnection', undefined); // lost before the process started
      }
      case 'EXIT':
        // The call process is the inbox's only link. Its answer, had it sent one, came first
        // (one connection keeps the order); a normal exit without one cannot happen.
        if (m.reason === 'noconnection') throw new RpcError(node, called, 'noconnection', undefined);
        throw new RpcError(node, called, 'signal', m.reason);
      case '$rpc_timeout':
        if (pid !== undefined) inbox.unlink(pid); // the call runs on, as erpc's does, unbothered by the inbox's end
        throw new RpcError(node, called, 'timeout', undefined);
      case 'DOWN':
        // The caller exited: nobody waits for the answer. The call runs on; this promise, which
        // only the dead caller held, never settles.
        if (pid !== undefined) inbox.unlink(pid);
        inbox.close();
        return new Promise<never>(() => undefined);
      default:
        break;
    }
  }
}

/** What the function threw, with the name and message it had (a copy keeps them only for built-in error classes). */
function thrownValue(m: Extract<Outcome, { tag: 'exception' }>): unknown {
  const value = m.value;
  if (value instanceof Error && m.name !== undefined && value.name !== m.name) {
    try {
      value.name = m.name;
    } catch {
      // a frozen copy keeps its own name
    }
  }
  return value instanceof Error || m.message === undefined ? value : Object.assign(new Error(m.message), { name: m.name ?? 'Error' });
}

function startOn(from: Context, node: string, replyTo: Pid | null, s: ReturnType<typeof checkSpec>, link: boolean): Promise<Pid> {
  return (link ? spawnLink : spawn)(from, node, { module: ENTRY, export: 'run', args: [replyTo, s.module, s.exportName, s.args] });
}

/**
 * Runs `fn(ctx, ...spec.args)` on `node` in a new process there and returns at once, with no
 * answer (Erlang's `erpc:cast`): as there, a node that is not connected, a module that does not
 * load and a function that throws are all silently ignored.
 *
 * @throws {@link InvalidArgumentError} at the call for a bad context, node name or spec;
 * {@link CloneError} for arguments that cannot be copied; {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { resolve } from 'node:path';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const got = await a.run(async (ctx) => {
 *   Node.cast(ctx, 'b', { module: resolve('examples/cluster/functions.ts'), export: 'tell', args: [ctx.self, 'hello'] });
 *   return ctx.receive();
 * });
 * expect(got).toBe('hello');
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function cast(ctx: Context, node: string, spec: SpawnSpec): void {
  const op = 'Node.cast';
  const proc = contextOf(op, ctx);
  nodeOf(op, proc.runtime);
  checkNodeName(op, 'node', node);
  const s = checkSpec(op, spec);
  try {
    startOn(proc, node, null, s, false).catch(() => undefined);
  } catch (error) {
    if (!(error instanceof NodeError)) throw error; // arguments that cannot be copied
  }
}
