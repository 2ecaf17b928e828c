/**
 * Node.join in this process, against a real nats-server: bad options, credentials, clusters that
 * share a server, and packets that are not ours. Several runtimes of this thread join as separate
 * nodes, each with its own NATS connection.
 */
import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { connect, nkeys, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Node, NodeError, Runtime, TIMEOUT, type Context } from 'ts-otp';
import { memoryLogger } from '../support/runtime.js';
import { makeCerts, removeCerts } from './support/certs.js';
import { startNatsServer, stopNatsServers, type NatsServer } from './support/nats_server.js';

let made: Runtime[] = [];
let clients: NatsConnection[] = [];
afterEach(async () => {
  for (const rt of made) await Node.stop(rt);
  for (const rt of made) rt.killAll();
  for (const nc of clients) await nc.close();
  made = [];
  clients = [];
  await stopNatsServers();
});

type Joined = { rt: Runtime; records: Array<Record<string, unknown>> };

/** A runtime joined to `cluster` as `name`; stopped after the test. */
async function joined(server: NatsServer, name: string, cluster = 'test', tickMs = 5000): Promise<Joined> {
  const { logger, records } = memoryLogger();
  const rt = new Runtime({ logger });
  made.push(rt);
  await Node.join(rt, { name, url: server.url, cluster, token: server.token, tickMs });
  return { rt, records };
}

/** Resolves once `rt` has a connection to `node` (now, or at its next nodeup). */
function up(rt: Runtime, node: string): Promise<void> {
  return rt.run(async (ctx) => {
    Node.monitorNodes(ctx);
    while (!Node.nodes(rt).includes(node)) await ctx.receive((m) => (m as { type?: string }).type === 'nodeup');
  });
}

/**
 * Starts watching `rt` for the next nodeup or nodedown of `node`; resolves once the watch is in
 * place, with `seen`, which resolves with that message.
 */
async function expecting(rt: Runtime, type: 'nodeup' | 'nodedown', node: string): Promise<{ seen: Promise<unknown> }> {
  let ready!: () => void;
  const watching = new Promise<void>((resolve) => (ready = resolve));
  const seen = rt.run(async (ctx: Context) => {
    Node.monitorNodes(ctx);
    ready();
    return ctx.receive((m) => (m as { type?: string }).type === type && (m as { node?: string }).node === node);
  });
  await watching;
  return { seen };
}

/** Watches for `type` of b on a and of a on b; resolves once both watches are in place. */
async function both(a: Joined, b: Joined, type: 'nodeup' | 'nodedown'): Promise<{ seen: Promise<unknown[]> }> {
  const watches = await Promise.all([expecting(a.rt, type, 'b'), expecting(b.rt, type, 'a')]);
  return { seen: Promise.all(watches.map((w) => w.seen)) };
}

describe('Node.join', () => {
  it('refuses bad options at the call, naming the argument, and leaves the runtime as it was', () => {
    const rt = new Runtime();
    const url = 'nats://127.0.0.1:4222';
    expect(() => Node.join(rt, null as never)).toThrow(InvalidArgumentError);
    expect(() => Node.join(rt, { name: 'a', url: [], cluster: 'c' })).toThrow(/options\.url/);
    expect(() => Node.join(rt, { name: 'a', url: 42 as never, cluster: 'c' })).toThrow(/options\.url/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'a.b' })).toThrow(/options\.cluster.*"a\.b"/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', token: '' })).toThrow(/options\.token/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', nkeySeed: 'not a seed' })).toThrow(/options\.nkeySeed.*hidden/);
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', nkeySeed: seed, token: 't' })).toThrow(/options\.nkeySeed.*one way/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', user: { user: '', password: 'p' } })).toThrow(/options\.user/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', user: { user: 'u', password: 'secret' }, token: 't' })).toThrow(/options\.user.*one way/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', user: { user: 'u', password: 'secret' }, token: 't' })).not.toThrow(/secret/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', tls: 'yes' as never })).toThrow(/options\.tls.*"yes"/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', tls: { caFile: '' } })).toThrow(/options\.tls\.caFile/);
    expect(() => Node.join(rt, { name: 'no spaces', url, cluster: 'c' })).toThrow(/options\.name/);
    expect(() => Node.join(rt, { name: 'a', url, cluster: 'c', tickMs: 0 })).toThrow(/options\.tickMs/);
    expect(() => Node.join({} as never, { name: 'a', url, cluster: 'c' })).toThrow(/runtime/);
    expect(() => Node.name(rt)).toThrow(NodeError); // none of these made it a node
  });

  it('refuses a runtime that is a node already', async () => {
    const rt = new Runtime();
    Node.start(rt, { name: 'a' });
    expect(() => Node.join(rt, { name: 'a', url: 'nats://127.0.0.1:4222', cluster: 'c' })).toThrow(/already_a_node/);
    await Node.stop(rt);
  });

  it('rejects with name_taken while a live node of the cluster has the name; free again once it has left', async () => {
    const server = await startNatsServer();
    const first = await joined(server, 'a');
    const rt = new Runtime();
    const options = { name: 'a', url: server.url, cluster: 'test', token: server.token };
    await expect(Node.join(rt, options)).rejects.toMatchObject({ name: 'NodeError', reason: 'name_taken' });
    expect(() => Node.name(rt)).toThrow(/not_a_node/);
    await Node.stop(first.rt);
    await Node.join(rt, options);
    made.push(rt);
    expect(Node.name(rt)).toBe('a');
  });

  it('authenticates with an NKey: the key the server knows is admitted, another is refused', async () => {
    const user = nkeys.createUser();
    const server = await startNatsServer({ nkey: user.getPublicKey() });
    const seedOf = (kp: typeof user): string => new TextDecoder().decode(kp.getSeed());
    const [a, b] = [new Runtime(), new Runtime()];
    made.push(a, b);
    await Node.join(a, { name: 'a', url: server.url, cluster: 'k', nkeySeed: seedOf(user) });
    await Node.join(b, { name: 'b', url: server.url, cluster: 'k', nkeySeed: seedOf(user) });
    await up(a, 'b');
    const other = new Runtime();
    const refused = await Node.join(other, { name: 'c', url: server.url, cluster: 'k', nkeySeed: seedOf(nkeys.createUser()) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'NodeError', reason: 'connection_lost', detail: expect.stringMatching(/Authorization/) });
    const tokenOnly = await Node.join(other, { name: 'c', url: server.url, cluster: 'k', token: server.token }).catch((e: unknown) => e);
    expect(tokenOnly).toMatchObject({ name: 'NodeError', reason: 'connection_lost' });
  });

  it('authenticates with a user and password: the right password is admitted, a wrong one refused', async () => {
    const server = await startNatsServer({ user: { user: 'otp', password: 'pw-1' } });
    const [a, b, other] = [new Runtime(), new Runtime(), new Runtime()];
    made.push(a, b);
    await Node.join(a, { name: 'a', url: server.url, cluster: 'u', user: { user: 'otp', password: 'pw-1' } });
    await Node.join(b, { name: 'b', url: server.url, cluster: 'u', user: { user: 'otp', password: 'pw-1' } });
    await up(a, 'b');
    const refused = await Node.join(other, { name: 'c', url: server.url, cluster: 'u', user: { user: 'otp', password: 'wrong' } }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'NodeError', reason: 'connection_lost', detail: expect.stringMatching(/Authorization/) });
    expect(() => Node.name(other)).toThrow(/not_a_node/);
  });

  it("connects over TLS: a node that trusts the server's CA and shows a client certificate is admitted; without them it is refused", async () => {
    const certs = makeCerts();
    try {
      const server = await startNatsServer({ tls: { certFile: certs.serverCert, keyFile: certs.serverKey, verifyClientsWith: certs.caFile } });
      const tls = { caFile: certs.caFile, certFile: certs.clientCert, keyFile: certs.clientKey };
      const [a, b, other] = [new Runtime(), new Runtime(), new Runtime()];
      made.push(a, b);
      await Node.join(a, { name: 'a', url: server.url, cluster: 't', token: server.token, tls });
      // PEM text works as well as paths.
      await Node.join(b, { name: 'b', url: server.url, cluster: 't', token: server.token, tls: { ca: readFileSync(certs.caFile, 'utf8'), cert: readFileSync(certs.clientCert, 'utf8'), key: readFileSync(certs.clientKey, 'utf8') } });
      await up(a, 'b');
      const noClientCert = await Node.join(other, { name: 'c', url: server.url, cluster: 't', token: server.token, tls: { caFile: certs.caFile } }).catch((e: unknown) => e);
      expect(noClientCert).toMatchObject({ name: 'NodeError', reason: 'connection_lost' });
      const untrusted = await Node.join(other, { name: 'c', url: server.url, cluster: 't', token: server.token, tls: true }).catch((e: unknown) => e);
      expect(untrusted).toMatchObject({ name: 'NodeError', reason: 'connection_lost', detail: expect.stringMatching(/certificate/i) });
      expect(() => Node.name(other)).toThrow(/not_a_node/);
    } finally {
      removeCerts(certs);
    }
  });

  it('rejects with connection_lost when the server refuses the token, and the runtime is not a node', async () => {
    const server = await startNatsServer();
    const rt = new Runtime();
    const failed = await Node.join(rt, { name: 'a', url: server.url, cluster: 'c', token: 'wrong' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NodeError);
    expect(failed).toMatchObject({ reason: 'connection_lost', detail: expect.stringMatching(/Authorization/) });
    expect(() => Node.name(rt)).toThrow(/not_a_node/);
  });
});

describe('Node.stop of a joined node', () => {
  it('leaves the cluster: the others see nodedown at once, not after a heartbeat period', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a', 'test', 60_000), joined(server, 'b', 'test', 60_000)]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const down = await expecting(a.rt, 'nodedown', 'b');
    await Node.stop(b.rt);
    expect(await down.seen).toEqual({ type: 'nodedown', node: 'b' });
    expect(Node.nodes(a.rt)).toEqual([]);
  });

  it('during the join makes the join reject, and closes its NATS connection', async () => {
    const server = await startNatsServer();
    const rt = new Runtime();
    const joining = Node.join(rt, { name: 'a', url: server.url, cluster: 'test', token: server.token });
    await Node.stop(rt);
    await expect(joining).rejects.toMatchObject({ name: 'NodeError', reason: 'connection_lost', detail: expect.stringMatching(/stopped while joining/) });
  });

  it('Node.disconnect between joined nodes lasts until the next announcement', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a', 'test', 2000), joined(server, 'b', 'test', 2000)]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const downs = await both(a, b, 'nodedown');
    const ups = await both(a, b, 'nodeup');
    expect(Node.disconnect(a.rt, 'b')).toBe(true);
    expect(await downs.seen).toEqual([{ type: 'nodedown', node: 'b' }, { type: 'nodedown', node: 'a' }]);
    expect(await ups.seen).toEqual([{ type: 'nodeup', node: 'b' }, { type: 'nodeup', node: 'a' }]);
  });

  it('resolves while the NATS server is gone', async () => {
    const server = await startNatsServer();
    const a = await joined(server, 'a');
    await server.stop();
    await Node.stop(a.rt);
    expect(() => Node.name(a.rt)).toThrow(/not_a_node/);
  });
});

describe('clusters sharing a NATS server', () => {
  it('do not see each other, even with the same node names', async () => {
    const server = await startNatsServer();
    const [xa, xb, ya, yb] = await Promise.all([joined(server, 'a', 'x'), joined(server, 'b', 'x'), joined(server, 'a', 'y'), joined(server, 'b', 'y')]);
    await Promise.all([up(xa!.rt, 'b'), up(xb!.rt, 'a'), up(ya!.rt, 'b'), up(yb!.rt, 'a')]);
    const [inX, inY] = [xb!.rt.inbox(), yb!.rt.inbox()];
    inX.register('sink');
    inY.register('sink');
    xa!.rt.send({ name: 'sink', node: 'b' }, 'for x');
    ya!.rt.send({ name: 'sink', node: 'b' }, 'for y');
    expect(await inY.receive(10_000)).toBe('for y');
    expect(await inX.receive(10_000)).toBe('for x');
    expect(await inX.receive(0)).toBe(TIMEOUT);
    expect(await inY.receive(0)).toBe(TIMEOUT);
    for (const n of [xa, xb, ya, yb]) expect(Node.nodes(n!.rt)).toHaveLength(1);
    inX.close();
    inY.close();
  });
});

/** A NATS client of the test's own that sees every packet of `cluster` and can publish as anyone. */
async function snoop(server: NatsServer, cluster: string): Promise<{ nc: NatsConnection; last: Map<string, { id: number; seq: number }> }> {
  const nc = await connect({ servers: server.url, token: server.token });
  clients.push(nc);
  const last = new Map<string, { id: number; seq: number }>();
  nc.subscribe(`otp.${cluster}.to.>`, {
    callback: (_e, msg) => {
      const v = new DataView(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
      if (msg.data.length >= 9 && msg.data[0] === 2) last.set(msg.subject, { id: v.getUint32(1), seq: v.getUint32(5) });
    },
  });
  await nc.flush();
  return { nc, last };
}

function packet(kind: number, id: number, seq: number, body: Uint8Array): Uint8Array {
  const p = new Uint8Array(9 + body.length);
  const v = new DataView(p.buffer);
  p[0] = kind;
  v.setUint32(1, id);
  v.setUint32(5, seq);
  p.set(body, 9);
  return p;
}

describe('the server max_payload (1 MiB by default)', () => {
  it('refuses a larger message at the send with NodeError too_large; nothing else is lost and the nodes stay connected', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a'), joined(server, 'b')]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const inbox = b.rt.inbox();
    inbox.register('sink');
    a.rt.send({ name: 'sink', node: 'b' }, 'before');
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const refused = (() => {
      try {
        a.rt.send({ name: 'sink', node: 'b' }, { huge });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(NodeError);
    expect(refused).toMatchObject({ reason: 'too_large', node: 'b', message: expect.stringMatching(/msg takes \d+ bytes/) });
    const sink = GenServer.named<{ state: null; call: { type: 'put'; huge: string }; reply: { put: null } }>({ name: 'sink', node: 'b' }, a.rt);
    await expect((async () => GenServer.call(sink, { type: 'put', huge }, 1000))()).rejects.toMatchObject({ name: 'NodeError', reason: 'too_large' });
    a.rt.send({ name: 'sink', node: 'b' }, 'after');
    expect(await inbox.receive(10_000)).toBe('before');
    expect(await inbox.receive(10_000)).toBe('after');
    expect(Node.nodes(a.rt)).toEqual(['b']);
    inbox.close();
  });

  it('splits a turn of messages that together exceed it into batches under it: all arrive, in order', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a'), joined(server, 'b')]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const inbox = b.rt.inbox();
    inbox.register('sink');
    const chunk = 'y'.repeat(200 * 1024);
    for (let n = 0; n < 20; n++) a.rt.send({ name: 'sink', node: 'b' }, { n, chunk }); // 4 MB in one turn
    for (let n = 0; n < 20; n++) expect(await inbox.receive(10_000)).toEqual({ n, chunk });
    expect(a.records.filter((r) => r['label'] === 'node.nats.batch_too_large')).toEqual([]);
    inbox.close();
  });

  it('describes an exit reason too large to cross, cut short: the link still fires', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a'), joined(server, 'b')]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const inbox = b.rt.inbox();
    inbox.register('sink');
    a.rt.spawn(async (ctx) => {
      ctx.send({ name: 'sink', node: 'b' }, { pid: ctx.self });
      await ctx.receive();
      ctx.exit({ huge: 'z'.repeat(2 * 1024 * 1024) });
    });
    const { pid } = (await inbox.receive(10_000)) as { pid: string };
    inbox.monitor(pid);
    b.rt.send(pid, 'go'); // after the monitor, on the same connection
    const down = (await inbox.receive(10_000)) as { type: string; reason: { tag: string; value: string } };
    expect(down).toMatchObject({ type: 'DOWN', pid, reason: { tag: 'exit', value: expect.stringMatching(/"huge":"zzz/) } });
    expect(down.reason.value.length).toBeLessThanOrEqual(1024);
    inbox.close();
  });

  it('a batch still too large (a name of megabytes) is not sent: logged at error, the link closed on both sides, the nodes reconnect', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all([joined(server, 'a'), joined(server, 'b')]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    const downs = await both(a, b, 'nodedown');
    const ups = await both(a, b, 'nodeup');
    a.rt.send({ name: 's'.repeat(2 * 1024 * 1024), node: 'b' }, 'x'); // names travel in the frame, not as a measured value
    expect(await downs.seen).toEqual([{ type: 'nodedown', node: 'b' }, { type: 'nodedown', node: 'a' }]);
    expect(a.records.filter((r) => r['label'] === 'node.nats.batch_too_large')).toEqual([
      expect.objectContaining({ level: 50, limit: 1024 * 1024, bytes: expect.any(Number) }),
    ]);
    await ups.seen;
    const inbox = b.rt.inbox();
    inbox.register('sink');
    a.rt.send({ name: 'sink', node: 'b' }, 'small');
    expect(await inbox.receive(10_000)).toBe('small');
    inbox.close();
  });
});

describe('packets a node cannot use', () => {
  it.each([
    ['bytes that do not decode', new Uint8Array([0xff, 0x0f, 0x99, 0x01, 0x02]), 1, /does not decode/],
    ['a value that is not a batch of frames', serialize({ not: 'frames' }), 1, /not frames/],
    ['a packet after a gap (one went missing)', serialize([['tick']]), 2, /sequence gap/],
  ])('%s: logged and dropped, the link closed; the node lives on and reconnects', async (_what, body, skip, logged) => {
    const server = await startNatsServer();
    const { nc, last } = await snoop(server, 'bad');
    // Long heartbeats: no tick moves the sequence while the test forges the next packet.
    const [a, b] = await Promise.all([joined(server, 'a', 'bad', 60_000), joined(server, 'b', 'bad', 60_000)]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    await nc.flush();
    const [subject, { id, seq }] = [...last][0]!; // the last data packet between a and b, one way
    const downs = await both(a, b, 'nodedown');
    const ups = await both(a, b, 'nodeup');
    nc.publish(subject, packet(2, id, seq + skip, body));
    expect(await downs.seen).toEqual([{ type: 'nodedown', node: 'b' }, { type: 'nodedown', node: 'a' }]);
    const records = [...a.records, ...b.records].filter((r) => r['label'] === 'node.nats.dropped');
    expect(records).toEqual([expect.objectContaining({ msg: expect.stringMatching(logged) })]);
    await ups.seen; // found again at the next announcement
    const inbox = b.rt.inbox();
    inbox.register('sink');
    a.rt.send({ name: 'sink', node: 'b' }, 'still here');
    expect(await inbox.receive(10_000)).toBe('still here');
    inbox.close();
  });

  it('ignores a packet of an older link, and logs one of unknown kind', async () => {
    const server = await startNatsServer();
    const { nc, last } = await snoop(server, 'odd');
    const [a, b] = await Promise.all([joined(server, 'a', 'odd', 60_000), joined(server, 'b', 'odd', 60_000)]);
    await Promise.all([up(a.rt, 'b'), up(b.rt, 'a')]);
    await nc.flush();
    const [subject, { id, seq }] = [...last][0]!;
    nc.publish(subject, packet(2, id ^ 1, seq + 1, serialize([['tick']]))); // another link's id: ignored
    nc.publish(subject, packet(9, id, 0, new Uint8Array(0))); // no such kind: logged
    nc.publish(subject, new Uint8Array([2])); // too short: logged
    await nc.flush();
    const inbox = b.rt.inbox();
    inbox.register('sink');
    a.rt.send({ name: 'sink', node: 'b' }, 'after');
    const echo = a.rt.inbox();
    echo.register('sink');
    b.rt.send({ name: 'sink', node: 'a' }, 'back');
    expect(await inbox.receive(10_000)).toBe('after');
    expect(await echo.receive(10_000)).toBe('back'); // both ways: the odd packets reached their node by now
    const dropped = [...a.records, ...b.records].filter((r) => r['label'] === 'node.nats.dropped').map((r) => r['msg']);
    expect(dropped).toEqual([expect.stringMatching(/unknown kind/), expect.stringMatching(/too short/)]);
    expect(Node.nodes(a.rt)).toEqual(['b']);
    inbox.close();
    echo.close();
  });
});
