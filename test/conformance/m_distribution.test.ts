/**
 * Conformance, group M (distribution): one test per scenario of test/conformance/m_distribution/,
 * each an escript run on two real Erlang/OTP 25 nodes (`a` runs the scenario, `b` is an
 * `erl -sname` peer) whose trace is stored beside it; `./run.sh` there replays them all.
 *
 * Here `a` and `b` are two nodes of this thread connected over a MessageChannel, except where a
 * scenario needs a thread of its own (M09 kills one). The scenario's `test` process is a process
 * of `a`; `p`, `q`, ... are processes of the node the scenario puts them on.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Next, Node, NodeError, type Context, type DownMessage, type Pid } from 'ts-otp';
import { connectedPair, drain, fixture, puppet, useNodes } from '../support/nodes.js';

const node = useNodes();

const exitOf = (value: unknown) => ({ tag: 'exit', value });

describe('M. distribution', () => {
  it('M01 messages from a remote process arrive in order, and its exit signal after them', async () => {
    const { a, b } = await connectedPair(node);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const p = b.spawn(async (c) => {
        const to = (await c.receive()) as Pid;
        for (let i = 1; i <= 5; i++) c.send(to, i);
        c.exit('done');
      });
      ctx.link(p);
      ctx.send(p, ctx.self);
      const seen = [];
      for (let i = 0; i < 6; i++) seen.push(await ctx.receive());
      return { p, seen };
    });
    expect(got.seen).toEqual([1, 2, 3, 4, 5, { type: 'EXIT', from: got.p, reason: exitOf('done') }]);
  });

  it('M02 a remote exit reaches linked processes: a non-trapping one dies with its reason, a trapping one gets EXIT', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const l1 = puppet(a);
    const l2 = puppet(a, true);
    await l1.act((ctx) => ctx.link(p.pid));
    await l2.act((ctx) => ctx.link(p.pid));
    const down = await a.run(async (ctx) => {
      const ref = ctx.monitor(l1.pid);
      await l2.act((c) => c.exit(p.pid, 'boom')); // after l2's link, on the same connection
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(down).toEqual(exitOf('boom'));
    expect(await l2.act(drain)).toEqual([{ type: 'EXIT', from: p.pid, reason: exitOf('boom') }]);
  });

  it('M03 exit/2 to a remote process: normal is ignored unless it traps exits; kill makes it exit with killed', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const q = puppet(b, true);
    const test = puppet(a);
    const mp = await test.act((ctx) => {
      ctx.exit(p.pid, 'normal');
      ctx.exit(q.pid, 'normal');
      return ctx.monitor(p.pid);
    });
    await test.act((ctx) => {
      ctx.send(p.pid, 'sync'); // after the exit signals on the connection
      ctx.send(q.pid, 'sync');
    });
    const upTo = (ctx: Context) => ctx.receive((m) => m === 'sync');
    expect(await p.act(async (ctx) => (await upTo(ctx), drain(ctx)))).toEqual([]); // alive, and told nothing
    expect(await q.act(async (ctx) => (await upTo(ctx), drain(ctx)))).toEqual([{ type: 'EXIT', from: test.pid, reason: 'normal' }]);
    await test.act((ctx) => ctx.exit(p.pid, 'kill'));
    expect(await test.act((ctx) => ctx.receiveRef(mp))).toEqual({ type: 'DOWN', ref: mp, pid: p.pid, name: undefined, reason: 'killed' });
  });

  it('M04 monitors of a remote process deliver DOWN with its reason; a demonitored one delivers nothing', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const got = await a.run(async (ctx) => {
      const m1 = ctx.monitor(p.pid);
      const m2 = ctx.monitor(p.pid);
      ctx.demonitor(m2);
      ctx.exit(p.pid, 'boom');
      return { m1, down: await ctx.receiveRef(m1), rest: await drain(ctx) };
    });
    expect(got.down).toEqual({ type: 'DOWN', ref: got.m1, pid: p.pid, name: undefined, reason: exitOf('boom') });
    expect(got.rest).toEqual([]);
  });

  it('M05 linking to a remote process that has exited does not throw; an exit signal noproc follows (it kills a non-trapping caller)', async () => {
    const { a, b } = await connectedPair(node);
    const d = b.spawn(() => {});
    await b.settle();
    const x = await a.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor((c) => {
        c.link(d);
        return c.receive();
      });
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(x).toBe('noproc');
    const test = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(d);
      return ctx.receive();
    });
    expect(test).toEqual({ type: 'EXIT', from: d, reason: 'noproc' });
  });

  it('M06 monitoring a remote process that has exited delivers DOWN noproc', async () => {
    const { a, b } = await connectedPair(node);
    const d = b.spawn(() => {});
    await b.settle();
    const got = await a.run(async (ctx) => {
      const m = ctx.monitor(d);
      return { m, down: await ctx.receiveRef(m) };
    });
    expect(got.down).toEqual({ type: 'DOWN', ref: got.m, pid: d, name: undefined, reason: 'noproc' });
  });

  it('M07 { name, node } reaches a name registered on the other node, and is dropped silently for a name nobody holds', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    await p.act((ctx) => ctx.register('inbox'));
    const test = puppet(a);
    await test.act((ctx) => {
      ctx.send({ name: 'nobody', node: 'b' }, 'lost'); // no error
      ctx.send({ name: 'inbox', node: 'b' }, 'found');
      ctx.send(p.pid, 'sync');
    });
    expect(await p.act(async (ctx) => (await ctx.receive((m) => m === 'sync'), drain(ctx)))).toEqual(['found']);
  });

  it('M08 disconnect: every link, then every monitor, across the connection fires once with noconnection, on both sides, then nodedown', async () => {
    const { a, b } = await connectedPair(node);
    const r1 = puppet(b);
    const r2 = puppet(b);
    const w = puppet(b, true);
    const test = puppet(a, true);
    const { m1, m2 } = await test.act((ctx) => {
      ctx.link(r1.pid);
      ctx.link(r2.pid);
      const refs = { m1: ctx.monitor(r1.pid), m2: ctx.monitor(r1.pid) };
      Node.monitorNode(ctx, 'b');
      return refs;
    });
    await w.act((ctx) => ctx.link(test.pid));
    const wm = await w.act((ctx) => ctx.monitor(test.pid));
    await w.act((ctx) => ctx.send(test.pid, 'w ready')); // after its link and monitor
    await test.act((ctx) => ctx.receive((m) => m === 'w ready'));
    Node.disconnect(a, 'b');
    const seen = await test.act(async (ctx) => {
      await ctx.receive((m) => (m as { type?: string }).type === 'nodedown', 'infinity');
      return null;
    });
    expect(seen).toBeNull();
    // The nodedown was taken above; everything before it, in order:
    expect(await test.act(drain)).toEqual([
      { type: 'EXIT', from: r1.pid, reason: 'noconnection' },
      { type: 'EXIT', from: r2.pid, reason: 'noconnection' },
      { type: 'EXIT', from: w.pid, reason: 'noconnection' },
      { type: 'DOWN', ref: m1, pid: r1.pid, name: undefined, reason: 'noconnection' },
      { type: 'DOWN', ref: m2, pid: r1.pid, name: undefined, reason: 'noconnection' },
    ]);
    const onB = await w.act(async (ctx) => [await ctx.receive(), await ctx.receive(), ...(await drain(ctx))]);
    expect(onB).toEqual([
      { type: 'EXIT', from: test.pid, reason: 'noconnection' },
      { type: 'DOWN', ref: wm, pid: test.pid, name: undefined, reason: 'noconnection' },
    ]);
  });

  it('M09 the other node is killed: links and monitors fire once with noconnection, then nodedown', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'b' });
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const spec = { module: fixture('procs.ts'), export: 'idle', args: [ctx.self] };
      const r1 = await Node.spawn(ctx, 'b', spec);
      const r2 = await Node.spawn(ctx, 'b', spec);
      await ctx.receive((m) => (m as { started?: Pid }).started === r2);
      ctx.link(r1);
      const m1 = ctx.monitor(r1);
      const m2 = ctx.monitor(r2);
      Node.monitorNode(ctx, 'b');
      await Node.spawn(ctx, 'b', { module: fixture('procs.ts'), export: 'halt' }).catch(() => undefined); // the thread ends at once
      const seen = [];
      for (;;) {
        const m = await ctx.receive((x) => (x as { started?: Pid }).started === undefined);
        seen.push(m);
        if ((m as { type: string }).type === 'nodedown') break;
      }
      return { r1, r2, m1, m2, seen, nodes: Node.nodes(a) };
    });
    expect(got.seen).toEqual([
      { type: 'EXIT', from: got.r1, reason: 'noconnection' },
      { type: 'DOWN', ref: got.m1, pid: got.r1, name: undefined, reason: 'noconnection' },
      { type: 'DOWN', ref: got.m2, pid: got.r2, name: undefined, reason: 'noconnection' },
      { type: 'nodedown', node: 'b' },
    ]);
    expect(got.nodes).toEqual([]);
  });

  it('M10 after the other node restarts under the same name, its old pids are dead: send dropped, monitor and link give noproc, exit/2 does nothing', async () => {
    const a = node('a');
    const b1 = node('b');
    await Node.connect(a, b1);
    const old = puppet(b1).pid;
    await Node.stop(b1);
    const b2 = node('b');
    await Node.connect(a, b2);
    expect(Node.nodes(a)).toEqual(['b']);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.send(old, 'hello');
      const m = ctx.monitor(old);
      ctx.link(old);
      ctx.exit(old, 'kill');
      return { m, seen: [await ctx.receive(), await ctx.receive()] };
    });
    expect(got.seen).toEqual([
      { type: 'DOWN', ref: got.m, pid: old, name: undefined, reason: 'noproc' },
      { type: 'EXIT', from: old, reason: 'noproc' },
    ]);
  });

  it('M11 monitoring or linking a process of a node that cannot be reached gives noconnection, the link first', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b).pid;
    Node.disconnect(a, 'b');
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const m = ctx.monitor(p);
      ctx.link(p); // no exception
      return { m, seen: [await ctx.receive(), await ctx.receive()] };
    });
    expect(got.seen).toEqual([
      { type: 'EXIT', from: p, reason: 'noconnection' },
      { type: 'DOWN', ref: got.m, pid: p, name: undefined, reason: 'noconnection' },
    ]);
  });

  it('M12 monitorNode on a node that is not there delivers nodedown at once, once per call', async () => {
    const a = node('a');
    const seen = await a.run(async (ctx) => {
      expect(Node.monitorNode(ctx, 'nowhere')).toBe(true);
      expect(Node.monitorNode(ctx, 'nowhere')).toBe(true);
      return drain(ctx);
    });
    expect(seen).toEqual([
      { type: 'nodedown', node: 'nowhere' },
      { type: 'nodedown', node: 'nowhere' },
    ]);
  });

  it('M13 spawning a function the other node does not have: Erlang returns a pid that exits with undef; ts-otp rejects with NodeError', async () => {
    // A documented difference (docs/guides/nodes.md): the module is loaded before the pid exists,
    // so the caller learns at once, with a typed error, instead of from an undef exit.
    const { a } = await connectedPair(node);
    const failed = await a.run((ctx) => Node.spawn(ctx, 'b', { module: fixture('procs.ts'), export: 'nothing' }).catch((e: unknown) => e));
    expect(failed).toBeInstanceOf(NodeError);
    expect(failed).toMatchObject({ reason: 'not_a_function', node: 'b' });
  });

  it('M14 spawnLink on another node is atomic: a child that exits at once still delivers its exit', async () => {
    const { a } = await connectedPair(node);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const c = await Node.spawnLink(ctx, 'b', { module: fixture('procs.ts'), export: 'exits', args: ['early'] });
      return { c, exit: await ctx.receive() };
    });
    expect(got.exit).toEqual({ type: 'EXIT', from: got.c, reason: exitOf('early') });
  });

  it('M15 after unlink, a remote exit no longer arrives over the link; a monitor still reports it', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(p.pid);
      ctx.unlink(p.pid);
      const m = ctx.monitor(p.pid);
      ctx.exit(p.pid, 'boom');
      return { m, seen: [await ctx.receiveRef(m), ...(await drain(ctx))] };
    });
    expect(got.seen).toEqual([{ type: 'DOWN', ref: got.m, pid: p.pid, name: undefined, reason: exitOf('boom') }]);
  });

  it("M16 monitorNode with flag false removes one of the caller's watches of a node, not all", async () => {
    const { a, b } = await connectedPair(node);
    /** Disconnects b, then takes what arrived once the nodedowns have been sent. */
    const lose = async (ctx: Context) => {
      Node.disconnect(a, 'b');
      await new Promise((resolve) => setImmediate(resolve)); // past the microtask that sends nodedown
      return drain(ctx);
    };
    const first = await a.run(async (ctx) => {
      Node.monitorNode(ctx, 'b');
      Node.monitorNode(ctx, 'b');
      Node.monitorNode(ctx, 'b');
      expect(Node.monitorNode(ctx, 'b', false)).toBe(true);
      return lose(ctx);
    });
    expect(first).toEqual([
      { type: 'nodedown', node: 'b' },
      { type: 'nodedown', node: 'b' },
    ]);
    await b.run((ctx) => (Node.monitorNode(ctx, 'a'), ctx.receive())); // b has seen the loss too
    await Node.connect(a, b);
    const second = await a.run(async (ctx) => {
      Node.monitorNode(ctx, 'b');
      Node.monitorNode(ctx, 'b', false);
      expect(Node.monitorNode(ctx, 'b', false)).toBe(true);
      return lose(ctx);
    });
    expect(second).toEqual([]);
  });

  it("M17 monitorNode on the caller's own node returns true and delivers nothing", async () => {
    const a = node('a');
    const seen = await a.run(async (ctx) => {
      expect(Node.monitorNode(ctx, 'a')).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      return drain(ctx);
    });
    expect(seen).toEqual([]);
  });
  it('M18 a monitor of { name, node } reports the name and node: at the exit of the process, at once with noproc for a name nobody holds, and locally for the own node', async () => {
    const { a, b } = await connectedPair(node);
    const r = puppet(b);
    await r.act((ctx) => ctx.register('db'));
    const here = a.spawn((ctx) => ctx.receive((m) => m === 'stop'));
    a.register('here', here);
    const got = await a.run(async (ctx) => {
      const m1 = ctx.monitor({ name: 'db', node: 'b' });
      ctx.exit(r.pid, 'bye');
      const first = await ctx.receiveRef<DownMessage>(m1);
      const m2 = ctx.monitor({ name: 'nobody', node: 'b' });
      const second = await ctx.receiveRef<DownMessage>(m2);
      const m3 = ctx.monitor({ name: 'here', node: 'a' });
      ctx.send(here, 'stop');
      const third = await ctx.receiveRef<DownMessage>(m3);
      return { m1, first, m2, second, m3, third };
    });
    expect(got.first).toEqual({ type: 'DOWN', ref: got.m1, pid: undefined, name: 'db', node: 'b', reason: { tag: 'exit', value: 'bye' } });
    expect(got.second).toEqual({ type: 'DOWN', ref: got.m2, pid: undefined, name: 'nobody', node: 'b', reason: 'noproc' });
    expect(got.third).toEqual({ type: 'DOWN', ref: got.m3, pid: undefined, name: 'here', node: 'a', reason: 'normal' });
  });

  it('M19 GenServer.call to { name, node } is answered; a name nobody holds there fails with noproc; a server that stops in the call fails it with its reason', async () => {
    const { a, b } = await connectedPair(node);
    interface Counter { state: number; arg: number; call: { readonly type: 'add'; readonly n: number } | { readonly type: 'get' } | { readonly type: 'stop'; readonly reason: string }; reply: { add: number; get: number; stop: never } }
    const counter: GenServer.Behaviour<Counter> = {
      init: (n) => Next.ok(n),
      handleCall: {
        add: ({ n }, _from, s) => Next.reply(s + n, s + n),
        get: (_r, _from, s) => Next.reply(s, s),
        stop: ({ reason }, _from, s) => Next.stop(reason, s),
      },
    };
    expect((await GenServer.start(counter, 41, { runtime: b, name: 'db' })).type).toBe('ok');
    const db = GenServer.named<Counter>({ name: 'db', node: 'b' }, a);
    const nobody = GenServer.named<Counter>({ name: 'nobody', node: 'b' }, a);
    const failed = (p: Promise<unknown>) => p.then(() => 'answered', (e: CallError) => e.exitReason);
    expect(await GenServer.call(db, { type: 'add', n: 1 })).toBe(42);
    expect(await failed(GenServer.call(nobody, { type: 'get' }))).toEqual(exitOf({ reason: 'noproc', call: { server: { name: 'nobody', node: 'b' }, request: { type: 'get' } } }));
    expect(await failed(GenServer.call(db, { type: 'stop', reason: 'done' }))).toEqual(exitOf({ reason: exitOf('done'), call: { server: { name: 'db', node: 'b' }, request: { type: 'stop', reason: 'done' } } }));
    expect(await failed(GenServer.call(db, { type: 'get' }))).toEqual(exitOf({ reason: 'noproc', call: { server: { name: 'db', node: 'b' }, request: { type: 'get' } } }));
  });

  it('M20 a monitor of { name, node } fires with noconnection when the connection is lost, before nodedown', async () => {
    const { a, b } = await connectedPair(node);
    const r = puppet(b);
    await r.act((ctx) => ctx.register('db'));
    const got = await a.run(async (ctx) => {
      const m = ctx.monitor({ name: 'db', node: 'b' });
      Node.monitorNode(ctx, 'b');
      Node.disconnect(a, 'b');
      return { m, seen: [await ctx.receive(), await ctx.receive()] };
    });
    expect(got.seen).toEqual([
      { type: 'DOWN', ref: got.m, pid: undefined, name: 'db', node: 'b', reason: 'noconnection' },
      { type: 'nodedown', node: 'b' },
    ]);
  });
});
