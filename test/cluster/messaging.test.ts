/**
 * Nodes in separate OS processes, joined through a real nats-server: messages, links, monitors
 * and GenServer calls between them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopNatsServers } from './support/nats_server.js';
import { killNodes, startCluster, watched } from './support/node_process.js';

afterEach(async () => {
  await killNodes();
  await stopNatsServers();
});

describe('nodes of a cluster over NATS', () => {
  it('find each other and carry messages in order', async () => {
    const [a, b, c] = await startCluster('a', 'b', 'c');
    expect((await a!.request<string[]>('nodes')).sort()).toEqual(['b', 'c']);
    for (let i = 0; i < 100; i++) void a!.request('send', { node: 'b', name: 'sink', msg: { from: 'a', n: i } });
    for (let i = 0; i < 100; i++) void c!.request('send', { node: 'b', name: 'sink', msg: { from: 'c', n: i } });
    await b!.next((e) => e.event === 'got' && (e.msg as { n: number }).n === 99 && (e.msg as { from: string }).from === 'a', 'a 99');
    await b!.next((e) => e.event === 'got' && (e.msg as { n: number }).n === 99 && (e.msg as { from: string }).from === 'c', 'c 99');
    const got = b!.events.filter((e) => e.event === 'got').map((e) => e.msg as { from: string; n: number });
    for (const from of ['a', 'c']) expect(got.filter((m) => m.from === from).map((m) => m.n)).toEqual([...Array(100).keys()]);
  });

  it('carries a pid of a third node inside a message, translated for the receiving node', async () => {
    const [a, b, c] = await startCluster('a', 'b', 'c');
    const atB = await b!.request<string>('whois', { node: 'c' });
    await b!.request('send', { node: 'a', name: 'sink', msg: { relayed: atB } });
    const got = await a!.next((e) => e.event === 'got' && typeof (e.msg as { relayed?: string }).relayed === 'string', 'relayed pid');
    const atA = (got.msg as { relayed: string }).relayed;
    expect(atA).toBe(await a!.request<string>('whois', { node: 'c' })); // the same process, as a numbers it
    await a!.request('sendTo', { pid: atA, msg: 'through a pid b gave a' });
    await c!.next((e) => e.event === 'got' && e.msg === 'through a pid b gave a', 'the message');
  });

  it('links and monitors a process of another node: its exit reason arrives once, link first', async () => {
    const [a, b] = await startCluster('a', 'b');
    const { sink, watcher } = await a!.request<{ sink: string; watcher: string }>('watch', { node: 'b' });
    const from = a!.events.length;
    await a!.request('send', { node: 'b', name: 'sink', msg: { type: 'exit', reason: 'boom' } });
    await a!.next((e) => e.event === 'watched' && (e.msg as { type: string }).type === 'DOWN', 'DOWN', from);
    await a!.request('poke', { pid: watcher });
    const seen = await watched(a!, from);
    expect(seen).toEqual([
      { type: 'EXIT', from: sink, reason: { tag: 'exit', value: 'boom' } },
      { type: 'DOWN', ref: expect.any(String), pid: sink, reason: { tag: 'exit', value: 'boom' } },
    ]);
    expect(await b!.request<string[]>('nodes')).toEqual(['a']); // the nodes stay connected
  });

  it('calls a GenServer of another node by { name, node }', async () => {
    const [a, b] = await startCluster('a', 'b');
    expect(await a!.request('call', { node: 'b', by: 2 })).toBe(2);
    expect(await b!.request('call', { node: 'b', by: 3 })).toBe(5);
    expect(await a!.request('call', { node: 'b', by: 1 })).toBe(6);
    const { sum } = await a!.request<{ sum: number }>('calls', { node: 'b', count: 500, concurrency: 10 });
    expect(sum).toBe(500);
    expect(await b!.request('call', { node: 'b', by: 0 })).toBe(506);
    await expect(a!.request('call', { node: 'nowhere', by: 1 })).rejects.toMatchObject({ detail: { name: 'CallError', reason: 'noconnection' } });
  });
});
