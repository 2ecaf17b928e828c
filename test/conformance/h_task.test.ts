/**
 * Conformance, group H (Task and Task.Supervisor): one test per scenario of
 * test/conformance/h_task/, each an Elixir 1.14 script whose trace is stored beside it;
 * `./run.sh` there replays them all. The README there maps Elixir's shapes onto ts-otp's.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Task, TaskError, TaskSupervisor, type Context, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { collect, exitOf, isExit, useTimedRuntime } from '../task/helpers.js';

const { rt, timed } = useTimedRuntime();
const queued = (ctx: Context): number => rt().processInfo(ctx.self)!.messageQueueLen;

async function supervisor(options: TaskSupervisor.Options = {}): Promise<Pid> {
  const started = await TaskSupervisor.start({ runtime: rt(), ...options });
  if (started.type !== 'ok') throw new Error('no start');
  return started.pid;
}

/** The reason `body`, run as a monitored process, exits with. */
async function exitReasonOf(body: (ctx: Context) => unknown): Promise<unknown> {
  return rt().run(async (ctx) => {
    const { ref } = ctx.spawnMonitor(body);
    return ((await ctx.receiveRef(ref)) as DownMessage).reason;
  });
}

describe('H. Task and Task.Supervisor', () => {
  it('H01 async links and monitors the task; the reply is {ref, result}, then a DOWN normal; await returns the result', async () => {
    const got = await rt().run(async (ctx) => {
      const t = Task.async(ctx, async (c) => (await c.receive(), 'forty_two'));
      const info = rt().processInfo(t.pid)!;
      ctx.send(t.pid, 'go');
      const reply = await ctx.receiveRef(t.ref);
      const down = (await ctx.receiveRef(t.ref)) as DownMessage;
      const awaited = await Task.await(ctx, Task.async(ctx, () => 7));
      return { t, info, reply, down, awaited, left: queued(ctx) };
    });
    expect(got.info.links).toEqual([got.t.owner]);
    expect(got.info.monitoredBy).toContain(got.t.owner);
    expect(got.reply).toEqual({ type: 'task_reply', ref: got.t.ref, result: 'forty_two' });
    expect(got.down.reason).toBe('normal');
    expect(got.awaited).toBe(7);
    expect(got.left).toBe(0);
  });

  it('H02 await past its timeout exits the caller with {timeout, {Task, await, [task, timeout]}}; the late reply is dropped', async () => {
    const got = await timed(rt().run(async (ctx) => {
      let left = -1;
      let task: Task.Task | undefined;
      const { ref } = ctx.spawnMonitor(async (owner) => {
        const t = (task = Task.async(owner, async (c) => (await c.receive(), 'late')));
        try {
          await Task.await(owner, t, 20);
        } catch (e) {
          const watch = owner.monitor(t.pid);
          owner.send(t.pid, 'go');
          await owner.receiveRef(watch);
          left = queued(owner);
          throw e;
        }
      });
      const reason = ((await ctx.receiveRef(ref)) as DownMessage).reason;
      return { reason, left, task };
    }), 20);
    expect(got.left).toBe(0);
    expect(got.reason).toEqual(exitOf({ reason: 'timeout', call: { function: 'Task.await', args: [got.task, 20] } }));
  });

  it('H03 a task that crashes takes its owner down over the link, with the task reason', async () => {
    expect(await exitReasonOf(async (owner) => Task.await(owner, Task.async(owner, (c) => c.exit('boom'))))).toEqual(exitOf('boom'));
  });

  it('H04 an owner that traps exits gets the EXIT message, and await exits with {reason, {Task, await, [task, timeout]}}', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const t = Task.async(ctx, (c) => c.exit('boom'));
      const error = (await Task.await(ctx, t, 1000).catch((e: unknown) => e)) as TaskError;
      return { t, error, exit: (await ctx.receive(isExit)) as ExitMessage };
    });
    expect(got.error.exitReason).toEqual(exitOf({ reason: exitOf('boom'), call: { function: 'Task.await', args: [got.t, 1000] } }));
    expect(got.exit).toEqual({ type: 'EXIT', from: got.t.pid, reason: exitOf('boom') });
  });

  it('H05 await, yield and shutdown from a process that is not the owner are refused; the task is unaffected', async () => {
    const other = rt().inbox();
    const got = await rt().run(async (ctx) => {
      const t = Task.async(ctx, async (c) => (await c.receive(), 'ok'));
      const raised = [() => Task.await(other, t, 10), () => Task.yield(other, t, 10), () => Task.shutdown(other, t)].map((f) => {
        try {
          f();
          return 'no_error';
        } catch (e) {
          return e instanceof InvalidArgumentError ? 'InvalidArgumentError' : e;
        }
      });
      ctx.send(t.pid, 'go');
      return { raised, awaited: await Task.await(ctx, t) };
    });
    other.close();
    expect(got).toEqual({ raised: ['InvalidArgumentError', 'InvalidArgumentError', 'InvalidArgumentError'], awaited: 'ok' });
  });

  it('H06 yield gives nothing while the task runs, ok once it replied, exit for a crash seen by a trapping owner', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const t = Task.async(ctx, async (c) => (await c.receive(), 'v'));
      const first = await Task.yield(ctx, t, 10);
      ctx.send(t.pid, 'go');
      const second = await Task.yield(ctx, t, 1000);
      ctx.trapExit(true);
      const crashed = await Task.yield(ctx, Task.async(ctx, (c) => c.exit('crashed')), 1000);
      const normal = await Task.yield(ctx, Task.async(ctx, (c) => c.exit('normal')), 1000);
      return [first, second, crashed, normal];
    }), 10);
    expect(got).toEqual([undefined, { type: 'ok', value: 'v' }, { type: 'exit', reason: exitOf('crashed') }, { type: 'exit', reason: 'normal' }]);
  });

  it('H07 shutdown: nothing for a task that stops as asked, exit killed after the timeout, nothing for brutal_kill, ok for one that replied, its own reason for one that chose it', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const trappingTask = (exitWith?: boolean) =>
        Task.async(ctx, async (c) => {
          c.trapExit(true);
          c.send(ctx.self, 'trapping');
          const exit = (await c.receive(isExit)) as ExitMessage;
          if (exitWith === true) c.exit({ cleaned: exit.reason });
          await c.receive((m) => m === 'never');
        });
      const running = await Task.shutdown(ctx, Task.async(ctx, (c) => c.receive()));
      const trapping = trappingTask();
      await ctx.receive((m) => m === 'trapping');
      const killed = await Task.shutdown(ctx, trapping, 20);
      const brutal = await Task.shutdown(ctx, Task.async(ctx, (c) => c.receive()), 'brutal_kill');
      const done = Task.async(ctx, () => 'result');
      await Task.yield(ctx, Task.async(ctx, () => null)); // by now `done` has replied
      const replied = await Task.shutdown(ctx, done);
      const chooser = trappingTask(true);
      await ctx.receive((m) => m === 'trapping');
      const chose = await Task.shutdown(ctx, chooser);
      return { running, killed, brutal, replied, chose, left: queued(ctx) };
    }), 20);
    expect(got).toEqual({
      running: undefined,
      killed: { type: 'exit', reason: 'killed' },
      brutal: undefined,
      replied: { type: 'ok', value: 'result' },
      chose: { type: 'exit', reason: exitOf({ cleaned: 'shutdown' }) },
      left: 0,
    });
  });

  it('H08 ignore unlinks and forgets a running task: its late reply and its crash pass the owner by', async () => {
    const got = await rt().run(async (ctx) => {
      const crasher = Task.async(ctx, async (c) => (await c.receive(), c.exit('late_crash')));
      const ignored = Task.ignore(ctx, crasher);
      const m1 = ctx.monitor(crasher.pid);
      ctx.send(crasher.pid, 'go');
      const taskDown = ((await ctx.receiveRef(m1)) as DownMessage).reason;
      const replier = Task.async(ctx, async (c) => (await c.receive(), 'late_reply'));
      Task.ignore(ctx, replier);
      const m2 = ctx.monitor(replier.pid);
      ctx.send(replier.pid, 'go');
      const replierDown = ((await ctx.receiveRef(m2)) as DownMessage).reason;
      const left = queued(ctx);
      const links = rt().processInfo(ctx.self)!.links;
      const done = Task.async(ctx, () => 'was_done');
      await Task.yield(ctx, Task.async(ctx, () => null));
      return { ignored, taskDown, replierDown, left, links, done: Task.ignore(ctx, done) };
    });
    expect(got).toEqual({ ignored: undefined, taskDown: exitOf('late_crash'), replierDown: 'normal', left: 0, links: [], done: { type: 'ok', value: 'was_done' } });
  });

  it('H09 asyncStream gives results in input order, never runs more than maxConcurrency tasks, and reads the input lazily', async () => {
    const got = await rt().run(async (ctx) => {
      let read = 0;
      let running = 0;
      let most = 0;
      function* input() {
        for (let i = 1; i <= 10; i++) {
          read++;
          yield i;
        }
      }
      const firstTwo: number[] = [];
      for await (const item of Task.asyncStream(ctx, input(), async (i, c) => {
        running++;
        most = Math.max(most, running);
        await c.receive(0);
        running--;
        return i;
      }, { maxConcurrency: 3 })) {
        if (item.type === 'ok') firstTwo.push(item.value);
        if (firstTwo.length === 2) break;
      }
      const ordered = await collect(Task.asyncStream(ctx, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (i) => i, { maxConcurrency: 3 }));
      return { firstTwo, readAtMost: read <= 5, most, ordered, links: rt().processInfo(ctx.self)!.links };
    });
    expect(got.firstTwo).toEqual([1, 2]);
    expect(got.readAtMost).toBe(true);
    expect(got.most).toBeLessThanOrEqual(3);
    expect(got.ordered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((value) => ({ type: 'ok', value })));
    expect(got.links).toEqual([]);
  });

  it('H10 asyncStream with onTimeout kill_task gives an exit timeout item (with the input on request) and goes on', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const slowTwo = (i: number, c: Context) => (i === 2 ? c.receive() : i);
      const plain = await collect(Task.asyncStream(ctx, [1, 2, 3], slowTwo, { timeout: 50, onTimeout: 'kill_task' }));
      const zipped = await collect(Task.asyncStream(ctx, [1, 2, 3], slowTwo, { timeout: 50, onTimeout: 'kill_task', zipInputOnExit: true }));
      return { plain, zipped, left: queued(ctx) };
    }), 50, 50);
    expect(got.plain).toEqual([{ type: 'ok', value: 1 }, { type: 'exit', reason: exitOf('timeout') }, { type: 'ok', value: 3 }]);
    expect(got.zipped).toEqual([{ type: 'ok', value: 1 }, { type: 'exit', reason: exitOf('timeout'), input: 2 }, { type: 'ok', value: 3 }]);
    expect(got.left).toBe(0);
  });

  it('H11 asyncStream with onTimeout exit exits the caller with {timeout, {Task.Supervised, stream, [timeout]}}', async () => {
    const reason = await timed(exitReasonOf((owner) => collect(Task.asyncStream(owner, [1, 2], (i, c) => (i === 2 ? c.receive() : i), { timeout: 30 }))), 30);
    expect(reason).toEqual(exitOf({ reason: 'timeout', call: { function: 'Task.asyncStream', args: [30] } }));
  });

  it('H12 asyncStream in a trapping caller gives an exit item and leaves no EXIT; a caller that does not trap dies with the task reason', async () => {
    const got = await rt().run(async (ctx) => {
      ctx.trapExit(true);
      const items = await collect(Task.asyncStream(ctx, [1, 2, 3], (i, c) => (i === 2 ? c.exit('two') : i)));
      return { items, left: queued(ctx) };
    });
    expect(got).toEqual({ items: [{ type: 'ok', value: 1 }, { type: 'exit', reason: exitOf('two') }, { type: 'ok', value: 3 }], left: 0 });
    expect(await exitReasonOf((owner) => collect(Task.asyncStream(owner, [1], (_i, c) => c.exit('crash'))))).toEqual(exitOf('crash'));
  });

  it('H13 TaskSupervisor.asyncNolink: a task that crashes at once gives the caller its real reason, never noproc, and leaves it running', async () => {
    const sup = await supervisor();
    const got = await rt().run(async (ctx) => {
      const t = await TaskSupervisor.asyncNolink(ctx, sup, (c) => c.exit('instant'));
      const down = ((await ctx.receiveRef(t.ref)) as DownMessage).reason;
      const links = rt().processInfo(ctx.self)!.links;
      const t2 = await TaskSupervisor.asyncNolink(ctx, sup, () => {
        throw new Error('boom');
      });
      const yielded = await Task.yield(ctx, t2, 1000);
      const linked = await Task.await(ctx, await TaskSupervisor.async(ctx, sup, () => 'linked'));
      return { down, links, yielded, linked, children: await TaskSupervisor.children(sup) };
    });
    expect(got.down).toEqual(exitOf('instant'));
    expect(got.links).toEqual([]); // the Elixir script's caller is linked to the supervisor it started; ours started it unlinked
    expect(got.yielded).toMatchObject({ type: 'exit', reason: { tag: 'error', cause: { message: 'boom' } } });
    expect(got.linked).toBe('linked');
    expect(got.children).toEqual([]);
  });

  it('H14 TaskSupervisor.startChild, children and terminateChild; maxChildren refuses a task', async () => {
    const sup = await supervisor({ maxChildren: 2 });
    const a = await TaskSupervisor.startChild(sup, (c) => c.receive());
    const b = await TaskSupervisor.startChild(sup, (c) => c.receive());
    if (a.type !== 'ok' || b.type !== 'ok') throw new Error('no child');
    expect(await TaskSupervisor.children(sup)).toEqual([a.pid, b.pid]);
    expect(await TaskSupervisor.startChild(sup, () => 'ok')).toEqual({ type: 'error', reason: 'max_children' });
    const full = await rt().run((ctx) => TaskSupervisor.async(ctx, sup, () => 'ok').catch((e: TaskError) => e.reason));
    expect(full).toBe('max_children');
    expect(await TaskSupervisor.terminateChild(sup, a.pid)).toEqual({ type: 'ok' });
    expect(await TaskSupervisor.terminateChild(sup, a.pid)).toEqual({ type: 'error', reason: 'not_found' });
    expect(rt().isAlive(a.pid)).toBe(false);
    expect(await TaskSupervisor.children(sup)).toEqual([b.pid]);
  });

  it('H15 awaitMany returns results in task order and fails on the first task that goes down; yieldMany pairs each task with its outcome', async () => {
    const got = await timed(rt().run(async (ctx) => {
      const a = Task.async(ctx, async (c) => (await c.receive(), 'a'));
      const b = Task.async(ctx, () => 'b');
      const all = Task.awaitMany(ctx, [a, b]);
      ctx.send(a.pid, 'go');
      const awaited = await all;
      ctx.trapExit(true);
      const w = Task.async(ctx, (c) => c.receive());
      const f = Task.async(ctx, (c) => c.exit('bad'));
      const failed = ((await Task.awaitMany(ctx, [w, f], 1000).catch((e: unknown) => e)) as TaskError).reason;
      const pairs = await Task.yieldMany(ctx, [Task.async(ctx, () => 'ok'), Task.async(ctx, (c) => c.exit('crash')), Task.async(ctx, (c) => c.receive())], 50);
      const timedOut = ((await Task.awaitMany(ctx, [Task.async(ctx, (c) => c.receive())], 20).catch((e: unknown) => e)) as TaskError).reason;
      return { awaited, failed, yielded: pairs.map(([, outcome]) => outcome), timedOut };
    }), 50, 20);
    expect(got).toEqual({
      awaited: ['a', 'b'],
      failed: exitOf('bad'),
      yielded: [{ type: 'ok', value: 'ok' }, { type: 'exit', reason: exitOf('crash') }, undefined],
      timedOut: 'timeout',
    });
  });
});
