/**
 * Losing a node: every link and monitor across the connection fires with 'noconnection', exactly
 * once, then nodedown; a node that comes back is a new incarnation whose old pids are dead.
 */
import { describe, expect, it } from 'vitest';
import { Node, Runtime, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { manualClock } from '../support/runtime.js';
import { connectedPair, drain, fixture, puppet, useNodes } from '../support/nodes.js';

const node = useNodes();

describe('a lost connection', () => {
  it('delivers noconnection to every link, then every monitor, once, then nodedown, on both sides', async () => {
    const { a, b } = await connectedPair(node);
    const remote1 = b.spawn((ctx) => ctx.receive());
    const remote2 = b.spawn((ctx) => ctx.receive());
    const seenOnB = new Promise<unknown[]>((resolve) =>
      b.spawn(async (ctx) => {
        ctx.trapExit(true);
        ctx.register('watcher');
        const from = (await ctx.receive()) as Pid;
        ctx.link(from);
        const ref = ctx.monitor(from);
        ctx.send(from, 'ready');
        const got = [await ctx.receive(), await ctx.receiveRef(ref)];
        resolve([...got, ...(await drain(ctx))]);
      }),
    );
    await b.settle();
    const seen = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(remote1);
      ctx.link(remote2);
      const r1 = ctx.monitor(remote1);
      const r2 = ctx.monitor(remote1);
      Node.monitorNode(ctx, 'b');
      ctx.send({ name: 'watcher', node: 'b' }, ctx.self);
      await ctx.receive((m) => m === 'ready');
      Node.disconnect(a, 'b');
      const got: unknown[] = [];
      for (;;) {
        const m = await ctx.receive();
        got.push(m);
        if ((m as { type: string }).type === 'nodedown') break;
      }
      return { got: [...got, ...(await drain(ctx))], r1, r2 };
    });
    const watcher = b.whereis('watcher'); // linked to the test process from b: that link breaks too
    expect(seen.got).toEqual([
      { type: 'EXIT', from: remote1, reason: 'noconnection' }, // links first, then monitors, as Erlang (M08)
      { type: 'EXIT', from: remote2, reason: 'noconnection' },
      { type: 'EXIT', from: watcher, reason: 'noconnection' },
      { type: 'DOWN', ref: seen.r1, pid: remote1, name: undefined, reason: 'noconnection' },
      { type: 'DOWN', ref: seen.r2, pid: remote1, name: undefined, reason: 'noconnection' },
      { type: 'nodedown', node: 'b' },
    ]);
    const onB = await seenOnB;
    expect(onB).toHaveLength(2);
    expect(onB[0]).toMatchObject({ type: 'EXIT', reason: 'noconnection' });
    expect(onB[1]).toMatchObject({ type: 'DOWN', reason: 'noconnection' });
    expect(Node.nodes(a)).toEqual([]);
    expect(Node.nodes(b)).toEqual([]);
  });

  it('kills a linked process that does not trap exits, with noconnection', async () => {
    const { a, b } = await connectedPair(node);
    const remote = b.spawn((ctx) => ctx.receive());
    const down = await a.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (c) => {
        c.link(remote);
        c.send(ctx.self, 'linked');
        await c.receive();
      });
      await ctx.receive((m) => m === 'linked');
      await Node.stop(b);
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(down.reason).toBe('noconnection');
  });

  it('is found by heartbeats when the peer stays silent for tickMs', async () => {
    const clock = manualClock();
    const a = node('a', { clock, tickMs: 1000 });
    const b = node('b', { tickMs: 60_000 });
    await Node.connect(a, b);
    const remote = b.spawn((ctx) => ctx.receive());
    const exit = a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(remote);
      return (await ctx.receive()) as ExitMessage;
    });
    await a.settle();
    clock.advance(1000); // b is not asked to answer within a: as if it hung
    expect(await exit).toEqual({ type: 'EXIT', from: remote, reason: 'noconnection' });
    expect(clock.pending()).toBe(0); // no heartbeat timer left
  });

  it('of a worker thread that is terminated: its links and monitors fire, and the thread is gone', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const seen = await a.run(async (ctx) => {
      ctx.trapExit(true);
      Node.monitorNode(ctx, 'w');
      const pid = await Node.spawnLink(ctx, 'w', { module: fixture('procs.ts'), export: 'busy', args: [ctx.self] });
      const ref = ctx.monitor(pid);
      await ctx.receive((m) => (m as { busy?: Pid }).busy === pid); // it spins now: only the thread's end stops it
      await Node.stop(a);
      return [await ctx.receive(), await ctx.receive(), await ctx.receive(), pid, ref];
    });
    const [exit, down, nodedown, pid, ref] = seen;
    expect(exit).toEqual({ type: 'EXIT', from: pid, reason: 'noconnection' });
    expect(down).toEqual({ type: 'DOWN', ref, pid, name: undefined, reason: 'noconnection' });
    expect(nodedown).toEqual({ type: 'nodedown', node: 'w' });
  });
});

describe('a new incarnation', () => {
  it('makes the old pids dead: send is dropped, monitor and link give noproc', async () => {
    const a = node('a');
    const b1 = node('b');
    await Node.connect(a, b1);
    const old = b1.spawn((ctx) => ctx.receive());
    await Node.stop(b1);
    const b2 = node('b');
    await Node.connect(a, b2);
    expect(Node.nodes(a)).toEqual(['b']);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.send(old, 'hello'); // dropped
      const ref = ctx.monitor(old);
      const down = await ctx.receiveRef(ref);
      ctx.link(old);
      return { down, exit: await ctx.receive() };
    });
    expect(got.down).toMatchObject({ type: 'DOWN', pid: old, reason: 'noproc' });
    expect(got.exit).toEqual({ type: 'EXIT', from: old, reason: 'noproc' });
  });

  it('not connected at all: monitor and link give noconnection', async () => {
    const { a, b } = await connectedPair(node);
    const remote = b.spawn((ctx) => ctx.receive());
    Node.disconnect(a, 'b');
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const ref = ctx.monitor(remote);
      const down = await ctx.receiveRef(ref);
      ctx.link(remote);
      return { down, exit: await ctx.receive() };
    });
    expect(got.down).toMatchObject({ reason: 'noconnection' });
    expect(got.exit).toEqual({ type: 'EXIT', from: remote, reason: 'noconnection' });
  });
});

describe('the runtime of a node', () => {
  it('refuses a second connection to a node of the same name and incarnation', async () => {
    const { a, b } = await connectedPair(node);
    await expect(Node.connect(a, b)).rejects.toMatchObject({ name: 'NodeError', reason: 'name_taken' });
    expect(Node.nodes(a)).toEqual(['b']);
  });

  it('refuses a node with its own name', async () => {
    const a = node('a');
    const other = new Runtime();
    Node.start(other, { name: 'a' });
    await expect(Node.connect(a, other)).rejects.toMatchObject({ reason: 'name_taken' });
    await Node.stop(other);
  });
});

describe('a connection made again to the same node', () => {
  it('is made at once after a disconnect: the side that still held the old one drops it first, with noconnection', async () => {
    const { a, b } = await connectedPair(node);
    const watcher = puppet(b, true);
    const remote = puppet(a);
    await watcher.act((ctx) => ctx.link(remote.pid));
    const seen = b.inbox();
    Node.monitorNodes(seen);
    Node.disconnect(a, 'b');
    await Node.connect(a, b);
    expect(await seen.receive()).toEqual({ type: 'nodedown', node: 'a' });
    expect(await seen.receive()).toEqual({ type: 'nodeup', node: 'a' });
    seen.close();
    expect(await watcher.act(drain)).toEqual([{ type: 'EXIT', from: remote.pid, reason: 'noconnection' }]);
    expect(await remote.act((ctx) => ctx.self)).toBe(remote.pid); // the same incarnation: its pids still work
    await expect(Node.connect(a, b)).rejects.toMatchObject({ reason: 'name_taken' }); // connected on both sides
  });


  it("delivers a process's later sends to a pid it sent to before the loss", async () => {
    // Erlang delivers after a reconnect (M08's last step); the old connection's proxy must not be
    // remembered as the pid's record by the sender.
    const { a, b } = await connectedPair(node);
    let got: (msgs: unknown[]) => void = () => {};
    const received = new Promise<unknown[]>((resolve) => (got = resolve));
    const target = b.spawn(async (ctx) => {
      const msgs = [await ctx.receive(), await ctx.receive()];
      got(msgs);
    });
    const sender = puppet(a);
    await sender.act((ctx) => ctx.send(target, 'before'));
    await a.run(async (ctx) => {
      Node.monitorNode(ctx, 'b');
      Node.disconnect(a, 'b');
      await ctx.receive();
    });
    await Node.connect(a, b); // at once: b has not seen the old connection close yet
    await sender.act((ctx) => ctx.send(target, 'after'));
    expect(await received).toEqual(['before', 'after']);
  });
});
