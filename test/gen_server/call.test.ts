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

  it.each([
    ['by pid', false],
    ['by name', true],
  ])("a plain process that passes itself as the caller fails at once with 'calling_self' %s, after an await too (Erlang)", async (_how, byName) => {
    // Erlang/OTP 25: gen_server:call(self(), x) exits {calling_self, {gen_server, call, [Self, x]}}; by name [me, x].
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      ctx.register('me');
      await Promise.resolve();
      const me = byName ? GenServer.named<Loop>('me', rt) : (ctx.self as GenServer.ServerPid<Loop>);
      const error = await rejection(GenServer.call(me, { type: 'other' }, { caller: ctx }));
      return { reason: error.reason, exit: error.exitReason, queued: rt.processInfo(ctx.self)?.messageQueueLen };
    });
    expect(seen.reason).toBe('calling_self');
    expect(seen.exit).toStrictEqual({ tag: 'exit', value: { reason: 'calling_self', call: { server: byName ? 'me' : expect.stringMatching(/^</), request: { type: 'other' } } } });
    expect(seen.queued).toBe(0); // nothing was sent
    expect(clock.pending()).toBe(0);
  });

  it("a server's async callback that passes its context as the caller fails at once after an await", async () => {
    const rt = runtime();
    const pid = pidOf(
      await GenServer.start<{ state: null; call: { readonly type: 'outer' } | { readonly type: 'inner' }; reply: { outer: unknown; inner: string } }>(
        {
          init: () => Next.ok(null),
          handleCall: {
            outer: async (_req, _from, s, ctx) => {
              await Promise.resolve();
              const reason = await GenServer.call(ctx.self as GenServer.ServerPid<never>, { type: 'inner' } as never, { caller: ctx }).catch((e: CallError) => e.reason);
              return Next.reply(reason, s);
            },
            inner: (_req, _from, s) => Next.reply('inner', s),
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    expect(await GenServer.call(pid, { type: 'outer' }, 'infinity')).toBe('calling_self');
    expect(clock.pending()).toBe(0);
  });

  it('a caller that is another process is answered as usual, and the call names it', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(loop, undefined, { runtime: rt }));
    expect(await rt.run((ctx) => GenServer.call(pid, { type: 'other' }, { caller: ctx, timeout: 100 }))).toBe('other');
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

  it('a call to a live process that is not a server puts { $gen_call } in its mailbox and times out (Erlang)', async () => {
    // Erlang/OTP 25: the plain process receives {'$gen_call', {Pid, Tag}, hello}; the call exits
    // with {timeout, {gen_server, call, [P, hello, 200]}}.
    const rt = runtime();
    const plain: Pid = rt.spawn((ctx) => ctx.receive((m) => m === 'never'));
    await rt.settle();
    const pending = rejection(GenServer.call(plain as GenServer.ServerPid<Kv>, { type: 'get', key: 'a' }, 200));
    await rt.settle();
    expect(rt.processInfo(plain)?.messageQueueLen).toBe(1);
    clock.advance(200);
    const error = await pending;
    expect(error.reason).toBe('timeout');
    expect(error.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'timeout', call: { server: plain, request: { type: 'get', key: 'a' }, timeout: 200 } } });
    expect(rt.processes()).toEqual([plain]); // the call's watch is gone
  });
});

describe('a process that is not a GenServer', () => {
  interface Ping {
    state: null;
    call: { readonly type: 'ping' };
    reply: { ping: string };
    cast: { readonly type: 'note' };
  }

  it('answers a call with GenServer.reply(from, value), as a hand-written gen_server process does (Erlang)', async () => {
    // Erlang/OTP 25: a plain process that matches {'$gen_call', From, _} and calls gen_server:reply(From, answered) answers the call.
    const rt = runtime();
    const seen: unknown[] = [];
    const responder = rt.spawn(async (ctx) => {
      const msg = (await ctx.receive()) as GenServer.GenCallMessage<Ping['call'], string>;
      seen.push([msg.type, msg.request]);
      GenServer.reply(msg.from, 'pong');
    }) as GenServer.ServerPid<Ping>;
    expect(await GenServer.call(responder, { type: 'ping' })).toBe('pong');
    expect(seen).toEqual([['$gen_call', { type: 'ping' }]]);
    await rt.settle();
    expect(rt.processes()).toEqual([]); // the responder has returned, and the call's watch is gone
  });

  it('by name too', async () => {
    const rt = runtime();
    const responder = rt.spawn(async (ctx) => {
      const msg = (await ctx.receive()) as GenServer.GenCallMessage<Ping['call'], string>;
      GenServer.reply(msg.from, 'pong by name');
    });
    rt.register('responder', responder);
    expect(await GenServer.call(GenServer.named<Ping>('responder', rt), { type: 'ping' })).toBe('pong by name');
  });

  it('fails the call with its exit reason when it exits without answering', async () => {
    const rt = runtime();
    const quitter = rt.spawn(async (ctx) => {
      await ctx.receive();
      ctx.exit('no thanks');
    }) as GenServer.ServerPid<Ping>;
    const error = await rejection(GenServer.call(quitter, { type: 'ping' }, 'infinity'));
    expect(error.reason).toEqual({ tag: 'exit', value: 'no thanks' });
    expect(rt.processes()).toEqual([]);
  });

  it('fails a waiting call when the runtime is killed', async () => {
    const rt = runtime();
    const mute = rt.spawn((ctx) => ctx.receive((m) => m === 'never')) as GenServer.ServerPid<Ping>;
    const pending = rejection(GenServer.call(mute, { type: 'ping' }, 'infinity'));
    await rt.settle();
    rt.killAll();
    expect((await pending).reason).toBe('killed');
  });

  it('gets a cast as { $gen_cast } (Erlang)', async () => {
    // Erlang/OTP 25: gen_server:cast(P, cmsg) to a plain process delivers {'$gen_cast', cmsg}.
    const rt = runtime();
    const got = rt.run((ctx) => ctx.receive());
    await rt.settle();
    GenServer.cast(rt.processes()[0] as GenServer.ServerPid<Ping>, { type: 'note' });
    expect(await got).toEqual({ type: '$gen_cast', msg: { type: 'note' } });
  });

  it('a timeout of 0 still delivers the request and fails at once', async () => {
    const rt = runtime();
    const mute = rt.spawn((ctx) => ctx.receive((m) => m === 'never')) as GenServer.ServerPid<Ping>;
    await rt.settle();
    expect((await rejection(GenServer.call(mute, { type: 'ping' }, 0))).reason).toBe('timeout');
    expect(rt.processInfo(mute)?.messageQueueLen).toBe(1);
    expect(rt.processes()).toEqual([mute]);
  });
});
