/**
 * The NATS transport: nodes in separate OS processes, or on separate hosts, that find each other
 * and talk through a NATS server.
 *
 * A node joins a cluster ({@link join}) by connecting to NATS with a URL and credentials. Every
 * subject it uses starts with `otp.<cluster>.`, so clusters sharing a server never see each other.
 * Each joined node has an endpoint id, random per join, and listens on `otp.<cluster>.to.<id>.*`;
 * what node `A` sends to node `B` goes to `otp.<cluster>.to.<B>.<A>`: one subject per ordered
 * pair of nodes, from one NATS connection, which NATS delivers in order.
 *
 * **Names.** A node listens on `otp.<cluster>.name.<name in hex>` and answers there, so a node
 * joining with a name a live node holds is refused (`'name_taken'`).
 *
 * **Finding each other.** A node announces its id on `otp.<cluster>.announce` when it joins, when
 * its NATS connection comes back, and every two heartbeat periods after (every 5 s at most). A node that hears an
 * announcement from a node it has no link to answers: the one with the smaller id opens the link
 * (an `open` packet, then data), the other replies with `here` so that it does. The node layer
 * then runs its handshake over the link, as over any {@link Link}. So a link that closed (a peer
 * lost to heartbeats that comes back, a disconnect, a NATS outage) is made again at the next
 * announcement, as Erlang nodes running `global` reconnect.
 *
 * **Packets.** Every NATS message on a pair's subject is a packet: a kind byte (`open`, `data`,
 * `close`, `here`), the link's id (four bytes, chosen by its opener) and, for data, a sequence
 * number (four bytes) and one batch of frames serialized with V8's serializer. A packet of an
 * older link is ignored; an `open` replaces the pair's link; a sequence gap, a batch that does not
 * decode to frames, or one over the size limit is logged and closes the link, so both nodes see
 * `noconnection`, never a crash and never a silent loss. The link's size limit is the server's
 * `max_payload` (1 MiB unless configured): the node layer refuses a message over it at the send
 * (NodeError `'too_large'`) and splits batches under it, so a batch too large to send (frames
 * with huge names) is left only as a last net: logged at `error`, it closes the link.
 *
 * **Loss.** Heartbeats are the node layer's ticks ({@link JoinOptions.tickMs}). A NATS
 * disconnect may lose what was published to this node meanwhile, so it closes every link at
 * once; the client reconnects and the node announces itself again.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { InvalidArgumentError, NodeError } from '../../errors.js';
import type { Runtime } from '../../process/index.js';
import { attach, start, stop, whenStopped } from '../node.js';
import type { Frame, Link, LinkHandler } from './transport.js';

/**
 * Options of {@link join}.
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Node.JoinOptions = { name: 'api-1', url: 'nats://127.0.0.1:4222', cluster: 'shop', token: 's3cret', tickMs: 1_000 };
 * expect(options.cluster).toBe('shop');
 * ```
 */
export interface JoinOptions {
  /** The node's name, unique in the cluster: letters, digits, `_`, `-`, `.`, optionally `@host`. */
  readonly name: string;
  /** The NATS server, `nats://host:port` or `host:port`, or several servers of one NATS cluster. */
  readonly url: string | readonly string[];
  /** The cluster's name: letters, digits, `_` and `-`. It scopes every subject the node uses. */
  readonly cluster: string;
  /** The token the NATS server asks for (its `authorization { token }`), if it asks for one. */
  readonly token?: string;
  /**
   * The seed of this node's NKey (`SU...`), for a server whose users are NKeys (its
   * `authorization { users: [{ nkey: 'U...' }] }`): the node proves it holds the key by signing
   * the server's challenge, and the seed never leaves the process. Not with `token`.
   */
  readonly nkeySeed?: string;
  /** A user name and password, for a server that lists users (`authorization { users: [{ user, password }] }`). Not with `token` or `nkeySeed`. */
  readonly user?: { readonly user: string; readonly password: string };
  /**
   * TLS to the NATS server, which must have TLS on (its `tls { cert_file, key_file }`). `true`
   * verifies the server's certificate against the system's CAs; an object gives the CA that
   * signed it (`ca` as PEM text or `caFile` as a path) and, for a server that verifies clients
   * (`verify: true`), this node's certificate and key (`cert`/`certFile`, `key`/`keyFile`).
   */
  readonly tls?: true | TlsOptions;
  /**
   * Heartbeat period in ms (Erlang's net_ticktime, see {@link StartOptions.tickMs}). Default
   * 1000: a killed, hung or cut-off node is down for the others within about one period and a
   * quarter. A node whose thread is busy for longer than this (a long synchronous loop, a long
   * GC pause on a starved machine) is declared lost too, so raise it for such workloads.
   */
  readonly tickMs?: number;
}

/**
 * TLS settings of {@link JoinOptions.tls}: PEM text or a file path for each of the CA, the
 * node's certificate and its key.
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const tls: Node.TlsOptions = { caFile: '/etc/otp/ca.pem', certFile: '/etc/otp/node.pem', keyFile: '/etc/otp/node.key' };
 * expect(Object.keys(tls)).toHaveLength(3);
 * ```
 */
export interface TlsOptions {
  readonly ca?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly certFile?: string;
  readonly key?: string;
  readonly keyFile?: string;
}

const TLS_KEYS = ['ca', 'caFile', 'cert', 'certFile', 'key', 'keyFile'] as const;

/** How long a join waits for NATS to accept the connection (the client's own default is 20 s). */
const CONNECT_TIMEOUT_MS = 5_000;
/** The heartbeat period of a joined node unless told otherwise. */
const DEFAULT_CLUSTER_TICK_MS = 1_000;
const CLUSTER_NAME = /^[A-Za-z0-9_-]+$/;
/** A node announces itself at least this often, however long its heartbeat period. */
const MAX_ANNOUNCE_MS = 5_000;

const OPEN = 1;
const DATA = 2;
const CLOSE = 3;
const HERE = 4;
/** kind (1) + link id (4) + sequence (4, data only) */
const HEADER = 9;

/**
 * Makes `rt` a node called `options.name` and joins it to a cluster of nodes through a NATS
 * server: it connects to every node of the cluster that is there or comes later, as they find
 * each other (watch them with {@link monitorNodes}). Resolves once it is connected to NATS and
 * has announced itself; {@link stop} leaves the cluster and closes the NATS connection.
 *
 * Names are unique in a cluster: a join asks whether a live node holds the name first (waiting
 * at most `tickMs` for an answer). The NATS client reconnects on its own after an outage, and
 * the node then announces itself again.
 *
 * @throws {@link InvalidArgumentError} for bad options; {@link NodeError} `'already_a_node'`;
 * rejects with {@link NodeError} `'connection_lost'` when NATS cannot be reached, refuses the
 * credentials or the TLS handshake, or has not accepted the connection within 5 s (the detail
 * says which), and `'name_taken'` when a live node of the cluster has
 * that name; `rt` is then not a node.
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * // Nothing listens on port 1: the join fails, and rt is left as it was.
 * const failed = await Node.join(rt, { name: 'a', url: '127.0.0.1:1', cluster: 'demo' }).catch((e: unknown) => e);
 * expect(failed).toMatchObject({ name: 'NodeError', reason: 'connection_lost' });
 * expect(() => Node.name(rt)).toThrow(/not_a_node/);
 * expect(() => Node.join(rt, { name: 'a', url: '127.0.0.1:1', cluster: 'no.dots' })).toThrow(/options.cluster/);
 * ```
 */
export function join(rt: Runtime, options: JoinOptions): Promise<void> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('Node.join', 'options', options, 'an object { name, url, cluster, token?, nkeySeed?, user?, tls?, tickMs? }');
  }
  const { name, url, cluster, token, nkeySeed, user, tls, tickMs = DEFAULT_CLUSTER_TICK_MS } = options;
  const servers = typeof url === 'string' ? [url] : url;
  if (!Array.isArray(servers) || servers.length === 0 || !servers.every((s) => typeof s === 'string' && s !== '')) {
    throw new InvalidArgumentError('Node.join', 'options.url', url, 'a NATS URL or a non-empty array of them');
  }
  if (typeof cluster !== 'string' || !CLUSTER_NAME.test(cluster)) {
    throw new InvalidArgumentError('Node.join', 'options.cluster', cluster, "a cluster name: letters, digits, '_' and '-'");
  }
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    throw new InvalidArgumentError('Node.join', 'options.token', token, 'a non-empty string');
  }
  if (nkeySeed !== undefined && (typeof nkeySeed !== 'string' || !/^SU[A-Z2-7]+$/.test(nkeySeed))) {
    throw new InvalidArgumentError('Node.join', 'options.nkeySeed', nkeySeed === undefined ? nkeySeed : '(hidden)', "a user NKey seed ('SU...')");
  }
  if (nkeySeed !== undefined && token !== undefined) {
    throw new InvalidArgumentError('Node.join', 'options.nkeySeed', '(hidden)', 'no seed when options.token is given: one way to authenticate');
  }
  if (user !== undefined) {
    if (typeof user !== 'object' || user === null || typeof user.user !== 'string' || user.user === '' || typeof user.password !== 'string') {
      throw new InvalidArgumentError('Node.join', 'options.user', typeof user === 'object' && user !== null ? { user: user.user, password: '(hidden)' } : user, 'an object { user, password } of strings');
    }
    if (token !== undefined || nkeySeed !== undefined) {
      throw new InvalidArgumentError('Node.join', 'options.user', { user: user.user, password: '(hidden)' }, 'no user when options.token or options.nkeySeed is given: one way to authenticate');
    }
  }
  if (tls !== undefined && tls !== true) {
    if (typeof tls !== 'object' || tls === null) throw new InvalidArgumentError('Node.join', 'options.tls', tls, 'true or an object { ca?, caFile?, cert?, certFile?, key?, keyFile? }');
    for (const key of TLS_KEYS) {
      const value = tls[key];
      if (value !== undefined && (typeof value !== 'string' || value === '')) {
        throw new InvalidArgumentError('Node.join', `options.tls.${key}`, key.startsWith('key') ? '(hidden)' : value, 'PEM text or a file path');
      }
    }
  }
  start(rt, { name, tickMs }); // checks the name and tickMs, and that rt is not a node yet
  return connectCluster(rt, name, servers as readonly string[], cluster, { token, nkeySeed, user, tls }, tickMs);
}

async function connectCluster(
  rt: Runtime,
  name: string,
  servers: readonly string[],
  cluster: string,
  auth: { token: string | undefined; nkeySeed: string | undefined; user: JoinOptions['user']; tls: JoinOptions['tls'] },
  tickMs: number,
): Promise<void> {
  let nc: NatsConnection;
  try {
    // Loaded on first use, so that a program without a cluster never loads the NATS client.
    const nats = await import('@nats-io/transport-node');
    nc = await nats.connect({
      servers: [...servers],
      name: `ts-otp ${cluster}/${name}`,
      noEcho: true, // this node's announcements are not for itself
      maxReconnectAttempts: -1, // a node stays in its cluster through NATS outages
      reconnectTimeWait: 250,
      timeout: CONNECT_TIMEOUT_MS,
      ...(auth.token === undefined ? {} : { token: auth.token }),
      ...(auth.nkeySeed === undefined ? {} : { authenticator: nats.nkeyAuthenticator(new TextEncoder().encode(auth.nkeySeed)) }),
      ...(auth.user === undefined ? {} : { user: auth.user.user, pass: auth.user.password }),
      ...(auth.tls === undefined ? {} : { tls: auth.tls === true ? {} : { ...auth.tls } }),
    });
  } catch (error) {
    await stop(rt);
    throw new NodeError('Node.join', name, 'connection_lost', error instanceof Error ? error.message : String(error));
  }
  const member = new Member(rt, nc, cluster, tickMs);
  const stopped = (): NodeError => new NodeError('Node.join', name, 'connection_lost', 'the node was stopped while joining');
  try {
    whenStopped(rt, () => member.leave());
  } catch {
    await nc.close(); // Node.stop came first: nothing is left to join
    throw stopped();
  }
  const free = await member.claim(name);
  if (member.left) throw stopped();
  if (!free) {
    await stop(rt);
    throw new NodeError('Node.join', name, 'name_taken', `a live node of cluster ${cluster} has that name`);
  }
  await member.enter();
}

/** One node's membership of a cluster: its NATS connection, its endpoint id and its links by peer id. */
class Member {
  readonly id = randomBytes(8).toString('hex');
  readonly #prefix: string;
  readonly #links = new Map<string, NatsLink>();
  readonly limit: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #left = false;

  constructor(
    readonly rt: Runtime,
    readonly nc: NatsConnection,
    cluster: string,
    readonly tickMs: number,
  ) {
    this.#prefix = `otp.${cluster}`;
    this.limit = nc.info?.max_payload ?? 1024 * 1024;
  }

  /**
   * Takes `name` in the cluster: listens on the name's subject, where later joiners ask, then
   * asks whether a live node answers there. A node that is gone has no subscription left, so
   * there are no responders; one that does not answer within a heartbeat period (paused) is
   * lost to the others anyway. Two nodes that join with one name at the same moment may both
   * hear each other and both be refused, never both admitted.
   */
  async claim(name: string): Promise<boolean> {
    const subject = `${this.#prefix}.name.${Buffer.from(name).toString('hex')}`;
    this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error === null && !this.#left) msg.respond(new TextEncoder().encode(this.id));
      },
    });
    await this.nc.flush();
    try {
      await this.nc.request(subject, new Uint8Array(0), { timeout: this.tickMs });
      return false;
    } catch {
      return true; // no responders, or none in time
    }
  }

  async enter(): Promise<void> {
    this.nc.subscribe(`${this.#prefix}.to.${this.id}.*`, {
      callback: (error, msg) => {
        if (error === null) this.#guarded(msg, this.#packet);
      },
    });
    this.nc.subscribe(`${this.#prefix}.announce`, {
      callback: (error, msg) => {
        if (error === null) this.#guarded(msg, this.#announced);
      },
    });
    void this.#watch();
    await this.nc.flush(); // subscribed at the server before anyone can answer
    this.#announce();
    this.#timer = setInterval(() => {
      this.#sweep();
      this.#announce();
    }, Math.min(2 * this.tickMs, MAX_ANNOUNCE_MS));
    this.#timer.unref();
  }

  /** Follows the NATS connection: a disconnect may have lost packets, so every link closes. */
  async #watch(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (this.#left) return;
      if (status.type === 'disconnect') {
        this.rt.logger.warn({ label: 'node.nats.disconnected', server: status.server }, 'NATS connection lost: closing every link');
        this.#closeAll();
      } else if (status.type === 'reconnect') this.#announce();
    }
  }

  /**
   * Closes links that have heard nothing at all from their peer for a whole announcement period:
   * an `open` that never reached a live peer (lost in its NATS outage), or a peer gone before it
   * answered. Once a link has heard from its peer, its silence is the node layer's to judge.
   */
  #sweep(): void {
    for (const link of [...this.#links.values()]) if (link.unanswered()) link.close();
  }

  #closeAll(): void {
    for (const link of [...this.#links.values()]) link.close();
  }

  #announce(): void {
    this.#publish(`${this.#prefix}.announce`, new TextEncoder().encode(this.id));
  }

  /** Publishes; a connection that is closed or draining drops the packet (its links close through #watch or leave). */
  #publish(subject: string, data: Uint8Array): boolean {
    try {
      this.nc.publish(subject, data);
      return true;
    } catch {
      return false;
    }
  }

  send(peer: string, packet: Uint8Array): boolean {
    return this.#publish(`${this.#prefix}.to.${peer}.${this.id}`, packet);
  }

  /** Handles a NATS message; a throw (a bug) is logged and closes that peer's link, and the subscription goes on. */
  #guarded(msg: Msg, handle: (msg: Msg) => void): void {
    try {
      handle(msg);
    } catch (error) {
      const peer = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
      this.rt.logger.error({ label: 'node.nats.failed', peer, err: error }, `handling a packet from cluster endpoint ${peer} failed: closing its link`);
      this.#links.get(peer)?.close();
    }
  }

  readonly #announced = (msg: Msg): void => {
    const peer = new TextDecoder().decode(msg.data);
    if (peer === this.id || !/^[0-9a-f]{16}$/.test(peer) || this.#links.has(peer)) return;
    if (this.id < peer) this.#open(peer);
    else this.send(peer, control(HERE, 0));
  };

  #open(peer: string): void {
    const id = randomBytes(4).readUInt32BE() || 1;
    this.send(peer, control(OPEN, id)); // before the handshake's first data, on the same subject
    this.#accept(peer, id);
  }

  #accept(peer: string, id: number): void {
    this.#links.get(peer)?.close(); // a new link from that peer replaces the old one
    const link = new NatsLink(this, peer, id);
    this.#links.set(peer, link);
    attach(this.rt, link).catch((error: unknown) => {
      // A refused handshake (a name taken in the cluster) is worth a word; a lost one is not.
      if (error instanceof NodeError && error.reason !== 'connection_lost') {
        this.rt.logger.warn({ label: 'node.nats.refused', reason: error.reason, peer: error.node }, `connection to node ${error.node} refused: ${error.reason}`);
      }
    });
  }

  forget(link: NatsLink): void {
    if (this.#links.get(link.peer) === link) this.#links.delete(link.peer);
  }

  readonly #packet = (msg: Msg): void => {
    const peer = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    const data = msg.data;
    if (data.length < 5) return this.#drop(peer, 'a packet too short', data.length);
    const kind = data[0];
    const id = ((data[1]! << 24) | (data[2]! << 16) | (data[3]! << 8) | data[4]!) >>> 0;
    const link = this.#links.get(peer);
    switch (kind) {
      case DATA:
        if (link !== undefined && link.id === id) link.received(data);
        return; // a packet of an older link: that link is closed already
      case OPEN:
        if (!this.#left) this.#accept(peer, id);
        return;
      case CLOSE:
        if (link !== undefined && link.id === id) link.lost();
        return;
      case HERE:
        if (link === undefined && this.id < peer && !this.#left) this.#open(peer);
        return;
      default:
        return this.#drop(peer, 'a packet of unknown kind', kind);
    }
  };

  #drop(peer: string, what: string, detail: unknown): void {
    this.rt.logger.warn({ label: 'node.nats.dropped', peer, detail }, `dropped ${what} from cluster endpoint ${peer}`);
  }

  get left(): boolean {
    return this.#left;
  }

  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    clearInterval(this.#timer);
    this.#closeAll(); // the node layer closed its connections already; links it never attached close here
    try {
      await this.nc.drain(); // sends what is queued (the links' close packets), then closes
    } catch {
      await this.nc.close().catch(() => undefined);
    }
  }
}

function control(kind: number, id: number): Uint8Array {
  const packet = new Uint8Array(5);
  packet[0] = kind;
  new DataView(packet.buffer).setUint32(1, id);
  return packet;
}

/** A {@link Link} to one peer of the cluster, over that pair's two subjects. */
class NatsLink implements Link {
  #handler: LinkHandler | null = null;
  #closed = false;
  /** Sequence numbers of the last data packet sent and received; they wrap at 2^32. */
  #sent = 0;
  #received = 0;
  #answered = false;
  #swept = false;

  constructor(
    readonly member: Member,
    readonly peer: string,
    readonly id: number,
  ) {}

  get maxBatchBytes(): number {
    return this.member.limit - HEADER;
  }

  open(handler: LinkHandler): void {
    this.#handler = handler;
    if (this.#closed) queueMicrotask(handler.closed);
  }

  send(batch: readonly Frame[]): void {
    if (this.#closed) return;
    const body = serialize(batch);
    if (HEADER + body.length > this.member.limit) {
      this.member.rt.logger.error(
        { label: 'node.nats.batch_too_large', peer: this.peer, bytes: HEADER + body.length, limit: this.member.limit },
        `a batch of ${HEADER + body.length} bytes exceeds the NATS max_payload of ${this.member.limit}: closing the link`,
      );
      this.close();
      return;
    }
    const packet = new Uint8Array(HEADER + body.length);
    const view = new DataView(packet.buffer);
    packet[0] = DATA;
    view.setUint32(1, this.id);
    this.#sent = (this.#sent + 1) >>> 0;
    view.setUint32(5, this.#sent);
    packet.set(body, HEADER);
    if (!this.member.send(this.peer, packet)) this.close();
  }

  /** Whether the peer has sent nothing on this link since before the previous sweep. */
  unanswered(): boolean {
    const swept = this.#swept;
    this.#swept = true;
    return swept && !this.#answered;
  }

  received(packet: Uint8Array): void {
    if (this.#closed || this.#handler === null) return;
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const seq = packet.length >= HEADER ? view.getUint32(5) : -1;
    const expected = (this.#received + 1) >>> 0;
    if (seq !== expected) return this.#reject('a sequence gap', { expected, got: seq });
    this.#received = seq;
    this.#answered = true;
    let batch: unknown;
    try {
      batch = deserialize(packet.subarray(HEADER));
    } catch (error) {
      return this.#reject('a batch that does not decode', error instanceof Error ? error.message : String(error));
    }
    if (!isBatch(batch)) return this.#reject('a batch that is not frames', typeof batch);
    this.#handler.frames(batch);
  }

  #reject(what: string, detail: unknown): void {
    this.member.rt.logger.warn({ label: 'node.nats.dropped', peer: this.peer, detail }, `dropped ${what} from cluster endpoint ${this.peer}: closing the link`);
    this.close();
  }

  /** Closes this side and tells the peer. */
  close(): void {
    if (this.#closed) return;
    this.member.send(this.peer, control(CLOSE, this.id));
    this.lost();
  }

  /** Closes this side only: the peer closed it, or it is gone. */
  lost(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.member.forget(this);
    const handler = this.#handler;
    if (handler !== null) queueMicrotask(handler.closed);
  }
}

function isBatch(value: unknown): value is readonly Frame[] {
  if (!Array.isArray(value)) return false;
  for (const frame of value) if (!Array.isArray(frame) || typeof frame[0] !== 'string') return false;
  return true;
}
