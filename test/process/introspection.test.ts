import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from 'ts-otp';
import { deferred, startPuppet, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('processInfo', () => {
  it('describes a fresh process blocked in receive', async () => {
    const rt = runtime();
    const pid = rt.spawn((ctx) => ctx.receive());
    await rt.settle();
    expect(rt.processInfo(pid)).toEqual({
      pid,
      status: 'waiting',
      registeredName: undefined,
      links: [],
      monitors: [],
      monitoredBy: [],
      trapExit: false,
      messageQueueLen: 0,
      droppedMessages: 0,
    } satisfies ProcessInfo);
  });

  it("reports 'runnable' before the process starts and while it awaits something outside the kernel", async () => {
    const rt = runtime();
    const outside = deferred();
    const started = deferred();
    const pid = rt.spawn(async (ctx) => {
      started.resolve();
      await outside.promise;
      await ctx.receive();
    });
    expect(rt.processInfo(pid)?.status).toBe('runnable');
    await started.promise;
    expect(rt.processInfo(pid)?.status).toBe('runnable');
    outside.resolve();
    await rt.settle();
    expect(rt.processInfo(pid)?.status).toBe('waiting');
  });

  it('reports links, monitors both ways, the name, the trap flag and the queue length (A23)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    const r = await startPuppet(rt);
    rt.register('q', q.pid);
    await p.act((ctx) => {
      ctx.trapExit(true);
      ctx.link(q.pid);
      ctx.monitor(r.pid);
      ctx.monitor('q');
    });
    rt.send(p.pid, 'one');
    rt.send(p.pid, 'two');
    await rt.settle();
    expect(rt.processInfo(p.pid)).toEqual({
      pid: p.pid,
      status: 'waiting',
      registeredName: undefined,
      links: [q.pid],
      monitors: [{ pid: r.pid }, { name: 'q' }],
      monitoredBy: [],
      trapExit: true,
      messageQueueLen: 2,
      droppedMessages: 0,
    });
    expect(rt.processInfo(q.pid)).toMatchObject({ registeredName: 'q', links: [p.pid], monitoredBy: [p.pid] });
    expect(rt.processInfo(r.pid)).toMatchObject({ monitoredBy: [p.pid] });
  });

  it('is a snapshot that later changes do not alter', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    const before = rt.processInfo(p.pid)!;
    await p.act((ctx) => ctx.link(q.pid));
    rt.send(p.pid, 'x');
    expect(before.links).toEqual([]);
    expect(before.messageQueueLen).toBe(0);
  });

  it('is undefined for a process that has exited', async () => {
    const rt = runtime();
    const pid = rt.spawn(() => {});
    expect(rt.processInfo(pid)).toBeDefined();
    await rt.settle();
    expect(rt.processInfo(pid)).toBeUndefined();
  });
});

describe('trapExit', () => {
  it('returns the previous value of the flag', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    expect(await p.act((ctx) => [ctx.trapExit(true), ctx.trapExit(true), ctx.trapExit(false), ctx.trapExit(false)])).toEqual([false, true, true, false]);
    expect(rt.processInfo(p.pid)?.trapExit).toBe(false);
  });
});

describe('isAlive', () => {
  it('is true from spawn until the process exits', async () => {
    const rt = runtime();
    const pid = rt.spawn((ctx) => ctx.receive());
    expect(rt.isAlive(pid)).toBe(true);
    await rt.settle();
    expect(rt.isAlive(pid)).toBe(true);
    rt.send(pid, 'go');
    await rt.settle();
    expect(rt.isAlive(pid)).toBe(false);
  });
});

describe('processes', () => {
  it('lists the live processes, oldest first', async () => {
    const rt = runtime();
    const a = rt.spawn((ctx) => ctx.receive());
    const b = rt.spawn(() => {});
    const c = rt.spawn((ctx) => ctx.receive());
    expect(rt.processes()).toEqual([a, b, c]);
    await rt.settle();
    expect(rt.processes()).toEqual([a, c]);
    rt.exit(a, 'kill');
    expect(rt.processes()).toEqual([c]);
  });

  it('is empty for a new runtime', () => {
    expect(runtime().processes()).toEqual([]);
  });
});
