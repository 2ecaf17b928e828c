import { describe, expect, it } from 'vitest';
import { Task, TaskError, type Context, type DownMessage } from 'ts-otp';
import { collect, exitOf, useTimedRuntime } from './helpers.js';

const { rt, timed } = useTimedRuntime();

/**
 * A gate: a process that lets the tasks of a stream go in the order `order` once `order.length`
 * of them wait (the stream's owner cannot do it: its receives belong to the stream while it waits).
 */
function gate(ctx: Context, order: readonly number[]): (n: number, t: Context) => Promise<number> {
  const pid = ctx.spawn(async (g) => {
    const waiting = new Map<number, string>();
    while (waiting.size < order.length) {
      const { n, from } = (await g.receive()) as { n: number; from: string };
      waiting.set(n, from);
    }
    for (const n of order) {
      g.send(waiting.get(n) as never, 'go');
      await g.receive((m) => m === n); // the task took it and answered
    }
  });
  return async (n, t) => {
    t.send(pid, { n, from: t.self });
    await t.receive((m) => m === 'go');
    t.send(pid, n);
    return n;
  };
}

describe('Task.asyncStream', () => {
  it('gives the results in input order by default', async () => {
    const got = await rt().run(async (ctx) => collect(Task.asyncStream(ctx, [1, 2, 3], gate(ctx, [3, 2, 1]), { maxConcurrency: 3 })));
    expect(got).toEqual([{ type: 'ok', value: 1 }, { type: 'ok', value: 2 }, { type: 'ok', value: 3 }]);
  });

  it('gives the results as they come with ordered: false', async () => {
    const got = await rt().run(async (ctx) => collect(Task.asyncStream(ctx, [1, 2, 3], gate(ctx, [3, 1, 2]), { maxConcurrency: 3, ordered: false })));
    expect(got).toEqual([{ type: 'ok', value: 3 }, { type: 'ok', value: 1 }, { type: 'ok', value: 2 }]);
  });

  it('never runs more than maxConcurrency tasks, and reads the input only as tasks can start', async () => {
    const got = await rt().run(async (ctx) => {
      let read = 0;
      let running = 0;
      let most = 0;
      function* input() {
        for (let i = 0; i < 20; i++) {
          read++;
          yield i;
        }
      }
      const readAtFirst: number[] = [];
      for await (const item of Task.asyncStream(ctx, input(), async (n, t) => {
        running++;
        most = Math.max(most, running);
        await t.receive(0); // a step, so others may start meanwhile
        running--;
        return n;
      }, { maxConcurrency: 3 })) {
        if (readAtFirst.length === 0) readAtFirst.push(read);
        void item;
      }
      return { most, readAtFirst: readAtFirst[0], read };
    });
    expect(got.most).toBeLessThanOrEqual(3);
    expect(got.readAtFirst).toBeLessThanOrEqual(4);
    expect(got.read).toBe(20);
  });

  it('works over an endless async input, stopping it when the loop ends early', async () => {
    const got = await rt().run(async (ctx) => {
      let returned = false;
      const input: AsyncIterable<number> = {
        [Symbol.asyncIterator]: () => {
          let i = 0;
          return {
            next: async () => ({ done: false, value: i++ }),
            return: async () => {
              returned = true;
              return { done: true, value: undefined };
            },
          };
        },
      };
      const out: number[] = [];
      for await (const item of Task.asyncStream(ctx, input, (n) => n * 2, { maxConcurrency: 4 })) {
        if (item.type === 'ok') out.push(item.value);
        if (out.length === 5) break;
      }
      await ctx.receive(0);
      const info = rt().processInfo(ctx.self)!;
      return { out, returned, links: info.links.length, monitors: info.monitors.length, queued: info.messageQueueLen };
    });
    expect(got).toEqual({ out: [0, 2, 4, 6, 8], returned: true, links: 0, monitors: 0, queued: 0 });
  });

  it('kills the tasks still running when the loop ends early, without hitting the owner', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.register('test');
      const pids: string[] = [];
      const it = Task.asyncStream(ctx, [1, 2, 3], async (n, t) => {
        if (n === 1) return n;
        ctx.send('test', t.self);
        return t.receive();
      }, { maxConcurrency: 3 })[Symbol.asyncIterator]();
      const first = await it.next();
      pids.push((await ctx.receive()) as string, (await ctx.receive()) as string);
      await it.return!(undefined);
      return { first: first.value, alive: pids.map((p) => rt().isAlive(p as never)), queued: rt().processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got).toEqual({ first: { type: 'ok', value: 1 }, alive: [false, false], queued: 0 });
  });

  it("gives { type: 'exit' } for a task that crashes, to an owner that traps exits, and no EXIT message", async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const items = await collect(Task.asyncStream(ctx, [1, 2, 3], (n, t) => (n === 2 ? t.exit('two') : n)));
      return { items, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got.items).toEqual([{ type: 'ok', value: 1 }, { type: 'exit', reason: exitOf('two') }, { type: 'ok', value: 3 }]);
    expect(got.queued).toBe(0);
  });

  it('takes an owner that does not trap exits down with a crashing task', async () => {
    const reason = await rt().run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (owner) => {
        await collect(Task.asyncStream(owner, [1], (_n, t) => t.exit('crash')));
      });
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(reason).toEqual(exitOf('crash'));
  });

  it('puts the input on exit items with zipInputOnExit', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      return collect(Task.asyncStream(ctx, ['a', 'b'], (s, t) => (s === 'b' ? t.exit('no b') : s), { zipInputOnExit: true }));
    });
    expect(got).toEqual([{ type: 'ok', value: 'a' }, { type: 'exit', reason: exitOf('no b'), input: 'b' }]);
  });

  it("ends the iteration with a TaskError when a task runs out of time with onTimeout: 'exit'", async () => {
    const got = await timed(rt().run(async (ctx) => {
      const error = await collect(Task.asyncStream(ctx, [1, 2], (n, t) => (n === 2 ? t.receive() : n), { timeout: 10 })).catch((e: unknown) => e);
      return { error, links: rt().processInfo(ctx.self)!.links, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    }), 10);
    expect(got.error).toBeInstanceOf(TaskError);
    expect((got.error as TaskError).exitReason).toEqual(exitOf({ reason: 'timeout', call: { function: 'Task.asyncStream', args: [10] } }));
    expect(got.links).toEqual([]);
    expect(got.queued).toBe(0);
  });

  it("kills a task that runs out of time with onTimeout: 'kill_task', and goes on", async () => {
    const got = await timed(
      rt().run(async (ctx) => collect(Task.asyncStream(ctx, [1, 2, 3], (n, t) => (n === 2 ? t.receive() : n), { timeout: 10, onTimeout: 'kill_task', zipInputOnExit: true }))),
      10,
    );
    expect(got).toEqual([{ type: 'ok', value: 1 }, { type: 'exit', reason: exitOf('timeout'), input: 2 }, { type: 'ok', value: 3 }]);
  });

  it('runs again from the start each time it is iterated over an iterable', async () => {
    const got = await rt().run(async (ctx) => {
      const stream = Task.asyncStream(ctx, [1, 2], (n) => n);
      return [await collect(stream), await collect(stream)];
    });
    expect(got[0]).toEqual(got[1]);
  });

  it('passes an error from the input on, after killing the running tasks', async () => {
    const got = await rt().run(async (ctx) => {
      function* input() {
        yield 1;
        throw new Error('input broke');
      }
      const error = await collect(Task.asyncStream(ctx, input(), (_n, t) => t.receive())).catch((e: Error) => e.message);
      return { error, links: rt().processInfo(ctx.self)!.links };
    });
    expect(got).toEqual({ error: 'input broke', links: [] });
  });
});
