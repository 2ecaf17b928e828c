/**
 * Supervisor.remote and Node.call end to end: node OS processes joined through a real
 * nats-server. A supervisor on one node supervises a counter on another; Node.call runs a
 * function there; a SIGKILL of that node is the child's exit 'noconnection', and its failed
 * restarts end the supervisor once its intensity is spent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, stopNatsServers } from './support/nats_server.js';
import { connectedTo, killNodes, startNode, type NodeEvent } from './support/node_process.js';

afterEach(async () => {
  await killNodes();
  await stopNatsServers();
});

const downOf = (pid: string) => (e: NodeEvent) => e.event === 'supervised' && (e.msg as { type?: string; pid?: string }).type === 'DOWN' && (e.msg as { pid: string }).pid === pid;

describe('a supervision tree across node processes over NATS', () => {
  it('supervises a child on another node, calls a function there, and sees the node lost as noconnection', async () => {
    const server = await startNatsServer();
    const [p, q] = await Promise.all(['p', 'q'].map((n) => startNode(n, server, { tickMs: 1000 })));
    await Promise.all([connectedTo(p!, ['q']), connectedTo(q!, ['p'])]);
    const { sup, child } = await p!.request<{ sup: string; child: string }>('superviseRemote', { node: 'q', intensity: 2 });
    expect(await p!.request('callPid', { pid: child, msg: { type: 'add', by: 2 } })).toBe(2);
    expect(await p!.request('callPid', { pid: child, msg: { type: 'where' } })).toBe('q');
    expect(await p!.request('rpc', { node: 'q', export: 'add', args: [20, 22] })).toEqual({ sum: 42, node: 'q' });
    await expect(p!.request('rpc', { node: 'q', export: 'fail', args: ['far'] })).rejects.toMatchObject({ detail: { name: 'RpcError', reason: 'exception' } });
    await expect(p!.request('rpc', { node: 'q', export: 'hang', args: [], timeoutMs: 100 })).rejects.toMatchObject({ detail: { reason: 'timeout' } });
    const from = p!.events.length;
    q!.child.kill('SIGKILL');
    const childDown = await p!.next(downOf(child), 'DOWN of the child', from);
    expect((childDown.msg as { reason: unknown }).reason).toBe('noconnection');
    const supDown = await p!.next(downOf(sup), 'DOWN of the supervisor', from);
    expect((supDown.msg as { reason: unknown }).reason).toBe('shutdown'); // its restarts on q failed: intensity spent
    await expect(p!.request('rpc', { node: 'q', export: 'add', args: [1, 1] })).rejects.toMatchObject({ detail: { reason: 'noconnection' } });
  });
});
