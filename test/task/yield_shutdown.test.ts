import { describe, expect, it } from 'vitest';
import { Task, TaskError, type DownMessage, type ExitMessage } from 'ts-otp';
import { exitOf, isExit, useTimedRuntime } from './helpers.js';

const { rt, timed } = useTimedRuntime();

describe('Task.yield', () => {
  it('gives undefined while the task runs, and it can be yielded again', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => (await t.receive()) as number);
      const first = await Task.yield(ctx, task, 5);
      ctx.send(task.pid, 3);
      return [first, await Task.yield(ctx, task)];
    }), 5);
    expect(got).toEqual([undefined, { type: 'ok', value: 3 }]);
  });

  it("gives the task's exit reason to an owner that traps exits", async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, (): never => {
        throw new RangeError('bad');
      });
      return Task.yield(ctx, task);
    });
    expect(got).toMatchObject({ type: 'exit', reason: { tag: 'error', cause: expect.any(RangeError) } });
  });

  it('gives normal for a task that exited normally before replying', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => t.exit('normal'));
      return Task.yield(ctx, task);
    });
    expect(got).toEqual({ type: 'exit', reason: 'normal' });
  });
});

describe('Task.yieldMany', () => {
  it('pairs each task with its outcome, in order, within one timeout', async () => {
    const got = await timed(rt().run(async (ctx) => {
      ctx.trapExit(true);
      const ok = Task.async(ctx, () => 'ok');
      const crashed = Task.async(ctx, (t) => t.exit('crash'));
      const running = Task.async(ctx, (t) => t.receive());
      const pairs = await Task.yieldMany(ctx, [ok, crashed, running], 20);
      await Task.shutdown(ctx, running, 'brutal_kill');
      return pairs.map(([task, outcome]) => [[ok, crashed, running].indexOf(task), outcome]);
    }), 20);
    expect(got).toEqual([
      [0, { type: 'ok', value: 'ok' }],
      [1, { type: 'exit', reason: exitOf('crash') }],
      [2, undefined],
    ]);
  });
});

describe('Task.ignore', () => {
  it('gives the result when it had come, unlinking and forgetting the task', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 5);
      await Task.yield(ctx, Task.async(ctx, () => 0)); // by now the first has replied
      const outcome = Task.ignore(ctx, task);
      const info = rt().processInfo(ctx.self)!;
      return { outcome, queued: info.messageQueueLen, links: info.links, monitors: info.monitors };
    });
    expect(got).toEqual({ outcome: { type: 'ok', value: 5 }, queued: 0, links: [], monitors: [] });
  });

  it('lets a crash of the ignored task pass the owner by', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        await t.receive();
        t.exit('late crash');
      });
      expect(Task.ignore(ctx, task)).toBeUndefined();
      const watch = ctx.monitor(task.pid);
      ctx.send(task.pid, 'go');
      const down = (await ctx.receiveRef(watch)) as DownMessage;
      return { reason: down.reason, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got).toEqual({ reason: exitOf('late crash'), queued: 0 });
  });
});

describe('Task.shutdown', () => {
  it('stops a running task with shutdown and gives undefined', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => t.receive());
      const watch = ctx.monitor(task.pid);
      const outcome = await Task.shutdown(ctx, task);
      return { outcome, reason: ((await ctx.receiveRef(watch)) as DownMessage).reason };
    });
    expect(got).toEqual({ outcome: undefined, reason: 'shutdown' });
  });

  it('kills a task that traps exits once the time is up, and gives exit killed', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        t.trapExit(true);
        t.send(ctx.self, 'trapping');
        await t.receive((m) => m === 'never');
      });
      await ctx.receive((m) => m === 'trapping');
      return Task.shutdown(ctx, task, 10);
    }), 10);
    expect(got).toEqual({ type: 'exit', reason: 'killed' });
  });

  it("gives a task that exits on its own shutdown's reason the reason it chose", async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        t.trapExit(true);
        t.send(ctx.self, 'trapping');
        const exit = (await t.receive(isExit)) as ExitMessage;
        t.exit({ cleaned: exit.reason });
      });
      await ctx.receive((m) => m === 'trapping');
      return Task.shutdown(ctx, task);
    });
    expect(got).toEqual({ type: 'exit', reason: exitOf({ cleaned: 'shutdown' }) });
  });

  it('kills at once with brutal_kill and gives undefined', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => t.receive());
      return { outcome: await Task.shutdown(ctx, task, 'brutal_kill'), alive: rt().isAlive(task.pid) };
    });
    expect(got).toEqual({ outcome: undefined, alive: false });
  });

  it('gives the result of a task that had already replied', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 'done');
      await Task.yield(ctx, Task.async(ctx, () => 0));
      return Task.shutdown(ctx, task);
    });
    expect(got).toEqual({ type: 'ok', value: 'done' });
  });

  it('gives the exit of a task that had already crashed, for an owner that traps exits', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, (t) => t.exit('early'));
      await ctx.receive(isExit);
      return Task.shutdown(ctx, task);
    });
    expect(got).toEqual({ type: 'exit', reason: exitOf('early') });
  });

  it('gives noproc for a task whose end the owner already took', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, (t) => t.exit('early'));
      await Task.yield(ctx, task);
      return Task.shutdown(ctx, task);
    });
    expect(got).toEqual({ type: 'exit', reason: 'noproc' });
  });

  it('leaves no message, link or monitor behind', async () => {
    const left = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => t.receive());
      await Task.shutdown(ctx, task, 'brutal_kill');
      const info = rt().processInfo(ctx.self)!;
      return [info.messageQueueLen, info.links, info.monitors];
    });
    expect(left).toEqual([0, [], []]);
  });
});

describe('Task.start and Task.startLink', () => {
  it('start runs the function unlinked: its crash reaches nobody', async () => {
    const got = await rt().run(async (ctx) => {
      const { pid } = Task.start(() => {
        throw new Error('alone');
      }, { runtime: rt() });
      const ref = ctx.monitor(pid);
      return { down: ((await ctx.receiveRef(ref)) as DownMessage).reason, links: rt().processInfo(ctx.self)!.links };
    });
    expect(got.links).toEqual([]);
    expect(got.down).toMatchObject({ tag: 'error' });
  });

  it('startLink links the task to the caller', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const { pid } = Task.startLink(ctx, (t) => t.exit('linked'));
      return { pid, exit: (await ctx.receive(isExit)) as ExitMessage };
    });
    expect(got.exit).toEqual({ type: 'EXIT', from: got.pid, reason: exitOf('linked') });
  });

  it('a TaskError that nobody catches in a task ends it without a crash report', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const { pid } = Task.start(async (t) => {
        await Task.await(t, Task.async(t, (u) => u.receive()), 1);
      }, { runtime: rt() });
      const ref = ctx.monitor(pid);
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    }), 1);
    expect(got).toMatchObject(exitOf({ reason: 'timeout' }));
    expect(TaskError).toBeDefined();
  });
});
