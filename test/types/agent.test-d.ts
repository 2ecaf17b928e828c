/**
 * Type tests: an agent is typed by its state. Every function gets that state, `update` and
 * `cast` must return it, `getAndUpdate` a `[reply, state]` pair, and each call's reply type
 * follows from the function.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { Agent, GenServer, type Context, type Pid, type Runtime } from 'ts-otp';

declare const counter: Agent.AgentPid<number>;
declare const rt: Runtime;
declare const ctx: Context;

describe('Agent types', () => {
  it('start infers the state from init, async or not', () => {
    expectTypeOf(Agent.start(() => 1)).toEqualTypeOf<Promise<Agent.AgentStartResult<number>>>();
    expectTypeOf(Agent.start(async () => ['a'])).toEqualTypeOf<Promise<Agent.AgentStartResult<string[]>>>();
    expectTypeOf(Agent.startLink(ctx, () => new Map<string, number>())).toEqualTypeOf<Promise<Agent.AgentStartResult<Map<string, number>>>>();
    expectTypeOf(Agent.start<number>({ module: '/m.js', export: 'initial', args: [1] })).toEqualTypeOf<Promise<Agent.AgentStartResult<number>>>();
  });

  it('get replies with what its function returns, awaited', () => {
    expectTypeOf(Agent.get(counter, (n) => String(n))).toEqualTypeOf<Promise<string>>();
    expectTypeOf(Agent.get(counter, async (n) => n > 0)).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(Agent.get(counter, (n, agent) => [n, agent.self] as const)).toEqualTypeOf<Promise<readonly [number, Pid]>>();
    expectTypeOf(Agent.get<number, string>(counter, { module: '/m.js' })).toEqualTypeOf<Promise<string>>();
    // @ts-expect-error the state is a number
    void Agent.get(counter, (s: string) => s);
  });

  it('update and cast must return the state', () => {
    expectTypeOf(Agent.update(counter, (n) => n + 1)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(Agent.cast(counter, async (n) => n + 1)).toEqualTypeOf<void>();
    // @ts-expect-error a string is not the state
    void Agent.update(counter, (n) => String(n));
    // @ts-expect-error a string is not the state
    Agent.cast(counter, () => 'x');
  });

  it('getAndUpdate returns a [reply, state] pair and replies with the first', () => {
    expectTypeOf(Agent.getAndUpdate(counter, (n) => [String(n), n + 1])).toEqualTypeOf<Promise<string>>();
    // @ts-expect-error the new state must be a number
    void Agent.getAndUpdate(counter, (n) => [n, 'x']);
    // @ts-expect-error a bare value is no pair
    void Agent.getAndUpdate(counter, (n) => n);
  });

  it('a named agent carries its state type; an agent is a GenServer', () => {
    const named = Agent.named<string[]>('list', rt);
    expectTypeOf(Agent.get(named, (items) => items.length)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(GenServer.getState(counter)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(counter).toMatchTypeOf<Pid>();
    // @ts-expect-error an agent of strings is not an agent of numbers
    const wrong: Agent.AgentPid<number> = {} as Agent.AgentPid<string>;
    void wrong;
  });

  it('timeouts and options are typed as GenServer.call takes them', () => {
    void Agent.get(counter, (n) => n, 100);
    void Agent.get(counter, (n) => n, 'infinity');
    void Agent.get(counter, (n) => n, { timeout: 100, caller: ctx });
    // @ts-expect-error not a timeout
    void Agent.get(counter, (n) => n, 'soon');
  });
});
