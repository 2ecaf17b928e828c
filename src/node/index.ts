/**
 * Nodes: runtimes with names that connect to each other, so that processes of one reach
 * processes of another with the same send, link, monitor and exit as locally.
 *
 * ## Design
 *
 * **A node is a runtime.** {@link start} names a {@link Runtime}; {@link connect} (two runtimes of
 * one thread), {@link startWorker} (a new node in a worker thread) and {@link attach} (any
 * transport's {@link Link}) connect it to others. Connections are explicit: unlike Erlang, a send
 * to a node that is not connected does not connect it.
 *
 * **Pids.** A pid stays a string `<R.N.0>`, compared with `===`. R is a number that means
 * something only in the thread that prints it: a runtime's own id for its processes, and for
 * another node's processes a number the receiving node gives to that node's incarnation (taken
 * from the same counter, so it never clashes with a runtime of this thread). `runtimeOf(pid)`
 * finds the runtime that can reach the process. So the same process prints `<3.42.0>` on its own
 * node and `<7.42.0>` on another, as in Erlang (`<0.42.0>` and `<7.42.0>`). Pids and refs inside
 * messages are renumbered by the receiver, in the fresh copy it owns; every string shaped like a
 * pid or ref is one. A node that comes back under the same name has a new creation, so it gets
 * a new number: pids of the old incarnation never reach the new one.
 *
 * **Local pids keep their fast path.** The kernel asks the node layer only when a lookup of a
 * pid misses its own table. A remote process is a proxy record in the kernel (serial 0, in no
 * table) whose mailbox forwards: links and monitors to it are the kernel's own, so when a
 * connection is lost, ending each proxy with `'noconnection'` fires every link and monitor across
 * it exactly once, links before monitors, then `nodedown`.
 *
 * **Frames.** Everything between two nodes is a {@link Frame} (`['msg', to, bytes]`,
 * `['link', from, to]`, `['link_exit', from, to, reason]`, `['exit', ...]`, `['mon', ...]`,
 * `['demon', ...]`, `['down', ...]`, `['spawn', ...]`, `['tick']`, and the handshake's `hello` and
 * `node` announcements). Messages and reasons are serialized with V8's serializer (structured
 * clone) at the send, so a value that cannot cross throws {@link CloneError} in the sender and
 * nothing else is lost. Frames go out through one queue per connection, in batches (one per
 * microtask, or sooner once 32 frames wait, so the peer starts on them while this thread makes
 * more): messages and signals between any pair of processes keep their order.
 *
 * **Transports.** A {@link Link} carries batches in order and says when it closes; see
 * transports/transport.ts. Heartbeats are the node layer's: a tick after a quarter of `tickMs`
 * without traffic, and a peer silent for `tickMs` is lost. The MessagePort link serves threads;
 * the NATS link ({@link join}: one subject per ordered pair of nodes, batches as bytes) serves
 * OS processes and hosts.
 *
 * **Isolated children** (Supervisor.isolated) are worker nodes started for one process each. For
 * them the node layer does three things more, internally: a kill of that process terminates the
 * thread (a busy loop cannot delay it) and its links and monitors fire with `'killed'`; a thread
 * that ends over its `resourceLimits` ends the process with `{ tag: 'exit', value: 'heap_limit' }`;
 * and the connection is lost only once the thread has exited, so the reason is known by then.
 *
 * **Semantics on loss**, as recorded from Erlang/OTP 25 (conformance group M): every link to a
 * process of the lost node delivers `'noconnection'` and every monitor a DOWN with
 * `'noconnection'`, once; `monitorNode` watchers get `nodedown`. Linking to or monitoring a
 * process of a node that is not connected gives `'noconnection'`; of an older incarnation while
 * a newer is connected, `'noproc'`. `isAlive`, `processInfo`, `register`, `sendAfter` and
 * `startTimer` refuse a remote pid (N28).
 *
 * @module
 */
export {
  attach,
  connect,
  disconnect,
  monitorNode,
  monitorNodes,
  name,
  nodes,
  spawn,
  spawnLink,
  start,
  startWorker,
  stop,
  type NodeDownMessage,
  type NodeUpMessage,
  type SpawnSpec,
  type StartOptions,
  type WorkerOptions,
} from './node.js';
/** @internal */
export { isRemotePid, liveWorkers } from './node.js';
export { portLink } from './transports/message_port.js';
export { join, type JoinOptions, type TlsOptions } from './transports/nats.js';
export { call, cast, RpcError, type RpcFailure } from './rpc.js';
export type { Frame, Link, LinkHandler } from './transports/transport.js';
