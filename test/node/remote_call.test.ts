/**
 * GenServer.call, cast and reply to a server of another node.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Node, type Context, type Pid } from 'ts-otp';
import type { CounterProtocol } from './fixtures/servers.js';
import { fixture, useNodes } from '../support/nodes.js';

const node = useNodes();
const servers = fixture('servers.ts');

async function remoteCounter(ctx: Context, start: number): Promise<Pid> {
  await Node.spawn(ctx, 'w', { module: servers, export: 'startCounter', args: [ctx.self, start] });
  const m = (await ctx.receive()) as { counter: Pid };
  return m.counter;
}

describe('GenServer.call to a server of a worker node', () => {
  it('gets the reply, deferred replies included, and a cast reaches handleCast', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const got = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 1);
      const added = await GenServer.call<CounterProtocol, { type: 'add'; by: number }>(pid, { type: 'add', by: 2 });
      GenServer.cast<CounterProtocol>(pid, { type: 'set', to: 10 });
      const later = await GenServer.call<CounterProtocol, { type: 'later' }>(pid, { type: 'later' });
      return { added, later };
    });
    expect(got).toEqual({ added: 3, later: 10 });
  });

  it('fails with the exit reason of a server that crashes on the request', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      return GenServer.call(pid as GenServer.ServerPid<CounterProtocol>, { type: 'nothing' } as never).catch((e: unknown) => e);
    });
    expect(failed).toBeInstanceOf(CallError);
    expect((failed as CallError).reason).toMatchObject({ tag: 'error', cause: { message: 'no handleCall for "nothing"' } });
  });

  it('fails with noconnection when the server node is lost', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      const pending = GenServer.call<CounterProtocol, { type: 'spin' }>(pid, { type: 'spin' }, 'infinity').catch((e: unknown) => e);
      Node.disconnect(a, 'w');
      return pending;
    });
    expect((failed as CallError).reason).toBe('noconnection');
  });

  it('rejects with CloneError for a request that cannot cross, and the server keeps answering', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const got = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 5);
      const bad = await GenServer.call(pid as GenServer.ServerPid<CounterProtocol>, { type: 'add', by: (() => 1) as never }).catch((e: unknown) => e);
      return { bad, get: await GenServer.call<CounterProtocol, { type: 'get' }>(pid, { type: 'get' }) };
    });
    expect(got.bad).toMatchObject({ name: 'CloneError' });
    expect(got.get).toBe(5);
  });

  it('ends a server whose reply cannot cross with the CloneError, which the call fails with', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      return GenServer.call<CounterProtocol, { type: 'uncopyable' }>(pid, { type: 'uncopyable' }).catch((e: unknown) => e);
    });
    expect((failed as CallError).reason).toMatchObject({ tag: 'error', cause: { message: expect.stringMatching(/could not be cloned|function/i) } });
  });

  it('times out like a local call', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      GenServer.cast<CounterProtocol>(pid, { type: 'spin' });
      const result = await GenServer.call<CounterProtocol, { type: 'get' }>(pid, { type: 'get' }, 30).catch((e: unknown) => e);
      Node.disconnect(a, 'w');
      return result;
    });
    expect((failed as CallError).reason).toBe('timeout');
  });
});
