/**
 * StateMachine.call and cast to a machine of another node (a worker thread), by pid.
 */
import { describe, expect, it } from 'vitest';
import { CallError, Node, StateMachine, type Context, type Pid, type Runtime } from 'ts-otp';
import type { SwitchProtocol } from './fixtures/machines.js';
import { useNodes } from '../support/nodes.js';

const node = useNodes();
const machines = new URL('./fixtures/machines.ts', import.meta.url).pathname;

async function withWorker(): Promise<Runtime> {
  const a = node('a');
  await Node.startWorker(a, { name: 'w' });
  return a;
}

async function remoteSwitch(ctx: Context): Promise<StateMachine.MachinePid<SwitchProtocol>> {
  await Node.spawn(ctx, 'w', { module: machines, export: 'startSwitch', args: [ctx.self] });
  const m = (await ctx.receive()) as { machine: Pid };
  return m.machine as StateMachine.MachinePid<SwitchProtocol>;
}

describe('a state machine on another node', () => {
  it('answers calls, takes casts, and answers a postponed call after the change of state', async () => {
    const a = await withWorker();
    const got = await a.run(async (ctx) => {
      const pid = await remoteSwitch(ctx);
      const before = await StateMachine.call(pid, { type: 'get' });
      const waiting = StateMachine.call(pid, { type: 'wait_for_on' });
      StateMachine.cast(pid, { type: 'flip' });
      return { before, waited: await waiting, after: await StateMachine.call(pid, { type: 'get' }) };
    });
    expect(got).toEqual({ before: { state: 'off', flips: 0 }, waited: 1, after: { state: 'on', flips: 1 } });
  });

  it('fails a call with noconnection when the node is lost', async () => {
    const a = await withWorker();
    const failed = await a.run(async (ctx) => {
      const pid = await remoteSwitch(ctx);
      const pending = StateMachine.call(pid, { type: 'wait_for_on' }, 'infinity').catch((e: unknown) => e);
      Node.disconnect(a, 'w');
      return pending;
    });
    expect(failed).toBeInstanceOf(CallError);
    expect((failed as CallError).reason).toBe('noconnection');
  });
});
