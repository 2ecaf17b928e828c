/**
 * GenServer.call, cast and reply to a server of another node.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, InvalidArgumentError, Next, Node, Runtime, type Context, type Pid } from 'ts-otp';
import type { CounterProtocol } from './fixtures/servers.js';
import { connectedPair, drain, fixture, useNodes } from '../support/nodes.js';

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

interface Named {
  arg: number;
  state: number;
  call: { readonly type: 'get' } | { readonly type: 'crash' };
  reply: { get: number; crash: never };
  cast: { readonly type: 'set'; readonly to: number };
}
const named: GenServer.Behaviour<Named> = {
  init: (n) => Next.ok(n),
  handleCall: { get: (_r, _f, s) => Next.reply(s, s), crash: (_r, _f, s) => Next.stop('crashed', s) },
  handleCast: { set: ({ to }) => Next.noreply(to) },
};

describe('GenServer.call and cast to { name, node }', () => {
  it('reach the server that holds the name there; each call monitors it only while it waits', async () => {
    const { a, b } = await connectedPair(node);
    const started = await GenServer.start(named, 1, { runtime: b, name: 'db' });
    if (started.type !== 'ok') throw new Error('no start');
    const db = GenServer.named<Named>({ name: 'db', node: 'b' }, a);
    const got = await a.run(async (ctx) => {
      GenServer.cast(db, { type: 'set', to: 7 });
      const values: number[] = [];
      for (let i = 0; i < 50; i++) values.push(await GenServer.call(db, { type: 'get' }, { caller: ctx }));
      return values;
    });
    expect(got).toEqual(Array.from({ length: 50 }, () => 7));
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.processInfo(started.pid)?.monitoredBy).toEqual([]); // every call's monitor went with its answer
  });

  it('follow the name to the process that holds it now, and fail with the reason of the one that exits in the call', async () => {
    const { a, b } = await connectedPair(node);
    const db = GenServer.named<Named>({ name: 'db', node: 'b' }, a);
    await GenServer.start(named, 1, { runtime: b, name: 'db' });
    const crashed = await GenServer.call(db, { type: 'crash' }).catch((e: CallError) => e.reason);
    await GenServer.start(named, 2, { runtime: b, name: 'db' });
    expect({ crashed, next: await GenServer.call(db, { type: 'get' }) }).toEqual({ crashed: { tag: 'exit', value: 'crashed' }, next: 2 });
  });

  it('reach a name of the own node, and fail with noconnection for a node that is not connected', async () => {
    const a = node('a');
    await GenServer.start(named, 3, { runtime: a, name: 'here' });
    expect(await GenServer.call(GenServer.named<Named>({ name: 'here', node: 'a' }, a), { type: 'get' })).toBe(3);
    // The own node's name is a local name, as Erlang's gen makes it: calling_self, and stop works.
    const self = await a.run(async (ctx) => {
      ctx.register('me');
      return GenServer.call(GenServer.named<Named>({ name: 'me', node: 'a' }, a), { type: 'get' }, { caller: ctx, timeout: 100 }).catch((e: CallError) => e.reason);
    });
    expect(self).toBe('calling_self');
    await GenServer.stop(GenServer.named<Named>({ name: 'here', node: 'a' }, a));
    expect(a.whereis('here')).toBeUndefined();
    const far = await GenServer.call(GenServer.named<Named>({ name: 'db', node: 'far' }, a), { type: 'get' }).catch((e: CallError) => e.reason);
    expect(far).toBe('noconnection');
    GenServer.cast(GenServer.named<Named>({ name: 'db', node: 'far' }, a), { type: 'set', to: 1 }); // dropped, as a cast never fails
  });

  it('are a typed error at the call on a runtime that is not a node, and for a stop or a state request', async () => {
    const plain = new Runtime();
    const ref = GenServer.named<Named>({ name: 'db', node: 'b' }, plain);
    expect(() => GenServer.call(ref, { type: 'get' })).toThrow(InvalidArgumentError);
    expect(() => GenServer.call(ref, { type: 'get' })).toThrow(/a \{ name, node \} on a runtime that is a node/);
    const a = node('a');
    const onNode = GenServer.named<Named>({ name: 'db', node: 'b' }, a);
    expect(() => GenServer.stop(onNode)).toThrow(/only call and cast reach a server of another node/);
    expect(() => GenServer.getState(onNode)).toThrow(InvalidArgumentError);
    expect(() => GenServer.named<Named>({ name: '', node: 'b' } as never, a)).toThrow(InvalidArgumentError);
    expect(await plain.run(() => 'intact')).toBe('intact');
  });
});
