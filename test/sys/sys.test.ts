import { describe, expect, it } from 'vitest';
import { Agent, DynamicSupervisor, GenServer, InvalidArgumentError, Next, Registry, Runtime, Sys, TaskSupervisor, type Pid } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { connectedPair, useNodes } from '../support/nodes.js';
import { deferred, manualClock, memoryLogger, useRuntime } from '../support/runtime.js';
import { startSrv } from './helpers.js';
import { bad, thrown } from '../support/bad_input.js';

const clock = manualClock(1_000);
const runtime = useRuntime(() => ({ clock }));
const node = useNodes();

describe('Sys on each behaviour', () => {
  it('answers Agent, DynamicSupervisor, TaskSupervisor and Registry, which run the GenServer loop', async () => {
    const rt = runtime();
    const agent = pidOf(await Agent.start(() => ({ n: 1 }), { runtime: rt }));
    expect(await Sys.getState(agent)).toEqual({ n: 1 });
    await Sys.suspend(agent);
    const update = Agent.update(agent, (s) => ({ n: s.n + 1 }));
    expect(await Sys.getState(agent)).toEqual({ n: 1 });
    await Sys.resume(agent);
    await update;
    expect(await Sys.getState(agent)).toEqual({ n: 2 });
    const dyn = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    expect(await Sys.getStatus(dyn)).toMatchObject({ module: 'gen_server', status: 'running', state: { children: 0 } });
    const tasks = pidOf(await TaskSupervisor.start({ runtime: rt }));
    expect((await Sys.getStatus(tasks)).status).toBe('running');
    const reg = await Registry.start({ keys: 'unique', name: 'reg', runtime: rt });
    if (reg.type !== 'ok') throw new Error('no registry');
    expect(await Sys.getStatus(reg.pid)).toMatchObject({ name: 'reg', module: 'gen_server' });
  });

  it('finds a server by registered name and by via name', async () => {
    const rt = runtime();
    await startSrv(rt, 'by name', {}, 'named');
    expect(await Sys.getState(GenServer.named<{ state: string }>('named', rt))).toBe('by name');
    await Registry.start({ keys: 'unique', name: 'r', runtime: rt });
    const via = Registry.via(Registry.named<string, null>('r', rt), 'k');
    await GenServer.start<{ state: string }>({ init: () => Next.ok('by via') }, undefined, { runtime: rt, name: via });
    expect(await Sys.getState(GenServer.named<{ state: string }>(via))).toBe('by via');
    await Sys.suspend(GenServer.named<{ state: string }>(via));
    expect((await Sys.getStatus(GenServer.named<{ state: string }>(via))).status).toBe('suspended');
  });
});

describe('suspend', () => {
  it('keeps an idle timeout from firing while suspended; it runs again after resume', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1, { timeout: 100 });
    await Sys.suspend(pid);
    await rt.settle();
    clock.advance(500);
    await rt.settle();
    expect(log).toEqual([]);
    await Sys.resume(pid);
    await rt.settle();
    clock.advance(100);
    await rt.settle();
    expect(log).toEqual([{ info: expect.any(Symbol) }]);
  });

  it('waits for an async handler to finish: the request is taken after it, in mailbox order', async () => {
    const rt = runtime();
    const gate = deferred();
    interface Slow { state: string; cast: { readonly type: 'slow' } | { readonly type: 'set'; readonly value: string } }
    const pid = pidOf(
      await GenServer.start<Slow>(
        { init: () => Next.ok('a'), handleCast: { slow: async (_m, s) => (await gate.promise, Next.noreply(s + '!')), set: ({ value }) => Next.noreply(value) } },
        undefined,
        { runtime: rt },
      ),
    );
    GenServer.cast(pid, { type: 'slow' });
    const suspended = Sys.suspend(pid);
    GenServer.cast(pid, { type: 'set', value: 'b' });
    gate.resolve();
    await suspended;
    expect(await Sys.getState(pid)).toBe('a!');
    await Sys.resume(pid);
    expect(await Sys.getState(pid)).toBe('b');
  });

  it('leaves nothing pending when the runtime is killed while suspended', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 1);
    await Sys.suspend(pid);
    const call = GenServer.call(pid, { type: 'get' }, { timeout: 'infinity' });
    await rt.settle();
    rt.killAll();
    expect((await rejection(call)).reason).toBe('killed');
    expect(rt.isAlive(pid)).toBe(false);
  });
});

describe('trace', () => {
  it('with true writes one *DBG* line per event to the runtime logger, with the event as data', async () => {
    const { logger, records } = memoryLogger();
    const rt = new Runtime({ logger, clock });
    try {
      const { pid } = await startSrv(rt, 0, {}, 'traced');
      await Sys.trace(pid, true);
      expect((await Sys.getStatus(pid)).trace).toBe(true);
      await GenServer.call(pid, { type: 'set', value: 1 });
      GenServer.cast(pid, { type: 'set', value: 2 });
      await Sys.trace(pid, false);
      expect(records.filter((r) => r['label'] === 'sys.trace').map((r) => r['msg'])).toEqual([
        "*DBG* traced got call { type: 'set', value: 1 }",
        "*DBG* traced sent 'ok', new state 1",
        "*DBG* traced got cast { type: 'set', value: 2 }",
        '*DBG* traced new state 2',
      ]);
      expect(records[0]).toMatchObject({ level: 30, pid, name: 'traced', event: { type: 'in', kind: 'call', request: { type: 'set', value: 1 } } });
    } finally {
      rt.killAll();
    }
  });

  it('removes a trace function that throws, logs a warning, and the server goes on', async () => {
    const { logger, records } = memoryLogger();
    const rt = new Runtime({ logger, clock });
    try {
      const { pid } = await startSrv(rt, 0);
      let calls = 0;
      await Sys.trace(pid, () => {
        calls++;
        throw new Error('trace broke');
      });
      GenServer.cast(pid, { type: 'set', value: 1 });
      GenServer.cast(pid, { type: 'set', value: 2 });
      expect(await Sys.getState(pid)).toBe(2);
      expect(calls).toBe(1);
      expect((await Sys.getStatus(pid)).trace).toBe(false);
      expect(records).toEqual([expect.objectContaining({ label: 'sys.trace_failed', pid, err: expect.objectContaining({ message: 'trace broke' }) })]);
    } finally {
      rt.killAll();
    }
  });

  it('traces async handlers once their result is applied, and keeps statistics when the trace goes off', async () => {
    const rt = runtime();
    interface Later { state: number; call: { readonly type: 'inc' }; reply: { inc: number } }
    const pid = pidOf(await GenServer.start<Later>({ init: () => Next.ok(0), handleCall: { inc: async (_r, _f, n) => Next.reply(n + 1, n + 1) } }, undefined, { runtime: rt }));
    const events: Sys.Event[] = [];
    await Sys.statistics(pid, true);
    await Sys.trace(pid, (e) => events.push(e));
    expect(await GenServer.call(pid, { type: 'inc' })).toBe(1);
    await Sys.trace(pid, false);
    expect(await GenServer.call(pid, { type: 'inc' })).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['in', 'out']);
    expect(events[1]).toMatchObject({ reply: 1, state: 1 });
    expect(await Sys.getStatus(pid)).toMatchObject({ trace: false, statistics: true });
    expect(await Sys.statistics(pid, 'get')).toEqual({ startTime: clock.now(), currentTime: clock.now(), messagesIn: 2, messagesOut: 2 });
  });

  it('keeps installed functions beside the trace: each sees every event, done or a throw removes one, remove takes one off', async () => {
    const { logger, records } = memoryLogger();
    const rt = new Runtime({ logger, clock });
    try {
      const { pid } = await startSrv(rt, 0);
      const traced: string[] = [];
      const a: string[] = [];
      const b: string[] = [];
      const watchA = (e: Sys.Event): void => {
        a.push(e.type);
      };
      await Sys.trace(pid, (e) => traced.push(e.type));
      await Sys.install(pid, watchA);
      await Sys.install(pid, watchA); // once only
      await Sys.install(pid, (e) => {
        b.push(e.type);
        if (b.length === 2) throw new Error('watcher broke');
      });
      await GenServer.call(pid, { type: 'set', value: 1 });
      await Sys.trace(pid, false); // the installed one stays
      GenServer.cast(pid, { type: 'set', value: 2 });
      await Sys.remove(pid, watchA);
      await Sys.remove(pid, watchA); // not installed: nothing
      GenServer.cast(pid, { type: 'set', value: 3 });
      expect(await Sys.getState(pid)).toBe(3);
      expect(traced).toEqual(['in', 'out']);
      expect(a).toEqual(['in', 'out', 'in', 'noreply']);
      expect(b).toEqual(['in', 'out']);
      expect(records.filter((r) => r['label'] === 'sys.trace_failed')).toEqual([expect.objectContaining({ pid, err: expect.objectContaining({ message: 'watcher broke' }) })]);
      expect((await Sys.getStatus(pid)).trace).toBe(false);
    } finally {
      rt.killAll();
    }
  });

  it("removes an installed function that returns 'done', as Erlang's sys:install", async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 0);
    const seen: string[] = [];
    await Sys.install(pid, (e) => (seen.push(e.type) === 1 ? 'done' : undefined));
    await GenServer.call(pid, { type: 'set', value: 1 });
    await GenServer.call(pid, { type: 'set', value: 2 });
    expect(seen).toEqual(['in']);
  });

  it('shows a state machine event with its state and data', async () => {
    const rt = runtime();
    const { StateMachine } = await import('ts-otp');
    const pid = pidOf(
      await StateMachine.start<{ state: 'a' | 'b'; data: number; cast: { readonly type: 'go' } }>(
        { init: () => StateMachine.Step.ok('a', 0), handleEvent: (_e, _s, d) => StateMachine.Step.nextState('b', d + 1) },
        undefined,
        { runtime: rt },
      ),
    );
    await Sys.getState(pid); // after the start's own steps
    const events: Sys.Event[] = [];
    await Sys.trace(pid, (e) => events.push(e));
    StateMachine.cast(pid, { type: 'go' });
    await Sys.getState(pid);
    expect(events).toEqual([
      { type: 'in', pid, kind: 'cast', msg: { type: 'go' } },
      { type: 'noreply', pid, state: { state: 'b', data: 1 } },
    ]);
  });

  it('shows a reply sent by a reply action as an out event, as gen_statem reports {out, Reply, From}; statistics count it', async () => {
    const rt = runtime();
    const { StateMachine } = await import('ts-otp');
    interface Counter { state: 'counting'; data: number; call: { readonly type: 'add' }; reply: { add: number } }
    const pid = pidOf(
      await StateMachine.start<Counter>(
        {
          init: () => StateMachine.Step.ok('counting', 0),
          handleEvent: (e, _s, d) => (e.type === 'call' ? StateMachine.Step.keepState(d + 1, [StateMachine.Action.reply(e.from, d + 1)]) : StateMachine.Step.keepStateAndData()),
        },
        undefined,
        { runtime: rt },
      ),
    );
    const events: Sys.Event[] = [];
    await Sys.trace(pid, (e) => events.push(e));
    await Sys.statistics(pid, true);
    expect(await StateMachine.call(pid, { type: 'add' })).toBe(1); // from plain code: no from, no to
    expect(events).toEqual([
      { type: 'in', pid, kind: 'call', request: { type: 'add' }, from: undefined },
      { type: 'out', pid, reply: 1, to: undefined, state: { state: 'counting', data: 0 } }, // when the action ran
      { type: 'noreply', pid, state: { state: 'counting', data: 1 } },
    ]);
    expect(await Sys.statistics(pid, 'get')).toMatchObject({ messagesIn: 1, messagesOut: 1 });
  });
});

describe('requests from the server itself and slow servers', () => {
  it('fails a request the server makes of itself at once with calling_self', async () => {
    const rt = runtime();
    interface Self { state: null; call: { readonly type: 'me' }; reply: { me: unknown } }
    const pid = pidOf(
      await GenServer.start<Self>(
        { init: () => Next.ok(null), handleCall: { me: async (_r, _f, s, ctx) => Next.reply(await Sys.getState(ctx.self as Pid).catch((e: { reason: unknown }) => e.reason), s) } },
        undefined,
        { runtime: rt },
      ),
    );
    expect(await GenServer.call(pid, { type: 'me' })).toBe('calling_self');
  });

  it('times out when the server is busy, and a late answer is dropped', async () => {
    const rt = runtime();
    const gate = deferred();
    interface Busy { state: number; cast: { readonly type: 'block' } }
    const pid = pidOf(await GenServer.start<Busy>({ init: () => Next.ok(3), handleCast: { block: async (_m, s) => (await gate.promise, Next.noreply(s)) } }, undefined, { runtime: rt }));
    GenServer.cast(pid, { type: 'block' });
    const state = Sys.getState(pid, 50);
    await new Promise((resolve) => setImmediate(resolve)); // the deadline is armed after the turn (rt.settle would wait for the busy server)
    clock.advance(50);
    expect((await rejection(state)).reason).toBe('timeout');
    gate.resolve();
    expect(await Sys.getState(pid)).toBe(3);
  });
});

describe('bad input', () => {
  const cases: Array<[string, (pid: Pid) => unknown, string, string, unknown]> = [
    ['getState(42)', () => Sys.getState(bad<Pid>(42)), 'Sys.getState', 'server', 42],
    ["getState('x')", () => Sys.getState(bad<Pid>('x')), 'Sys.getState', 'server', 'x'],
    ['getState(pid, -1)', (pid) => Sys.getState(pid, -1), 'Sys.getState', 'timeout', -1],
    ["getStatus(pid, 'soon')", (pid) => Sys.getStatus(pid, bad('soon')), 'Sys.getStatus', 'timeout', 'soon'],
    ['replaceState(pid, 5)', (pid) => Sys.replaceState(pid, bad<never>(5)), 'Sys.replaceState', 'update', 5],
    ['replaceState(null, f)', () => Sys.replaceState(bad<GenServer.ServerPid<{ state: number }>>(null), (s) => s), 'Sys.replaceState', 'server', null],
    ['suspend(pid, NaN)', (pid) => Sys.suspend(pid, NaN), 'Sys.suspend', 'timeout', NaN],
    ['resume({})', () => Sys.resume(bad<Pid>({})), 'Sys.resume', 'server', {}],
    ["trace(pid, 'on')", (pid) => Sys.trace(pid, bad('on')), 'Sys.trace', 'to', 'on'],
    ['trace(pid, true, 2 ** 32)', (pid) => Sys.trace(pid, true, 2 ** 32), 'Sys.trace', 'timeout', 2 ** 32],
    ['install(pid, 1)', (pid) => Sys.install(pid, bad(1)), 'Sys.install', 'fn', 1],
    ["remove(pid, 'f')", (pid) => Sys.remove(pid, bad('f')), 'Sys.remove', 'fn', 'f'],
    ["statistics(pid, 'on')", (pid) => Sys.statistics(pid, bad('on')), 'Sys.statistics', 'flag', 'on'],
    ['statistics(pid, undefined)', (pid) => Sys.statistics(pid, bad(undefined)), 'Sys.statistics', 'flag', undefined],
  ];
  it.each(cases)('%s throws InvalidArgumentError at the call, naming the argument and the value', async (_title, f, operation, argument, value) => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 'kept');
    const error = thrown(() => f(pid));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation, argument });
    expect((error as InvalidArgumentError).value).toEqual(value);
    expect(await Sys.getState(pid)).toBe('kept');
  });

  it('refuses a server of another node with InvalidArgumentError', async () => {
    const { a, b } = await connectedPair(node);
    await GenServer.start<{ state: number }>({ init: () => Next.ok(1) }, undefined, { runtime: b, name: 'x' });
    const error = thrown(() => Sys.suspend(GenServer.named<{ state: number }>({ name: 'x', node: 'b' }, a)));
    expect(error).toMatchObject({ name: 'InvalidArgumentError', operation: 'Sys.suspend', argument: 'server' });
    expect((error as Error).message).toContain('only call and cast reach a server of another node');
    b.killAll();
  });
});

describe('many suspends and resumes', () => {
  it('takes 100k queued suspend and resume pairs without growing the stack, then the messages behind them', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 0);
    const done: Array<Promise<void>> = [];
    await Sys.suspend(pid); // the pairs below queue behind a cast while suspended
    GenServer.cast(pid, { type: 'set', value: 1 });
    for (let i = 0; i < 100_000; i++) done.push(Sys.resume(pid), Sys.suspend(pid));
    done.push(Sys.resume(pid));
    GenServer.cast(pid, { type: 'set', value: 2 });
    await Promise.all(done);
    expect(await Sys.getState(pid)).toBe(2);
    expect((await Sys.getStatus(pid)).status).toBe('running');
  });
});
