/**
 * One connection between this node and another: the handshake, the frames both ways, the
 * proxies of the other node's processes, and heartbeats.
 *
 * Every frame to the other node goes through one outgoing queue, flushed as one batch at the
 * end of the microtask or once it holds 32 frames, so messages and signals between any pair of processes keep their order (the link
 * keeps batches in order). The values the frames carry (messages, exit reasons, spawn arguments)
 * travel as one byte array at the head of their batch, a `['values', bytes, count]` frame, and
 * frames refer to them by index. When the connection goes down, each proxy ends with `noconnection`:
 * the kernel then fires every link and monitor on it exactly once.
 *
 * Not part of the public API.
 *
 * @module
 */
import { serialize } from 'node:v8';
import { describeValue, type ExitReason } from '../../process/exit_reason.js';
import type { DownMessage } from '../../process/messages.js';
import { isPid, type Pid, type Ref } from '../../process/pid.js';
import { DOWN_SIGNAL, EXIT_SIGNAL, LINK_SIGNAL, type Kernel, type Monitor, type Proc } from '../../process/internal/kernel.js';
import { Mailbox } from '../../process/internal/mailbox.js';
import { NodeError, type NodeErrorReason } from '../../errors.js';
import type { Runtime } from '../../process/runtime.js';
import type { Frame, Link } from '../transports/transport.js';
import { BatchValues, readValues, renumber, renumberAll } from './codec.js';

/** What a connection needs from its node. */
export interface NodeSide {
  readonly name: string;
  readonly creation: number;
  readonly kernel: Kernel;
  readonly runtime: Runtime;
  /** The number given to pids whose runtime the peer never announced: no node answers for it. */
  readonly unknownIndex: number;
  /** Own runtime number and every other node's number, as announced to peers. */
  announcements(): Frame[];
  /** A number for this thread, the same for every node in it. */
  readonly thread: number;
  /**
   * The local number for a node incarnation, made on first sight; `sameThread` is its runtime's
   * id when it lives in this thread, and is then used, so its pids print the same on both nodes.
   */
  indexFor(name: string, creation: number, sameThread?: number): number;
  /** Whether a connection to that incarnation of a node is up. */
  connectedTo(name: string, creation: number): boolean;
  /**
   * The handshake ended: `conn` is up, or refused with `reason`. `peerConnected`: the peer
   * still holds a connection to this node as well, so an old one here is not stale.
   */
  up(conn: Connection, peerConnected: boolean): NodeErrorReason | undefined;
  /** `conn` is gone: forget it (its links and monitors fire next). */
  down(conn: Connection): void;
  /** Then tell the node's watchers, after the links and monitors, as Erlang orders them. */
  nodeDown(conn: Connection): void;
  spawnRequest(conn: Connection, id: number, from: Pid, module: string, exportName: string, args: unknown[], link: boolean): void;
}

/** Frames per batch at most: a batch this long is sent without waiting for the end of the turn. */
const BATCH = 32;
/** What a batch's frames other than their values may take, at most, of a limited link's batch. */
const FRAMES_ALLOWANCE = 16 * 1024;
/** How much of an exit reason too large to cross its description keeps. */
const REASON_CHARS = 1024;

/** A proxy's mailbox: what the kernel delivers to it goes to its node. */
export class ForwardBox extends Mailbox {
  constructor(
    readonly conn: Connection,
    readonly to: string,
  ) {
    super();
  }

  override push(msg: unknown): void {
    this.conn.sendMessage(this.to, msg);
  }
}

/** The mailbox of a proxy for a process that cannot be reached: messages are dropped, as to a dead pid. */
export class DeadBox extends Mailbox {
  override push(): void {}
}

interface PendingSpawn {
  readonly from: Proc;
  readonly link: boolean;
  readonly resolve: (pid: Pid) => void;
  readonly reject: (error: Error) => void;
  readonly module: string;
}

export class Connection {
  state: 'handshake' | 'up' | 'down' = 'handshake';
  peer = '';
  peerCreation = 0;
  /** This node's number for the peer's runtime. */
  index = -1;
  /** Peer's runtime numbers → ours. */
  readonly #inbound = new Map<number, number>();
  readonly proxies = new Map<string, Proc>();
  readonly #named = new Map<string, Proc>();
  #sweepAt = 1024;
  /** Monitors the peer holds on our processes: our ref → the peer's ref (in our numbering), and back. */
  readonly #peerRefOf = new Map<Ref, Ref>();
  readonly #ourRefOf = new Map<Ref, Ref>();
  readonly #spawns = new Map<number, PendingSpawn>();
  #nextSpawn = 0;
  #out: Frame[] = [];
  readonly #values = new BatchValues();
  /** The most the values of one batch may take on a limited link (see Link.maxBatchBytes), or 0: no limit. */
  readonly #budget: number;
  /** What the values of the batch being filled take, counted on a limited link only. */
  #bytes = 0;
  /** The values of the batch being handled. */
  #in: unknown[] = [];
  #tickTimer: unknown = undefined;
  #heard = 0;
  #sent = false;
  #settled: ((reason: NodeErrorReason | undefined) => void) | null;
  /** The isolated child this connection's node was started for (see LocalNode.isolate), if any. */
  child: string | null = null;
  /** Why that child's node ended, when it is not a lost connection: killed, or over its heap limit. */
  childReason: ExitReason | null = null;
  readonly #map = (index: number): number => this.#inbound.get(index) ?? this.node.unknownIndex;

  constructor(
    readonly node: NodeSide,
    readonly link: Link,
    readonly tickMs: number,
    settled: (reason: NodeErrorReason | undefined) => void,
  ) {
    this.#settled = settled;
    const max = link.maxBatchBytes;
    this.#budget = max === undefined ? 0 : Math.max(1, max - Math.min(FRAMES_ALLOWANCE, max >> 1));
    link.open({ frames: (batch) => this.#receive(batch), closed: () => this.lost() });
    this.#queue(['hello', node.name, node.creation, node.kernel.id, node.thread]);
    for (const frame of node.announcements()) this.#queue(frame);
  }

  // ---- out ------------------------------------------------------------------------------

  #queue(frame: Frame): void {
    if (this.state === 'down') return;
    if (this.#out.length === 0) void Promise.resolve().then(this.#flush);
    // A full batch goes at once, so that the peer starts on it while this thread makes the next.
    if (this.#out.push(frame) >= BATCH) this.#flush();
  }

  readonly #flush = (): void => {
    const batch = this.#out;
    if (batch.length === 0) return;
    this.#out = [];
    const count = this.#values.count;
    if (count > 0) batch.unshift(['values', this.#values.take()!, count]);
    this.#bytes = 0;
    this.#sent = true;
    this.link.send(batch);
  };

  announce(frame: Frame): void {
    this.#queue(frame);
  }

  sendMessage(to: string, msg: unknown): void {
    if (this.state === 'down') return;
    const i = this.#write('send', 'msg', msg); // throws at the send for a value that cannot cross
    this.#queue(['msg', to, i]);
  }

  /** A signal the kernel addressed to one of this connection's proxies. */
  signal(proxy: Proc, a: unknown, reason: ExitReason, kind: number): void {
    if (kind === LINK_SIGNAL) this.#queue(['link_exit', a as Pid, proxy.self, this.#reason(reason)]);
    else if (kind === EXIT_SIGNAL) this.#queue(['exit', a as Pid, proxy.self, this.#reason(reason)]);
    else if (kind === DOWN_SIGNAL) {
      const m = a as Monitor;
      const peerRef = this.#peerRefOf.get(m.self);
      if (peerRef === undefined) return;
      this.#peerRefOf.delete(m.self);
      this.#ourRefOf.delete(peerRef);
      // A monitor the peer made by name is reported by name (Erlang's {Name, Node}).
      this.#queue(['down', proxy.self, peerRef, typeof m.name === 'string' ? m.name : m.target.self, this.#reason(reason)]);
    }
  }

  changed(op: 'link' | 'unlink' | 'monitor' | 'demonitor', from: Proc, proxy: Proc, ref: Ref | undefined): void {
    const to = proxy.self;
    if (op === 'link') this.#queue(['link', from.self, to]);
    else if (op === 'unlink') this.#queue(['unlink', from.self, to]);
    else if (op === 'monitor') this.#queue(['mon', from.self, to, ref!]);
    else this.#queue(['demon', from.self, to, ref!]);
  }

  spawn(from: Proc, module: string, exportName: string, args: readonly unknown[], link: boolean): Promise<Pid> {
    if (this.state === 'down') return Promise.reject(new NodeError('spawn', this.peer, 'connection_lost', module));
    const i = this.#write('spawn', 'args', args); // throws at the call for arguments that cannot cross
    const id = ++this.#nextSpawn;
    return new Promise((resolve, reject) => {
      this.#spawns.set(id, { from, link, resolve, reject, module });
      this.#queue(['spawn', id, from.self, module, exportName, i, link]);
    });
  }

  spawned(id: number, pid: Pid | null, error: NodeErrorReason | null, detail: string): void {
    this.#queue(['spawned', id, pid, error, detail]);
  }

  // ---- proxies --------------------------------------------------------------------------

  /** The proxy of a pid of the peer, made on first use. */
  proxy(pid: string): Proc {
    let proxy = this.proxies.get(pid);
    if (proxy === undefined) {
      if (this.proxies.size >= this.#sweepAt) this.#sweep();
      proxy = this.node.kernel.newProxy(pid as Pid, new ForwardBox(this, pid));
      this.proxies.set(pid, proxy);
    }
    return proxy;
  }

  /** The proxy of a name registered on the peer: only messages go to it. */
  named(name: string): Proc {
    let proxy = this.#named.get(name);
    if (proxy === undefined) {
      proxy = this.node.kernel.newProxy(name as Pid, new ForwardBox(this, name));
      this.#named.set(name, proxy);
    }
    return proxy;
  }

  /** Forgets proxies that nothing is linked to or monitors; amortised over the proxies made since. */
  #sweep(): void {
    for (const [pid, proxy] of this.proxies) {
      const x = proxy.x;
      if (x === null || (x.links === null && x.monitors === null && x.monitoredBy === null && (x.timers === null || x.timers.size === 0))) {
        this.proxies.delete(pid);
      }
    }
    this.#sweepAt = Math.max(1024, 2 * this.proxies.size);
  }

  // ---- in -------------------------------------------------------------------------------

  #receive(batch: readonly Frame[]): void {
    this.#heard = this.node.kernel.clock.now();
    for (const frame of batch) {
      if (this.state === 'down') break;
      try {
        if (frame[0] === 'values') this.#in = readValues(frame[1] as Uint8Array, frame[2] as number);
        else this.#handle(frame);
      } catch (error) {
        // A frame we cannot handle means the peer does not speak our protocol: drop the connection.
        this.#fail('connection_lost', describeValue(error));
      }
    }
    this.#in = [];
  }

  #pid(value: unknown): Pid {
    return renumber(value as string, this.#map) as Pid;
  }

  /** Value `index` of the batch being handled, renumbered. */
  #value(index: unknown): unknown {
    return renumberAll(this.#in[index as number], this.#map);
  }

  /**
   * Writes `value` into the batch; its index there. On a limited link it is measured first (a
   * second serialization, paid only there): a value over the limit throws NodeError
   * `'too_large'` and nothing is queued, and one that would take the batch over it sends the
   * batch so far first, which keeps the order.
   */
  #write(operation: string, path: string, value: unknown): number {
    if (this.#budget !== 0) {
      let size = 0;
      try {
        size = serialize(value).length;
      } catch {
        // Cannot be copied: the write below throws the CloneError that says where.
      }
      if (size > this.#budget) throw new NodeError(operation, this.peer, 'too_large', `${path} takes ${size} bytes; the link carries ${this.#budget} at most`);
      if (this.#bytes + size > this.#budget) this.#flush();
      this.#bytes += size;
    }
    return this.#values.write(operation, path, value);
  }

  /** Writes an exit reason into the batch; one that cannot cross, or is too large to, is described instead (the link still fires). */
  #reason(reason: ExitReason): number {
    if (this.state === 'down') return -1; // the frame is dropped too
    try {
      return this.#write('exit', 'reason', reason);
    } catch {
      return this.#write('exit', 'reason', { tag: 'exit', value: describeValue(reason).slice(0, REASON_CHARS) });
    }
  }

  #handle(f: Frame): void {
    const k = this.node.kernel;
    switch (f[0]) {
      case 'msg': {
        const to = this.#pid(f[1]);
        const proc = k.procs.get(to) ?? k.names.get(to);
        if (proc !== undefined) k.deliver(proc, this.#value(f[2]));
        return;
      }
      case 'link': {
        const from = this.proxy(this.#pid(f[1]));
        const to = this.#pid(f[2]);
        if (k.procs.get(to) === undefined) this.#queue(['link_exit', to, from.self, this.#reason('noproc')]);
        else k.link(from, to);
        return;
      }
      case 'unlink': {
        const from = this.proxies.get(this.#pid(f[1]));
        const to = k.procs.get(this.#pid(f[2]));
        if (from !== undefined && to !== undefined) k.unlink(from, to.self);
        return;
      }
      case 'link_exit': {
        const from = this.proxies.get(this.#pid(f[1]));
        const to = k.procs.get(this.#pid(f[2]));
        if (from !== undefined && to !== undefined) k.remoteLinkExit(from, to, this.#value(f[3]) as ExitReason);
        return;
      }
      case 'exit': {
        const to = this.#pid(f[2]);
        if (k.procs.get(to) !== undefined) k.exitSignal(this.proxy(this.#pid(f[1])), to, this.#value(f[3]));
        return;
      }
      case 'mon': {
        const from = this.proxy(this.#pid(f[1]));
        const to = this.#pid(f[2]); // a pid, or a name for a monitor of { name, node }
        const peerRef = this.#pid(f[3]) as string as Ref;
        if ((isPid(to) ? k.procs.get(to) : k.names.get(to)) === undefined) {
          this.#queue(['down', from.self, peerRef, to, this.#reason('noproc')]);
          return;
        }
        const ours = k.monitor(from, to);
        this.#peerRefOf.set(ours, peerRef);
        this.#ourRefOf.set(peerRef, ours);
        return;
      }
      case 'demon': {
        const from = this.proxies.get(this.#pid(f[1]));
        const peerRef = this.#pid(f[3]) as string as Ref;
        const ours = this.#ourRefOf.get(peerRef);
        if (from === undefined || ours === undefined) return;
        this.#ourRefOf.delete(peerRef);
        this.#peerRefOf.delete(ours);
        k.demonitor(from, ours, undefined);
        return;
      }
      case 'down': {
        const watcher = k.procs.get(this.#pid(f[1]));
        if (watcher === undefined) return;
        const ref = this.#pid(f[2]) as string as Ref;
        const target = this.#pid(f[3]);
        const reason = this.#value(f[4]) as ExitReason;
        if (!this.#quietly(() => k.demonitor(watcher, ref, { info: true }))) return; // demonitored meanwhile
        const down: DownMessage = isPid(target)
          ? { type: 'DOWN', ref, pid: target, name: undefined, reason }
          : { type: 'DOWN', ref, pid: undefined, name: target, node: this.peer, reason };
        k.deliver(watcher, down);
        return;
      }
      case 'spawn': {
        const args = this.#value(f[5]);
        this.node.spawnRequest(this, f[1] as number, this.#pid(f[2]), f[3] as string, f[4] as string, args as unknown[], f[6] === true);
        return;
      }
      case 'spawned':
        this.#spawnReply(f[1] as number, f[2] === null ? null : this.#pid(f[2]), f[3] as NodeErrorReason | null, f[4] as string);
        return;
      case 'node':
        this.#inbound.set(f[1] as number, this.node.indexFor(f[2] as string, f[3] as number));
        return;
      case 'hello': {
        this.peer = f[1] as string;
        this.peerCreation = f[2] as number;
        this.index = this.node.indexFor(this.peer, this.peerCreation, f[4] === this.node.thread ? (f[3] as number) : undefined);
        this.#inbound.set(f[3] as number, this.index);
        // Whether this side still holds a connection to that incarnation: the peer may have
        // dropped it (a disconnect whose close has not reached us yet); the status frames decide.
        this.#queue(['status', this.node.connectedTo(this.peer, this.peerCreation)]);
        return;
      }
      case 'status': {
        if (this.state !== 'handshake' || this.index < 0) throw new Error('status before hello');
        const refused = this.node.up(this, f[1] === true);
        if (refused !== undefined) {
          this.#fail(refused, undefined);
          return;
        }
        this.state = 'up';
        this.#settle(undefined);
        this.#heard = k.clock.now();
        this.#scheduleTick();
        return;
      }
      case 'tick':
        return;
      default:
        throw new Error(`unknown frame ${String(f[0])}`);
    }
  }

  #spawnReply(id: number, pid: Pid | null, error: NodeErrorReason | null, detail: string): void {
    const pending = this.#spawns.get(id);
    if (pending === undefined) return;
    this.#spawns.delete(id);
    if (pid === null) {
      pending.reject(new NodeError('spawn', this.peer, error ?? 'not_loaded', detail));
      return;
    }
    if (pending.link) {
      const k = this.node.kernel;
      // The peer linked the child to the caller before it ran; the caller's half is made here,
      // without a link frame. A caller that died meanwhile sends the child its exit.
      if (k.hasExited(pending.from)) this.#queue(['link_exit', pending.from.self, pid, this.#reason(pending.from.reason ?? 'noproc')]);
      else this.#quietly(() => k.link(pending.from, pid));
    }
    pending.resolve(pid);
  }

  #quiet = false;
  get quiet(): boolean {
    return this.#quiet;
  }

  #quietly<T>(f: () => T): T {
    this.#quiet = true;
    try {
      return f();
    } finally {
      this.#quiet = false;
    }
  }

  // ---- heartbeats and loss --------------------------------------------------------------

  #scheduleTick(): void {
    const clock = this.node.kernel.clock;
    this.#tickTimer = clock.setTimeout(() => {
      this.#tickTimer = undefined;
      if (this.state !== 'up') return;
      if (clock.now() - this.#heard >= this.tickMs) {
        this.lost(); // silent for a whole tick period: the peer hangs or is gone
        return;
      }
      if (!this.#sent && this.#out.length === 0) this.#queue(['tick']);
      this.#sent = false;
      this.#scheduleTick();
    }, Math.max(1, Math.floor(this.tickMs / 4)));
  }

  #settle(reason: NodeErrorReason | undefined): void {
    const settled = this.#settled;
    this.#settled = null;
    settled?.(reason);
  }

  #fail(reason: NodeErrorReason, _detail: string | undefined): void {
    this.#settle(reason);
    this.lost();
  }

  /**
   * Closes the connection from this side (Node.disconnect, Node.stop): what was sent before goes
   * out first, as Erlang's disconnect_node delivers it (conformance N27); then as {@link lost}.
   */
  close(): void {
    if (this.state === 'up') this.#flush();
    this.lost();
  }

  /** The connection is gone, whoever ended it: every link and monitor on the peer's processes fires once. */
  lost(): void {
    if (this.state === 'down') return;
    const wasUp = this.state === 'up';
    this.state = 'down';
    this.#out = [];
    this.#values.take();
    this.#bytes = 0;
    if (this.#tickTimer !== undefined) this.node.kernel.clock.clearTimeout(this.#tickTimer);
    this.#tickTimer = undefined;
    this.link.close();
    this.#settle('connection_lost');
    if (!wasUp) return;
    this.node.down(this);
    const child = this.childReason === null ? null : this.child;
    const childReason = this.childReason;
    endProxies(this.node.kernel, [...this.proxies.values(), ...this.#named.values()], child === null ? 'noconnection' : (p) => (p.self === child ? childReason! : 'noconnection'));
    this.proxies.clear();
    this.#named.clear();
    this.#peerRefOf.clear();
    this.#ourRefOf.clear();
    const spawns = [...this.#spawns.values()];
    this.#spawns.clear();
    for (const s of spawns) s.reject(new NodeError('spawn', this.peer, 'connection_lost', s.module));
    this.node.nodeDown(this);
  }
}

/**
 * Ends proxies whose processes are gone or unreachable: every link first, then every monitor, as
 * Erlang fires them when a connection is lost (conformance M08, M11).
 */
export function endProxies(k: Kernel, proxies: readonly Proc[], reason: ExitReason | ((proxy: Proc) => ExitReason)): void {
  const reasonOf = typeof reason === 'function' ? reason : () => reason;
  for (const proxy of proxies) {
    const links = proxy.x?.links ?? null;
    if (links === null) continue;
    for (const local of links instanceof Set ? [...links] : [links]) k.remoteLinkExit(proxy, local, reasonOf(proxy));
  }
  for (const proxy of proxies) k.endProxy(proxy, reasonOf(proxy));
}
