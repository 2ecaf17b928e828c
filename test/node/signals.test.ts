/**
 * Messages and signals between processes of two nodes: send, link, unlink, monitor, demonitor
 * and exit behave as for local pids, and stay in order per pair of processes.
 */
import { describe, expect, it } from 'vitest';
import { CloneError, InvalidArgumentError, Node, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { connectedPair, drain, puppet, useNodes } from '../support/nodes.js';
import { thrown } from '../support/bad_input.js';

const node = useNodes();

describe('send', () => {
  it('keeps the order of messages and of the exit signal that follows them, per pair', async () => {
    const { a, b } = await connectedPair(node);
    const got = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const sender = b.spawn(async (c) => {
        const to = (await c.receive()) as Pid;
        for (let i = 0; i < 1000; i++) c.send(to, i);
        c.exit('done');
      });
      ctx.link(sender);
      ctx.send(sender, ctx.self);
      const seen: unknown[] = [];
      for (;;) {
        const m = await ctx.receive();
        seen.push(m);
        if (typeof m === 'object') return seen;
      }
    });
    expect(got.slice(0, 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(got[1000]).toMatchObject({ type: 'EXIT', reason: { tag: 'exit', value: 'done' } });
  });

  it('reaches a name on another node with { name, node }, and drops it silently for a name nobody holds', async () => {
    const { a, b } = await connectedPair(node);
    const got = new Promise((resolve) =>
      b.spawn(async (ctx) => {
        ctx.register('inbox');
        resolve(await ctx.receive());
      }),
    );
    await b.settle();
    a.send({ name: 'nobody', node: 'b' }, 'lost');
    a.send({ name: 'inbox', node: 'b' }, 'found');
    expect(await got).toBe('found');
  });

  it('throws CloneError at the send for a value that cannot be copied, naming it, and loses nothing else', async () => {
    const { a, b } = await connectedPair(node);
    const sink = b.spawn(async (ctx) => {
      const received: unknown[] = [];
      for (;;) {
        const m = await ctx.receive();
        if (typeof m === 'string' && m.startsWith('<')) ctx.send(m, received);
        else received.push(m);
      }
    });
    const outcome = await a.run(async (ctx) => {
      ctx.send(sink, 1);
      let error: unknown;
      try {
        ctx.send(sink, { reply: () => 'no' });
      } catch (e) {
        error = e;
      }
      ctx.send(sink, 2);
      ctx.send(sink, ctx.self);
      return { error, received: await ctx.receive() };
    });
    expect(outcome.error).toBeInstanceOf(CloneError);
    expect(outcome.error).toMatchObject({ path: 'msg.reply', valueType: 'function' });
    expect(outcome.received).toEqual([1, 2]);
  });
});

describe('links', () => {
  it('take a non-trapping process down with the remote reason, and tell a trapping one', async () => {
    const { a, b } = await connectedPair(node);
    const victim = puppet(a);
    const watcher = puppet(a, true);
    const remote = puppet(b);
    await victim.act((ctx) => ctx.link(remote.pid));
    await watcher.act((ctx) => ctx.link(remote.pid));
    const down = await a.run(async (ctx) => {
      const ref = ctx.monitor(victim.pid);
      a.exit(remote.pid, 'boom'); // after the links on the connection: frames between two nodes keep their order
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(down.reason).toEqual({ tag: 'exit', value: 'boom' });
    const exit = await watcher.act(async (ctx) => ctx.receive((m) => (m as ExitMessage).type === 'EXIT'));
    expect(exit).toEqual({ type: 'EXIT', from: remote.pid, reason: { tag: 'exit', value: 'boom' } });
  });

  it('go both ways: a local exit reaches a trapping remote process', async () => {
    const { a, b } = await connectedPair(node);
    const remote = puppet(b, true);
    const local = puppet(a);
    await local.act((ctx) => ctx.link(remote.pid));
    a.exit(local.pid, 'bye');
    const exit = await remote.act((ctx) => ctx.receive((m) => (m as ExitMessage).type === 'EXIT'));
    expect(exit).toEqual({ type: 'EXIT', from: local.pid, reason: { tag: 'exit', value: 'bye' } });
  });

  it('are gone after unlink: the remote exit no longer arrives', async () => {
    const { a, b } = await connectedPair(node);
    const local = puppet(a, true);
    const remote = puppet(b);
    await local.act((ctx) => ctx.link(remote.pid));
    await local.act((ctx) => ctx.unlink(remote.pid));
    const ref = await local.act((ctx) => ctx.monitor(remote.pid));
    a.exit(remote.pid, 'boom');
    const msgs = await local.act(async (ctx) => [await ctx.receiveRef(ref), ...(await drain(ctx))]);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ type: 'DOWN', reason: { tag: 'exit', value: 'boom' } });
  });

  it('to a remote process that has exited: noproc, as an exit signal (it kills a non-trapping caller)', async () => {
    const { a, b } = await connectedPair(node);
    const dead = b.spawn(() => {});
    await b.settle();
    const trapping = await a.run(async (ctx) => {
      ctx.trapExit(true);
      ctx.link(dead);
      return ctx.receive();
    });
    expect(trapping).toEqual({ type: 'EXIT', from: dead, reason: 'noproc' });
    const down = await a.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor((c) => {
        c.link(dead); // no exception: the answer comes back as a signal
        return c.receive();
      });
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(down.reason).toBe('noproc');
  });
});

describe('monitors', () => {
  it('of { name, node } for a node that is not connected fire with noconnection; a demonitor before the DOWN stops it', async () => {
    const { a, b } = await connectedPair(node);
    const r = puppet(b);
    await r.act((ctx) => ctx.register('db'));
    const got = await a.run(async (ctx) => {
      const away = ctx.monitor({ name: 'db', node: 'elsewhere' });
      const gone = await ctx.receiveRef<DownMessage>(away);
      const dropped = ctx.monitor({ name: 'db', node: 'b' });
      ctx.demonitor(dropped);
      const kept = ctx.monitor({ name: 'db', node: 'b' });
      ctx.exit(r.pid, 'kill');
      const down = await ctx.receiveRef<DownMessage>(kept);
      return { gone, down, rest: await drain(ctx) };
    });
    expect(got.gone).toMatchObject({ type: 'DOWN', pid: undefined, name: 'db', node: 'elsewhere', reason: 'noconnection' });
    expect(got.down).toMatchObject({ type: 'DOWN', pid: undefined, name: 'db', node: 'b', reason: 'killed' });
    expect(got.rest).toEqual([]); // nothing for the monitor taken back
  });

  it('deliver DOWN with the remote reason, and none after demonitor', async () => {
    const { a, b } = await connectedPair(node);
    const one = puppet(b);
    const two = puppet(b);
    const got = await a.run(async (ctx) => {
      const r1 = ctx.monitor(one.pid);
      const r2 = ctx.monitor(two.pid);
      ctx.demonitor(r2);
      ctx.exit(one.pid, 'kill');
      ctx.exit(two.pid, 'kill');
      const down = await ctx.receiveRef(r1);
      const r3 = ctx.monitor(two.pid); // dead by now: DOWN noproc from b
      return { down, late: await ctx.receiveRef(r3), rest: await drain(ctx) };
    });
    expect(got.down).toMatchObject({ type: 'DOWN', pid: one.pid, reason: 'killed' });
    expect(got.late).toMatchObject({ type: 'DOWN', pid: two.pid, reason: 'noproc' });
    expect(got.rest).toEqual([]);
  });

  it('from the other side: a remote watcher gets DOWN for a local process', async () => {
    const { a, b } = await connectedPair(node);
    const local = puppet(a);
    const watcher = puppet(b);
    const ref = await watcher.act((ctx) => ctx.monitor(local.pid));
    b.exit(local.pid, 'shutdown'); // from b: after the monitor on the connection
    expect(await watcher.act((ctx) => ctx.receiveRef(ref))).toEqual({ type: 'DOWN', ref, pid: local.pid, name: undefined, reason: 'shutdown' });
  });
});

describe('exit/2', () => {
  it("ignores 'normal' for a non-trapping remote process, and tells a trapping one", async () => {
    const { a, b } = await connectedPair(node);
    const plain = puppet(b);
    const trapping = puppet(b, true);
    const sender = puppet(a);
    await sender.act((ctx) => {
      ctx.exit(plain.pid, 'normal');
      ctx.exit(trapping.pid, 'normal');
    });
    const exit = await trapping.act((ctx) => ctx.receive((m) => (m as ExitMessage).type === 'EXIT'));
    expect(exit).toEqual({ type: 'EXIT', from: sender.pid, reason: 'normal' });
    expect(await plain.act((ctx) => ctx.self)).toBe(plain.pid); // still alive
  });
});

describe('timers to a remote process', () => {
  it('are refused at the call, naming the argument, as Erlang refuses them (badarg, conformance N28); nothing is sent', async () => {
    const a = node('a');
    const b = node('b');
    await Node.connect(a, b);
    const first = new Promise((resolve) =>
      b.spawn(async (ctx) => {
        ctx.register('target');
        resolve(await ctx.receive());
      }),
    );
    await b.settle();
    const target = b.whereis('target')!;
    const refused = await a.run((ctx) => [
      thrown(() => ctx.sendAfter(0, target, 'first')),
      thrown(() => ctx.startTimer(0, target, 'second')),
      thrown(() => a.sendAfter(0, target, 'third')),
    ]);
    for (const error of refused) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'dest', message: expect.stringMatching(/a pid of this node \(a\)/) });
    }
    a.send(target, 'after');
    expect(await first).toBe('after'); // no timer message came before it
  });
});
