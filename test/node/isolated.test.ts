/**
 * Isolated children (Supervisor.isolated): a GenServer in a worker-thread node of its own, under
 * its ordinary supervisor.
 */
import { describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Next, Node, Runtime, Supervisor, type DownMessage, type Pid } from 'ts-otp';
import type { CounterProtocol } from './fixtures/servers.js';
import { liveWorkers } from '../../src/node/index.js';
import { fixture, useNodes } from '../support/nodes.js';

const node = useNodes();
const servers = fixture('servers.ts');
type Counter = GenServer.ServerPid<CounterProtocol>;

async function childPid(sup: Pid, id: string): Promise<Counter> {
  const child = (await Supervisor.whichChildren(sup)).find((c) => c.id === id);
  return child!.pid as Counter;
}

/** Watches `pid` from an inbox of `rt`: resolves with the DOWN. */
function watch(rt: Runtime, pid: Pid): Promise<DownMessage> {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  return inbox.receiveRef<DownMessage>(ref).finally(() => inbox.close());
}

/**
 * The child `id` of `sup` after the old one's DOWN: its EXIT reached the supervisor before the
 * DOWN (links fire first), so this call is answered after the restart.
 */
async function restarted(sup: Pid, id: string, old: Pid): Promise<Counter> {
  const pid = await childPid(sup, id);
  expect(pid).not.toBe(old);
  return pid;
}

describe('Supervisor.isolated', () => {
  it('starts the GenServer in a worker node: calls and casts reach it, in another thread', async () => {
    const rt = node('main');
    const sup = await Supervisor.start({ children: [Supervisor.isolated({ id: 'c', module: servers, export: 'counter', arg: 1 })] }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('no start');
    const pid = await childPid(sup.pid, 'c');
    expect(Node.nodes(rt)).toHaveLength(1);
    expect(await GenServer.call(pid, { type: 'add', by: 2 })).toBe(3);
    GenServer.cast(pid, { type: 'set', to: 7 });
    expect(await GenServer.call(pid, { type: 'get' })).toBe(7);
    const down = watch(rt, pid);
    const nodes = rt.inbox();
    Node.monitorNodes(nodes);
    await Supervisor.stop(sup.pid);
    expect((await down).reason).toBe('shutdown');
    expect(await nodes.receive()).toMatchObject({ type: 'nodedown' }); // its thread ends with it
    nodes.close();
    expect(liveWorkers(rt)).toBe(0);
  });

  it("stops a busy child at once with a 'brutal_kill' shutdown", async () => {
    const rt = node('main');
    const sup = await Supervisor.start({ children: [Supervisor.isolated({ id: 'c', module: servers, export: 'counter', shutdown: 'brutal_kill' })] }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('no start');
    const pid = await childPid(sup.pid, 'c');
    GenServer.cast(pid, { type: 'spin' });
    const down = watch(rt, pid);
    expect(await Supervisor.terminateChild(sup.pid, 'c')).toEqual({ type: 'ok' });
    expect((await down).reason).toBe('killed');
    await Supervisor.stop(sup.pid);
  });

  it('kills a child in a busy loop: the supervisor sees killed and restarts it', async () => {
    const rt = node('main');
    const sup = await Supervisor.start({ children: [Supervisor.isolated({ id: 'c', module: servers, export: 'counter', arg: 5 })] }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('no start');
    const pid = await childPid(sup.pid, 'c');
    const busy = GenServer.call(pid, { type: 'spin' }, 'infinity').catch((e: unknown) => e);
    const down = watch(rt, pid);
    rt.exit(pid, 'kill');
    expect((await down).reason).toBe('killed');
    expect(await busy).toMatchObject({ name: 'CallError', reason: 'killed' });
    const again = await restarted(sup.pid, 'c', pid);
    expect(await GenServer.call(again, { type: 'get' })).toBe(5);
    await Supervisor.stop(sup.pid);
  });

  it('ends a child over its heap limit alone, with heap_limit, and restarts it while the main runtime answers', async () => {
    const rt = node('main');
    const sup = await Supervisor.start(
      {
        intensity: 5,
        children: [
          Supervisor.isolated({ id: 'leaky', module: servers, export: 'counter', arg: 1, resourceLimits: { maxOldGenerationSizeMb: 16 } }),
          Supervisor.isolated({ id: 'calm', module: servers, export: 'counter', arg: 2 }),
        ],
      },
      { runtime: rt },
    );
    if (sup.type !== 'ok') throw new Error('no start');
    const leaky = await childPid(sup.pid, 'leaky');
    const calm = await childPid(sup.pid, 'calm');
    const down = watch(rt, leaky);
    GenServer.cast(leaky, { type: 'leak' });
    const local = await GenServer.start<{ state: number; call: { readonly type: 'ping' }; reply: { ping: number } }>(
      { init: () => Next.ok(0), handleCall: { ping: (_r, _f, s) => Next.reply(s, s) } },
      undefined,
      { runtime: rt },
    );
    if (local.type !== 'ok') throw new Error('no start');
    expect(await GenServer.call(local.pid, { type: 'ping' })).toBe(0); // the main thread answers meanwhile
    expect((await down).reason).toEqual({ tag: 'exit', value: 'heap_limit' });
    const again = await restarted(sup.pid, 'leaky', leaky);
    expect(await GenServer.call(again, { type: 'get' })).toBe(1);
    expect(await GenServer.call(calm, { type: 'get' })).toBe(2); // the other isolated child is untouched
    await Supervisor.stop(sup.pid);
    await GenServer.stop(local.pid);
  });

  it('runs a whole supervisor in a thread: its children restart there, and a kill of it restarts the thread', async () => {
    const rt = node('main');
    const sup = await Supervisor.start({ children: [Supervisor.isolated({ id: 'pool', type: 'supervisor', module: servers, export: 'counters' })] }, { runtime: rt });
    if (sup.type !== 'ok') throw new Error('no start');
    const [spec] = await Supervisor.whichChildren(sup.pid);
    expect(spec).toMatchObject({ id: 'pool', type: 'supervisor' });
    const pool = spec!.pid!;
    expect(Node.nodes(rt)).toHaveLength(1);
    const ten = await childPid(pool, 'ten');
    expect(ten.startsWith(pool.slice(0, pool.indexOf('.')))).toBe(true); // a pid of the pool's node
    expect(await GenServer.call(ten, { type: 'add', by: 1 })).toBe(11);
    // A crash inside the thread is the inner supervisor's business: the outer one sees nothing.
    const tenDown = watch(rt, ten);
    rt.exit(ten, 'boom');
    expect((await tenDown).reason).toEqual({ tag: 'exit', value: 'boom' });
    expect(await GenServer.call(await restarted(pool, 'ten', ten), { type: 'get' })).toBe(10);
    expect((await Supervisor.whichChildren(sup.pid))[0]!.pid).toBe(pool);
    // Killing the inner supervisor ends its thread; the outer one starts a new one.
    const poolDown = watch(rt, pool);
    rt.exit(pool, 'kill');
    expect((await poolDown).reason).toBe('killed');
    const again = (await Supervisor.whichChildren(sup.pid))[0]!.pid!;
    expect(again).not.toBe(pool);
    expect(await GenServer.call(await childPid(again, 'twenty'), { type: 'get' })).toBe(20);
    // Stopping the outer supervisor shuts the inner one down in order, then its thread ends.
    const twenty = await childPid(again, 'twenty');
    const downs = [watch(rt, twenty), watch(rt, again)];
    const nodes = rt.inbox();
    Node.monitorNodes(nodes);
    await Supervisor.stop(sup.pid);
    expect((await Promise.all(downs)).map((d) => d.reason)).toEqual(['shutdown', 'shutdown']);
    expect(await nodes.receive()).toMatchObject({ type: 'nodedown' }); // its thread ends with it
    nodes.close();
    expect(liveWorkers(rt)).toBe(0);
  });

  it('returns a start error for an export that is not a behaviour, a module that does not load, or a runtime that is no node', async () => {
    const rt = node('main');
    const bad = await Supervisor.start({ children: [Supervisor.isolated({ id: 'x', module: servers, export: 'startCounter' })] }, { runtime: rt });
    expect(bad).toMatchObject({ type: 'error', reason: { detail: { tag: 'failed_to_start_child', id: 'x', reason: { tag: 'error', cause: { name: 'NodeError', reason: 'not_a_behaviour' } } } } });
    const missing = await Supervisor.start({ children: [Supervisor.isolated({ id: 'y', module: '/no/such/module.js' })] }, { runtime: rt });
    expect(missing).toMatchObject({ type: 'error', reason: { detail: { reason: { tag: 'error', cause: { reason: 'not_loaded' } } } } });
    const notSpec = await Supervisor.start({ children: [Supervisor.isolated({ id: 's', type: 'supervisor', module: servers, export: 'counter' })] }, { runtime: rt });
    expect(notSpec).toMatchObject({ type: 'error', reason: { detail: { reason: { tag: 'error', cause: { name: 'NodeError', reason: 'not_a_behaviour' } } } } });
    expect(() => Supervisor.isolated({ id: 'z', module: servers, type: 'dynamic' as never })).toThrow(/options.type/);
    const plain = new Runtime();
    const noNode = await Supervisor.start({ children: [Supervisor.isolated({ id: 'z', module: servers, export: 'counter' })] }, { runtime: plain });
    expect(noNode).toMatchObject({ type: 'error', reason: { detail: { reason: { tag: 'error', cause: { reason: 'not_a_node' } } } } });
    plain.killAll();
    expect(() => Supervisor.isolated({ id: 'z', module: servers, resourceLimits: { maxOldGenerationSizeMb: -1 } })).toThrow(InvalidArgumentError);
    expect(() => Supervisor.isolated({ id: 'z', module: './relative.js' })).toThrow(/options.module/);
    expect(() => Supervisor.isolated({ id: 'z', module: servers, arg: () => 1 })).toThrow(/options.arg/);
    expect(Node.nodes(rt)).toEqual([]); // the threads of the failed starts are gone
  });
});
