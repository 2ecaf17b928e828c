import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Task, TaskError, TIMEOUT, type DownMessage, type ExitMessage } from 'ts-otp';
import { exitOf, useTimedRuntime } from './helpers.js';

const { rt, timed } = useTimedRuntime();

describe('Task.async', () => {
  it('links the task to its owner and monitors it before it runs', async () => {
    const seen = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => ({ links: rt().processInfo(t.self)!.links, monitoredBy: rt().processInfo(t.self)!.monitoredBy }));
      return { task, result: await Task.await(ctx, task) };
    });
    expect(seen.result).toEqual({ links: [seen.task.owner], monitoredBy: [seen.task.owner] });
  });

  it('sends the result as { type: task_reply, ref, result } and then exits normally', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, async () => 'v');
      const reply = await ctx.receiveRef(task.ref);
      const down = (await ctx.receiveRef(task.ref)) as DownMessage;
      return { task, reply, down };
    });
    expect(got.reply).toEqual({ type: 'task_reply', ref: got.task.ref, result: 'v' });
    expect(got.down).toMatchObject({ type: 'DOWN', ref: got.task.ref, pid: got.task.pid, reason: 'normal' });
  });

  it('gives the task its own context', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, (t) => t.self);
      return { pid: task.pid, self: await Task.await(ctx, task) };
    });
    expect(got.self).toBe(got.pid);
  });
});

describe('Task.await', () => {
  it('returns the result and leaves no DOWN, monitor or message behind', async () => {
    const left = await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 7);
      const v = await Task.await(ctx, task);
      expect(rt().isAlive(task.pid)).toBe(false); // its DOWN had come, and was taken
      const info = rt().processInfo(ctx.self)!;
      return { v, queued: info.messageQueueLen, monitors: info.monitors };
    });
    expect(left).toEqual({ v: 7, queued: 0, monitors: [] });
  });

  it('removes the monitor when the task is still running after replying', async () => {
    const left = await rt().run(async (ctx) => {
      // Replies through the runtime's reply path, then lingers: the monitor is active at the await.
      const task = Task.async(ctx, () => new Promise<number>((resolve) => resolve(1)));
      const v = await Task.await(ctx, task);
      return { v, monitors: rt().processInfo(ctx.self)!.monitors.length };
    });
    expect(left).toEqual({ v: 1, monitors: 0 });
  });

  it('rejects with a TaskError on timeout, and a late reply is dropped', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => {
        await t.receive();
        return 'late';
      });
      const error = await Task.await(ctx, task, 5).catch((e: unknown) => e);
      const watch = ctx.monitor(task.pid);
      ctx.send(task.pid, 'go');
      await ctx.receiveRef(watch);
      return { error, task, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    }), 5);
    expect(got.error).toBeInstanceOf(TaskError);
    expect((got.error as TaskError).reason).toBe('timeout');
    expect((got.error as TaskError).exitReason).toEqual(exitOf({ reason: 'timeout', call: { function: 'Task.await', args: [got.task, 5] } }));
    expect(got.queued).toBe(0);
  });

  it("ends an owner that does not catch the timeout with Elixir's exit reason, and no crash report", async () => {
    const reason = await timed(rt().run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (owner) => {
        const task = Task.async(owner, (t) => t.receive());
        await Task.await(owner, task, 1);
      });
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    }), 1);
    expect(reason).toMatchObject(exitOf({ reason: 'timeout', call: { function: 'Task.await' } }));
  });

  it('takes the owner down with the task through the link when the task crashes', async () => {
    const down = await rt().run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (owner) => {
        const task = Task.async(owner, (t) => t.exit('boom'));
        await Task.await(owner, task);
      });
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(down.reason).toEqual(exitOf('boom'));
  });

  it('rejects with the task exit reason for an owner that traps exits', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const task = Task.async(ctx, (t) => t.exit('boom'));
      const error = (await Task.await(ctx, task).catch((e: unknown) => e)) as TaskError;
      const exit = (await ctx.receive(0)) as ExitMessage;
      return { error, exit, task };
    });
    expect(got.error.reason).toEqual(exitOf('boom'));
    expect(got.error.exitReason).toEqual(exitOf({ reason: exitOf('boom'), call: { function: 'Task.await', args: [got.task, 5000] } }));
    expect(got.exit).toEqual({ type: 'EXIT', from: got.task.pid, reason: exitOf('boom') });
  });

  it('is O(1) in unrelated queued messages: it never reads them', async () => {
    const reads = await rt().run(async (ctx) => {
      let count = 0;
      for (let i = 0; i < 1000; i++) {
        ctx.send(ctx.self, {
          get ref() {
            count++;
            return undefined;
          },
        });
      }
      const task = Task.async(ctx, () => 1);
      await Task.await(ctx, task);
      return count;
    });
    expect(reads).toBe(0);
  });

  it('waits for ever with infinity', async () => {
    const v = await rt().run(async (ctx) => {
      const task = Task.async(ctx, async (t) => (await t.receive()) as string);
      ctx.send(task.pid, 'x');
      return Task.await(ctx, task, 'infinity');
    });
    expect(v).toBe('x');
  });
});

describe('Task.awaitMany', () => {
  it('returns the results in the order of the tasks, whatever order they finish in', async () => {
    const got = await rt().run(async (ctx) => {
      const slow = Task.async(ctx, async (t) => (await t.receive()) as string);
      const fast = Task.async(ctx, () => 'fast');
      const all = Task.awaitMany(ctx, [slow, fast]);
      ctx.send(slow.pid, 'slow');
      return all;
    });
    expect(got).toEqual(['slow', 'fast']);
  });

  it('fails at once on the first task that exits, and stops monitoring the others', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const waiting = Task.async(ctx, (t) => t.receive());
      const failing = Task.async(ctx, (t) => t.exit('bad'));
      const error = (await Task.awaitMany(ctx, [waiting, failing]).catch((e: unknown) => e)) as TaskError;
      return { error, monitors: rt().processInfo(ctx.self)!.monitors.length };
    });
    expect(got.error.reason).toEqual(exitOf('bad'));
    expect(got.error.operation).toBe('Task.awaitMany');
    expect(got.monitors).toBe(0);
  });

  it('fails with timeout when the time is up', async () => {
    const reason = await timed(rt().run(async (ctx) => {
      const tasks = [Task.async(ctx, () => 1), Task.async(ctx, (t) => t.receive())];
      return ((await Task.awaitMany(ctx, tasks, 5).catch((e: unknown) => e)) as TaskError).reason;
    }), 5);
    expect(reason).toBe('timeout');
  });

  it('returns [] for no tasks', async () => {
    expect(await rt().run((ctx) => Task.awaitMany(ctx, []))).toEqual([]);
  });
});

describe('owning tasks', () => {
  it('refuses an await from a process that is not the owner', async () => {
    const other = rt().inbox();
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 1);
      expect(() => Task.await(other, task)).toThrow(/Task.await: argument 'ctx' must be the context of the task's owner/);
      expect(() => Task.yield(other, task)).toThrow(InvalidArgumentError);
      expect(() => Task.ignore(other, task)).toThrow(InvalidArgumentError);
      expect(() => Task.shutdown(other, task)).toThrow(InvalidArgumentError);
      return Task.await(ctx, task); // the refusals changed nothing
    });
    other.close();
    expect(got).toBe(1);
  });

  it('lets plain code own tasks through an inbox', async () => {
    const inbox = rt().inbox();
    const task = Task.async(inbox, async () => 'from plain code');
    expect(await Task.await(inbox, task)).toBe('from plain code');
    inbox.close();
  });

  it('answers nothing when polled with a timeout of 0 before the task ran', async () => {
    const got = await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 1);
      const early = await Task.yield(ctx, task, 0);
      return { early, later: await Task.await(ctx, task) };
    });
    expect(got).toEqual({ early: undefined, later: 1 });
    expect(TIMEOUT).toBeTypeOf('symbol');
  });
});
