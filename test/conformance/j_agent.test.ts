/**
 * Conformance, group J (Agent): one test per scenario of test/conformance/j_agent/, each an
 * Elixir 1.14 script whose trace is stored beside it; `./run.sh` there replays them all.
 *
 * Elixir's terms in ts-otp's: `{RuntimeError, "boom"}` (an exception and its stack) is
 * `{ tag: 'error', cause: Error('boom') }`; `exit(:custom)` is `{ tag: 'exit', value: 'custom' }`;
 * `:ok` from update and cast is `undefined`; `{reply, state}` is `[reply, state]`. Timeouts run
 * on a manual clock.
 */
import { describe, expect, it } from 'vitest';
import { Agent, StopError, Supervisor, type ExitMessage, type Runtime } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { drain } from '../support/nodes.js';
import { manualClock, useRuntime } from '../support/runtime.js';
import { gate, watch } from '../agent/helpers.js';

const clock = manualClock();
const runtime = useRuntime(() => ({ clock }));
const fixtures = new URL('../agent/fixtures/agents.ts', import.meta.url).pathname;

const exitOf = (value: unknown) => ({ tag: 'exit', value });
const errorOf = (message: string, type: ErrorConstructor = Error) => ({ tag: 'error', cause: expect.objectContaining({ name: type.name, message }) });

async function agent<S>(rt: Runtime, init: () => S): Promise<Agent.AgentPid<S>> {
  return pidOf(await Agent.start(init, { runtime: rt }));
}



describe('J. Agent', () => {
  it('J01 get returns fun(state); update and cast return at once with nothing; getAndUpdate replies and replaces the state', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    expect(await Agent.get(a, (s) => s * 100)).toBe(100);
    expect(await Agent.update(a, (s) => s + 1)).toBeUndefined();
    expect(await Agent.get(a, (s) => s)).toBe(2);
    expect(await Agent.getAndUpdate(a, (s) => [s * 10, s + 10])).toBe(20);
    expect(await Agent.get(a, (s) => s)).toBe(12);
    expect(Agent.cast(a, (s) => s * 2)).toBeUndefined();
    expect(await Agent.get(a, (s) => s)).toBe(24);
    expect(await Agent.stop(a)).toBeUndefined();
  });

  it("J02 whatever init returns is the state, even a value shaped like ignore or stop; init runs in the agent's process", async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const me = ctx.self;
      const a = pidOf(await Agent.start((agentCtx) => (agentCtx.send(me, { initIn: agentCtx.self }), { next: 'ignore' }), { runtime: rt }));
      return { a, state: await Agent.get(a, (s) => s), mailbox: await drain(ctx) };
    });
    expect(got.state).toEqual({ next: 'ignore' });
    expect(got.mailbox).toEqual([{ initIn: got.a }]);
    const b = await agent(rt, () => ({ next: 'stop', reason: 'no' }));
    expect(await Agent.get(b, (s) => s)).toEqual({ next: 'stop', reason: 'no' });
    const c = await agent(rt, () => null);
    expect(await Agent.get(c, (s) => s)).toBeNull();
  });

  it('J03 an init that throws: start returns the error and no agent is left', async () => {
    const rt = runtime();
    expect(await Agent.start(() => { throw new Error('boom'); }, { runtime: rt, name: 'j03' })).toEqual({ type: 'error', reason: errorOf('boom') });
    expect(rt.whereis('j03')).toBeUndefined();
  });

  it('J04 startLink with an init that exits returns the reason, and a trapping caller gets the EXIT, even for normal', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const first = await Agent.startLink(ctx, (c) => c.exit('bad_config'));
      const mailbox1 = (await drain(ctx)).map((m) => (m as ExitMessage).reason);
      const second = await Agent.startLink(ctx, (c) => c.exit('normal'));
      const mailbox2 = (await drain(ctx)).map((m) => (m as ExitMessage).reason);
      return { first, mailbox1, second, mailbox2 };
    });
    expect(got).toEqual({
      first: { type: 'error', reason: exitOf('bad_config') },
      mailbox1: [exitOf('bad_config')],
      second: { type: 'error', reason: 'normal' },
      mailbox2: ['normal'],
    });
  });

  it('J05 a taken name: start returns already_started with the holder, and the second init never runs', async () => {
    const rt = runtime();
    const first = pidOf(await Agent.start(() => 1, { runtime: rt, name: 'counter' }));
    let ran = false;
    expect(await Agent.start(() => ((ran = true), 2), { runtime: rt, name: 'counter' })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: first } });
    expect(ran).toBe(false);
    expect(await Agent.get(Agent.named<number>('counter', rt), (s) => s)).toBe(1);
  });

  it("J06 a get function that throws: the agent dies with the error, and the caller's call fails with the same reason", async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const { down } = watch(rt, a);
    expect((await rejection(Agent.get(a, () => { throw new Error('oops'); }))).reason).toEqual(errorOf('oops'));
    expect(await down()).toEqual(errorOf('oops'));
    expect(rt.isAlive(a)).toBe(false);
  });

  it('J07 an update function that exits: the agent dies with that reason, the call fails with it', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const { down } = watch(rt, a);
    expect((await rejection(Agent.update(a, (_s, ctx) => ctx.exit('custom')))).reason).toEqual(exitOf('custom'));
    expect(await down()).toEqual(exitOf('custom'));
  });

  it('J08 a get slower than its timeout: the call fails with timeout, the agent lives on, the late reply never arrives', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const got = await rt.run(async (ctx) => {
      const g = gate();
      const late = Agent.get(a, async (s) => (await g.wait(), s), { timeout: 50, caller: ctx });
      await g.entered;
      clock.advance(50);
      const first = (await rejection(late)).reason;
      g.open();
      const alive = rt.isAlive(a);
      const state = await Agent.get(a, (s) => s);
      const mailbox = await drain(ctx);
      const update = (await rejection(Agent.update(a, (s) => s + 1, 0))).reason;
      return { first, alive, state, mailbox, update, after: await Agent.get(a, (s) => s) };
    });
    expect(got).toEqual({ first: 'timeout', alive: true, state: 1, mailbox: [], update: 'timeout', after: 2 });
  });

  it('J09 stop with a reason resolves once the agent exited with it; stopping a dead agent fails with noproc, as a call does', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const wa = watch(rt, a);
    expect(await Agent.stop(a, 'shutdown')).toBeUndefined();
    expect(await wa.down()).toBe('shutdown');
    const b = await agent(rt, () => 1);
    const wb = watch(rt, b);
    expect(await Agent.stop(b, { tag: 'shutdown', detail: 'bye' })).toBeUndefined();
    expect(await wb.down()).toEqual({ tag: 'shutdown', detail: 'bye' });
    const stop = await Agent.stop(b).catch((e: unknown) => e);
    expect(stop).toBeInstanceOf(StopError);
    expect((stop as StopError).reason).toBe('noproc');
    expect((await rejection(Agent.get(b, (s) => s))).reason).toBe('noproc');
  });

  it('J10 cast returns at once, before its function runs; a later get waits for it, in order', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const g = gate();
    let ran = false;
    expect(Agent.cast(a, async (s) => (await g.wait(), (ran = true), s + 1))).toBeUndefined();
    await g.entered;
    expect(ran).toBe(false);
    const after = Agent.get(a, (s) => s);
    g.open();
    expect(await after).toBe(2);
    expect(ran).toBe(true);
    expect(Agent.cast(Agent.named<number>('nobody_j10', rt), (s) => s)).toBeUndefined();
  });

  it('J11 a getAndUpdate function that returns no [reply, state] pair: the agent stops with bad_return_value', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const { down } = watch(rt, a);
    expect((await rejection(Agent.getAndUpdate(a, (s) => s as never))).reason).toEqual(exitOf({ bad_return_value: 1 }));
    expect(await down()).toEqual(exitOf({ bad_return_value: 1 }));
  });

  it('J12 a cast function that throws: cast returned, the agent dies with the error, a later get fails with noproc', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const { down } = watch(rt, a);
    expect(Agent.cast(a, () => { throw new TypeError('bad'); })).toBeUndefined();
    expect(await down()).toEqual(errorOf('bad', TypeError));
    expect((await rejection(Agent.get(a, (s) => s))).reason).toBe('noproc');
  });

  it('J13 a name nobody holds: get, update and getAndUpdate fail with noproc; cast returns; stop fails with noproc', async () => {
    const rt = runtime();
    const nobody = Agent.named<number>('nobody', rt);
    expect((await rejection(Agent.get(nobody, (s) => s))).reason).toBe('noproc');
    expect((await rejection(Agent.update(nobody, (s) => s))).reason).toBe('noproc');
    expect((await rejection(Agent.getAndUpdate(nobody, (s) => [s, s]))).reason).toBe('noproc');
    expect(Agent.cast(nobody, (s) => s)).toBeUndefined();
    expect(((await Agent.stop(nobody).catch((e: unknown) => e)) as StopError).reason).toBe('noproc');
  });

  it('J14 a function named by module: init applies it to args, the others to [state, ...args]', async () => {
    const rt = runtime();
    const fn = (name: string, ...args: unknown[]) => ({ module: fixtures, export: name, args });
    const a = pidOf(await Agent.start<number[]>(fn('range', 1, 3), { runtime: rt }));
    expect(await Agent.get(a, fn('at', 1))).toBe(2);
    expect(await Agent.update(a, fn('double'))).toBeUndefined();
    expect(await Agent.get(a, (s) => s)).toEqual([2, 4, 6]);
    expect(await Agent.getAndUpdate(a, fn('split', 1))).toEqual([2]);
    expect(await Agent.get(a, (s) => s)).toEqual([4, 6]);
    expect(Agent.cast(a, fn('insertAt', 0, 0))).toBeUndefined();
    expect(await Agent.get(a, (s) => s)).toEqual([0, 4, 6]);
    expect(await Agent.start(fn('fetch', [], 0), { runtime: rt })).toEqual({ type: 'error', reason: errorOf('out of bounds error', RangeError) });
  });

  it('J15 a linked agent that crashes in a function: a trapping caller gets the EXIT after its call failed', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const a = pidOf(await Agent.startLink(ctx, () => 1));
      const reason = (await rejection(Agent.update(a, () => { throw new Error('boom'); }))).reason;
      return { a, reason, mailbox: [await ctx.receive(), ...(await drain(ctx))] };
    });
    expect(got.reason).toEqual(errorOf('boom'));
    expect(got.mailbox).toEqual([{ type: 'EXIT', from: got.a, reason: errorOf('boom') }]);
  });

  it('J16 childSpec: a supervised agent is restarted with a fresh state after it crashes', async () => {
    const rt = runtime();
    expect(Agent.childSpec(() => 0)).toMatchObject({ id: 'Agent', start: expect.any(Function) });
    const sup = pidOf(await Supervisor.start({ children: [Agent.childSpec(() => 0, { id: 'counter', name: 'counter' })] }, { runtime: rt }));
    const counter = Agent.named<number>('counter', rt);
    expect(await Agent.update(counter, (n) => n + 5)).toBeUndefined();
    expect(await Agent.get(counter, (n) => n)).toBe(5);
    const old = rt.whereis('counter')!;
    const { down } = watch(rt, old);
    expect((await rejection(Agent.get(counter, () => { throw new Error('boom'); }))).reason).toEqual(errorOf('boom'));
    expect(await down()).toEqual(errorOf('boom'));
    expect(await Agent.get(counter, (n) => n)).toBe(0);
    expect(rt.whereis('counter')).not.toBe(old);
    await Supervisor.stop(sup);
  });

  it('J17 stop with a timeout while the agent is busy: the stop fails with timeout, and the agent stops once free', async () => {
    const rt = runtime();
    const a = await agent(rt, () => 1);
    const { down } = watch(rt, a);
    const g = gate();
    Agent.cast(a, async (s) => (await g.wait(), s));
    const stopping = Agent.stop(a, 'normal', 50).catch((e: unknown) => e);
    await g.entered;
    clock.advance(50);
    expect(((await stopping) as StopError).reason).toBe('timeout');
    expect(rt.isAlive(a)).toBe(true);
    g.open();
    expect(await down()).toBe('normal');
  });
});
