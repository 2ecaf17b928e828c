/**
 * Nodes: a runtime with a name, connected to other nodes, whose processes reach theirs.
 *
 * See the module documentation in ./index.ts for the design.
 *
 * @module
 */
import { randomInt } from 'node:crypto';
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import { InvalidArgumentError, NodeError, type NodeErrorReason } from '../errors.js';
import { runtimeOf as runtimeOfPid, type Context, type Pid, type Runtime } from '../process/index.js';
import { aliasRuntimeId } from '../process/runtime.js';
import type { ExitReason } from '../process/exit_reason.js';
import { EXIT_SIGNAL, type Kernel, type Proc, type Remote } from '../process/internal/kernel.js';
import { isRemoteName, runtimeOf as indexOf, type Ref } from '../process/pid.js';
import { Connection, DeadBox, endProxies, ForwardBox, type NodeSide } from './internal/connection.js';
import { checkModuleExport, loadFunction } from './internal/modules.js';
import { portLink } from './transports/message_port.js';
import type { Frame, Link } from './transports/transport.js';
import { workerEntry } from './transports/worker.js';

/**
 * Options of {@link start}.
 *
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Node.StartOptions = { name: 'a', tickMs: 5_000 };
 * const rt = new Runtime();
 * Node.start(rt, options);
 * expect(Node.name(rt)).toBe('a');
 * await Node.stop(rt);
 * ```
 */
export interface StartOptions {
  /** The node's name: letters, digits, `_`, `-`, `.`, optionally `@host` (`'a'`, `'worker-1@box'`). */
  readonly name: string;
  /**
   * Heartbeat period in ms (Erlang's net_ticktime): a tick goes out after a quarter of it without
   * traffic, and a peer silent for this long is lost. Default 15000. Shorter finds a hung peer
   * sooner; a peer thread busy for longer than this (a long synchronous loop) is declared lost.
   */
  readonly tickMs?: number;
}

/**
 * What {@link spawn} starts on the other node: an export of a module, called as `fn(ctx, ...args)`.
 *
 * @example
 * ```ts
 * import { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const spec: Node.SpawnSpec = { module: new URL('./worker.js', 'file:///app/').href, export: 'echo', args: [1] };
 * expect(spec.export).toBe('echo');
 * ```
 */
export interface SpawnSpec {
  /** An absolute path, a `file:` URL or a package specifier, loaded by the other node. */
  readonly module: string;
  /** The export to call; `'default'` by default. */
  readonly export?: string;
  /** Arguments after the context; copied like messages. */
  readonly args?: readonly unknown[];
}

/**
 * Options of {@link startWorker}.
 *
 * @example
 * ```ts
 * import { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Node.WorkerOptions = { name: 'w1', resourceLimits: { maxOldGenerationSizeMb: 64 } };
 * expect(options.name).toBe('w1');
 * ```
 */
export interface WorkerOptions extends StartOptions {
  /** The worker's heap limits (Node's `resourceLimits`). */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * `{ type: 'nodeup', node }`: a connection to `node` came up (for {@link monitorNodes}).
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const up: Node.NodeUpMessage = { type: 'nodeup', node: 'b' };
 * expect(up.type).toBe('nodeup');
 * ```
 */
export interface NodeUpMessage {
  readonly type: 'nodeup';
  readonly node: string;
}

/**
 * `{ type: 'nodedown', node }`: the connection to `node` was lost or closed, or was never there
 * (Erlang's `{nodedown, Node}`).
 *
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * const msg = await rt.run((ctx) => {
 *   Node.monitorNode(ctx, 'nowhere'); // not connected: nodedown at once
 *   return ctx.receive() as Promise<Node.NodeDownMessage>;
 * });
 * expect(msg).toEqual({ type: 'nodedown', node: 'nowhere' });
 * await Node.stop(rt);
 * ```
 */
export interface NodeDownMessage {
  readonly type: 'nodedown';
  readonly node: string;
}

const NODE_NAME = /^[A-Za-z0-9_.-]+(@[A-Za-z0-9_.-]+)?$/;
const DEFAULT_TICK_MS = 15_000;
/** Operations that take only this node's pids: Erlang's are badarg for a remote one (timers: conformance N28). */
const LOCAL_ONLY = new Set(['isAlive', 'processInfo', 'register', 'sendAfter', 'startTimer']);

interface Incarnation {
  readonly name: string;
  readonly creation: number;
  conn: Connection | null;
}

const localNodes = new WeakMap<Runtime, LocalNode>();
/** Tells a peer in this thread from one in another: in this thread, runtime ids are unique. */
const THREAD = randomInt(1, 2 ** 31);

/** One runtime's node state; plugged into its kernel as the route to other nodes. */
class LocalNode implements Remote, NodeSide {
  readonly kernel: Kernel;
  readonly creation = randomInt(1, 2 ** 31);
  readonly unknownIndex: number;
  readonly thread = THREAD;
  /** Node incarnations by our number for them. */
  readonly #byIndex = new Map<number, Incarnation>();
  readonly #index = new Map<string, number>();
  readonly connections = new Map<string, Connection>();
  readonly #pending = new Set<Connection>();
  readonly #nodeWatchers = new Map<string, Proc[]>();
  readonly #allWatchers = new Set<Proc>();
  readonly workers = new Set<Worker>();
  /** The workers this node started, by node name. */
  readonly workerOf = new Map<string, Worker>();
  /** The worker nodes of isolated children: hidden from services such as global names. */
  readonly isolatedWorkers = new Set<Worker>();
  /** What a transport must end when the node stops, such as a cluster's NATS connection. */
  readonly onStop: Array<() => Promise<void>> = [];

  constructor(
    readonly runtime: Runtime,
    readonly name: string,
    readonly tickMs: number,
  ) {
    this.kernel = runtime.kernel;
    this.unknownIndex = aliasRuntimeId(runtime);
    this.#byIndex.set(this.kernel.id, { name, creation: this.creation, conn: null });
    this.#index.set(`${name}\0${this.creation}`, this.kernel.id);
  }

  // ---- Remote: the kernel's route to other nodes ----------------------------------------

  lookup(operation: string, argument: string, target: unknown): Proc | undefined {
    if (typeof target === 'string') {
      const index = indexOf(target, 'pid');
      if (index < 0) throw new InvalidArgumentError(operation, argument, target, 'a pid');
      if (index === this.kernel.id) return undefined; // a local process that has exited
      const inc = this.#byIndex.get(index);
      if (inc === undefined || index === this.unknownIndex) {
        throw new InvalidArgumentError(operation, argument, target, `a pid of node ${this.name} or of a node it has been connected to`);
      }
      if (LOCAL_ONLY.has(operation)) throw new InvalidArgumentError(operation, argument, target, `a pid of this node (${this.name})`);
      const conn = inc.conn;
      if (conn !== null && conn.state === 'up') return conn.proxy(target);
      if (operation !== 'link' && operation !== 'monitor') return undefined; // dropped, as to a dead pid
      // Erlang answers a link or monitor to an unreachable process with an exit signal or DOWN.
      if (this.#unreachableReason(target) === 'noproc') {
        // A newer incarnation answers each request in turn (M10).
        const dead = this.kernel.newProxy(target as Pid, new DeadBox());
        void Promise.resolve().then(() => this.kernel.endProxy(dead, 'noproc'));
        return dead;
      }
      // One proxy per pid until they fire, links first (M11): as when a connection attempt fails.
      let proxy = this.#unreachable.get(target);
      if (proxy === undefined) {
        proxy = this.kernel.newProxy(target as Pid, new DeadBox());
        if (this.#unreachable.size === 0) void Promise.resolve().then(() => this.#endUnreachable());
        this.#unreachable.set(target, proxy);
      }
      return proxy;
    }
    if ((operation === 'send' || operation === 'monitor') && isRemoteName(target)) {
      if (target.node === this.name) return this.kernel.names.get(target.name); // unregistered: dropped, or DOWN noproc
      const conn = this.connections.get(target.node);
      if (conn !== undefined && conn.state === 'up') return conn.named(target.name);
      if (operation === 'send') return undefined;
      // Erlang answers a monitor of { name, node } for a node it cannot reach with DOWN noconnection.
      const dead = this.kernel.newProxy(target.name as Pid, new DeadBox());
      void Promise.resolve().then(() => this.kernel.endProxy(dead, 'noconnection'));
      return dead;
    }
    const expected = operation === 'send' ? 'a pid, a registered name or { name, node }' : operation === 'monitor' ? 'a pid, a registered name or { name, node }' : 'a pid';
    throw new InvalidArgumentError(operation, argument, target, expected);
  }

  signal(proxy: Proc, a: unknown, reason: ExitReason, kind: number): void {
    const box = proxy.box;
    if (!(box instanceof ForwardBox)) return;
    const worker = box.conn.child === proxy.self && kind === EXIT_SIGNAL && reason === 'kill' ? this.workerOf.get(box.conn.peer) : undefined;
    if (worker === undefined) {
      box.conn.signal(proxy, a, reason, kind);
      return;
    }
    // A kill of an isolated child ends its thread, which preempts even a busy loop; its links
    // and monitors then fire with 'killed', as for a local kill.
    box.conn.childReason ??= 'killed';
    void worker.terminate();
  }

  /**
   * Makes `pid` the isolated child of the worker node `node`: a kill terminates the thread, a
   * thread that ends over its heap limit ends the child with 'heap_limit', and the thread ends
   * once the child has exited.
   */
  isolate(node: string, pid: Pid): void {
    const conn = this.connections.get(node);
    const worker = this.workerOf.get(node);
    if (conn === undefined || worker === undefined) return;
    conn.child = pid;
    const watch = this.runtime.inbox();
    const ref = watch.monitor(pid);
    void watch.receiveRef(ref).then(() => {
      watch.close();
      void worker.terminate(); // after the child's exit signal and DOWN, which came first
    });
  }

  changed(op: 'link' | 'unlink' | 'monitor' | 'demonitor', from: Proc, proxy: Proc, ref: Ref | undefined): void {
    const box = proxy.box;
    if (box instanceof ForwardBox && !box.conn.quiet) box.conn.changed(op, from, proxy, ref);
  }

  /** Proxies of unreachable processes that a link or monitor was just made to: they fire at the next microtask. */
  readonly #unreachable = new Map<string, Proc>();

  #endUnreachable(): void {
    const proxies = [...this.#unreachable];
    this.#unreachable.clear();
    endProxies(this.kernel, proxies.map(([, proxy]) => proxy), 'noconnection');
  }

  /** noproc when a newer incarnation of the process's node is connected (M10), noconnection otherwise (M11). */
  #unreachableReason(pid: string): ExitReason {
    const inc = this.#byIndex.get(indexOf(pid, 'pid'));
    return inc !== undefined && this.connections.get(inc.name)?.state === 'up' ? 'noproc' : 'noconnection';
  }

  /** The node name behind a pid's runtime number, for {@link nodeOfPid}. */
  nodeOfIndex(index: number): string | undefined {
    return index === this.unknownIndex ? undefined : this.#byIndex.get(index)?.name;
  }

  // ---- NodeSide: what connections ask of their node -------------------------------------

  announcements(): Frame[] {
    const frames: Frame[] = [];
    for (const [index, inc] of this.#byIndex) if (index !== this.kernel.id && index !== this.unknownIndex) frames.push(['node', index, inc.name, inc.creation]);
    return frames;
  }

  indexFor(name: string, creation: number, sameThread?: number): number {
    const key = `${name}\0${creation}`;
    let index = this.#index.get(key);
    if (index === undefined) {
      index = sameThread !== undefined && !this.#byIndex.has(sameThread) ? sameThread : aliasRuntimeId(this.runtime);
      this.#index.set(key, index);
      this.#byIndex.set(index, { name, creation, conn: null });
      // Announced before any frame that may carry one of its pids, on every connection.
      for (const conn of [...this.connections.values(), ...this.#pending]) conn.announce(['node', index, name, creation]);
    }
    return index;
  }

  connectedTo(name: string, creation: number): boolean {
    return this.connections.get(name)?.peerCreation === creation;
  }

  up(conn: Connection, peerConnected: boolean): NodeErrorReason | undefined {
    this.#pending.delete(conn);
    if (conn.peer === this.name || !NODE_NAME.test(conn.peer)) return 'name_taken';
    const old = this.connections.get(conn.peer);
    if (old !== undefined) {
      // Both sides connected already: a second connection. Only this side: the peer dropped the
      // old one, whose close is still on its way; as Erlang's handshake ('alive', then true),
      // it goes down here now and the new one takes its place. A new incarnation: the old one
      // is gone, its processes with it.
      if (old.peerCreation === conn.peerCreation && peerConnected) return 'name_taken';
      old.lost();
    }
    this.connections.set(conn.peer, conn);
    this.#byIndex.get(conn.index)!.conn = conn;
    this.#tellAll({ type: 'nodeup', node: conn.peer });
    return undefined;
  }

  down(conn: Connection): void {
    if (this.connections.get(conn.peer) === conn) this.connections.delete(conn.peer);
    const inc = this.#byIndex.get(conn.index);
    if (inc !== undefined && inc.conn === conn) inc.conn = null;
  }

  nodeDown(conn: Connection): void {
    const watchers = this.#nodeWatchers.get(conn.peer) ?? [];
    this.#nodeWatchers.delete(conn.peer);
    const msg: NodeDownMessage = { type: 'nodedown', node: conn.peer };
    for (const w of watchers) if (!this.kernel.hasExited(w)) this.kernel.deliver(w, msg);
    this.#tellAll(msg);
  }

  #tellAll(msg: NodeUpMessage | NodeDownMessage): void {
    for (const w of this.#allWatchers) {
      if (this.kernel.hasExited(w)) this.#allWatchers.delete(w);
      else this.kernel.deliver(w, msg);
    }
  }

  spawnRequest(conn: Connection, id: number, from: Pid, module: string, exportName: string, args: unknown[], link: boolean): void {
    void loadFunction(module, exportName).then((loaded) => {
      if (conn.state !== 'up') return;
      if (!('fn' in loaded)) {
        conn.spawned(id, null, loaded.reason, loaded.detail);
        return;
      }
      const pid = this.runtime.spawn((ctx) => loaded.fn(ctx, ...args));
      // Linked before the child runs (it starts after this step): a spawnLink is atomic.
      if (link) this.kernel.link(conn.proxy(from), pid);
      conn.spawned(id, pid, null, '');
    });
  }

  // ---- connections ----------------------------------------------------------------------

  attach(link: Link): Promise<string> {
    return new Promise((resolve, reject) => {
      const conn: Connection = new Connection(this, link, this.tickMs, (refused) => {
        this.#pending.delete(conn);
        if (refused === undefined) resolve(conn.peer);
        else reject(new NodeError('connect', conn.peer, refused));
      });
      this.#pending.add(conn);
    });
  }

  monitorNode(ctx: Proc, node: string, flag: boolean): void {
    if (node === this.name) return; // this node is up while it is a node: nothing to tell (M17)
    if (!flag) {
      // One watch fewer, as Erlang's monitor_node(Node, false) (M16).
      const list = this.#nodeWatchers.get(node);
      const i = list === undefined ? -1 : list.indexOf(ctx);
      if (i < 0) return;
      list!.splice(i, 1);
      if (list!.length === 0) this.#nodeWatchers.delete(node);
      return;
    }
    if (this.connections.get(node)?.state !== 'up') {
      this.kernel.deliver(ctx, { type: 'nodedown', node } satisfies NodeDownMessage);
      return;
    }
    const list = (this.#nodeWatchers.get(node) ?? []).filter((w) => !this.kernel.hasExited(w));
    list.push(ctx);
    this.#nodeWatchers.set(node, list);
  }

  monitorNodes(ctx: Proc, flag: boolean): void {
    if (flag) this.#allWatchers.add(ctx);
    else this.#allWatchers.delete(ctx);
  }

  async stop(): Promise<void> {
    for (const conn of [...this.#pending, ...this.connections.values()]) conn.close();
    const exits = [...this.workers].map((w) => w.terminate());
    await Promise.all([...exits, ...this.onStop.splice(0).map((end) => end())]);
    if (this.kernel.remote === this) this.kernel.remote = null;
    localNodes.delete(this.runtime);
  }
}

/** @internal the node state of `rt`; throws as every Node operation does when it is not a node */
export function nodeOf(operation: string, rt: unknown): LocalNode {
  const node = localNodes.get(rt as Runtime);
  if (node !== undefined) return node;
  if (typeof rt !== 'object' || rt === null || !('kernel' in rt)) throw new InvalidArgumentError(operation, 'runtime', rt, 'a Runtime');
  throw new NodeError(operation, '', 'not_a_node');
}

/** @internal `ctx` as the kernel's process record, or InvalidArgumentError naming `operation` */
export function contextOf(operation: string, ctx: unknown): Proc {
  if (typeof ctx !== 'object' || ctx === null || typeof (ctx as Context).spawnLink !== 'function') {
    throw new InvalidArgumentError(operation, 'ctx', ctx, "the calling process's context");
  }
  return ctx as Proc;
}

/** @internal `name` if it is a node name, else InvalidArgumentError naming `operation` and `argument` */
export function checkNodeName(operation: string, argument: string, name: unknown): string {
  if (typeof name !== 'string' || !NODE_NAME.test(name)) {
    throw new InvalidArgumentError(operation, argument, name, "a node name: letters, digits, '_', '-', '.', optionally '@host'");
  }
  return name;
}

/**
 * Makes `rt` a node called `name`: its processes can then reach processes of the nodes it
 * connects to ({@link connect}, {@link startWorker}, {@link attach}). A runtime is a node until
 * {@link stop}.
 *
 * @throws {@link InvalidArgumentError} for a bad name or tickMs. {@link NodeError} `'already_a_node'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a@host' });
 * expect(Node.name(rt)).toBe('a@host');
 * expect(() => Node.start(rt, { name: 'again' })).toThrow(/already_a_node/);
 * expect(() => Node.start(new Runtime(), { name: 'no spaces' })).toThrow(/node name/);
 * await Node.stop(rt);
 * ```
 */
export function start(rt: Runtime, options: StartOptions): void {
  if (typeof rt !== 'object' || rt === null || !('kernel' in rt)) throw new InvalidArgumentError('Node.start', 'runtime', rt, 'a Runtime');
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('Node.start', 'options', options, 'an object { name, tickMs? }');
  const name = checkNodeName('Node.start', 'options.name', options.name);
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  if (typeof tickMs !== 'number' || !Number.isFinite(tickMs) || tickMs < 4) {
    throw new InvalidArgumentError('Node.start', 'options.tickMs', tickMs, 'a number of milliseconds >= 4');
  }
  if (localNodes.has(rt) || rt.kernel.remote !== null) throw new NodeError('Node.start', name, 'already_a_node');
  const node = new LocalNode(rt, name, tickMs);
  localNodes.set(rt, node);
  rt.kernel.remote = node;
  for (const service of services) service(rt);
}

/** Services every node runs from its start (global names), added by the modules that define them. */
const services: Array<(rt: Runtime) => void> = [];

/** @internal has every node started from now on call `service` with its runtime, at the end of {@link start} */
export function addNodeService(service: (rt: Runtime) => void): void {
  services.push(service);
}

/**
 * Disconnects every node (what was sent to them before still arrives), ends the worker threads
 * this node started, and makes `rt` a plain runtime again. Links and monitors to other nodes'
 * processes fire with `'noconnection'`.
 * Resolves once the workers have exited. Stopping a runtime that is not a node does nothing.
 *
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * await Node.stop(rt);
 * expect(() => Node.nodes(rt)).toThrow(/not_a_node/);
 * ```
 */
export async function stop(rt: Runtime): Promise<void> {
  await localNodes.get(rt)?.stop();
}

/**
 * The node name of `rt`.
 *
 * @throws {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * expect(Node.name(rt)).toBe('a');
 * await Node.stop(rt);
 * ```
 */
export function name(rt: Runtime): string {
  return nodeOf('Node.name', rt).name;
}

/**
 * The nodes `rt` is connected to (Erlang's `nodes()`), in connection order.
 *
 * @throws {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * expect(Node.nodes(a)).toEqual(['b']);
 * expect(Node.nodes(b)).toEqual(['a']);
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function nodes(rt: Runtime): string[] {
  const node = nodeOf('Node.nodes', rt);
  return [...node.connections.values()].filter((c) => c.state === 'up').map((c) => c.peer);
}

/**
 * Connects two nodes of this thread over a MessageChannel; resolves once both are up.
 *
 * @throws {@link NodeError} `'not_a_node'`; rejects with `'name_taken'` when they share a name or are already connected.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const server = b.spawn(async (ctx) => {
 *   const { from, n } = (await ctx.receive()) as { from: string; n: number };
 *   ctx.send(from, n * 2);
 * });
 * const answer = await a.run(async (ctx) => {
 *   ctx.send(server, { from: ctx.self, n: 21 }); // b's pid, as a's processes see it
 *   return ctx.receive();
 * });
 * expect(answer).toBe(42);
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export async function connect(a: Runtime, b: Runtime): Promise<void> {
  const na = nodeOf('Node.connect', a);
  const nb = nodeOf('Node.connect', b);
  const { port1, port2 } = new MessageChannel();
  await Promise.all([na.attach(portLink(port1)), nb.attach(portLink(port2))]);
}

/**
 * Connects `rt` to the node at the other end of `link`, a transport's channel; resolves with
 * that node's name once the handshake is done. Both ends call it.
 *
 * @throws {@link NodeError} `'not_a_node'`; rejects with `'name_taken'` or `'connection_lost'`.
 * @see {@link Link}
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { MessageChannel } from 'node:worker_threads';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * const { port1, port2 } = new MessageChannel();
 * const [atA, atB] = await Promise.all([Node.attach(a, Node.portLink(port1)), Node.attach(b, Node.portLink(port2))]);
 * expect([atA, atB]).toEqual(['b', 'a']);
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function attach(rt: Runtime, link: Link): Promise<string> {
  return nodeOf('Node.attach', rt).attach(link);
}

/**
 * Closes the connection to `node` (Erlang's `disconnect_node/1`): what this node sent there
 * before still arrives, then on both sides every link and monitor across it fires with
 * `'noconnection'` and node monitors get `nodedown`. Returns whether there was a connection.
 *
 * @example
 * ```ts
 * import { Node, Runtime, type ExitMessage } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const remote = b.spawn((ctx) => ctx.receive());
 * const exit = await a.run(async (ctx) => {
 *   ctx.trapExit(true);
 *   ctx.link(remote);
 *   Node.disconnect(a, 'b');
 *   return (await ctx.receive()) as ExitMessage;
 * });
 * expect(exit).toEqual({ type: 'EXIT', from: remote, reason: 'noconnection' });
 * await Node.stop(a);
 * await Node.stop(b);
 * b.killAll();
 * ```
 */
export function disconnect(rt: Runtime, node: string): boolean {
  const conn = nodeOf('Node.disconnect', rt).connections.get(checkNodeName('Node.disconnect', 'node', node));
  if (conn === undefined) return false;
  conn.close();
  return true;
}

/**
 * Watches the connection to `node` for the calling process (Erlang's `monitor_node/2`): a
 * {@link NodeDownMessage} arrives when it goes down, or at once if there is none. Each call adds
 * one watch; `flag` false removes one of this process's watches of `node`. A watch of the
 * caller's own node never fires.
 *
 * @throws {@link NodeError} `'not_a_node'`; {@link InvalidArgumentError} for a bad name.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * await Node.connect(a, b);
 * const msg = await a.run(async (ctx) => {
 *   Node.monitorNode(ctx, 'b');
 *   await Node.stop(b);
 *   return ctx.receive();
 * });
 * expect(msg).toEqual({ type: 'nodedown', node: 'b' });
 * await Node.stop(a);
 * ```
 */
export function monitorNode(ctx: Context, node: string, flag = true): true {
  const proc = contextOf('Node.monitorNode', ctx);
  const local = nodeOf('Node.monitorNode', proc.runtime);
  checkNodeName('Node.monitorNode', 'node', node);
  if (typeof flag !== 'boolean') throw new InvalidArgumentError('Node.monitorNode', 'flag', flag, 'a boolean');
  if (!local.kernel.hasExited(proc)) local.monitorNode(proc, node, flag);
  return true;
}

/**
 * Subscribes the calling process to {@link NodeUpMessage} and {@link NodeDownMessage} for every
 * node (Erlang's `net_kernel:monitor_nodes/1`); `flag` false unsubscribes.
 *
 * @throws {@link NodeError} `'not_a_node'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const [a, b] = [new Runtime(), new Runtime()];
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * const seen = await a.run(async (ctx) => {
 *   Node.monitorNodes(ctx);
 *   await Node.connect(a, b);
 *   const up = await ctx.receive();
 *   Node.disconnect(a, 'b');
 *   return [up, await ctx.receive()];
 * });
 * expect(seen).toEqual([{ type: 'nodeup', node: 'b' }, { type: 'nodedown', node: 'b' }]);
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export function monitorNodes(ctx: Context, flag = true): true {
  const proc = contextOf('Node.monitorNodes', ctx);
  if (typeof flag !== 'boolean') throw new InvalidArgumentError('Node.monitorNodes', 'flag', flag, 'a boolean');
  nodeOf('Node.monitorNodes', proc.runtime).monitorNodes(proc, flag);
  return true;
}

/** @internal `spec` checked at the call of `operation`, with its defaults */
export function checkSpec(operation: string, spec: unknown): { module: string; exportName: string; args: readonly unknown[] } {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError(operation, 'spec', spec, 'an object { module, export?, args? }');
  const { module, export: exportName = 'default', args = [] } = spec as SpawnSpec;
  checkModuleExport(operation, 'spec', module, exportName);
  if (!Array.isArray(args)) throw new InvalidArgumentError(operation, 'spec.args', args, 'an array');
  return { module, exportName, args };
}

function spawnOn(operation: string, ctx: Context, node: string, spec: SpawnSpec, link: boolean): Promise<Pid> {
  const proc = contextOf(operation, ctx);
  const local = nodeOf(operation, proc.runtime);
  checkNodeName(operation, 'node', node);
  const s = checkSpec(operation, spec);
  if (node === local.name) {
    return loadFunction(s.module, s.exportName).then((loaded) => {
      if (!('fn' in loaded)) throw new NodeError(operation, node, loaded.reason, loaded.detail);
      const body = (c: Context): unknown => loaded.fn(c, ...s.args);
      return link ? proc.spawnLink(body) : proc.spawn(body);
    });
  }
  const conn = local.connections.get(node);
  if (conn === undefined || conn.state !== 'up') throw new NodeError(operation, node, 'not_connected');
  return conn.spawn(proc, s.module, s.exportName, s.args, link);
}

/**
 * Starts a process on `node` running an export of a module there, `fn(ctx, ...args)` (Erlang's
 * `spawn(Node, Module, Function, Args)`; functions cannot cross threads, module paths can).
 * Resolves with its pid once the module has loaded there.
 *
 * @throws {@link NodeError} `'not_connected'` at the call; rejects with `'not_loaded'` or
 * `'not_a_function'`; {@link CloneError} for arguments that cannot be copied.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * const failed = await rt.run((ctx) =>
 *   Node.spawn(ctx, 'a', { module: '/no/such/module.js' }).catch((e: unknown) => e),
 * );
 * expect(failed).toMatchObject({ name: 'NodeError', reason: 'not_loaded' });
 * await expect(rt.run((ctx) => Node.spawn(ctx, 'b', { module: 'x' }))).rejects.toThrow(/not_connected/);
 * await Node.stop(rt);
 * ```
 */
export function spawn(ctx: Context, node: string, spec: SpawnSpec): Promise<Pid> {
  return spawnOn('Node.spawn', ctx, node, spec, false);
}

/**
 * {@link spawn}, linked to the caller atomically: the link exists before the new process runs.
 *
 * @throws as {@link spawn}.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'a' });
 * await expect(rt.run((ctx) => Node.spawnLink(ctx, 'a', { module: 'node:path', export: 'sep' }))).rejects.toThrow(/not_a_function/);
 * await Node.stop(rt);
 * ```
 */
export function spawnLink(ctx: Context, node: string, spec: SpawnSpec): Promise<Pid> {
  return spawnOn('Node.spawnLink', ctx, node, spec, true);
}

/**
 * Starts a node called `options.name` in a new worker thread and connects `rt` to it; resolves
 * once it is up. The thread ends when the connection closes ({@link disconnect}, {@link stop})
 * and is terminated by {@link stop}; a thread that ends for any reason is a lost node.
 *
 * @throws {@link NodeError} `'not_a_node'`; rejects with `'name_taken'` or `'connection_lost'`.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * Node.start(rt, { name: 'main' });
 * await Node.startWorker(rt, { name: 'w1' });
 * expect(Node.nodes(rt)).toEqual(['w1']);
 * await Node.stop(rt);
 * ```
 */
export function startWorker(rt: Runtime, options: WorkerOptions): Promise<void> {
  return startThread(rt, options, false);
}

/**
 * @internal {@link startWorker} for an isolated child (see {@link isolate}): the connection is
 * lost when the thread has exited, not when its port closes, so that the child's reason (killed,
 * heap_limit) is known by then.
 */
export function startIsolatedWorker(rt: Runtime, options: WorkerOptions): Promise<void> {
  return startThread(rt, options, true);
}

async function startThread(rt: Runtime, options: WorkerOptions, isolated: boolean): Promise<void> {
  const local = nodeOf('Node.startWorker', rt);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('Node.startWorker', 'options', options, 'an object { name, tickMs?, resourceLimits? }');
  const name = checkNodeName('Node.startWorker', 'options.name', options.name);
  const tickMs = options.tickMs ?? local.tickMs;
  if (local.connections.has(name) || name === local.name) throw new NodeError('Node.startWorker', name, 'name_taken');
  const { port1, port2 } = new MessageChannel();
  const entry = workerEntry();
  const worker = new Worker(entry.url, {
    eval: entry.eval,
    workerData: { ...entry.data, name, tickMs, port: port2 },
    transferList: [port2],
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
  });
  local.workers.add(worker);
  local.workerOf.set(name, worker);
  if (isolated) local.isolatedWorkers.add(worker);
  worker.once('exit', () => {
    local.workers.delete(worker);
    local.isolatedWorkers.delete(worker);
    if (local.workerOf.get(name) === worker) local.workerOf.delete(name);
    port1.close(); // a thread that ended is a lost node, however it ended
  });
  let failure: unknown;
  worker.on('error', (error) => {
    failure = error; // the exit that follows ends the connection
    const conn = local.connections.get(name);
    if (conn !== undefined && conn.child !== null) conn.childReason ??= isOutOfMemory(error) ? HEAP_LIMIT : { tag: 'error', cause: error };
  });
  const link = isolated ? untilExit(portLink(port1), worker) : portLink(port1);
  await local.attach(link).catch((error: unknown) => {
    const detail = failure instanceof Error ? failure.message : failure === undefined ? undefined : String(failure);
    throw error instanceof NodeError && detail !== undefined ? new NodeError('Node.startWorker', name, error.reason, detail) : error;
  });
}

/** A worker's link that reports its close once the thread has exited (ending it if need be). */
function untilExit(link: Link, worker: Worker): Link {
  let exited = false;
  const waiting: Array<() => void> = [];
  worker.once('exit', () => {
    exited = true;
    for (const closed of waiting) closed();
  });
  return {
    open: (handler) =>
      link.open({
        frames: handler.frames,
        closed: () => {
          if (exited) return handler.closed();
          waiting.push(handler.closed);
          void worker.terminate();
        },
      }),
    send: (batch) => link.send(batch),
    close: () => link.close(),
  };
}

const HEAP_LIMIT: ExitReason = { tag: 'exit', value: 'heap_limit' };

function isOutOfMemory(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * @internal makes `pid`, a process of the worker node `node` that `rt` started, that node's
 * isolated child: see LocalNode.isolate.
 */
export function isolate(rt: Runtime, node: string, pid: Pid): void {
  nodeOf('isolate', rt).isolate(node, pid);
}

/** @internal has {@link stop} of `rt` await `end`, after its connections are closed (a transport's own shutdown) */
export function whenStopped(rt: Runtime, end: () => Promise<void>): void {
  nodeOf('whenStopped', rt).onStop.push(end);
}

/** @internal the number of worker threads the node of `rt` has started and that have not exited */
export function liveWorkers(rt: Runtime): number {
  return localNodes.get(rt)?.workers.size ?? 0;
}

/** @internal the name of the node `pid` (as `rt` numbers it) belongs to, or undefined when `rt` knows no such node */
export function nodeOfPid(rt: Runtime, pid: Pid): string | undefined {
  return localNodes.get(rt)?.nodeOfIndex(indexOf(pid, 'pid'));
}

/**
 * @internal whether `node` is the worker node of an isolated child of `rt` (Supervisor.isolated):
 * such a node is hidden from cluster services, as Erlang's hidden nodes are from global, so that
 * a child busy in a loop holds up no one
 */
export function isHiddenNode(rt: Runtime, node: string): boolean {
  const local = localNodes.get(rt);
  const worker = local?.workerOf.get(node);
  return worker !== undefined && local!.isolatedWorkers.has(worker);
}

/** @internal whether `pid` is a process of another node, for the runtime that can reach it */
export function isRemotePid(pid: Pid): boolean {
  const rt = runtimeOfPid(pid);
  return rt !== undefined && indexOf(pid, 'pid') !== rt.kernel.id;
}
