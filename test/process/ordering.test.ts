import { describe, expect, it } from 'vitest';
import type { DownMessage, ExitMessage } from 'ts-otp';
import { startPuppet, startRecorder, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

const isKernelMessage = (m: unknown): m is ExitMessage | DownMessage =>
  typeof m === 'object' && m !== null && ((m as { type?: unknown }).type === 'EXIT' || (m as { type?: unknown }).type === 'DOWN');

describe('message order', () => {
  it('is send order, from one process to another (C01)', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const numbers = Array.from({ length: 100 }, (_, i) => i);
    await rt.run(async (ctx) => {
      for (const n of numbers) {
        ctx.send(rec.pid, n);
        if (n % 10 === 0) await Promise.resolve(); // across several steps too
      }
    });
    await rt.settle();
    expect(rec.messages).toEqual(numbers);
  });

  it('is send order, from plain code', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    for (let i = 0; i < 10; i++) rt.send(rec.pid, i);
    await rt.settle();
    expect(rec.messages).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps messages sent to a process that has not started yet', async () => {
    const rt = runtime();
    const got = rt.run(async (ctx) => [await ctx.receive(), await ctx.receive()]);
    const [pid] = rt.processes();
    rt.send(pid!, 'first');
    rt.send(pid!, 'second');
    expect(await got).toEqual(['first', 'second']);
  });

  it('puts messages a process sends itself behind those already queued (C11)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    rt.send(p.pid, 'from outside 1');
    rt.send(p.pid, 'from outside 2');
    await p.act((ctx) => {
      ctx.send(ctx.self, 'to self 1');
      ctx.send(ctx.self, 'to self 2');
    });
    expect(await p.mailbox()).toEqual(['from outside 1', 'from outside 2', 'to self 1', 'to self 2']);
  });

  it('puts the messages a process sent before dying before its EXIT (C02)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt, { trapExit: true });
    const dying = rt.spawn(async (ctx) => {
      await ctx.receive();
      ctx.send(p.pid, 'last words 1');
      ctx.send(p.pid, 'last words 2');
      ctx.exit('boom');
    });
    await rt.settle();
    await p.act((ctx) => ctx.link(dying));
    rt.send(dying, 'go');
    await rt.settle();
    expect(await p.mailbox()).toEqual(['last words 1', 'last words 2', { type: 'EXIT', from: dying, reason: { tag: 'exit', value: 'boom' } }]);
  });

  it('puts a DOWN after every message the dead process sent to the watcher (C04)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const dying = rt.spawn(async (ctx) => {
      await ctx.receive();
      ctx.send(p.pid, 'a');
      ctx.send(p.pid, 'b');
    });
    await rt.settle();
    const ref = await p.act((ctx) => ctx.monitor(dying));
    rt.send(dying, 'go');
    await rt.settle();
    expect(await p.mailbox()).toEqual(['a', 'b', { type: 'DOWN', ref, pid: dying, name: undefined, reason: 'normal' }]);
  });

  it('puts a dying process’s link EXIT before its DOWN to the same receiver', async () => {
    const rt = runtime();
    const p = await startPuppet(rt, { trapExit: true });
    const dying = await startPuppet(rt);
    await p.act((ctx) => {
      ctx.monitor(dying.pid);
      ctx.link(dying.pid);
    });
    rt.exit(dying.pid, 'boom');
    expect(((await p.mailbox()) as Array<ExitMessage | DownMessage>).map((m) => m.type)).toEqual(['EXIT', 'DOWN']);
  });

  it('keeps a message and an exit signal from the same sender in the order they were sent', async () => {
    const rt = runtime();
    const p = await startPuppet(rt, { trapExit: true });
    const sender = await startPuppet(rt);
    await sender.act((ctx) => {
      ctx.send(p.pid, 'before');
      ctx.exit(p.pid, 'shutdown');
      ctx.send(p.pid, 'after');
    });
    expect(await p.mailbox()).toEqual(['before', { type: 'EXIT', from: sender.pid, reason: 'shutdown' }, 'after']);
  });

  it('delivers the DOWNs of several monitors on one process in creation order (A15)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const target = await startPuppet(rt);
    const refs = await p.act((ctx) => [ctx.monitor(target.pid), ctx.monitor(target.pid), ctx.monitor(target.pid)]);
    rt.exit(target.pid, 'boom');
    expect(((await p.mailbox()) as DownMessage[]).filter(isKernelMessage).map((m) => m.ref)).toEqual(refs);
  });
});

describe('signals', () => {
  it("are handled inside the call that sends them: after exit(p, 'kill') p is not alive (A20)", async () => {
    const rt = runtime();
    const target = await startPuppet(rt);
    const alive = await rt.run((ctx) => {
      ctx.exit(target.pid, 'kill');
      return rt.isAlive(target.pid);
    });
    expect(alive).toBe(false);
  });

  it('cascade along links within the call that started it', async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    const c = await startPuppet(rt, { trapExit: true });
    await b.act((ctx) => ctx.link(a.pid));
    await c.act((ctx) => ctx.link(b.pid));
    const seen = await rt.run((ctx) => {
      ctx.exit(a.pid, 'boom');
      return { a: rt.isAlive(a.pid), b: rt.isAlive(b.pid), cQueue: rt.processInfo(c.pid)?.messageQueueLen };
    });
    expect(seen).toEqual({ a: false, b: false, cQueue: 1 });
  });
});
