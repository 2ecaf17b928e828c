/**
 * Remote children: a GenServer, or a whole supervisor and its children, started on another
 * connected node under a supervisor of this one: a supervision tree spread across nodes.
 *
 * The child is loaded there by module path, as an isolated child is in its thread (the same
 * code starts both; see ./isolated.ts), and linked to its supervisor. A node that is lost is an
 * exit `'noconnection'` of the child, which the supervisor handles as any abnormal exit: a
 * `'permanent'` or `'transient'` child is restarted, on the same node. While that node is away
 * the restart fails, and each failed attempt counts against the supervisor's restart intensity,
 * as in Erlang, where a supervisor retries a failed restart until it gives up: a child that must
 * outlive the loss of its node is `'temporary'`, or sits under a supervisor of its own whose
 * intensity allows for the outage.
 *
 * @module
 */
import { InvalidArgumentError, NodeError } from '../errors.js';
import { checkNodeName } from '../node/node.js'; // internal to the package: not in Node's surface
import { servedSpec, startServed, type IsolatedOptions } from './isolated.js';
import type { ChildSpec, ChildStartResult } from './types.js';

/**
 * Options of {@link remote}: the node, where the behaviour is, its init argument, and the child
 * spec's restart and shutdown.
 *
 * @example
 * ```ts
 * import { Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Supervisor.RemoteOptions = {
 *   id: 'cache',
 *   node: 'store-1',
 *   module: '/srv/app/dist/cache.js',
 *   export: 'cache',
 *   arg: { size: 1000 },
 *   restart: 'transient',
 * };
 * expect(Supervisor.remote(options)).toMatchObject({ id: 'cache', restart: 'transient', type: 'worker' });
 * ```
 */
export interface RemoteOptions extends Omit<IsolatedOptions, 'resourceLimits'> {
  /** The node to start the child on: connected, or the start fails (and is retried as a restart). */
  readonly node: string;
}

/**
 * A child spec whose child is a GenServer (or, with `type: 'supervisor'`, a supervisor spec)
 * exported by a module and run on the connected node `options.node`. The supervisor's runtime
 * must be a node. Starting the child loads the module there, links the server to the
 * supervisor and waits for its init, as `GenServer.startLink` does; it returns the child's pid,
 * a pid of that node. A start that fails returns `{ type: 'error', reason }`: `'noconnection'`
 * when the node is not connected or is lost during the start (as a `spawn_link` to an absent node
 * in Erlang), the `NodeError` as `{ tag: 'error', cause }` when the module does not load there or
 * the export is not a behaviour, and init's reason when init fails.
 *
 * The module path is resolved on that node: on another host, it must name the module there.
 *
 * @throws {@link InvalidArgumentError} at the call for a bad id, node name, module, export, or
 * an argument that cannot be copied.
 * @see {@link RemoteOptions}
 * @example
 * ```ts
 * import { GenServer, Node, Runtime, Supervisor } from 'ts-otp';
 * import { resolve } from 'node:path';
 * import { expect } from 'vitest';
 *
 * interface Counter { arg: number; state: number; call: { readonly type: 'get' }; reply: { get: number } }
 * const [app, store] = [new Runtime(), new Runtime()];
 * Node.start(app, { name: 'app' });
 * Node.start(store, { name: 'store' });
 * await Node.connect(app, store);
 * const started = await Supervisor.start(
 *   { children: [Supervisor.remote({ id: 'counter', node: 'store', module: resolve('examples/isolated_counter.ts'), export: 'counter', arg: 41 })] },
 *   { runtime: app },
 * );
 * if (started.type !== 'ok') throw new Error('no start');
 * const [child] = await Supervisor.whichChildren(started.pid);
 * const pid = child!.pid as GenServer.ServerPid<Counter>;
 * expect(await GenServer.call(pid, { type: 'get' })).toBe(41); // answered on node 'store'
 * await Supervisor.stop(started.pid);
 * await Node.stop(app);
 * await Node.stop(store);
 * expect(() => Supervisor.remote({ id: 'x', node: 'no spaces', module: '/m.js' })).toThrow(/node name/);
 * ```
 */
export function remote(options: RemoteOptions): ChildSpec {
  const op = 'Supervisor.remote';
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(op, 'options', options, 'an object { id, node, module, export?, type?, arg?, restart?, shutdown? }');
  const node = checkNodeName(op, 'options.node', options.node);
  return servedSpec(op, options, async (sup, served) => noConnection(await startServed(sup, node, served, op, false)));
}

/** A start that failed for want of the node is `'noconnection'`, as the child's exit is when the node is lost later. */
function noConnection(started: ChildStartResult): ChildStartResult {
  if (started.type !== 'error' || typeof started.reason !== 'object' || started.reason === null) return started;
  const { tag, cause } = started.reason as { tag?: unknown; cause?: unknown };
  return tag === 'error' && cause instanceof NodeError && (cause.reason === 'not_connected' || cause.reason === 'connection_lost') ? { type: 'error', reason: 'noconnection' } : started;
}
