/**
 * GenServer.call, cast and reply to a server of another node.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Node, type Context, type Pid, type Runtime } from 'ts-otp';
import type { CounterProtocol } from './fixtures/servers.js';
import { drain, fixture, useNodes } from '../support/nodes.js';

const node = useNodes();
const servers = fixture('servers.ts');

/** Node `a`, connected to a worker node `w` it started. */
async function withWorker(): Promise<Runtime> {
  const a = node('a');
  await Node.startWorker(a, { name: 'w' });
  return a;
}

async function remoteCounter(ctx: Context, start: number): Promise<Pid> {
  await Node.spawn(ctx, 'w', { module: servers, export: 'startCounter', args: [ctx.self, start] });
  const m = (await ctx.receive()) as { counter: Pid };
  return m.counter;
}

describe('GenServer.call to a server of a worker node', () => {
  it('gets the reply, deferred replies included, and a cast reaches handleCast', async () => {
    const a = await withWorker();
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
    const a = await withWorker();
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      return GenServer.call(pid as GenServer.ServerPid<CounterProtocol>, { type: 'nothing' } as never).catch((e: unknown) => e);
    });
    expect(failed).toBeInstanceOf(CallError);
    expect((failed as CallError).reason).toMatchObject({ tag: 'error', cause: { message: 'no handleCall for "nothing"' } });
  });

  it('fails with noconnection when the server node is lost', async () => {
    const a = await withWorker();
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      const pending = GenServer.call<CounterProtocol, { type: 'spin' }>(pid, { type: 'spin' }, 'infinity').catch((e: unknown) => e);
      Node.disconnect(a, 'w');
      return pending;
    });
    expect((failed as CallError).reason).toBe('noconnection');
  });

  it('rejects with CloneError for a request that cannot cross, and the server keeps answering', async () => {
    const a = await withWorker();
    const got = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 5);
      const bad = await GenServer.call(pid as GenServer.ServerPid<CounterProtocol>, { type: 'add', by: (() => 1) as never }).catch((e: unknown) => e);
      return { bad, get: await GenServer.call<CounterProtocol, { type: 'get' }>(pid, { type: 'get' }) };
    });
    expect(got.bad).toMatchObject({ name: 'CloneError' });
    expect(got.get).toBe(5);
  });

  it('ends a server whose reply cannot cross with the CloneError, which the call fails with', async () => {
    const a = await withWorker();
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      return GenServer.call<CounterProtocol, { type: 'uncopyable' }>(pid, { type: 'uncopyable' }).catch((e: unknown) => e);
    });
    expect((failed as CallError).reason).toMatchObject({ tag: 'error', cause: { message: expect.stringMatching(/could not be cloned|function/i) } });
  });

  it('times out like a local call', async () => {
    const a = await withWorker();
    const failed = await a.run(async (ctx) => {
      const pid = await remoteCounter(ctx, 0);
      GenServer.cast<CounterProtocol>(pid, { type: 'spin' });
      const result = await GenServer.call<CounterProtocol, { type: 'get' }>(pid, { type: 'get' }, 30).catch((e: unknown) => e);
      Node.disconnect(a, 'w');
      return result;
    });
    expect((failed as CallError).reason).toBe('timeout');
  });
  it('fails every waiting call with the reason of the server that exits, and only its calls; nothing is left behind', async () => {
    const a = await withWorker();
    const before = a.processes().length;
    const got = await a.run(async (ctx) => {
      const doomed = (await remoteCounter(ctx, 0)) as GenServer.ServerPid<CounterProtocol>;
      const other = (await remoteCounter(ctx, 100)) as GenServer.ServerPid<CounterProtocol>;
      const processes = a.processes().length;
      // Calls the doomed server never answers, answered calls to both servers, then a request
      // the doomed server crashes on.
      const waiting = Array.from({ length: 40 }, () => GenServer.call(doomed, { type: 'hold' }, 'infinity').catch((e: unknown) => e));
      const answered = Array.from({ length: 10 }, () => GenServer.call(doomed, { type: 'add', by: 1 }));
      const others = Array.from({ length: 20 }, (_, i) => GenServer.call(other, { type: 'add', by: i }));
      const crash = GenServer.call(doomed, { type: 'nothing' } as never).catch((e: unknown) => e);
      const after = GenServer.call(doomed, { type: 'get' }, 'infinity').catch((e: unknown) => e);
      const result = {
        processes,
        waiting: await Promise.all(waiting),
        answered: await Promise.all(answered),
        others: await Promise.all(others),
        crash: await crash,
        after: await after,
        still: await GenServer.call(other, { type: 'get' }),
        gone: await GenServer.call(doomed, { type: 'get' }).catch((e: unknown) => e),
      };
      await new Promise((resolve) => setImmediate(resolve)); // the reply inbox closes once idle
      return { ...result, stray: await drain(ctx), afterIdle: a.processes().length };
    });
    const reason = { tag: 'error', cause: { message: 'no handleCall for "nothing"' } };
    expect(got.waiting).toHaveLength(40);
    for (const e of [...got.waiting, got.crash, got.after]) {
      expect(e).toBeInstanceOf(CallError);
      expect((e as CallError).reason).toMatchObject(reason);
    }
    expect((got.gone as CallError).reason).toBe('noproc');
    expect(got.answered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(got.others).toEqual(Array.from({ length: 20 }, (_, i) => 100 + (i * (i + 1)) / 2));
    expect(got.still).toBe(290);
    expect(got.stray).toEqual([]);
    expect(got.afterIdle).toBe(got.processes); // the shared reply inbox is gone, and with it its monitors
    expect(a.processes().length).toBe(before);
  });
});
