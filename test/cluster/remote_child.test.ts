/**
 * Supervisor.remote between in-thread nodes: a child started on a named node, linked to its
 * supervisor, restarted there; a lost node as the child's exit 'noconnection', whose failed
 * restarts count against the intensity; a whole supervisor on another node; bad input.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Node, Supervisor, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import type { NodeCounter } from '../../examples/cluster/counter.js';
import { bad } from '../support/bad_input.js';
import { connectedPair, useNodes } from '../support/nodes.js';

const node = useNodes();
const module = resolve('examples/cluster/counter.ts');

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<Pid> {
  const started = await Supervisor.start(spec, { runtime: rt });
  if (started.type !== 'ok') throw new Error(`no start: ${JSON.stringify(started)}`);
  return started.pid;
}

async function childPid(sup: Pid, id: string): Promise<GenServer.ServerPid<NodeCounter>> {
  const child = (await Supervisor.whichChildren(sup)).find((c) => c.id === id);
  return child!.pid as GenServer.ServerPid<NodeCounter>;
}

/** Resolves with the DOWN of `pid`, watched from `rt`. */
function watch(rt: Runtime, pid: Pid): Promise<DownMessage> {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  return inbox.receiveRef<DownMessage>(ref).finally(() => inbox.close());
}

describe('Supervisor.remote', () => {
  it('starts the child on the named node, linked to the supervisor, which restarts it there', async () => {
    const { a } = await connectedPair(node);
    const sup = await startSup(a, { children: [Supervisor.remote({ id: 'c', node: 'b', module, export: 'counter', arg: 5 })] });
    const first = await childPid(sup, 'c');
    expect(await GenServer.call(first, { type: 'where' })).toBe('b');
    expect(await GenServer.call(first, { type: 'add', by: 1 })).toBe(6);
    expect(a.processInfo(sup)?.links).toContain(first);
    const crashed = watch(a, first);
    a.exit(first, 'boom'); // from node a, over the connection, after the monitor
    expect((await crashed).reason).toEqual({ tag: 'exit', value: 'boom' });
    await expect.poll(() => childPid(sup, 'c')).not.toBe(first); // once the supervisor has had the EXIT
    const second = await childPid(sup, 'c');
    expect(await GenServer.call(second, { type: 'get' })).toBe(5);
    expect(await GenServer.call(second, { type: 'where' })).toBe('b');
    const down = watch(a, second);
    await Supervisor.stop(sup);
    expect((await down).reason).toBe('shutdown');
  });

  it("a lost node is the child's exit 'noconnection'; restarts fail while it is away and count against the intensity", async () => {
    const { a } = await connectedPair(node);
    const sup = await startSup(a, { intensity: 3, period: 5, children: [Supervisor.remote({ id: 'c', node: 'b', module, export: 'counter', arg: 0 })] });
    const child = await childPid(sup, 'c');
    const childDown = watch(a, child);
    const supDown = watch(a, sup);
    Node.disconnect(a, 'b');
    expect((await childDown).reason).toBe('noconnection');
    expect((await supDown).reason).toBe('shutdown'); // 3 failed restarts, then a fourth: intensity reached
  });

  it("a 'temporary' child on a lost node is dropped and the supervisor carries on; after a reconnect, a new child starts there", async () => {
    const { a, b } = await connectedPair(node);
    const sup = await startSup(a, { children: [Supervisor.remote({ id: 'c', node: 'b', module, export: 'counter', arg: 0, restart: 'temporary' })] });
    const childDown = watch(a, await childPid(sup, 'c'));
    Node.disconnect(a, 'b');
    expect((await childDown).reason).toBe('noconnection');
    await expect.poll(() => Supervisor.whichChildren(sup)).toEqual([]);
    await Node.connect(a, b);
    const started = await Supervisor.startChild(sup, Supervisor.remote({ id: 'c', node: 'b', module, export: 'counter', arg: 7 }));
    expect(started).toMatchObject({ type: 'ok' });
    expect(await GenServer.call(await childPid(sup, 'c'), { type: 'where' })).toBe('b');
    await Supervisor.stop(sup);
  });

  it("names the supervisor's own node: the child runs there, the same way", async () => {
    const { a } = await connectedPair(node);
    const sup = await startSup(a, { children: [Supervisor.remote({ id: 'c', node: 'a', module, export: 'counter', arg: 1 })] });
    const child = await childPid(sup, 'c');
    expect(await GenServer.call(child, { type: 'where' })).toBe('a');
    expect(a.isAlive(child)).toBe(true);
    await Supervisor.stop(sup);
    expect(a.isAlive(child)).toBe(false);
  });

  it('runs a whole supervisor on the other node, its children there', async () => {
    const { a } = await connectedPair(node);
    const sup = await startSup(a, { children: [Supervisor.remote({ id: 'pool', node: 'b', type: 'supervisor', module, export: 'counters' })] });
    const [spec] = await Supervisor.whichChildren(sup);
    expect(spec).toMatchObject({ id: 'pool', type: 'supervisor' });
    const ten = await childPid(spec!.pid!, 'ten');
    expect(await GenServer.call(ten, { type: 'where' })).toBe('b');
    expect(await GenServer.call(ten, { type: 'add', by: 1 })).toBe(11);
    await Supervisor.stop(sup);
  });

  it('a start that fails returns why: a node not connected, a module not loaded there, an export that is not a behaviour', async () => {
    const a = node('a');
    node('b'); // a node, not connected
    const absent = await Supervisor.start({ children: [Supervisor.remote({ id: 'c', node: 'b', module, export: 'counter' })] }, { runtime: a });
    expect(absent).toMatchObject({ type: 'error', reason: { detail: { reason: 'noconnection' } } }); // as spawn_link to an absent node (N65)
    const { a: a2 } = await connectedPair((name) => node(`${name}2`));
    const missing = await Supervisor.start({ children: [Supervisor.remote({ id: 'c', node: 'b2', module: '/no/such/module.js' })] }, { runtime: a2 });
    expect(missing).toMatchObject({ type: 'error', reason: { detail: { reason: { tag: 'error', cause: { reason: 'not_loaded' } } } } });
    const notBehaviour = await Supervisor.start({ children: [Supervisor.remote({ id: 'c', node: 'b2', module, export: 'counters' })] }, { runtime: a2 });
    expect(notBehaviour).toMatchObject({ type: 'error', reason: { detail: { reason: { tag: 'error', cause: { name: 'NodeError', reason: 'not_a_behaviour' } } } } });
    expect(Node.nodes(a2)).toEqual(['b2']); // the node is intact
  });

  it("a node lost while the child is still starting there (its module loading) fails the start with 'noconnection'", async () => {
    const { a } = await connectedPair(node);
    const held = resolve('test/cluster/fixtures/held_module.ts');
    const starting = Supervisor.start({ children: [Supervisor.remote({ id: 'c', node: 'b', module: held, export: 'counter' })] }, { runtime: a });
    const global = globalThis as { releaseHeldModule?: () => void };
    await expect.poll(() => global.releaseHeldModule).toBeTypeOf('function'); // b is loading the module
    Node.disconnect(a, 'b');
    try {
      expect(await starting).toMatchObject({ type: 'error', reason: { detail: { reason: 'noconnection' } } });
    } finally {
      global.releaseHeldModule?.();
      delete global.releaseHeldModule;
    }
  });

  it('throws typed errors at the call for bad input', () => {
    expect(() => Supervisor.remote(bad(null))).toThrow(InvalidArgumentError);
    expect(() => Supervisor.remote({ id: 'c', node: bad(1), module })).toThrow(/options.node/);
    expect(() => Supervisor.remote({ id: '', node: 'b', module })).toThrow(/options.id/);
    expect(() => Supervisor.remote({ id: 'c', node: 'b', module: './relative.js' })).toThrow(/options.module/);
    expect(() => Supervisor.remote({ id: 'c', node: 'b', module, type: bad('dynamic') })).toThrow(/options.type/);
    expect(() => Supervisor.remote({ id: 'c', node: 'b', module, arg: () => 1 })).toThrow(/options.arg/);
  });
});
