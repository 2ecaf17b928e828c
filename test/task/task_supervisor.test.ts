import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Next, Supervisor, Task, TaskError, TaskSupervisor, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { exitOf } from './helpers.js';

const rt = useRuntime();

async function startSup(runtime: Runtime, options: TaskSupervisor.Options = {}): Promise<Pid> {
  const started = await TaskSupervisor.start({ runtime, ...options });
  if (started.type !== 'ok') throw new Error('no start');
  return started.pid;
}

describe('TaskSupervisor.async', () => {
  it('runs the task as a child of the supervisor, linked to and monitored by the caller', async () => {
    const sup = await startSup(rt());
    const got = await rt().run(async (ctx) => {
      const task = await TaskSupervisor.async(ctx, sup, async (t) => {
        await t.receive();
        return 'done';
      });
      const during = { children: await TaskSupervisor.children(sup), links: rt().processInfo(task.pid)!.links };
      ctx.send(task.pid, 'go');
      return { task, during, result: await Task.await(ctx, task) };
    });
    expect(got.during.children).toEqual([got.task.pid]);
    expect([...got.during.links].sort()).toEqual([sup, got.task.owner].sort());
    expect(got.result).toBe('done');
    expect(await TaskSupervisor.children(sup)).toEqual([]);
  });

  it('rejects with max_children when the supervisor is full', async () => {
    const sup = await startSup(rt(), { maxChildren: 1 });
    const got = await rt().run(async (ctx) => {
      const first = await TaskSupervisor.async(ctx, sup, (t) => t.receive());
      const error = (await TaskSupervisor.async(ctx, sup, () => 2).catch((e: unknown) => e)) as TaskError;
      await Task.shutdown(ctx, first, 'brutal_kill');
      return error;
    });
    expect(got).toBeInstanceOf(TaskError);
    expect(got.reason).toBe('max_children');
  });
});

describe('TaskSupervisor.asyncNolink', () => {
  it("gives the task's real reason when it crashes at once: its monitor exists before it runs", async () => {
    const sup = await startSup(rt());
    const got = await rt().run(async (ctx) => {
      const task = await TaskSupervisor.asyncNolink(ctx, sup, (t) => t.exit('instant crash'));
      return { down: (await ctx.receiveRef(task.ref)) as DownMessage, links: rt().processInfo(ctx.self)!.links };
    });
    expect(got.down.reason).toEqual(exitOf('instant crash'));
    expect(got.links).toEqual([]);
  });

  it('delivers the reply to a GenServer owner in handleInfo', async () => {
    const sup = await startSup(rt());
    interface Owner {
      state: { readonly seen: unknown[] };
      call: { readonly type: 'start' } | { readonly type: 'seen' };
      reply: { start: null; seen: unknown[] };
    }
    const owner: GenServer.Behaviour<Owner> = {
      init: () => Next.ok({ seen: [] }),
      handleCall: {
        start: async (_req, _from, st, ctx) => {
          await TaskSupervisor.asyncNolink(ctx, sup, () => 'from the task');
          return Next.reply(null, st);
        },
        seen: (_req, _from, st) => Next.reply(st.seen, st),
      },
      handleInfo: (msg, st, ctx) => {
        const m = msg as Task.TaskReply<string> | DownMessage;
        if (m.type === 'task_reply') ctx.demonitor(m.ref, { flush: true });
        return Next.noreply({ seen: [...st.seen, m.type] });
      },
    };
    const started = await GenServer.start(owner, undefined, { runtime: rt() });
    if (started.type !== 'ok') throw new Error('no start');
    await GenServer.call(started.pid, { type: 'start' });
    await rt().settle();
    expect(await GenServer.call(started.pid, { type: 'seen' })).toEqual(['task_reply']);
  });

  it('ends a task whose owner exits before letting it run, with shutdown and the reason', async () => {
    const sup = await startSup(rt());
    const ran: string[] = [];
    const events: Array<[string, unknown]> = [];
    rt().events.on('exit', (pid, reason) => events.push([pid, reason]));
    const owner = rt().spawn((ctx) => {
      void TaskSupervisor.asyncNolink(ctx, sup, () => ran.push('ran'));
      ctx.exit('owner gone'); // the request is on its way; the go never comes
    });
    await rt().settle();
    expect(ran).toEqual([]);
    expect(await TaskSupervisor.children(sup)).toEqual([]);
    expect(events).toContainEqual([expect.any(String), { tag: 'shutdown', detail: 'noproc' }]);
    expect(rt().isAlive(owner)).toBe(false);
  });

  it('stops with the supervisor: the owner gets a DOWN with shutdown', async () => {
    const sup = await startSup(rt());
    const got = rt().run(async (ctx) => {
      const task = await TaskSupervisor.asyncNolink(ctx, sup, (t) => t.receive());
      ctx.send('stopper', 'stop now');
      return ((await ctx.receiveRef(task.ref)) as DownMessage).reason;
    });
    await rt().run(async (ctx) => {
      ctx.register('stopper');
      await ctx.receive();
      await TaskSupervisor.stop(sup);
    });
    expect(await got).toBe('shutdown');
  });
});

describe('TaskSupervisor streams', () => {
  it('asyncStream runs the tasks as children of the supervisor', async () => {
    const sup = await startSup(rt());
    const got = await rt().run(async (ctx) => {
      const out: unknown[] = [];
      for await (const item of TaskSupervisor.asyncStream(ctx, sup, [1, 2, 3], async (n, t) => ((await TaskSupervisor.children(sup)).includes(t.self) ? n : -n), { maxConcurrency: 2 })) out.push(item);
      return out;
    });
    expect(got).toEqual([1, 2, 3].map((value) => ({ type: 'ok', value })));
  });

  it('asyncStreamNolink gives exit items for crashes without touching the owner', async () => {
    const sup = await startSup(rt());
    const got = await rt().run(async (ctx) => {
      const out: unknown[] = [];
      for await (const item of TaskSupervisor.asyncStreamNolink(ctx, sup, ['a', 'b'], (s, t) => (s === 'a' ? t.exit('no a') : s))) out.push(item);
      return { out, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got).toEqual({ out: [{ type: 'exit', reason: exitOf('no a') }, { type: 'ok', value: 'b' }], queued: 0 });
  });

  it('ends the iteration with max_children when the supervisor is full', async () => {
    const sup = await startSup(rt(), { maxChildren: 1 });
    const got = await rt().run(async (ctx) => {
      const out: unknown[] = [];
      try {
        for await (const item of TaskSupervisor.asyncStream(ctx, sup, [1, 2], (_n, t) => t.receive(), { maxConcurrency: 2 })) out.push(item);
      } catch (e) {
        return { reason: (e as TaskError).reason, children: await TaskSupervisor.children(sup) };
      }
      return undefined;
    });
    expect(got).toEqual({ reason: 'max_children', children: [] });
  });
});

describe('TaskSupervisor children', () => {
  it('startChild runs fire-and-forget tasks; children and terminateChild see them', async () => {
    const sup = await startSup(rt());
    const a = await TaskSupervisor.startChild(sup, (ctx) => ctx.receive());
    const b = await TaskSupervisor.startChild(sup, (ctx) => ctx.receive(), { shutdown: 'brutal_kill' });
    if (a.type !== 'ok' || b.type !== 'ok') throw new Error('no child');
    expect(await TaskSupervisor.children(sup)).toEqual([a.pid, b.pid]);
    expect(await TaskSupervisor.terminateChild(sup, a.pid)).toEqual({ type: 'ok' });
    expect(await TaskSupervisor.children(sup)).toEqual([b.pid]);
    expect(await TaskSupervisor.terminateChild(sup, a.pid)).toEqual({ type: 'error', reason: 'not_found' });
  });

  it('restarts a transient task that crashes, and not one that returns', async () => {
    const sup = await startSup(rt(), { intensity: 5 });
    let runs = 0;
    await TaskSupervisor.startChild(sup, (ctx) => (++runs < 3 ? ctx.exit('again') : 'done'), { restart: 'transient' });
    await rt().settle();
    expect(runs).toBe(3);
    expect(await TaskSupervisor.children(sup)).toEqual([]);
  });

  it('puts a named task supervisor in a tree with childSpec', async () => {
    const root = await Supervisor.start({ children: [TaskSupervisor.childSpec({ name: 'jobs' })] }, { runtime: rt() });
    if (root.type !== 'ok') throw new Error('no start');
    expect(await Supervisor.whichChildren(root.pid)).toEqual([{ id: 'jobs', pid: rt().whereis('jobs'), type: 'supervisor' }]);
    const v = await rt().run(async (ctx) => Task.await(ctx, await TaskSupervisor.async(ctx, TaskSupervisor.named('jobs', rt()), () => 9)));
    expect(v).toBe(9);
  });

  it('is a DynamicSupervisor: its functions work on it', async () => {
    const sup = await startSup(rt());
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });
});
