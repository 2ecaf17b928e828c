import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Next, type Pid } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, exitReasonOf, hasSettled, manualClock, memoryLogger, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  clock = manualClock();
  log = memoryLogger();
  return { clock, logger: log.logger };
});

interface Kv {
  state: ReadonlyMap<string, number>;
  call: { readonly type: 'get'; readonly key: string } | { readonly type: 'put'; readonly key: string; readonly value: number } | { readonly type: 'hang' };
  reply: { get: number | undefined; put: 'ok'; hang: never };
}
const kv: GenServer.Behaviour<Kv> = {
  init: () => Next.ok(new Map()),
  handleCall: {
    get: ({ key }, _from, s) => Next.reply(s.get(key), s),
    put: ({ key, value }, _from, s) => Next.reply('ok', new Map(s).set(key, value)),
    hang: (_req, _from, s) => Next.noreply(s),
  },
};

describe('call', () => {
  it('works from plain code, by pid and by name', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt, name: 'kv' }));
    expect(await GenServer.call(pid, { type: 'put', key: 'a', value: 1 })).toBe('ok');
    expect(await GenServer.call(GenServer.named<Kv>('kv', rt), { type: 'get', key: 'a' })).toBe(1);
    expect(await GenServer.call(pid, { type: 'get', key: 'b' })).toBeUndefined();
  });

  it('works from inside a process, which keeps running afterwards', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const seen = await rt.run(async (ctx) => {
      await GenServer.call(pid, { type: 'put', key: 'x', value: 7 });
      const value = await GenServer.call(pid, { type: 'get', key: 'x' });
      ctx.send(ctx.self, 'still here');
      return { value, next: await ctx.receive() };
    });
    expect(seen).toEqual({ value: 7, next: 'still here' });
  });

  it('works from inside another server', async () => {
    const rt = runtime();
    interface Front {
      state: GenServer.ServerPid<Kv>;
      call: { readonly type: 'lookup'; readonly key: string };
      reply: { lookup: number | undefined };
    }
    const store = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    await GenServer.call(store, { type: 'put', key: 'k', value: 3 });
    const front: GenServer.Behaviour<Front> = {
      init: () => Next.ok(store),
      // the reply type follows the request: number | undefined here, which lookup's reply must be
      handleCall: { lookup: async ({ key }, _from, s) => Next.reply(await GenServer.call(s, { type: 'get', key }), s) },
    };
    const pid = pidOf(await GenServer.start(front, undefined, { runtime: rt }));
    expect(await GenServer.call(pid, { type: 'lookup', key: 'k' })).toBe(3);
  });

  it('times out after 5000 ms by default, without a timeout in the exit reason', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const failed = rejection(GenServer.call(pid, { type: 'hang' }));
    await rt.settle();
    clock.advance(4999);
    expect(await hasSettled(failed)).toBe(false);
    clock.advance(1);
    const error = await failed;
    expect(error).toBeInstanceOf(CallError);
    expect(error.reason).toBe('timeout');
    expect(error.server).toBe(pid);
    expect(error.timeout).toBeUndefined();
    expect(error.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'timeout', call: { server: pid, request: { type: 'hang' } } } });
    expect(rt.isAlive(pid)).toBe(true); // the server is not affected
  });

  it("never times out with 'infinity'", async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const pending = GenServer.call(pid, { type: 'hang' }, 'infinity');
    await rt.settle();
    expect(clock.pending()).toBe(0);
    clock.advance(1e9);
    expect(await hasSettled(pending)).toBe(false);
    await GenServer.stop(pid);
    const error = await rejection(pending);
    expect(error.reason).toBe('normal'); // the server exited without replying
    expect(error.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'normal', call: { server: pid, request: { type: 'hang' }, timeout: 'infinity' } } });
  });

  it('a timeout of 0 fails at once, and the server still handles the request (Erlang)', async () => {
    // Erlang/OTP 25: gen_server:call(P, get, 0) exits with timeout every time, and the state shows every request handled.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const failed = await rejection(GenServer.call(pid, { type: 'put', key: 'a', value: 1 }, 0));
    expect(failed.reason).toBe('timeout');
    expect(failed.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'timeout', call: { server: pid, request: { type: 'put', key: 'a', value: 1 }, timeout: 0 } } });
    expect(await GenServer.call(pid, { type: 'get', key: 'a' })).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('a stop with timeout 0 fails at once with a bare timeout, and the server stops all the same (Erlang)', async () => {
    // Erlang/OTP 25: gen_server:stop(P, normal, 0) exits with timeout, and P is not alive afterwards.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const exited = exitReasonOf(rt, pid);
    const failed = await rejection(GenServer.stop(pid, 'normal', 0));
    expect(failed.reason).toBe('timeout');
    expect(failed.exitReason).toStrictEqual({ tag: 'exit', value: 'timeout' });
    expect(await exited).toBe('normal');
  });

  it('fails every waiting call with the reason when the server exits', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const first = rejection(GenServer.call(pid, { type: 'hang' }));
    const second = rejection(GenServer.call(pid, { type: 'hang' }, 1000));
    await rt.settle();
    rt.exit(pid, 'kill');
    expect((await first).reason).toBe('killed');
    expect((await second).reason).toBe('killed');
    clock.advance(5000); // their deadlines pass: nothing more happens to them
    expect(rt.processes()).toEqual([]);
  });

  it('an uncaught failed call ends the calling process with the exit reason and logs no crash', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    await GenServer.stop(pid);
    const caller = rt.spawn(async () => {
      await GenServer.call(pid, { type: 'get', key: 'a' }, 250);
    });
    expect(await exitReasonOf(rt, caller)).toStrictEqual({
      tag: 'exit',
      value: { reason: 'noproc', call: { server: pid, request: { type: 'get', key: 'a' }, timeout: 250 } },
    });
    expect(log.records).toEqual([]);
  });

  it("a server whose handler does not catch a failed call exits with the call's exit reason, terminate first", async () => {
    // Erlang: terminate({noproc, {gen_server, call, [nobody, x]}}, State), then that exit reason.
    const rt = runtime();
    interface Relay {
      state: null;
      call: { readonly type: 'relay' };
      reply: { relay: number | undefined };
    }
    const seen: unknown[] = [];
    const relay: GenServer.Behaviour<Relay> = {
      init: () => Next.ok(null),
      handleCall: {
        relay: async (_req, _from, s) => {
          const value = await GenServer.call(GenServer.named<Kv>('nobody', rt), { type: 'get', key: 'x' });
          return Next.reply(value, s);
        },
      },
      terminate: (reason) => {
        seen.push(reason);
      },
    };
    const pid = pidOf(await GenServer.start(relay, undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    const inner = { tag: 'exit', value: { reason: 'noproc', call: { server: 'nobody', request: { type: 'get', key: 'x' } } } };
    const error = await rejection(GenServer.call(pid, { type: 'relay' }));
    expect(error.reason).toStrictEqual(inner);
    expect(await w.down(pid)).toStrictEqual(inner);
    expect(seen).toStrictEqual([inner]);
  });
});

describe('a server calling itself', () => {
  interface Loop {
    arg: string | undefined;
    state: string | undefined;
    call: { readonly type: 'selfCall' } | { readonly type: 'other' } | { readonly type: 'stopSelf' } | { readonly type: 'stateOfSelf' };
    reply: { selfCall: string; other: string; stopSelf: unknown; stateOfSelf: unknown };
    cast: { readonly type: 'poke' };
  }
  const loop: GenServer.Behaviour<Loop> = {
    init: (name) => Next.ok(name),
    handleCall: {
      // By name when it has one, as Erlang checks the pid a name stands for.
      selfCall: async (_req, _from, s, ctx) => {
        const me = s === undefined ? (ctx.self as GenServer.ServerPid<Loop>) : GenServer.named<Loop>(s, ctx.runtime);
        return Next.reply(await GenServer.call(me, { type: 'other' }), s);
      },
      other: (_req, _from, s) => Next.reply('other', s),
      stopSelf: async (_req, _from, s, ctx) => Next.reply(await GenServer.stop(ctx.self as GenServer.ServerPid<Loop>).catch((e: CallError) => [e.reason, e.exitReason]), s),
      stateOfSelf: async (_req, _from, s, ctx) => Next.reply(await GenServer.getState(ctx.self as GenServer.ServerPid<Loop>).catch((e: CallError) => e.reason), s),
    },
    handleCast: {
      poke: (_msg, s, ctx) => {
        // A handler that returns a plain value gets the failure at once too.
        void GenServer.call(ctx.self as GenServer.ServerPid<Loop>, { type: 'other' }).catch((e: CallError) => log.logger.info({ selfCall: e.reason }, 'seen'));
        return Next.noreply(s);
      },
    },
  };

  it.each([
    ['by pid', undefined],
    ['by name', 'looper'],
  ])("fails at once with 'calling_self' %s, and the server exits with the call's reason (Erlang)", async (_how, name) => {
    // Erlang: the outer caller gets {{calling_self, {gen_server, call, [Self, other]}}, {gen_server, call, [Self, selfCall]}}.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(loop, name, { runtime: rt, ...(name === undefined ? {} : { name }) }));
    const w = await watch(rt, [pid]);
    const inner = { tag: 'exit', value: { reason: 'calling_self', call: { server: name ?? pid, request: { type: 'other' } } } };
    const error = await rejection(GenServer.call(pid, { type: 'selfCall' }, 'infinity'));
    expect(error.reason).toStrictEqual(inner);
    expect(await w.down(pid)).toStrictEqual(inner);
    expect(clock.pending()).toBe(0); // no call timer was ever waited on
  });

  it("a stop or a state read of itself fails with 'calling_self' and the server goes on", async () => {
    // Erlang: {calling_self, {sys, terminate, [Self, normal, infinity]}} and {calling_self, {sys, get_state, [Self]}}.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(loop, undefined, { runtime: rt }));
    const [reason, exit] = (await GenServer.call(pid, { type: 'stopSelf' })) as [unknown, unknown];
    expect(reason).toBe('calling_self');
    expect(exit).toStrictEqual({ tag: 'exit', value: { reason: 'calling_self', call: { server: pid, request: 'stop', timeout: 'infinity' } } });
    expect(await GenServer.call(pid, { type: 'stateOfSelf' })).toBe('calling_self');
    expect(await GenServer.call(pid, { type: 'other' })).toBe('other');
  });

  it("replaceState's update runs in the server: a call to the server from it fails with 'calling_self'", async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(loop, 'kept', { runtime: rt }));
    let inner: Promise<unknown> | undefined;
    const state = await GenServer.replaceState(pid, (s) => {
      inner = GenServer.getState(pid).catch((e: CallError) => e.reason);
      return `${s}!`;
    });
    expect(state).toBe('kept!');
    expect(await inner).toBe('calling_self');
    expect(await GenServer.getState(pid)).toBe('kept!');
  });

  it('a handler that returns a plain value sees the failure too', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(loop, undefined, { runtime: rt }));
    GenServer.cast(pid, { type: 'poke' });
    await rt.settle();
    expect(log.records.map((r) => r['selfCall'])).toEqual(['calling_self']);
    expect(await GenServer.call(pid, { type: 'other' })).toBe('other');
  });
});

describe('reply', () => {
  interface Deferred {
    state: Array<GenServer.From<string>>;
    call: { readonly type: 'wait' } | { readonly type: 'release'; readonly with: string };
    reply: { wait: string; release: number };
  }
  const later: GenServer.Behaviour<Deferred> = {
    init: () => Next.ok([]),
    handleCall: {
      wait: (_req, from, waiting) => Next.noreply([...waiting, from]),
      release: (req, _from, waiting) => {
        for (const from of waiting) GenServer.reply(from, req.with);
        return Next.reply(waiting.length, []);
      },
    },
  };

  it('answers a call that handleCall left open, from the server itself', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(later, undefined, { runtime: rt }));
    const a = GenServer.call(pid, { type: 'wait' });
    const b = GenServer.call(pid, { type: 'wait' });
    expect(await GenServer.call(pid, { type: 'release', with: 'go' })).toBe(2);
    expect(await Promise.all([a, b])).toEqual(['go', 'go']);
  });

  it('counts only the first answer', async () => {
    const rt = runtime();
    interface Twice {
      state: null;
      call: { readonly type: 'twice' };
      reply: { twice: string };
    }
    const twice: GenServer.Behaviour<Twice> = {
      init: () => Next.ok(null),
      handleCall: {
        twice: (_req, from, s) => {
          GenServer.reply(from, 'first');
          GenServer.reply(from, 'second');
          return Next.reply('third', s);
        },
      },
    };
    const pid = pidOf(await GenServer.start(twice, undefined, { runtime: rt }));
    expect(await GenServer.call(pid, { type: 'twice' })).toBe('first');
    expect(await GenServer.call(pid, { type: 'twice' })).toBe('first');
  });

  it('works from plain code after the handler returned', async () => {
    const rt = runtime();
    const froms: Array<GenServer.From<string>> = [];
    const stored = deferred();
    interface Hold {
      state: null;
      call: { readonly type: 'hold' };
      reply: { hold: string };
    }
    const hold: GenServer.Behaviour<Hold> = {
      init: () => Next.ok(null),
      handleCall: {
        hold: (_req, from, s) => {
          froms.push(from);
          stored.resolve();
          return Next.noreply(s);
        },
      },
    };
    const pid = pidOf(await GenServer.start(hold, undefined, { runtime: rt }));
    const answer = GenServer.call(pid, { type: 'hold' });
    await stored.promise;
    GenServer.reply(froms[0]!, 'from outside');
    expect(await answer).toBe('from outside');
  });
});

describe('call ordering', () => {
  it('calls from one caller are handled in the order they were made', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(kv, undefined, { runtime: rt }));
    const results = await Promise.all([
      GenServer.call(pid, { type: 'put', key: 'n', value: 1 }),
      GenServer.call(pid, { type: 'get', key: 'n' }),
      GenServer.call(pid, { type: 'put', key: 'n', value: 2 }),
      GenServer.call(pid, { type: 'get', key: 'n' }),
    ]);
    expect(results).toEqual(['ok', 1, 'ok', 2]);
  });

  it('a call to a pid that is not a server is noproc', async () => {
    const rt = runtime();
    const plain: Pid = rt.spawn((ctx) => ctx.receive());
    await rt.settle();
    const error = await rejection(GenServer.call(plain as GenServer.ServerPid<Kv>, { type: 'get', key: 'a' }));
    expect(error.reason).toBe('noproc');
    expect(rt.processInfo(plain)?.messageQueueLen).toBe(0); // nothing was sent to it
  });
});
