/**
 * Conformance, group N, N30..N49 (global names): one test per scenario of
 * test/conformance/n_global/, each an escript run on two real Erlang/OTP 25 nodes (`a` runs the
 * scenario, `b` is an `erl -sname` peer) whose trace is stored beside it; `./run.sh` there
 * replays them all.
 *
 * Here `a` and `b` are two nodes of this thread connected over a MessageChannel, except where a
 * scenario kills a node (N34: a worker thread). Nodes of one thread number each other's processes
 * alike, so a pid means the same process on both. A partition is `Node.disconnect`, its heal
 * `Node.connect` followed by `Global.sync` on both nodes, as the escripts call `global:sync/0`.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Global, Next, Node, NoProcError, type Context, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import { connectedPair, drain, fixture, puppet, useNodes } from '../support/nodes.js';

const node = useNodes();

/** a and b apart: a drops b, and b has seen it. */
async function partition(a: Runtime, b: Runtime): Promise<void> {
  await b.run(async (ctx) => {
    Node.monitorNode(ctx, 'a');
    Node.disconnect(a, 'b');
    await ctx.receive((m) => (m as { type?: string }).type === 'nodedown');
  });
  expect([Node.nodes(a), Node.nodes(b)]).toEqual([[], []]);
}

/** a and b together again, their name servers done with the exchange. */
async function heal(a: Runtime, b: Runtime): Promise<void> {
  await Node.connect(a, b);
  await Global.sync(a);
  await Global.sync(b);
}

/** A clash: both sides register `leader` while apart, with `resolve`; returns the two puppets. */
async function clash(a: Runtime, b: Runtime, resolve: Global.ResolveMethod) {
  await partition(a, b);
  const pa = puppet(a);
  const pb = puppet(b);
  expect(await Global.register(a, 'leader', pa.pid, { resolve })).toBe(true); // register pa at a yes
  expect(await Global.register(b, 'leader', pb.pid, { resolve })).toBe(true); // register pb at b yes
  return { pa, pb };
}

interface Counter {
  arg: number;
  state: number;
  call: { readonly type: 'add'; readonly by: number };
  reply: { add: number };
}
const counter: GenServer.Behaviour<Counter> = { init: (n) => Next.ok(n), handleCall: { add: ({ by }, _from, n) => Next.reply(n + by, n + by) } };

describe('N. global names', () => {
  it('N30 register_name from a for a process of b: yes; every node finds it; send reaches it and returns its pid', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    expect(await Global.register(a, 'svc', p.pid)).toBe(true);
    expect(Global.whereis(a, 'svc')).toBe(p.pid);
    expect(Global.whereis(b, 'svc')).toBe(p.pid);
    expect([Global.registeredNames(a), Global.registeredNames(b)]).toEqual([['svc'], ['svc']]);
    expect(Global.send(a, 'svc', 'hello')).toBe(p.pid);
    await Global.sync(a); // after the message, on the same connection
    expect(await p.act(drain)).toEqual(['hello']);
  });

  it('N31 a taken name, and a second name for a registered process, are refused (no), from either node', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const q = puppet(b);
    expect(await Global.register(a, 'svc', p.pid)).toBe(true);
    expect(await Global.register(a, 'svc', q.pid)).toBe(false);
    expect(await q.act((ctx) => Global.register(ctx, 'svc', ctx.self))).toBe(false);
    expect(await Global.register(a, 'other', p.pid)).toBe(false);
    expect(Global.registeredNames(a)).toEqual(['svc']);
  });

  it('N32 send to a name nobody holds throws NoProcError naming it (Erlang exits badarg); whereis is undefined', async () => {
    const { a } = await connectedPair(node);
    expect(Global.whereis(a, 'nobody')).toBeUndefined();
    const failed = (() => {
      try {
        Global.send(a, 'nobody', 'hello');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(failed).toBeInstanceOf(NoProcError);
    expect(failed).toMatchObject({ operation: 'Global.send', target: 'nobody' });
  });

  it('N33 a registered process that exits loses its name on both nodes', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    expect(await Global.register(a, 'svc', p.pid)).toBe(true);
    const watch = puppet(b);
    const ref = await watch.act((ctx) => ctx.monitor(p.pid));
    void p.act((c) => c.exit('boom'));
    expect((await watch.act((ctx) => ctx.receiveRef<DownMessage>(ref))).reason).toEqual({ tag: 'exit', value: 'boom' });
    await Global.sync(a);
    expect([Global.whereis(a, 'svc'), Global.whereis(b, 'svc')]).toEqual([undefined, undefined]);
    expect(Global.registeredNames(a)).toEqual([]);
  });

  it('N34 the node of a registered process is killed: its name goes with it', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'b' });
    const q = puppet(a);
    const got = await a.run(async (ctx) => {
      const p = await Node.spawn(ctx, 'b', { module: fixture('procs.ts'), export: 'idle', args: [ctx.self] });
      await ctx.receive((m) => (m as { started?: Pid }).started === p);
      const registered = [await Global.register(ctx, 'on_b', p), await Global.register(ctx, 'on_a', q.pid)];
      const names = Global.registeredNames(a).sort();
      Node.monitorNode(ctx, 'b');
      await Node.spawn(ctx, 'b', { module: fixture('procs.ts'), export: 'halt' }).catch(() => undefined); // the thread ends at once
      const down = await ctx.receive((m) => (m as { type?: string }).type === 'nodedown');
      await Global.sync(ctx);
      return { registered, names, down, whereis: Global.whereis(a, 'on_b'), after: Global.registeredNames(a) };
    });
    expect(got).toEqual({ registered: [true, true], names: ['on_a', 'on_b'], down: { type: 'nodedown', node: 'b' }, whereis: undefined, after: ['on_a'] });
  });

  it('N35 a clash after a partition heals, default random_exit_name: the pid of the smaller node name keeps the name, the other is killed', async () => {
    const { a, b } = await connectedPair(node);
    const { pa, pb } = await clash(a, b, 'random_exit_name');
    const watch = puppet(b);
    const ref = await watch.act((ctx) => ctx.monitor(pb.pid));
    await heal(a, b);
    expect([Global.whereis(a, 'leader'), Global.whereis(b, 'leader')]).toEqual([pa.pid, pa.pid]);
    expect(await watch.act((ctx: Context) => ctx.receiveRef(ref))).toMatchObject({ type: 'DOWN', pid: pb.pid, reason: 'killed' });
    expect(a.isAlive(pa.pid)).toBe(true);
  });

  it('N36 a clash after a partition heals, notify_all_name: nobody keeps the name, both are told, both live', async () => {
    const { a, b } = await connectedPair(node);
    const { pa, pb } = await clash(a, b, 'notify_all_name');
    await heal(a, b);
    expect([Global.whereis(a, 'leader'), Global.whereis(b, 'leader')]).toEqual([undefined, undefined]);
    expect(await pa.act(drain)).toEqual([{ type: 'global_name_conflict', name: 'leader', other: pb.pid }]);
    expect(await pb.act(drain)).toEqual([{ type: 'global_name_conflict', name: 'leader', other: pa.pid }]);
  });

  it('N37 a clash after a partition heals, random_notify_name: the pid of the smaller node name keeps it, the other is told and lives', async () => {
    const { a, b } = await connectedPair(node);
    const { pa, pb } = await clash(a, b, 'random_notify_name');
    await heal(a, b);
    expect([Global.whereis(a, 'leader'), Global.whereis(b, 'leader')]).toEqual([pa.pid, pa.pid]);
    expect(await pa.act(drain)).toEqual([]);
    expect(await pb.act(drain)).toEqual([{ type: 'global_name_conflict', name: 'leader' }]);
  });

  it('N38 a GenServer named Global.via(counter) started on b: called from a; a second start from a is already_started', async () => {
    const { a, b } = await connectedPair(node);
    const started = await GenServer.start(counter, 0, { runtime: b, name: Global.via('counter', b) });
    if (started.type !== 'ok') throw new Error('no start');
    const c = started.pid;
    expect(Global.whereis(a, 'counter')).toBe(c);
    const fromA = GenServer.named<Counter>(Global.via('counter', a));
    expect(await GenServer.call(fromA, { type: 'add', by: 2 })).toBe(2);
    expect(await GenServer.call(fromA, { type: 'add', by: 3 })).toBe(5);
    expect(await GenServer.start(counter, 0, { runtime: a, name: Global.via('counter', a) })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: c } });
    // Stopped from its own node: GenServer.stop does not reach a server of another node (see nodes.md).
    await GenServer.stop(GenServer.named<Counter>(Global.via('counter', b)));
    await Global.sync(a);
    expect(Global.whereis(a, 'counter')).toBeUndefined();
    await expect(GenServer.call(fromA, { type: 'add', by: 1 })).rejects.toMatchObject({ name: 'CallError', reason: 'noproc' });
    await expect(GenServer.call(fromA, { type: 'add', by: 1 })).rejects.toBeInstanceOf(CallError);
  });

  it('N39 unregister from a removes a name of a process of b on both nodes; the process lives; the name is free again', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    expect(await p.act((ctx) => Global.register(ctx, 'svc', ctx.self))).toBe(true);
    expect(await Global.unregister(a, 'svc')).toBeUndefined();
    expect([Global.whereis(a, 'svc'), Global.whereis(b, 'svc')]).toEqual([undefined, undefined]);
    expect(await Global.unregister(a, 'svc')).toBeUndefined();
    expect(await Global.register(a, 'svc', p.pid)).toBe(true);
    expect(Global.whereis(b, 'svc')).toBe(p.pid);
  });

  it('N40 a clash after a partition heals with a resolve function: it runs once, on the node of the smaller name, and its answer holds on both', async () => {
    const { a, b } = await connectedPair(node);
    const calls: unknown[] = [];
    // Each node holds the function it registered with; the one of a (the smaller name) runs.
    const keepOther = (on: string): Global.ResolveFunction => (name, pid1, pid2) => {
      calls.push({ resolved: on, name, pid1, pid2 });
      return pid1;
    };
    await partition(a, b);
    const pa = puppet(a);
    const pb = puppet(b);
    expect(await Global.register(a, 'leader', pa.pid, { resolve: keepOther('a') })).toBe(true);
    expect(await Global.register(b, 'leader', pb.pid, { resolve: keepOther('b') })).toBe(true);
    await heal(a, b);
    expect([Global.whereis(a, 'leader'), Global.whereis(b, 'leader')]).toEqual([pb.pid, pb.pid]);
    expect(calls).toEqual([{ resolved: 'a', name: 'leader', pid1: pb.pid, pid2: pa.pid }]);
    expect([a.isAlive(pa.pid), b.isAlive(pb.pid)]).toEqual([true, true]);
  });

  it('N41 register of a process that has exited says yes, and the name is gone soon after', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const watch = puppet(b);
    const ref = await watch.act((ctx) => ctx.monitor(p.pid));
    void p.act((c) => c.exit('normal'));
    expect((await watch.act((ctx) => ctx.receiveRef<DownMessage>(ref))).reason).toBe('normal');
    expect(await Global.register(a, 'svc', p.pid)).toBe(true);
    await Global.sync(a);
    expect(Global.whereis(a, 'svc')).toBeUndefined();
  });
});
