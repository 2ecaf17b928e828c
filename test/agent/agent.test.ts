/**
 * Agent: its functions run in the agent, one at a time, and its calls fail as GenServer calls do.
 */
import { describe, expect, it } from 'vitest';
import { Agent, CallError, GenServer, type Context, type Runtime } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { manualClock, useRuntime } from '../support/runtime.js';
import { gate, watch } from './helpers.js';

const clock = manualClock();
const runtime = useRuntime(() => ({ clock }));

async function agent<S>(rt: Runtime, init: () => S): Promise<Agent.AgentPid<S>> {
  return pidOf(await Agent.start(init, { runtime: rt }));
}

describe('Agent.start', () => {
  it('awaits an async init before the start returns', async () => {
    const rt = runtime();
    const pid = pidOf(await Agent.start(async () => 'loaded', { runtime: rt }));
    expect(await Agent.get(pid, (s) => s)).toBe('loaded');
  });

  it('returns the error of an init that throws, rejects or exits, and leaves no agent and no name', async () => {
    const rt = runtime();
    const before = rt.processes();
    const boom = new Error('boom');
    expect(await Agent.start(() => { throw boom; }, { runtime: rt, name: 'a' })).toEqual({ type: 'error', reason: { tag: 'error', cause: boom } });
    expect(await Agent.start(() => Promise.reject(boom), { runtime: rt, name: 'a' })).toEqual({ type: 'error', reason: { tag: 'error', cause: boom } });
    expect(await Agent.start((ctx) => ctx.exit('bad_config'), { runtime: rt, name: 'a' })).toEqual({ type: 'error', reason: { tag: 'exit', value: 'bad_config' } });
    expect(rt.whereis('a')).toBeUndefined();
    await rt.settle();
    expect(rt.processes()).toEqual(before);
  });

  it('gives up on an init slower than options.timeout, and kills it', async () => {
    const rt = runtime();
    const g = gate();
    const started = Agent.start(() => g.wait(), { runtime: rt, name: 'slow', timeout: 100 });
    await g.entered;
    clock.advance(100);
    expect(await started).toEqual({ type: 'error', reason: 'timeout' });
    expect(rt.whereis('slow')).toBeUndefined();
  });
});

describe('get, update, getAndUpdate, cast', () => {
  it('read and replace the state in order, each function given the state and the agent context', async () => {
    const rt = runtime();
    const pid = await agent(rt, () => 1);
    expect(await Agent.get(pid, (s) => s * 100)).toBe(100);
    expect(await Agent.update(pid, (s) => s + 1)).toBeUndefined();
    expect(await Agent.getAndUpdate(pid, (s) => [s * 10, s + 10])).toBe(20);
    Agent.cast(pid, (s) => s * 2);
    expect(await Agent.get(pid, (s, ctx: Context) => [s, ctx.self])).toEqual([24, pid]);
  });

  it('wait for an async function before the next message, and reply with its value', async () => {
    const rt = runtime();
    const pid = await agent(rt, () => [] as string[]);
    const g = gate();
    const slow = Agent.update(pid, async (items) => (await g.wait(), [...items, 'slow']));
    const after = Agent.getAndUpdate(pid, async (items) => [items.length, [...items, 'next']]);
    await g.entered;
    g.open();
    await slow;
    expect(await after).toBe(1); // ran after the slow update had finished
    expect(await Agent.get(pid, async (items) => items.join(','))).toBe('slow,next');
  });

  it('a typed agent is a GenServer: getState and statistics see it', async () => {
    const rt = runtime();
    const pid = await agent(rt, () => ({ n: 1 }));
    expect(await GenServer.getState(pid)).toEqual({ n: 1 });
    expect(GenServer.statistics(pid)).toMatchObject({ messagesHandled: 1 });
  });
});

describe('failures', () => {
  it.each([
    ['get', (pid: Agent.AgentPid<number>) => Agent.get(pid, () => { throw new Error('oops'); })],
    ['update', (pid: Agent.AgentPid<number>) => Agent.update(pid, async () => { throw new Error('oops'); })],
    ['getAndUpdate', (pid: Agent.AgentPid<number>) => Agent.getAndUpdate(pid, () => { throw new Error('oops'); })],
  ] as const)('a %s function that throws ends the agent, and the call fails with its reason', async (_name, call) => {
    const rt = runtime();
    const pid = await agent(rt, () => 1);
    const { down } = watch(rt, pid);
    const failing = call(pid);
    const waiting = Agent.get(pid, (n) => n); // queued behind: fails with the same reason
    const error = await rejection(failing);
    expect(error.reason).toMatchObject({ tag: 'error', cause: { message: 'oops' } });
    expect(await down()).toBe(error.reason);
    expect((await rejection(waiting)).reason).toBe(error.reason);
  });



});


it('CallError of an agent call names the agent as the caller named it', async () => {
  const rt = runtime();
  const error = await rejection(Agent.get(Agent.named<number>('missing', rt), (n) => n));
  expect(error).toBeInstanceOf(CallError);
  expect(error.server).toBe('missing');
});
