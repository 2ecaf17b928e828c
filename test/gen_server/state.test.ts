import { describe, expect, it } from 'vitest';
import { GenServer, Next } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { deferred, manualClock, useRuntime } from '../support/runtime.js';

// A manual clock: calls' 5000 ms default deadlines set no host timer.
const runtime = useRuntime(() => ({ clock: manualClock() }));

interface Counter {
  state: { readonly count: number };
  call: { readonly type: 'get' };
  reply: { get: number };
  cast: { readonly type: 'add'; readonly by: number } | { readonly type: 'hold'; readonly gate: Promise<void> };
}
const counter: GenServer.Behaviour<Counter> = {
  init: () => Next.ok({ count: 0 }),
  handleCall: { get: (_req, _from, s) => Next.reply(s.count, s) },
  handleCast: {
    add: ({ by }, s) => Next.noreply({ count: s.count + by }),
    hold: async ({ gate }, s) => {
      await gate;
      return Next.noreply(s);
    },
  },
};

describe('getState', () => {
  it('reads the state between messages, after those sent before it', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt, name: 'counter' }));
    GenServer.cast(pid, { type: 'add', by: 2 });
    GenServer.cast(pid, { type: 'add', by: 3 });
    expect(await GenServer.getState(pid)).toEqual({ count: 5 });
    expect(await GenServer.getState(GenServer.named<Counter>('counter', rt))).toEqual({ count: 5 });
  });

  it('waits for a running async handler', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    const gate = deferred();
    GenServer.cast(pid, { type: 'hold', gate: gate.promise });
    GenServer.cast(pid, { type: 'add', by: 1 });
    const state = GenServer.getState(pid);
    gate.resolve();
    expect(await state).toEqual({ count: 1 });
  });

  it('fails with noproc for a server that is not there', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    await GenServer.stop(pid);
    expect((await rejection(GenServer.getState(pid))).reason).toBe('noproc');
  });
});

describe('replaceState', () => {
  it('replaces the state and resolves with the new one', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    GenServer.cast(pid, { type: 'add', by: 4 });
    expect(await GenServer.replaceState(pid, (s) => ({ count: s.count * 10 }))).toEqual({ count: 40 });
    expect(await GenServer.call(pid, { type: 'get' })).toBe(40);
  });

  it('rejects with the error of an update that throws and keeps the state and the server', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    GenServer.cast(pid, { type: 'add', by: 1 });
    const failure = new Error('no');
    await expect(
      GenServer.replaceState(pid, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(rt.isAlive(pid)).toBe(true);
    expect(await GenServer.getState(pid)).toEqual({ count: 1 });
  });

  it('fails with noproc for a server that is not there', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    rt.exit(pid, 'kill');
    expect((await rejection(GenServer.replaceState(pid, (s) => s))).reason).toBe('noproc');
  });
});

describe('statistics', () => {
  it('counts handled messages of every kind and shows the queue', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    expect(GenServer.statistics(pid)).toEqual({ messagesHandled: 0, messageQueueLen: 0 });
    GenServer.cast(pid, { type: 'add', by: 1 });
    rt.send(pid, 'stray'); // no handleInfo: logged and dropped, still handled
    await GenServer.call(pid, { type: 'get' });
    await GenServer.getState(pid);
    expect(GenServer.statistics(pid)).toEqual({ messagesHandled: 4, messageQueueLen: 0 });
    const gate = deferred();
    GenServer.cast(pid, { type: 'hold', gate: gate.promise });
    GenServer.cast(pid, { type: 'add', by: 1 });
    GenServer.cast(pid, { type: 'add', by: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(GenServer.statistics(pid)).toEqual({ messagesHandled: 5, messageQueueLen: 2 });
    gate.resolve();
    expect(await GenServer.call(pid, { type: 'get' })).toBe(3);
    expect(GenServer.statistics(GenServer.named<Counter>('nobody', rt))).toBeUndefined();
  });

  it('is undefined for a server that has exited', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(counter, undefined, { runtime: rt }));
    await GenServer.stop(pid);
    expect(GenServer.statistics(pid)).toBeUndefined();
  });
});
