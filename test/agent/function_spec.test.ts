/**
 * Agents and functions named by module path (Agent.FunctionSpec), here and on a worker node,
 * where a function itself cannot go.
 */
import { describe, expect, it } from 'vitest';
import { Agent, CloneError, Node, type Context, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { useRuntime } from '../support/runtime.js';
import { useNodes } from '../support/nodes.js';

const runtime = useRuntime();
const node = useNodes();
const agents = new URL('./fixtures/agents.ts', import.meta.url).pathname;

describe('a FunctionSpec', () => {
  it('is applied as fn(...args) for init and fn(state, ...args) for the others', async () => {
    const rt = runtime();
    const pid = pidOf(await Agent.start<number>({ module: agents, export: 'initial', args: [3] }, { runtime: rt }));
    expect(await Agent.get(pid, { module: agents, export: 'plus', args: [10] })).toBe(13);
    await Agent.update(pid, { module: agents, export: 'plus', args: [1] });
    expect(await Agent.getAndUpdate(pid, { module: agents, export: 'takeAndAdd', args: [5] })).toBe(4);
    Agent.cast(pid, { module: agents, export: 'plus', args: [100] });
    expect(await Agent.get(pid, (n) => n)).toBe(109);
  });

  it('that does not name a function ends the agent with a NodeError, and the call fails with it', async () => {
    const rt = runtime();
    const pid = pidOf(await Agent.start(() => 1, { runtime: rt }));
    const error = await rejection(Agent.get(pid, { module: agents, export: 'notAFunction' }));
    expect(error.reason).toMatchObject({ tag: 'error', cause: { name: 'NodeError', reason: 'not_a_function', node: 'nonode@nohost' } });
    expect(rt.isAlive(pid)).toBe(false);
    expect(await Agent.start({ module: '/no/such/module.js' }, { runtime: rt })).toMatchObject({ type: 'error', reason: { tag: 'error', cause: { reason: 'not_loaded' } } });
  });
});

describe('an agent of a worker node', () => {
  async function remoteAgent(ctx: Context): Promise<Agent.AgentPid<number>> {
    await Node.spawn(ctx, 'w', { module: agents, export: 'startAgent', args: [ctx.self, 1] });
    return ((await ctx.receive()) as { agent: Agent.AgentPid<number> }).agent;
  }
  async function withWorker(): Promise<Runtime> {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    return a;
  }

  it('runs functions named by module path, in its own thread', async () => {
    const a = await withWorker();
    const got = await a.run(async (ctx) => {
      const pid = await remoteAgent(ctx);
      const read = await Agent.get(pid, { module: agents, export: 'plus', args: [10] });
      await Agent.update(pid, { module: agents, export: 'plus', args: [1] });
      const taken = await Agent.getAndUpdate<number, number>(pid, { module: agents, export: 'takeAndAdd', args: [5] });
      Agent.cast(pid, { module: agents, export: 'plus', args: [100] });
      const last = await Agent.get(pid, { module: agents, export: 'plus', args: [0] });
      return { read, taken, last };
    });
    expect(got).toEqual({ read: 11, taken: 2, last: 107 });
  });

  it('refuses a function: the call rejects and the cast throws a CloneError, nothing is sent, the agent keeps its state', async () => {
    const a = await withWorker();
    const got = await a.run(async (ctx) => {
      const pid = await remoteAgent(ctx);
      const ref = ctx.monitor(pid);
      const call = await Agent.update(pid, (n) => n + 1).catch((e: unknown) => e);
      let cast: unknown;
      try {
        Agent.cast(pid, (n) => n + 1);
      } catch (e) {
        cast = e;
      }
      const state = await Agent.get(pid, { module: agents, export: 'plus', args: [0] });
      // GenServer.stop takes local servers only: an exit signal ends an agent of another node.
      const stop = (() => {
        try {
          return Agent.stop(pid, 'shutdown');
        } catch (e) {
          return e;
        }
      })();
      ctx.exit(pid, 'shutdown');
      const down = (await ctx.receiveRef(ref)) as DownMessage;
      return { call, cast, state, stop, down: down.reason };
    });
    expect(got.call).toBeInstanceOf(CloneError);
    expect(got.call).toMatchObject({ valueType: 'function' });
    expect(got.cast).toBeInstanceOf(CloneError);
    expect(got.state).toBe(1);
    expect(got.stop).toMatchObject({ name: 'InvalidArgumentError', operation: 'Agent.stop' });
    expect(got.down).toBe('shutdown');
  });

  it('fails a call with its exit reason when a named function is missing there', async () => {
    const a = await withWorker();
    const reason = await a.run(async (ctx) => {
      const pid: Pid = await remoteAgent(ctx);
      return (await rejection(Agent.get(pid as Agent.AgentPid<number>, { module: agents, export: 'nothing' }))).reason;
    });
    expect(reason).toMatchObject({ tag: 'error', cause: { message: expect.stringContaining('not_a_function') } });
  });
});
