/**
 * Global names end to end: node OS processes joined through a real nats-server register, look
 * up, send to and call by global names, and a killed node takes its names with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, stopNatsServers } from './support/nats_server.js';
import { connectedTo, killNodes, startCluster, startNode } from './support/node_process.js';

afterEach(async () => {
  await killNodes();
  await stopNatsServers();
});

describe('global names over NATS', () => {
  it('a name registered on one node is found, sent to and called from the others; a taken name is refused', async () => {
    const [a, b, c] = await startCluster('a', 'b', 'c');
    expect(await a!.request('globalRegister', { name: 'svc' })).toBe(true);
    expect(await c!.request('globalRegister', { name: 'svc' })).toBe(false);
    expect(await b!.request('globalWho', { name: 'svc' })).toBe('a');
    expect(await c!.request('globalWho', { name: 'svc' })).toBe('a');
    expect(await b!.request('globalStartCounter', { name: 'gcounter' })).toBe('ok');
    expect(await a!.request('globalStartCounter', { name: 'gcounter' })).toBe('error'); // already_started
    expect(await a!.request('globalCall', { name: 'gcounter', by: 2 })).toBe(2);
    expect(await c!.request('globalCall', { name: 'gcounter', by: 3 })).toBe(5);
    expect(await c!.request('globalNames')).toEqual(['gcounter', 'svc']);
  });

  it('a node killed with SIGKILL takes its names with it on the survivors', async () => {
    const [a, b, c] = await startCluster('a', 'b', 'c');
    expect(await b!.request('globalRegister', { name: 'on-b' })).toBe(true);
    expect(await a!.request('globalRegister', { name: 'on-a' })).toBe(true);
    expect(await c!.request('globalNames')).toEqual(['on-a', 'on-b']);
    const from = [a!.events.length, c!.events.length];
    b!.child.kill('SIGKILL');
    await a!.next((e) => e.event === 'nodedown' && e.node === 'b', 'nodedown b', from[0]);
    await c!.next((e) => e.event === 'nodedown' && e.node === 'b', 'nodedown b', from[1]);
    expect(await a!.request('globalNames')).toEqual(['on-a']);
    expect(await c!.request('globalNames')).toEqual(['on-a']);
    expect(await c!.request('globalWho', { name: 'on-b' })).toBeNull();
  });

  it('a clash after a partition heals: the process of the smaller node name keeps the name on every node', async () => {
    const server = await startNatsServer();
    const [a, b] = await Promise.all(['a', 'b'].map((n) => startNode(n, server, { tickMs: 1000 })));
    await Promise.all([connectedTo(a!, ['b']), connectedTo(b!, ['a'])]);
    expect(await b!.request('globalRegister', { name: 'leader' })).toBe(true);
    const [fromA, fromB] = [a!.events.length, b!.events.length];
    b!.child.kill('SIGSTOP'); // past its heartbeat: a loses b, and b's name with it
    await a!.next((e) => e.event === 'nodedown' && e.node === 'b', 'nodedown b', fromA);
    expect(await a!.request('globalNames')).toEqual([]);
    expect(await a!.request('globalRegister', { name: 'leader' })).toBe(true); // both hold it now
    b!.child.kill('SIGCONT');
    const downAt = await b!.next((e) => e.event === 'nodedown' && e.node === 'a', 'nodedown a', fromB);
    await b!.next((e) => e.event === 'nodeup' && e.node === 'a', 'nodeup a', b!.events.indexOf(downAt));
    await a!.next((e) => e.event === 'nodeup' && e.node === 'b', 'nodeup b', fromA);
    expect(await b!.request('globalNames')).toEqual(['leader']); // after Global.sync: the clash is settled
    expect(await b!.request('globalWho', { name: 'leader' })).toBe('a');
    expect(await a!.request('globalWho', { name: 'leader' })).toBe('a');
  });
});
