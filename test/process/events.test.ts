import { describe, expect, it } from 'vitest';
import type { ExitReason, Pid } from 'ts-otp';
import { deferred, startPuppet, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe("the 'spawn' event", () => {
  it('names the new pid, with no parent for a spawn from plain code', async () => {
    const rt = runtime();
    const seen: Array<[Pid, Pid | undefined]> = [];
    rt.events.on('spawn', (pid, parent) => seen.push([pid, parent]));
    const pid = rt.spawn(() => {});
    await rt.settle();
    expect(seen).toEqual([[pid, undefined]]);
  });

  it('names the parent for spawn, spawnLink and spawnMonitor from a process', async () => {
    const rt = runtime();
    const seen: Array<[Pid, Pid | undefined]> = [];
    const parent = await startPuppet(rt);
    rt.events.on('spawn', (pid, from) => seen.push([pid, from]));
    const kids = await parent.act((ctx) => [ctx.spawn(() => {}), ctx.spawnLink(() => {}), ctx.spawnMonitor(() => {}).pid]);
    await rt.settle();
    expect(seen).toEqual(kids.map((kid) => [kid, parent.pid]));
  });

  it('is emitted after the spawning call has returned', async () => {
    const rt = runtime();
    const steps: string[] = [];
    rt.events.on('spawn', () => steps.push('event'));
    rt.spawn(() => {});
    steps.push('spawn returned');
    await rt.settle();
    expect(steps).toEqual(['spawn returned', 'event']);
  });

  it('is not emitted for a spawn by leftover code of an exited process', async () => {
    const rt = runtime();
    const started = deferred();
    const gate = deferred();
    const done = deferred<Pid>();
    const victim = rt.spawn(async (ctx) => {
      started.resolve();
      await gate.promise;
      done.resolve(ctx.spawn(() => {}));
    });
    await started.promise;
    rt.exit(victim, 'kill');
    const seen: Pid[] = [];
    rt.events.on('spawn', (pid) => seen.push(pid));
    gate.resolve();
    await done.promise;
    await rt.settle();
    expect(seen).toEqual([]);
  });
});

describe("the 'exit' event", () => {
  it('names the pid and its reason, for every way of ending', async () => {
    const rt = runtime();
    const seen = new Map<Pid, ExitReason>();
    rt.events.on('exit', (pid, reason) => seen.set(pid, reason));
    const error = new Error('boom');
    const returned = rt.spawn(() => {});
    const crashed = rt.spawn(() => {
      throw error;
    });
    const exited = rt.spawn((ctx) => ctx.exit('shutdown'));
    await rt.settle();
    const killed = await startPuppet(rt);
    rt.exit(killed.pid, 'kill');
    await rt.settle();
    expect(seen).toEqual(
      new Map<Pid, ExitReason>([
        [returned, 'normal'],
        [crashed, { tag: 'error', cause: error }],
        [exited, 'shutdown'],
        [killed.pid, 'killed'],
      ]),
    );
  });

  it('comes after the spawn event of the same process', async () => {
    const rt = runtime();
    const order: string[] = [];
    rt.events.on('spawn', (pid) => order.push(`spawn ${pid}`));
    rt.events.on('exit', (pid) => order.push(`exit ${pid}`));
    const pid = rt.spawn(() => {});
    await rt.settle();
    expect(order).toEqual([`spawn ${pid}`, `exit ${pid}`]);
  });

  it('is emitted after the kernel has handled the exit: the cascade is complete and the pid is dead', async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    await b.act((ctx) => ctx.link(a.pid));
    const seen: Array<{ pid: Pid; aAlive: boolean; bAlive: boolean }> = [];
    rt.events.on('exit', (pid) => seen.push({ pid, aAlive: rt.isAlive(a.pid), bAlive: rt.isAlive(b.pid) }));
    rt.exit(a.pid, 'boom');
    expect(seen).toEqual([]); // not inside the call
    await rt.settle();
    expect(seen).toEqual([
      { pid: a.pid, aAlive: false, bAlive: false },
      { pid: b.pid, aAlive: false, bAlive: false },
    ]);
  });

  it('stops once the listener is removed', async () => {
    const rt = runtime();
    const seen: Pid[] = [];
    const listener = (pid: Pid): void => {
      seen.push(pid);
    };
    rt.events.on('exit', listener);
    const first = rt.spawn(() => {});
    await rt.settle();
    rt.events.off('exit', listener);
    rt.spawn(() => {});
    await rt.settle();
    expect(seen).toEqual([first]);
  });
});
