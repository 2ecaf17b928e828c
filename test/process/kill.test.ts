import { describe, expect, it } from 'vitest';
import { ProcessExit, type Pid, type Ref } from 'ts-otp';
import { deferred, hasSettled, manualClock, startPuppet, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

describe('ctx.signal', () => {
  it('is aborted with a ProcessExit carrying the pid and reason when the process is killed', async () => {
    const rt = runtime();
    const signal = deferred<AbortSignal>();
    const pid = rt.spawn(async (ctx) => {
      signal.resolve(ctx.signal);
      await ctx.receive();
    });
    const s = await signal.promise;
    expect(s.aborted).toBe(false);
    rt.exit(pid, 'kill');
    await rt.settle();
    expect(s.aborted).toBe(true);
    expect(s.reason).toBeInstanceOf(ProcessExit);
    expect(s.reason).toMatchObject({ pid, reason: 'killed' });
  });

  it.each([
    ['returns', 'normal'],
    ['exits with shutdown', 'shutdown'],
  ] as const)('is aborted also when the process %s', async (_title, reason) => {
    const rt = runtime();
    const signal = deferred<AbortSignal>();
    const pid = rt.spawn(async (ctx) => {
      signal.resolve(ctx.signal);
      await ctx.receive();
      if (reason === 'shutdown') ctx.exit('shutdown');
    });
    const s = await signal.promise;
    rt.send(pid, 'go');
    await rt.settle();
    expect(s.aborted).toBe(true);
    expect(s.reason).toMatchObject({ pid, reason });
  });

  it('carries a crash’s Error as the cause of its ProcessExit', async () => {
    const rt = runtime();
    const error = new Error('boom');
    const signal = deferred<AbortSignal>();
    rt.spawn(async (ctx) => {
      signal.resolve(ctx.signal);
      await ctx.receive(0);
      throw error;
    });
    const s = await signal.promise;
    await rt.settle();
    expect(s.reason).toMatchObject({ reason: { tag: 'error', cause: error }, cause: error });
  });

  it('runs abort listeners after the call that killed the process has returned', async () => {
    const rt = runtime();
    const steps: string[] = [];
    const p = await startPuppet(rt);
    await p.act((ctx) => ctx.signal.addEventListener('abort', () => steps.push('aborted')));
    rt.exit(p.pid, 'kill');
    steps.push('exit returned');
    await rt.settle();
    expect(steps).toEqual(['exit returned', 'aborted']);
  });

  it('is already aborted when first read after the process has exited', async () => {
    const rt = runtime();
    const ctxOut = deferred<{ readonly signal: AbortSignal }>();
    const pid = rt.spawn(async (ctx) => {
      ctxOut.resolve(ctx);
      await ctx.receive();
    });
    const ctx = await ctxOut.promise;
    rt.exit(pid, 'kill');
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toMatchObject({ pid, reason: 'killed' });
  });
});

describe('a killed process', () => {
  it('never has its pending receive settle', async () => {
    const rt = runtime();
    const pending = deferred<{ receive: Promise<unknown> }>();
    const pid = rt.spawn((ctx) => {
      const receive = ctx.receive();
      pending.resolve({ receive });
      return receive;
    });
    const { receive } = await pending.promise;
    await rt.settle();
    rt.exit(pid, 'kill');
    await rt.settle();
    expect(await hasSettled(receive)).toBe(false);
  });

  it('never has its pending receive with a timeout settle, and its timer is gone', async () => {
    const rt = runtime();
    const pending = deferred<{ receive: Promise<unknown> }>();
    const pid = rt.spawn((ctx) => {
      const receive = ctx.receive(100);
      pending.resolve({ receive });
      return receive;
    });
    const { receive } = await pending.promise;
    rt.exit(pid, 'kill');
    clock.advance(1000);
    await rt.settle();
    expect(await hasSettled(receive)).toBe(false);
  });

  it('dies at once while it awaits something outside the kernel, and settle does not wait for it', async () => {
    const rt = runtime();
    const started = deferred();
    const outside = deferred();
    const pid = rt.spawn(async () => {
      started.resolve();
      await outside.promise;
    });
    await started.promise;
    rt.exit(pid, 'kill');
    expect(rt.isAlive(pid)).toBe(false);
    await rt.settle();
    outside.resolve();
  });

  describe('whose leftover code runs on', () => {
    it('sends, spawns, links, monitors, registers, starts timers and signals to no effect', async () => {
      const rt = runtime();
      const observer = await startPuppet(rt, { trapExit: true });
      const started = deferred();
      const gate = deferred();
      let childRan = false;
      const leftover = deferred<{
        child: Pid;
        linkedChild: Pid;
        monitored: { pid: Pid; ref: Ref };
        timers: Ref[];
        cancelled: number | false;
        trapBefore: boolean;
        exitErrors: unknown[];
        receive: Promise<unknown>;
      }>();
      const victim = rt.spawn(async (ctx) => {
        started.resolve();
        await gate.promise;
        // Everything below runs after the process was killed.
        ctx.send(observer.pid, 'leftover message');
        const child = ctx.spawn(() => {
          childRan = true;
        });
        const linkedChild = ctx.spawnLink(() => {
          childRan = true;
        });
        const monitored = ctx.spawnMonitor(() => {
          childRan = true;
        });
        ctx.link(observer.pid);
        ctx.monitor(observer.pid);
        ctx.register('ghost');
        const timers = [ctx.sendAfter(0, observer.pid, 'leftover timer'), ctx.startTimer(10, observer.pid, 'leftover timer')];
        const cancelled = ctx.cancelTimer(timers[1]!);
        const trapBefore = ctx.trapExit(true);
        // exit, to self or to another, throws ProcessExit so that leftover code unwinds.
        const exitErrors: unknown[] = [];
        for (const f of [() => ctx.exit(observer.pid, 'kill'), () => ctx.exit('again')]) {
          try {
            f();
          } catch (e) {
            exitErrors.push(e);
          }
        }
        leftover.resolve({ child, linkedChild, monitored, timers, cancelled, trapBefore, exitErrors, receive: ctx.receive() });
      });
      await started.promise;
      rt.exit(victim, 'kill');
      gate.resolve();
      const got = await leftover.promise;
      clock.advance(1000);
      await rt.settle();

      expect(childRan).toBe(false);
      for (const pid of [got.child, got.linkedChild, got.monitored.pid]) expect(rt.isAlive(pid)).toBe(false);
      expect(rt.processes()).toEqual([observer.pid]);
      expect(rt.isAlive(observer.pid)).toBe(true);
      expect(rt.processInfo(observer.pid)).toMatchObject({ links: [], monitoredBy: [] });
      expect(rt.whereis('ghost')).toBeUndefined();
      expect(clock.pending()).toBe(0);
      expect(got.cancelled).toBe(false);
      expect(await observer.mailbox()).toEqual([]);
      expect(got.trapBefore).toBe(false);
      expect(got.exitErrors).toHaveLength(2);
      for (const e of got.exitErrors) {
        expect(e).toBeInstanceOf(ProcessExit);
        expect(e).toMatchObject({ pid: victim, reason: 'killed' });
      }
      expect(await hasSettled(got.receive)).toBe(false);
    });

    it('neither unregisters a live process’s name nor registers another, and does not throw', async () => {
      const rt = runtime();
      const holder = await startPuppet(rt);
      rt.register('taken', holder.pid);
      const started = deferred();
      const gate = deferred();
      const result = deferred<unknown[]>();
      const victim = rt.spawn(async (ctx) => {
        started.resolve();
        await gate.promise;
        const errors: unknown[] = [];
        for (const f of [() => ctx.unregister('taken'), () => ctx.register('other', holder.pid)]) {
          try {
            f();
            errors.push(undefined);
          } catch (e) {
            errors.push(e);
          }
        }
        result.resolve(errors);
      });
      await started.promise;
      rt.exit(victim, 'kill');
      gate.resolve();
      expect(await result.promise).toEqual([undefined, undefined]); // no effect, and no error either
      expect(rt.whereis('taken')).toBe(holder.pid);
      expect(rt.registered()).toEqual(['taken']);
    });
  });
});
