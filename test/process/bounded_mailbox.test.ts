import { describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Next, Supervisor, TIMEOUT, type Context, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { memoryLogger, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

/** Waits for 'go', then takes every queued message and sends them to `to`. */
const collector = (to: Pid) => async (ctx: Context): Promise<void> => {
  await ctx.receive((m) => m === 'go');
  const got: unknown[] = [];
  for (let m = await ctx.receive(0); m !== TIMEOUT; m = await ctx.receive(0)) got.push(m);
  ctx.send(to, { got });
};

describe("a mailbox bounded with overflow 'exit'", () => {
  it('ends the process when a message finds it full, with a report', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor((c) => c.receive((m) => m === 'never'), { maxMessages: 3 });
      for (let i = 0; i < 3; i++) ctx.send(pid, i);
      const alive = rt.isAlive(pid);
      ctx.send(pid, 3);
      return { pid, alive, down: (await ctx.receiveRef(ref)) as DownMessage };
    });
    expect(got.alive).toBe(true);
    expect(got.down.reason).toEqual({ tag: 'exit', value: 'mailbox_overflow' });
    await rt.settle();
    expect(log.records).toEqual([expect.objectContaining({ level: 50, label: 'process.mailbox_overflow', pid: got.pid, maxMessages: 3 })]);
  });

  it('cannot be trapped, and takes linked processes with it', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = ctx.spawnLink((c) => {
        c.trapExit(true);
        return c.receive((m) => m === 'never');
      }, { maxMessages: 1 });
      ctx.send(pid, 'a');
      ctx.send(pid, 'b');
      return (await ctx.receive()) as ExitMessage;
    });
    expect(got).toMatchObject({ type: 'EXIT', reason: { tag: 'exit', value: 'mailbox_overflow' } });
  });

  it('counts only waiting messages: a receive that takes each one never overflows', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const parent = ctx.self;
      const pid = ctx.spawn(async (c) => {
        let n = 0;
        while ((await c.receive()) !== 'stop') n++;
        c.send(parent, n);
      }, { maxMessages: 1 });
      for (let i = 0; i < 100; i++) {
        ctx.send(pid, i);
        await null; // the receiver takes it before the next one
        await null;
      }
      ctx.send(pid, 'stop');
      return ctx.receive(1000);
    });
    expect(got).toBe(100);
  });

  it('is given to spawn, spawnLink and rt.spawn alike', async () => {
    const rt = runtime();
    const fromPlainCode = rt.spawn((c) => c.receive((m) => m === 'never'), { maxMessages: 1 });
    const reasons = await rt.run(async (ctx) => {
      const spawned = ctx.spawn((c) => c.receive((m) => m === 'never'), { maxMessages: 1 });
      const refs = [ctx.monitor(spawned), ctx.monitor(fromPlainCode)];
      for (const pid of [spawned, fromPlainCode]) {
        ctx.send(pid, 1);
        ctx.send(pid, 2);
      }
      return Promise.all(refs.map(async (ref) => ((await ctx.receiveRef(ref)) as DownMessage).reason));
    });
    expect(reasons).toEqual([
      { tag: 'exit', value: 'mailbox_overflow' },
      { tag: 'exit', value: 'mailbox_overflow' },
    ]);
  });
});

describe("a mailbox bounded with overflow 'drop'", () => {
  it('keeps the first messages in order, drops the rest and counts them in one report', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const pid = ctx.spawn(collector(ctx.self), { maxMessages: 3, overflow: 'drop' });
      for (let i = 0; i < 5; i++) ctx.send(pid, i);
      const info = rt.processInfo(pid)!;
      ctx.send(pid, 'go'); // dropped too: the mailbox is full
      ctx.exit(pid, 'kill');
      const next = ctx.spawn(collector(ctx.self), { maxMessages: 3, overflow: 'drop' });
      for (let i = 0; i < 5; i++) ctx.send(next, i);
      await ctx.receive(0); // let the first burst's report go out
      return { pid, info, alive: rt.isAlive(next) };
    });
    expect(got.info).toMatchObject({ messageQueueLen: 3, droppedMessages: 2 });
    expect(got.alive).toBe(true);
    await rt.settle();
    expect(log.records.filter((r) => r['label'] === 'process.mailbox_dropped')).toEqual([
      expect.objectContaining({ level: 40, pid: got.pid, dropped: 3, maxMessages: 3 }),
      expect.objectContaining({ level: 40, dropped: 2, maxMessages: 3 }),
    ]);
  });

  it('lets the process take what it kept', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const pid = ctx.spawn(collector(ctx.self), { maxMessages: 3, overflow: 'drop' });
      ctx.send(pid, 'go');
      ctx.send(pid, 'a');
      await ctx.receive(0);
      for (const m of ['b', 'c', 'd', 'e']) ctx.send(pid, m);
      return ctx.receive(1000);
    });
    expect(got).toEqual({ got: ['a', 'b', 'c'] });
  });
});

describe('spawn options', () => {
  it.each([
    [null, 'options'],
    [5, 'options'],
    [{ maxMessages: 0 }, 'options.maxMessages'],
    [{ maxMessages: 1.5 }, 'options.maxMessages'],
    [{ maxMessages: '10' }, 'options.maxMessages'],
    [{ maxMessages: 10, overflow: 'block' }, 'options.overflow'],
  ])('refuses %j, naming %s', async (options, argument) => {
    const rt = runtime();
    expect(() => rt.spawn(() => undefined, options as never)).toThrow(InvalidArgumentError);
    expect(() => rt.spawn(() => undefined, options as never)).toThrow(argument);
    const thrown = await rt.run((ctx) => {
      try {
        ctx.spawnLink(() => undefined, options as never);
        return undefined;
      } catch (error) {
        return error;
      }
    });
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(rt.processes()).toEqual([]); // nothing was spawned
  });

  it('leave the mailbox unbounded without maxMessages', async () => {
    const rt = runtime();
    const pid = rt.spawn((c) => c.receive((m) => m === 'never'), { overflow: 'drop' });
    for (let i = 0; i < 10_000; i++) rt.send(pid, i);
    expect(rt.processInfo(pid)).toMatchObject({ messageQueueLen: 10_000, droppedMessages: 0 });
  });
});

describe('a GenServer started with spawn options', () => {
  interface Slow {
    state: null;
    cast: { readonly type: 'work' };
  }
  const slow: GenServer.Behaviour<Slow> = {
    init: () => Next.ok(null),
    handleCast: { work: () => new Promise<never>(() => {}) }, // never done: every later cast waits
  };

  it('exits with mailbox_overflow when its queue passes the bound, and its supervisor restarts it', async () => {
    const rt = runtime();
    const sup = await Supervisor.start(
      {
        strategy: 'one_for_one',
        children: [{ id: 'slow', start: (ctx) => GenServer.startLink(ctx, slow, undefined, { spawn: { maxMessages: 2 } }) }],
      },
      { runtime: rt },
    );
    if (sup.type !== 'ok') throw new Error('no supervisor');
    const [before] = await Supervisor.whichChildren(sup.pid);
    const pid = before!.pid as GenServer.ServerPid<Slow>;
    const down = await rt.run(async (ctx) => {
      const ref = ctx.monitor(pid);
      for (let i = 0; i < 4; i++) GenServer.cast(pid, { type: 'work' }); // one taken, two wait, the fourth overflows
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(down.reason).toEqual({ tag: 'exit', value: 'mailbox_overflow' });
    const [after] = await Supervisor.whichChildren(sup.pid);
    expect(after!.pid).not.toBe(pid);
    expect(rt.processInfo(after!.pid as Pid)?.messageQueueLen).toBe(0);
  });

  it('refuses bad spawn options at the call, naming options.spawn', () => {
    const rt = runtime();
    expect(() => GenServer.start(slow, undefined, { runtime: rt, spawn: { maxMessages: -1 } })).toThrow(InvalidArgumentError);
    expect(() => GenServer.start(slow, undefined, { runtime: rt, spawn: { maxMessages: -1 } })).toThrow('options.spawn.maxMessages');
    expect(rt.processes()).toEqual([]);
  });
});
