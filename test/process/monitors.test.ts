import { describe, expect, it } from 'vitest';
import type { DownMessage, Ref } from 'ts-otp';
import { startPuppet, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('monitor', () => {
  it.each([
    ['returns', 'normal'],
    ['exits with shutdown', 'shutdown'],
    ['is killed', 'killed'],
    ['exits with boom', { tag: 'exit', value: 'boom' }],
  ] as const)('delivers DOWN with the pid and the reason when the target %s', async (_title, reason) => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor(target.pid));
    if (reason === 'normal') await target.act((ctx) => ctx.exit('normal')).catch(() => {});
    else rt.exit(target.pid, reason === 'killed' ? 'kill' : reason === 'shutdown' ? 'shutdown' : 'boom');
    expect(await watcher.mailbox()).toEqual([{ type: 'DOWN', ref, pid: target.pid, name: undefined, reason } satisfies DownMessage]);
  });

  it('of a dead pid delivers DOWN with noproc at once and never throws (A11)', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const watcher = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor(dead));
    expect(await watcher.mailbox()).toEqual([{ type: 'DOWN', ref, pid: dead, name: undefined, reason: 'noproc' }]);
  });

  it('by name reports the name, not the pid, with the real reason (A16)', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    rt.register('db', target.pid);
    const ref = await watcher.act((ctx) => ctx.monitor('db'));
    expect(rt.processInfo(watcher.pid)?.monitors).toEqual([{ name: 'db' }]);
    expect(rt.processInfo(target.pid)?.monitoredBy).toEqual([watcher.pid]);
    rt.exit(target.pid, 'shutdown');
    expect(await watcher.mailbox()).toEqual([{ type: 'DOWN', ref, pid: undefined, name: 'db', reason: 'shutdown' }]);
  });

  it('by a name nobody holds delivers DOWN with noproc and the name at once', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor('nobody'));
    expect(await watcher.mailbox()).toEqual([{ type: 'DOWN', ref, pid: undefined, name: 'nobody', reason: 'noproc' }]);
  });

  it('by name watches the process that held the name when the monitor was made', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const first = await startPuppet(rt);
    const second = await startPuppet(rt);
    rt.register('db', first.pid);
    const ref = await watcher.act((ctx) => ctx.monitor('db'));
    rt.unregister('db');
    rt.register('db', second.pid);
    rt.exit(second.pid, 'boom');
    expect(await watcher.mailbox()).toEqual([]);
    rt.exit(first.pid, 'boom');
    expect(await watcher.mailbox()).toEqual([{ type: 'DOWN', ref, pid: undefined, name: 'db', reason: { tag: 'exit', value: 'boom' } }]);
  });

  it('gives each monitor of the same process its own DOWN, in creation order (A15)', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    const refs = await watcher.act((ctx) => [ctx.monitor(target.pid), ctx.monitor(target.pid)]);
    expect(refs[0]).not.toBe(refs[1]);
    expect(rt.processInfo(target.pid)?.monitoredBy).toEqual([watcher.pid, watcher.pid]);
    rt.exit(target.pid, 'boom');
    expect(((await watcher.mailbox()) as DownMessage[]).map((m) => m.ref)).toEqual(refs);
  });

  it('is one-way: the watcher survives the target’s crash, and the target the watcher’s', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    await watcher.act((ctx) => ctx.monitor(target.pid));
    rt.exit(target.pid, 'boom');
    expect(rt.isAlive(watcher.pid)).toBe(true);

    const other = await startPuppet(rt);
    await watcher.act((ctx) => ctx.monitor(other.pid));
    expect(rt.processInfo(other.pid)?.monitoredBy).toEqual([watcher.pid]);
    rt.exit(watcher.pid, 'boom');
    expect(rt.isAlive(other.pid)).toBe(true);
    expect(rt.processInfo(other.pid)?.monitoredBy).toEqual([]);
  });

  it('is gone from both sides once its DOWN is delivered', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor(target.pid));
    rt.exit(target.pid, 'boom');
    expect(rt.processInfo(watcher.pid)?.monitors).toEqual([]);
    expect(await watcher.act((ctx) => ctx.demonitor(ref, { info: true }))).toBe(false);
  });

  it('of itself creates no monitor, as in Erlang', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    rt.register('me', p.pid);
    const refs = await p.act((ctx) => [ctx.monitor(ctx.self), ctx.monitor('me')]);
    expect(rt.processInfo(p.pid)).toMatchObject({ monitors: [], monitoredBy: [] });
    expect(await p.act((ctx) => refs.map((ref) => ctx.demonitor(ref, { info: true })))).toEqual([false, false]);
  });
});

describe('demonitor', () => {
  it('before the target exits means no DOWN is ever delivered (A12)', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor(target.pid));
    expect(await watcher.act((ctx) => ctx.demonitor(ref))).toBe(true);
    expect(rt.processInfo(watcher.pid)?.monitors).toEqual([]);
    expect(rt.processInfo(target.pid)?.monitoredBy).toEqual([]);
    rt.exit(target.pid, 'boom');
    expect(await watcher.mailbox()).toEqual([]);
  });

  it('without flush leaves a DOWN already delivered; with flush removes it (A13)', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    const [refA, refB] = await watcher.act((ctx) => [ctx.monitor(a.pid), ctx.monitor(b.pid)] as const);
    rt.exit(a.pid, 'boom');
    rt.exit(b.pid, 'boom');
    await watcher.act((ctx) => {
      ctx.send(ctx.self, 'unrelated');
      ctx.demonitor(refA);
      ctx.demonitor(refB, { flush: true });
    });
    expect(await watcher.mailbox()).toEqual([
      { type: 'DOWN', ref: refA, pid: a.pid, name: undefined, reason: { tag: 'exit', value: 'boom' } },
      'unrelated',
    ]);
  });

  it.each([
    ['active', true],
    ['fired', false],
    ['removed', false],
    ['never a monitor', false],
  ] as const)('with info returns whether the monitor was active: %s → %s', async (state, expected) => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const target = await startPuppet(rt);
    const result = await watcher.act((ctx) => {
      const ref: Ref = state === 'never a monitor' ? ctx.startTimer(1000, ctx.self, 'x') : ctx.monitor(target.pid);
      if (state === 'fired') ctx.exit(target.pid, 'boom');
      if (state === 'removed') ctx.demonitor(ref);
      return ctx.demonitor(ref, { info: true });
    });
    expect(result).toBe(expected);
  });

  it('without info returns true, whatever the state of the monitor', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const results = await watcher.act((ctx) => {
      const fired = ctx.monitor('nobody');
      return [ctx.demonitor(fired), ctx.demonitor(fired), ctx.demonitor(ctx.startTimer(1000, ctx.self, 'x'))];
    });
    expect(results).toEqual([true, true, true]);
  });

  it('of a monitor another process holds does nothing', async () => {
    const rt = runtime();
    const watcher = await startPuppet(rt);
    const intruder = await startPuppet(rt);
    const target = await startPuppet(rt);
    const ref = await watcher.act((ctx) => ctx.monitor(target.pid));
    expect(await intruder.act((ctx) => ctx.demonitor(ref, { info: true }))).toBe(false);
    expect(rt.processInfo(watcher.pid)?.monitors).toEqual([{ pid: target.pid }]);
    rt.exit(target.pid, 'boom');
    expect(await watcher.mailbox()).toHaveLength(1);
  });
});
