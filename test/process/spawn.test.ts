import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ProcessExit, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { exitReasonOf, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('spawn', () => {
  it('runs the function in a new process that ends normally when it returns', async () => {
    const rt = runtime();
    const down = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor(() => 'done');
      const msg = (await ctx.receive()) as DownMessage;
      return { pid, ref, msg };
    });
    expect(down.msg).toEqual({ type: 'DOWN', ref: down.ref, pid: down.pid, name: undefined, reason: 'normal' });
    expect(rt.isAlive(down.pid)).toBe(false);
  });

  it('refuses a non-function at the call and leaves the runtime intact', async () => {
    const rt = runtime();
    expect(() => rt.spawn(42 as never)).toThrow(InvalidArgumentError);
    expect(() => rt.spawn(42 as never)).toThrow("spawn: argument 'fn' must be a function, got 42");
    expect(rt.processes()).toEqual([]);
    expect(await rt.run(() => 'still works')).toBe('still works');
  });

  it('starts the process after the caller’s current step, not inside the call', async () => {
    const rt = runtime();
    const steps: string[] = [];
    const pid = rt.spawn(() => {
      steps.push('child');
    });
    steps.push('after spawn');
    expect(rt.isAlive(pid)).toBe(true);
    await rt.settle();
    expect(steps).toEqual(['after spawn', 'child']);
  });

  it('answers to a process’s exact pid before it starts, and to no look-alike', async () => {
    const rt = runtime();
    const got: unknown[] = [];
    const pids = Array.from({ length: 300 }, () => rt.spawn(async (ctx) => void got.push(await ctx.receive())));
    const last = pids[299]!;
    const serial = /^<\d+\.(\d+)\.0>$/.exec(last)![1]!;
    const leadingZero = last.replace(`.${serial}.`, `.0${serial}.`);
    // Look-alikes first: looking the real pid up makes its record, which is then what answers.
    expect(rt.isAlive(leadingZero as Pid)).toBe(false);
    rt.send(leadingZero as Pid, 'lost');
    expect(rt.isAlive(last)).toBe(true);
    expect(rt.processes()).toEqual(pids);
    rt.send(last, 'found');
    expect(rt.processInfo(last)).toMatchObject({ pid: last, messageQueueLen: 1 });
    await rt.settle();
    expect(got).toEqual(['found']);
    expect(rt.processes()).toEqual(pids.slice(0, 299));
  });

  it('starts a child spawned by a process after the parent’s current step', async () => {
    const rt = runtime();
    const steps = await rt.run((ctx) => {
      const seen: string[] = [];
      ctx.spawn(() => {
        seen.push('child');
      });
      seen.push('parent, same step');
      return seen;
    });
    expect(steps).toEqual(['parent, same step', 'child']);
  });

  it('keeps the process alive until its function returns (A01)', async () => {
    const rt = runtime();
    const pid = rt.spawn(async (ctx) => {
      await ctx.receive();
    });
    await rt.settle();
    expect(rt.isAlive(pid)).toBe(true);
    rt.send(pid, 'go');
    expect(await exitReasonOf(rt, pid)).toBe('normal');
    expect(rt.isAlive(pid)).toBe(false);
  });

  it('gives every process a new pid', async () => {
    const rt = runtime();
    const pids = Array.from({ length: 5 }, () => rt.spawn(() => {}));
    expect(new Set(pids).size).toBe(5);
    await rt.settle();
  });

  const bodies: Array<[string, () => unknown]> = [
    ['a synchronous body', () => 'value'],
    [
      'an async body',
      async () => {
        await Promise.resolve();
        return 'value';
      },
    ],
    ['a body returning undefined', () => undefined],
  ];
  describe.each(bodies)('%s that returns', (_title, body) => {
    it("ends with reason 'normal'", async () => {
      const rt = runtime();
      const pid = rt.spawn(body);
      expect(await exitReasonOf(rt, pid)).toBe('normal');
    });
  });

  describe('a body that fails', () => {
    it("ends with { tag: 'error', cause } keeping the Error a synchronous body threw", async () => {
      const rt = runtime();
      const error = new TypeError('bad input');
      const pid = rt.spawn(() => {
        throw error;
      });
      const reason = await exitReasonOf(rt, pid);
      expect(reason).toEqual({ tag: 'error', cause: error });
      expect((reason as { cause: unknown }).cause).toBe(error);
      expect((reason as { cause: Error }).cause.stack).toContain('bad input');
    });

    it("ends with { tag: 'error', cause } keeping the Error an async body rejected with", async () => {
      const rt = runtime();
      const error = new RangeError('too far');
      const pid = rt.spawn(async () => {
        await Promise.resolve();
        throw error;
      });
      const reason = await exitReasonOf(rt, pid);
      expect(reason).toEqual({ tag: 'error', cause: error });
      expect((reason as { cause: unknown }).cause).toBe(error);
    });

    it('keeps a thrown value that is not an Error as it is', async () => {
      const rt = runtime();
      const thrown = { code: 42 };
      const pid = rt.spawn(() => Promise.reject(thrown));
      const reason = await exitReasonOf(rt, pid);
      expect(reason).toEqual({ tag: 'error', cause: thrown });
      expect((reason as { cause: unknown }).cause).toBe(thrown);
    });

    it('does not affect the process that spawned it without a link', async () => {
      const rt = runtime();
      const outcome = await rt.run(async (ctx) => {
        const { ref } = ctx.spawnMonitor(() => {
          throw new Error('boom');
        });
        ctx.spawn(() => {
          throw new Error('boom');
        });
        await ctx.receive((m) => (m as DownMessage).ref === ref);
        return 'parent survived';
      });
      expect(outcome).toBe('parent survived');
    });
  });

  describe('ctx.exit(reason)', () => {
    it('ends the process with that reason and runs none of the code after it', async () => {
      const rt = runtime();
      let after = false;
      const pid = rt.spawn((ctx) => {
        ctx.exit('shutdown');
        after = true;
      });
      expect(await exitReasonOf(rt, pid)).toBe('shutdown');
      expect(after).toBe(false);
    });

    it('throws a ProcessExit whose catching does not bring the process back', async () => {
      const rt = runtime();
      const caught: unknown[] = [];
      const pid = rt.spawn(async (ctx) => {
        try {
          ctx.exit({ tag: 'shutdown', detail: 'drained' });
        } catch (e) {
          caught.push(e);
        }
        return 'returned after all';
      });
      expect(await exitReasonOf(rt, pid)).toEqual({ tag: 'shutdown', detail: 'drained' });
      expect(caught).toHaveLength(1);
      expect(caught[0]).toBeInstanceOf(ProcessExit);
      expect(caught[0]).toMatchObject({ pid, reason: { tag: 'shutdown', detail: 'drained' } });
      expect(rt.isAlive(pid)).toBe(false);
    });

    it("wraps any other value as { tag: 'exit', value }", async () => {
      const rt = runtime();
      const value = { why: 'boom' };
      const pid = rt.spawn((ctx) => ctx.exit(value));
      const reason = await exitReasonOf(rt, pid);
      expect(reason).toEqual({ tag: 'exit', value });
      expect((reason as { value: unknown }).value).toBe(value);
    });
  });
});

describe('spawnLink', () => {
  it('links parent and child, both ways', async () => {
    const rt = runtime();
    const both = await rt.run((ctx) => {
      const kid = ctx.spawnLink((c) => c.receive());
      return { self: rt.processInfo(ctx.self)?.links, kid: rt.processInfo(kid)?.links, pid: ctx.self, kidPid: kid };
    });
    expect(both.self).toEqual([both.kidPid]);
    expect(both.kid).toEqual([both.pid]);
  });

  it('is atomic: a child that fails at once still delivers its EXIT to a trapping parent (A02)', async () => {
    const rt = runtime();
    const error = new Error('at once');
    const { msg, child } = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const kid = ctx.spawnLink(() => {
        throw error;
      });
      return { msg: (await ctx.receive()) as ExitMessage, child: kid };
    });
    expect(msg).toEqual({ type: 'EXIT', from: child, reason: { tag: 'error', cause: error } });
  });

  it('is atomic: a child that fails at once ends a non-trapping parent with its reason (A03)', async () => {
    const rt = runtime();
    const parent = rt.spawn(async (ctx) => {
      ctx.spawnLink((c) => c.exit('boom'));
      await ctx.receive();
    });
    expect(await exitReasonOf(rt, parent)).toEqual({ tag: 'exit', value: 'boom' });
  });
});

describe('spawnMonitor', () => {
  it('is atomic: the DOWN carries the child’s real reason, not noproc (A04)', async () => {
    const rt = runtime();
    const error = new Error('at once');
    const got = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor(() => {
        throw error;
      });
      return { pid, ref, msg: (await ctx.receive()) as DownMessage };
    });
    expect(got.msg).toEqual({ type: 'DOWN', ref: got.ref, pid: got.pid, name: undefined, reason: { tag: 'error', cause: error } });
  });

  it('monitors without linking: the parent is not told by a link and survives', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const { pid } = ctx.spawnMonitor((c) => c.receive());
      const info = rt.processInfo(ctx.self)!;
      const childInfo = rt.processInfo(pid)!;
      ctx.exit(pid, 'boom');
      await ctx.receive();
      return { info, childInfo, pid, self: ctx.self };
    });
    expect(got.info.links).toEqual([]);
    expect(got.info.monitors).toEqual([{ pid: got.pid }]);
    expect(got.childInfo.monitoredBy).toEqual([got.self]);
  });

  it('returns a ref used by no other monitor or timer', async () => {
    const rt = runtime();
    const refs = await rt.run((ctx) => {
      const a = ctx.spawnMonitor(() => {}).ref;
      const b = ctx.spawnMonitor(() => {}).ref;
      const c = ctx.monitor('nobody');
      const d = ctx.sendAfter(10, ctx.self, 'x');
      return [a, b, c, d];
    });
    expect(new Set(refs).size).toBe(4);
  });
});
