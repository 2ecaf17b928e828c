/**
 * Node loss in a cluster over NATS, with real OS processes: a node killed with SIGKILL, and the
 * NATS server itself gone. Each survivor sees, for the lost node, every link end with
 * 'noconnection', every monitor's DOWN with 'noconnection' and `nodedown`, each exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, stopNatsServers } from './support/nats_server.js';
import { connectedTo, killNodes, startNode, watched, type NodeProcess } from './support/node_process.js';

afterEach(async () => {
  await killNodes();
  await stopNatsServers();
});

/** Waits until `node`'s watcher of `peer` has reported nodedown, pokes it, and returns all it reported from `from` on. */
async function lossSeenBy(node: NodeProcess, peer: string, watcher: string, from: number): Promise<unknown[]> {
  await node.next((e) => e.event === 'watched' && e.node === peer && (e.msg as { type: string }).type === 'nodedown', `nodedown of ${peer}`, from);
  await node.request('poke', { pid: watcher });
  return watched(node, from, peer);
}

function lossOf(sink: string, peer: string): unknown[] {
  return [
    { type: 'EXIT', from: sink, reason: 'noconnection' },
    { type: 'DOWN', ref: expect.any(String), pid: sink, reason: 'noconnection' },
    { type: 'nodedown', node: peer },
  ];
}

describe('a node killed with SIGKILL', () => {
  it('is lost to every other node: links, monitors and node monitors fire once; it comes back as a new incarnation', async () => {
    const server = await startNatsServer();
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => startNode(n, server, { tickMs: 1500 })));
    await Promise.all([connectedTo(a!, ['b', 'c']), connectedTo(b!, ['a', 'c']), connectedTo(c!, ['a', 'b'])]);
    const atA = await a!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    const atC = await c!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    const [fromA, fromC] = [a!.events.length, c!.events.length];
    b!.child.kill('SIGKILL');
    expect(await lossSeenBy(a!, 'b', atA.watcher, fromA)).toEqual(lossOf(atA.sink, 'b'));
    expect(await lossSeenBy(c!, 'b', atC.watcher, fromC)).toEqual(lossOf(atC.sink, 'b'));
    expect(a!.events.slice(fromA).filter((e) => e.event === 'nodedown')).toEqual([expect.objectContaining({ node: 'b' })]);
    expect(await a!.request('nodes')).toEqual(['c']); // the survivors stay connected
    expect(await c!.request('call', { node: 'a', by: 1 })).toBe(1);

    // The same name again is another incarnation: its processes have other pids.
    const [upA, upC] = [a!.events.length, c!.events.length];
    await startNode('b', server, { tickMs: 1500 });
    await a!.next((e) => e.event === 'nodeup' && e.node === 'b', 'nodeup b', upA);
    await c!.next((e) => e.event === 'nodeup' && e.node === 'b', 'nodeup b', upC);
    const again = await a!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    expect(again.sink).not.toBe(atA.sink);
    expect(await a!.request('call', { node: 'b', by: 5 })).toBe(5); // a new counter, from 0
  });
});

describe('a node paused with SIGSTOP past its heartbeat period', () => {
  it('is lost to the others; resumed, it sees them lost too, and they reconnect', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all(['a', 'b'].map((n) => startNode(n, server, { tickMs: 1500 })));
    await Promise.all([connectedTo(a!, ['b']), connectedTo(b!, ['a'])]);
    const atA = await a!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    const [fromA, fromB] = [a!.events.length, b!.events.length];
    b!.child.kill('SIGSTOP');
    expect(await lossSeenBy(a!, 'b', atA.watcher, fromA)).toEqual(lossOf(atA.sink, 'b'));
    b!.child.kill('SIGCONT');
    const downAt = await b!.next((e) => e.event === 'nodedown' && e.node === 'a', 'nodedown a', fromB);
    await b!.next((e) => e.event === 'nodeup' && e.node === 'a', 'nodeup a', b!.events.indexOf(downAt));
    await a!.next((e) => e.event === 'nodeup' && e.node === 'b', 'nodeup b', fromA);
    expect(await a!.request('call', { node: 'b', by: 3 })).toBe(3);
  });
});

describe('the NATS server stopped', () => {
  it('loses every node for every other, once; they find each other again when it is back', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all(['a', 'b'].map((n) => startNode(n, server, { tickMs: 1500 })));
    await Promise.all([connectedTo(a!, ['b']), connectedTo(b!, ['a'])]);
    const atA = await a!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    const atB = await b!.request<{ sink: string; watcher: string }>('watch', { node: 'a' });
    const [fromA, fromB] = [a!.events.length, b!.events.length];
    await server.stop('SIGKILL');
    expect(await lossSeenBy(a!, 'b', atA.watcher, fromA)).toEqual(lossOf(atA.sink, 'b'));
    expect(await lossSeenBy(b!, 'a', atB.watcher, fromB)).toEqual(lossOf(atB.sink, 'a'));
    expect(await a!.request('nodes')).toEqual([]);

    await startNatsServer({ port: server.port, token: server.token });
    await a!.next((e) => e.event === 'nodeup' && e.node === 'b', 'nodeup b', fromA);
    await b!.next((e) => e.event === 'nodeup' && e.node === 'a', 'nodeup a', fromB);
    expect(await a!.request('call', { node: 'b', by: 2 })).toBe(2);
    expect(a!.events.slice(fromA).filter((e) => e.event === 'nodedown')).toEqual([expect.objectContaining({ node: 'b' })]);
  });
});
