/**
 * Conformance, group E (gen_server): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 *
 * Erlang shapes as ts-otp writes them: exit reason `boom` is `{ tag: 'exit', value: 'boom' }`, a
 * crash (`1/0`, here BigInt division by zero, a RangeError) is `{ tag: 'error', cause }`, a failed
 * call's `{Reason, {gen_server, call, [Server, Request | Timeout]}}` is
 * `{ tag: 'exit', value: { reason, call: { server, request, timeout? } } }`, and Erlang's `ok` from
 * cast and reply is `undefined`. Every runtime here runs on a manual clock, so time (call
 * timeouts, idle timeouts, the default 5000 ms) passes only when a test advances it; a process
 * that awaits a call is busy for `rt.settle()`, so those tests wait on a deferred the server
 * resolves instead.
 */
import { describe, expect, it } from 'vitest';
import { GenServer, Next, TIMEOUT, type ExitMessage, type ExitReason, type Pid } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, exitReasonOf, hasSettled, manualClock, memoryLogger, startPuppet, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  clock = manualClock();
  log = memoryLogger();
  return { clock, logger: log.logger };
});

const boom = { tag: 'exit', value: 'boom' } as const;
const zero = (): bigint => 0n;

/** The cause of an `{ tag: 'error', cause }` reason; fails the test for any other reason. */
function causeOf(reason: unknown): unknown {
  expect(reason).toMatchObject({ tag: 'error' });
  return (reason as { cause: unknown }).cause;
}

function expectDivisionByZero(reason: unknown): RangeError {
  const cause = causeOf(reason);
  expect(cause).toBeInstanceOf(RangeError);
  expect((cause as RangeError).message).toBe('Division by zero');
  return cause as RangeError;
}

/** init stops with its argument, after noting its pid and whether it held the name 'reg'. */
interface Failing {
  arg: string;
  state: number;
}
function failing(servers: Pid[], heldName?: Array<Pid | undefined>): GenServer.Behaviour<Failing> {
  return {
    init: (reason, ctx) => {
      servers.push(ctx.self);
      heldName?.push(ctx.runtime.whereis('reg'));
      return Next.stop(reason);
    },
  };
}

describe('E. gen_server', () => {
  it('E01 start_link runs init synchronously in the new process before returning; caller and server are linked', async () => {
    const rt = runtime();
    const events: string[] = [];
    const begun = deferred();
    const gate = deferred();
    let server: Pid | undefined;
    const test = await startPuppet(rt);
    const behaviour: GenServer.Behaviour<{ state: number }> = {
      init: async (_arg, ctx) => {
        server = ctx.self;
        events.push(`srv init_begin in_caller_process ${ctx.self === test.pid}`);
        begun.resolve();
        await gate.promise; // Erlang: timer:sleep(100); here the test holds init until it has looked
        events.push('srv init_end');
        return Next.ok(0);
      },
    };
    const started = test.act(async (ctx) => {
      const result = await GenServer.startLink(ctx, behaviour, undefined);
      events.push(`start_link_returned ${result.type}`);
      return result;
    });
    await begun.promise;
    expect(await hasSettled(started)).toBe(false); // start_link still waits for init
    expect(events).toEqual(['srv init_begin in_caller_process false']);
    gate.resolve();
    const result = await started;
    expect(events).toEqual(['srv init_begin in_caller_process false', 'srv init_end', 'start_link_returned ok']);
    expect(result).toEqual({ type: 'ok', pid: server });
    expect(rt.processInfo(test.pid)?.links).toEqual([server]);
    expect(rt.processInfo(server!)?.links).toEqual([test.pid]);
  });

  it('E02 init returning stop: start_link returns the error with the name already free, and the linked caller gets the exit signal', async () => {
    const rt = runtime();
    // Part 1: a trapping caller.
    const test = await startPuppet(rt, { trapExit: true });
    const servers: Pid[] = [];
    const heldName: Array<Pid | undefined> = [];
    const seen = await test.act(async (ctx) => {
      const result = await GenServer.startLink(ctx, failing(servers, heldName), 'bad_config', { name: 'reg' });
      return { result, whereis: rt.whereis('reg') };
    });
    const badConfig = { tag: 'exit', value: 'bad_config' };
    expect(seen).toEqual({ result: { type: 'error', reason: badConfig }, whereis: undefined });
    expect(heldName).toEqual([servers[0]]); // init ran registered as 'reg'
    await rt.settle();
    expect(await test.mailbox()).toEqual([{ type: 'EXIT', from: servers[0], reason: badConfig }]);
    // Part 2: a caller that does not trap exits is killed with the same reason.
    const caller = rt.spawn(async (ctx) => {
      await GenServer.startLink(ctx, failing(servers), 'bad_config');
      await ctx.receive();
    });
    expect(await exitReasonOf(rt, caller)).toEqual(badConfig);
    expect(servers).toHaveLength(2);
    expect(rt.isAlive(servers[1]!)).toBe(false);
  });

  it('E03 init returning stop normal: start_link returns the error and a non-trapping caller survives', async () => {
    const rt = runtime();
    const servers: Pid[] = [];
    const seen: unknown[] = [];
    const caller = rt.spawn(async (ctx) => {
      seen.push(await GenServer.startLink(ctx, failing(servers), 'normal'));
      await ctx.receive(); // Erlang: receive after 100
      seen.push('still_alive');
    });
    const down = exitReasonOf(rt, caller);
    await rt.settle();
    expect(seen).toEqual([{ type: 'error', reason: 'normal' }]);
    expect(rt.isAlive(servers[0]!)).toBe(false);
    expect(rt.isAlive(caller)).toBe(true);
    rt.send(caller, 'go');
    expect(await down).toBe('normal');
    expect(seen).toEqual([{ type: 'error', reason: 'normal' }, 'still_alive']);
  });

  it('E04 init returning ignore: start_link returns ignore and the server process exits normally', async () => {
    const rt = runtime();
    const test = await startPuppet(rt, { trapExit: true });
    let server: Pid | undefined;
    const result = await test.act((ctx) =>
      GenServer.startLink<{ state: number }>(
        ctx,
        {
          init: (_arg, srv) => {
            server = srv.self;
            return Next.ignore();
          },
        },
        undefined,
      ),
    );
    expect(result).toEqual({ type: 'ignore' });
    await rt.settle();
    expect(await test.mailbox()).toEqual([{ type: 'EXIT', from: server, reason: 'normal' }]);
    expect(rt.isAlive(server!)).toBe(false);
  });

  it('E05 init raising: start returns the error; a linked caller gets the crash, an unlinked one nothing', async () => {
    const rt = runtime();
    interface Crashing {
      arg: 'badarith' | 'exit';
      state: bigint;
    }
    const servers: Pid[] = [];
    const crashing: GenServer.Behaviour<Crashing> = {
      init: (how, ctx) => {
        servers.push(ctx.self);
        if (how === 'exit') ctx.exit('init_failed');
        return Next.ok(1n / zero());
      },
    };
    // Part 1: 1/0 in init, start_link from a trapping caller.
    const test = await startPuppet(rt, { trapExit: true });
    const part1 = await test.act((ctx) => GenServer.startLink(ctx, crashing, 'badarith'));
    expect(part1).toMatchObject({ type: 'error' });
    const cause = expectDivisionByZero(part1.type === 'error' ? part1.reason : undefined);
    await rt.settle();
    const box1 = await test.mailbox();
    expect(box1).toEqual([{ type: 'EXIT', from: servers[0], reason: { tag: 'error', cause } }]);
    expect(causeOf((box1[0] as ExitMessage).reason)).toBe(cause); // the very error init threw
    // Part 2: exit(init_failed) in init.
    const part2 = await test.act((ctx) => GenServer.startLink(ctx, crashing, 'exit'));
    expect(part2).toEqual({ type: 'error', reason: { tag: 'exit', value: 'init_failed' } });
    await rt.settle();
    expect(await test.mailbox()).toEqual([{ type: 'EXIT', from: servers[1], reason: { tag: 'exit', value: 'init_failed' } }]);
    // Part 3: start (no link) from a caller that does not trap exits.
    const plain = await startPuppet(rt);
    const part3 = await plain.act(() => GenServer.start(crashing, 'badarith', { runtime: rt }));
    expectDivisionByZero(part3.type === 'error' ? part3.reason : undefined);
    await rt.settle();
    expect(await plain.mailbox()).toEqual([]);
    expect(rt.isAlive(plain.pid)).toBe(true);
    expect(servers.map((pid) => rt.isAlive(pid))).toEqual([false, false, false]);
  });

  it('E06 call, cast and plain messages reach handleCall, handleCast and handleInfo in order', async () => {
    const rt = runtime();
    interface Counter {
      state: number;
      call: { readonly type: 'get' };
      reply: { get: number };
      cast: { readonly type: 'add'; readonly by: number };
    }
    const events: string[] = [];
    const counter: GenServer.Behaviour<Counter> = {
      init: () => Next.ok(0),
      handleCall: {
        get: (_req, _from, n) => {
          events.push('handle_call get');
          return Next.reply(n, n);
        },
      },
      handleCast: {
        add: ({ by }, n) => {
          events.push(`handle_cast add ${by}`);
          return Next.noreply(n + by);
        },
      },
      handleInfo: (msg, n) => {
        events.push(`handle_info ${String(msg)}`);
        return Next.noreply(n);
      },
    };
    const results = await rt.run(async (ctx) => {
      const pid = pidOf(await GenServer.startLink(ctx, counter, undefined));
      const r1 = await GenServer.call(pid, { type: 'get' });
      const c1 = GenServer.cast(pid, { type: 'add', by: 5 });
      ctx.send(pid, 'tick');
      const r2 = await GenServer.call(pid, { type: 'get' });
      GenServer.cast(pid, { type: 'add', by: 1 });
      const r3 = await GenServer.call(pid, { type: 'get' });
      return [r1, c1, r2, r3];
    });
    expect(events).toEqual(['handle_call get', 'handle_cast add 5', 'handle_info tick', 'handle_call get', 'handle_cast add 1', 'handle_call get']);
    expect(results).toEqual([0, undefined, 5, 6]); // Erlang's cast returns ok
  });

  interface Slow {
    state: number;
    call: { readonly type: 'slow' };
    reply: { slow: never };
  }

  it('E07 a call that gets no reply within the timeout fails with timeout; an uncaught one ends the caller with that reason', async () => {
    const rt = runtime();
    let arrived = deferred();
    const slow: GenServer.Behaviour<Slow> = {
      init: () => Next.ok(0),
      handleCall: {
        slow: (_req, _from, n) => {
          arrived.resolve();
          return Next.noreply(n);
        },
      },
    };
    const pid = pidOf(await GenServer.start(slow, undefined, { runtime: rt }));
    const timedOut = { tag: 'exit', value: { reason: 'timeout', call: { server: pid, request: { type: 'slow' }, timeout: 100 } } };
    // Part 1: the call, caught (from plain code here; in Erlang by the test process).
    const failed = rejection(GenServer.call(pid, { type: 'slow' }, 100));
    await arrived.promise;
    clock.advance(99);
    expect(await hasSettled(failed)).toBe(false);
    clock.advance(1);
    const error = await failed;
    expect(error.reason).toBe('timeout');
    expect(error.exitReason).toStrictEqual(timedOut);
    expect(rt.isAlive(pid)).toBe(true);
    // Part 2: p1 makes the same call without catching.
    arrived = deferred();
    const p1 = rt.spawn(async () => {
      await GenServer.call(pid, { type: 'slow' }, 100);
    });
    const down = exitReasonOf(rt, p1);
    await arrived.promise;
    clock.advance(100);
    expect(await down).toStrictEqual(timedOut);
    expect(log.records).toEqual([]); // an exit, not a crash: no report, as in Erlang
    expect(rt.isAlive(pid)).toBe(true);
  });

  it('E08 a reply that arrives after the call timed out is dropped, leaving no stray message', async () => {
    const rt = runtime();
    interface Late {
      state: GenServer.From<string> | undefined;
      call: { readonly type: 'slow' } | { readonly type: 'ping' };
      reply: { slow: string; ping: string };
      cast: { readonly type: 'release' };
    }
    const events: string[] = [];
    const arrived = deferred();
    const late: GenServer.Behaviour<Late> = {
      init: () => Next.ok(undefined),
      handleCall: {
        slow: (_req, from) => {
          arrived.resolve();
          return Next.noreply(from);
        },
        ping: (_req, _from, s) => Next.reply('pong', s),
      },
      handleCast: {
        release: (_msg, from) => {
          events.push(`srv reply_result ${String(GenServer.reply(from!, 'late_answer'))}`); // Erlang: ok
          return Next.noreply(undefined);
        },
      },
    };
    const pid = pidOf(await GenServer.start(late, undefined, { runtime: rt }));
    const test = await startPuppet(rt);
    const first = test.act(() => rejection(GenServer.call(pid, { type: 'slow' }, 100)));
    await arrived.promise;
    clock.advance(100);
    const error = await first;
    expect(error.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'timeout', call: { server: pid, request: { type: 'slow' }, timeout: 100 } } });
    const ping = await test.act(() => {
      GenServer.cast(pid, { type: 'release' });
      return GenServer.call(pid, { type: 'ping' });
    });
    expect(events).toEqual(['srv reply_result undefined']);
    expect(ping).toBe('pong');
    // Here a reply never goes through the caller's mailbox (it resolves the caller's promise),
    // so there is no alias to deactivate: the mailbox stays empty by construction.
    expect(await test.mailbox()).toEqual([]);
    expect(rt.isAlive(pid)).toBe(true);
  });

  it("E09 a server that dies while handling a call fails the call with the server's reason", async () => {
    const rt = runtime();
    interface Crashy {
      state: bigint;
      call: { readonly type: 'crash_exit' } | { readonly type: 'crash_arith' };
      reply: { crash_exit: never; crash_arith: bigint };
    }
    const crashy: GenServer.Behaviour<Crashy> = {
      init: () => Next.ok(0n),
      handleCall: {
        crash_exit: (_req, _from, _n, ctx) => ctx.exit('boom'),
        crash_arith: (_req, _from, n) => Next.reply(1n / n, n),
      },
    };
    // Part 1: exit(boom) in handleCall.
    const s1 = pidOf(await GenServer.start(crashy, undefined, { runtime: rt }));
    const w1 = await watch(rt, [s1]);
    const e1 = await rt.run(() => rejection(GenServer.call(s1, { type: 'crash_exit' })));
    expect(e1.reason).toEqual(boom);
    // default timeout: no `timeout` in `call`, as Erlang's [Server, Request]
    expect(e1.exitReason).toStrictEqual({ tag: 'exit', value: { reason: boom, call: { server: s1, request: { type: 'crash_exit' } } } });
    expect(await w1.down(s1)).toEqual(boom);
    // Part 2: 1/0 in handleCall.
    const s2 = pidOf(await GenServer.start(crashy, undefined, { runtime: rt }));
    const w2 = await watch(rt, [s2]);
    const e2 = await rt.run(() => rejection(GenServer.call(s2, { type: 'crash_arith' })));
    const cause = expectDivisionByZero(e2.reason);
    expect(e2.exitReason).toStrictEqual({ tag: 'exit', value: { reason: { tag: 'error', cause }, call: { server: s2, request: { type: 'crash_arith' } } } });
    const down = await w2.down(s2);
    expect(causeOf(down)).toBe(cause);
  });

  it('E10 calling a dead pid or an unregistered name fails at once with noproc', async () => {
    const rt = runtime();
    interface Hello {
      state: null;
      call: { readonly type: 'hello' };
      reply: { hello: string };
    }
    const dead: GenServer.ServerPid<Hello> = rt.spawn(() => {});
    await rt.settle();
    const e1 = await rejection(GenServer.call(dead, { type: 'hello' }));
    expect(e1.reason).toBe('noproc');
    expect(e1.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'noproc', call: { server: dead, request: { type: 'hello' } } } });
    const nobody = GenServer.named<Hello>('nobody', rt);
    const e2 = await rejection(GenServer.call(nobody, { type: 'hello' }));
    expect(e2.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'noproc', call: { server: 'nobody', request: { type: 'hello' } } } });
    // With a timeout: the same at once; the clock never moves, and no timer was set.
    const e3 = await rejection(GenServer.call(nobody, { type: 'hello' }, 100));
    expect(e3.exitReason).toStrictEqual({ tag: 'exit', value: { reason: 'noproc', call: { server: 'nobody', request: { type: 'hello' }, timeout: 100 } } });
    expect(clock.pending()).toBe(0);
  });

  it('E12 { continue } runs handleContinue before any queued message is handled', async () => {
    const rt = runtime();
    interface Continuing {
      state: number;
      call: { readonly type: 'a' } | { readonly type: 'sync' };
      reply: { a: 'ok'; sync: 'ok' };
      cast: { readonly type: 'm1' } | { readonly type: 'm2' };
      continue: 'c1' | 'c2' | 'c3';
    }
    const events: string[] = [];
    const gate = deferred();
    const note =
      (what: string) =>
      (_msg: unknown, s: number): GenServer.NoReply<number> => {
        events.push(what);
        return Next.noreply(s);
      };
    const continuing: GenServer.Behaviour<Continuing> = {
      init: () => {
        events.push('init');
        return Next.ok(0, { continue: 'c1' });
      },
      handleContinue: async (c, s) => {
        events.push(`continue ${c}`);
        if (c !== 'c1') return Next.noreply(s);
        await gate.promise; // holds c1 while the test queues m1 and a, so they are queued behind it
        return Next.noreply(s, { continue: 'c2' });
      },
      handleCast: { m1: note('cast m1'), m2: note('cast m2') },
      handleCall: {
        a: (_req, _from, s) => {
          events.push('call a');
          return Next.reply('ok', s, { continue: 'c3' });
        },
        sync: (_req, _from, s) => {
          events.push('call sync');
          return Next.reply('ok', s);
        },
      },
    };
    const results = await rt.run(async (ctx) => {
      const pid = pidOf(await GenServer.startLink(ctx, continuing, undefined));
      GenServer.cast(pid, { type: 'm1' });
      const a = GenServer.call(pid, { type: 'a' });
      gate.resolve();
      const r1 = await a;
      GenServer.cast(pid, { type: 'm2' });
      const r2 = await GenServer.call(pid, { type: 'sync' });
      return [r1, r2];
    });
    expect(events).toEqual(['init', 'continue c1', 'continue c2', 'cast m1', 'call a', 'continue c3', 'cast m2', 'call sync']);
    expect(results).toEqual(['ok', 'ok']);
  });

  it('E13 handleCall may return noreply and answer later with GenServer.reply, from another process', async () => {
    const rt = runtime();
    interface Waiter {
      state: GenServer.From<number> | undefined;
      call: { readonly type: 'wait' };
      reply: { wait: number };
      cast: { readonly type: 'release' };
    }
    const events: string[] = [];
    const stored = deferred();
    let replier: Pid | undefined;
    const replyResults: unknown[] = [];
    const waiter: GenServer.Behaviour<Waiter> = {
      init: () => Next.ok(undefined),
      handleCall: {
        wait: (_req, from) => {
          events.push('srv stored_from');
          stored.resolve();
          return Next.noreply(from);
        },
      },
      handleCast: {
        release: (_msg, from, ctx) => {
          replier = ctx.spawn((self) => {
            events.push(`replier replying ${self.self !== ctx.self}`);
            replyResults.push(GenServer.reply(from!, 42));
          });
          return Next.noreply(undefined);
        },
      },
    };
    const pid = pidOf(await GenServer.start(waiter, undefined, { runtime: rt }));
    const p1 = rt.spawn(async () => {
      events.push(`p1 call_result ${await GenServer.call(pid, { type: 'wait' })}`);
    });
    const down = exitReasonOf(rt, p1);
    await stored.promise;
    expect(rt.isAlive(p1)).toBe(true);
    GenServer.cast(pid, { type: 'release' });
    expect(await down).toBe('normal');
    // Erlang logs `replier reply_result` last only because its test prints it after p1's DOWN.
    expect(events).toEqual(['srv stored_from', 'replier replying true', 'p1 call_result 42']);
    expect(replier).toEqual(expect.any(String));
    expect(replyResults).toEqual([undefined]); // Erlang: ok
  });

  it('E14 stopAndReply from handleCall: terminate runs first, then the caller gets the reply, then the server exits', async () => {
    const rt = runtime();
    interface Quitter {
      state: number;
      call: { readonly type: 'quit' } | { readonly type: 'quit_bad' };
      reply: { quit: string; quit_bad: string };
    }
    const events: string[] = [];
    let pending: Promise<unknown> | undefined;
    const answeredBeforeTerminate: Array<Promise<boolean>> = [];
    const quitter: GenServer.Behaviour<Quitter> = {
      init: () => Next.ok(0),
      handleCall: {
        quit: (_req, _from, n) => Next.stopAndReply('normal', 'bye', n),
        quit_bad: (_req, _from, n) => Next.stopAndReply('boom', 'bye', n),
      },
      terminate: (reason) => {
        events.push(`srv terminate ${JSON.stringify(reason)}`);
        answeredBeforeTerminate.push(hasSettled(pending!)); // looks now, while terminate runs
      },
    };
    // Part 1: stop normal.
    const s1 = pidOf(await GenServer.start(quitter, undefined, { runtime: rt }));
    const w1 = await watch(rt, [s1]);
    const r1 = await rt.run(() => (pending = GenServer.call(s1, { type: 'quit' })));
    events.push(`call_result ${r1}`);
    expect(await w1.down(s1)).toBe('normal');
    // Part 2: stop boom; the caller is not affected by the abnormal reason.
    const s2 = pidOf(await GenServer.start(quitter, undefined, { runtime: rt }));
    const w2 = await watch(rt, [s2]);
    const r2 = await rt.run(() => (pending = GenServer.call(s2, { type: 'quit_bad' })));
    events.push(`call_result ${r2}`);
    expect(await w2.down(s2)).toEqual(boom);
    expect(events).toEqual(['srv terminate "normal"', 'call_result bye', `srv terminate ${JSON.stringify(boom)}`, 'call_result bye']);
    expect(await Promise.all(answeredBeforeTerminate)).toEqual([false, false]);
  });

  interface Parented {
    state: number;
  }
  function parented(events: string[], trap: boolean): GenServer.Behaviour<Parented> {
    return {
      init: (_arg, ctx) => {
        ctx.trapExit(trap);
        return Next.ok(0);
      },
      handleInfo: (msg, s) => {
        events.push(`srv handle_info ${JSON.stringify(msg)}`);
        return Next.noreply(s);
      },
      terminate: (reason) => {
        events.push(`srv terminate ${JSON.stringify(reason)}`);
      },
    };
  }

  it("E15 a trapping server runs terminate when its parent sends an exit signal or dies; the parent's EXIT is never an info", async () => {
    const rt = runtime();
    const events: string[] = [];
    // Part 1: the trapping parent sends exit(srv, shutdown).
    const parent = await startPuppet(rt, { trapExit: true });
    const srv = pidOf(await parent.act((ctx) => GenServer.startLink(ctx, parented(events, true), undefined)));
    const w = await watch(rt, [srv, parent.pid]);
    await parent.act((ctx) => ctx.exit(srv, 'shutdown'));
    expect(await w.down(srv)).toBe('shutdown');
    expect(events).toEqual(['srv terminate "shutdown"']);
    await rt.settle();
    expect(await parent.mailbox()).toEqual([{ type: 'EXIT', from: srv, reason: 'shutdown' }]);
    expect(rt.isAlive(parent.pid)).toBe(true);
    // Part 2: the non-trapping parent2 exits with boom.
    const parent2 = await startPuppet(rt);
    const srv2 = pidOf(await parent2.act((ctx) => GenServer.startLink(ctx, parented(events, true), undefined)));
    const w2 = await watch(rt, [parent2.pid, srv2]);
    await parent2.act((ctx) => ctx.exit('boom')).catch(() => undefined); // ctx.exit unwinds the action with ProcessExit
    expect(await w2.down(parent2.pid)).toEqual(boom);
    expect(await w2.down(srv2)).toEqual(boom);
    expect(events).toEqual(['srv terminate "shutdown"', `srv terminate ${JSON.stringify(boom)}`]);
  });

  it("E16 a server that does not trap exits is killed by its parent's shutdown without running terminate", async () => {
    const rt = runtime();
    const events: string[] = [];
    const parent = await startPuppet(rt, { trapExit: true });
    const srv = pidOf(await parent.act((ctx) => GenServer.startLink(ctx, parented(events, false), undefined)));
    const w = await watch(rt, [srv, parent.pid]);
    await parent.act((ctx) => ctx.exit(srv, 'shutdown'));
    expect(await w.down(srv)).toBe('shutdown');
    await rt.settle();
    expect(await parent.mailbox()).toEqual([{ type: 'EXIT', from: srv, reason: 'shutdown' }]);
    expect(rt.isAlive(parent.pid)).toBe(true);
    expect(events).toEqual([]);
  });

  it('E18 stop runs terminate with the given reason and resolves; stopping a dead server fails with noproc', async () => {
    const rt = runtime();
    type Mode = 'ok' | 'crash_in_terminate';
    const events: string[] = [];
    const stoppable: GenServer.Behaviour<{ arg: Mode; state: Mode }> = {
      init: (mode) => Next.ok(mode),
      terminate: (reason, mode) => {
        events.push(`srv terminate ${JSON.stringify(reason)}`);
        if (mode === 'crash_in_terminate') 1n / zero();
      },
    };
    // stop/1
    const s1 = pidOf(await GenServer.start(stoppable, 'ok', { runtime: rt }));
    const w1 = await watch(rt, [s1]);
    expect(await GenServer.stop(s1)).toBeUndefined(); // Erlang: ok
    expect(await w1.down(s1)).toBe('normal');
    // stop/3
    const s2 = pidOf(await GenServer.start(stoppable, 'ok', { runtime: rt }));
    const w2 = await watch(rt, [s2]);
    const byeReason = { tag: 'shutdown', detail: 'bye' } as const;
    expect(await GenServer.stop(s2, byeReason, 'infinity')).toBeUndefined();
    expect(await w2.down(s2)).toEqual(byeReason);
    // a dead server: caught, and uncaught (the bare reason noproc, not the call shape)
    const dead = await rejection(GenServer.stop(s1));
    expect(dead.reason).toBe('noproc');
    const stopper = rt.spawn(() => GenServer.stop(s1));
    expect(await exitReasonOf(rt, stopper)).toBe('noproc');
    // terminate raises: stop fails with that crash, the server's exit reason
    const s3 = pidOf(await GenServer.start(stoppable, 'crash_in_terminate', { runtime: rt }));
    const w3 = await watch(rt, [s3]);
    const stopper3 = rt.spawn(() => GenServer.stop(s3));
    const stopperReason = await exitReasonOf(rt, stopper3);
    const cause = expectDivisionByZero(stopperReason);
    expect(causeOf(await w3.down(s3))).toBe(cause);
    expect(events).toEqual(['srv terminate "normal"', `srv terminate ${JSON.stringify(byeReason)}`, 'srv terminate "normal"']);
  });

  it('E19 a timeout in a result delivers TIMEOUT to handleInfo after that much inactivity; any message cancels it', async () => {
    const rt = runtime();
    interface Idle {
      state: number;
      call: { readonly type: 'arm' } | { readonly type: 'count' };
      reply: { arm: 'ok'; count: number };
      cast: { readonly type: 'arm_long' } | { readonly type: 'other' };
    }
    const events: string[] = [];
    const idle: GenServer.Behaviour<Idle> = {
      init: () => {
        events.push('srv init');
        return Next.ok(0, { timeout: 0 });
      },
      handleCall: {
        arm: (_req, _from, n) => {
          events.push('srv handle_call arm');
          return Next.reply('ok', n, { timeout: 50 });
        },
        count: (_req, _from, n) => Next.reply(n, n),
      },
      handleCast: {
        arm_long: (_msg, n) => {
          events.push('srv handle_cast arm_long');
          return Next.noreply(n, { timeout: 300 });
        },
        other: (_msg, n) => {
          events.push('srv handle_cast other');
          return Next.noreply(n);
        },
      },
      handleInfo: (msg, n) => {
        events.push(msg === TIMEOUT ? 'srv handle_info timeout' : `srv handle_info ${String(msg)}`);
        return Next.noreply(msg === TIMEOUT ? n + 1 : n);
      },
    };
    const pid = pidOf(await GenServer.start(idle, undefined, { runtime: rt }));
    await rt.settle(); // timeout 0: through the mailbox, with no time passing
    expect(events).toEqual(['srv init', 'srv handle_info timeout']);
    expect(await GenServer.call(pid, { type: 'arm' })).toBe('ok');
    clock.advance(49);
    await rt.settle();
    expect(events).toEqual(['srv init', 'srv handle_info timeout', 'srv handle_call arm']);
    clock.advance(1);
    await rt.settle();
    expect(events).toEqual(['srv init', 'srv handle_info timeout', 'srv handle_call arm', 'srv handle_info timeout']);
    GenServer.cast(pid, { type: 'arm_long' });
    GenServer.cast(pid, { type: 'other' });
    await rt.settle(); // both handled, the server waits again: now let 500 ms pass (Erlang: timer:sleep(500))
    clock.advance(500);
    await rt.settle();
    expect(await GenServer.call(pid, { type: 'count' })).toBe(2);
    expect(events).toEqual([
      'srv init',
      'srv handle_info timeout',
      'srv handle_call arm',
      'srv handle_info timeout',
      'srv handle_cast arm_long',
      'srv handle_cast other',
    ]);
  });

  it('E21 an invalid callback result crashes the server with bad_return_value', async () => {
    const rt = runtime();
    interface Bad {
      state: number;
      call: { readonly type: 'bad' };
      reply: { bad: never };
    }
    const bad: GenServer.Behaviour<Bad> = {
      init: () => Next.ok(0),
      handleCall: { bad: () => 'garbage' as never },
    };
    const pid = pidOf(await GenServer.start(bad, undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    const badReturn = { tag: 'exit', value: { bad_return_value: 'garbage' } };
    const error = await rt.run(() => rejection(GenServer.call(pid, { type: 'bad' })));
    expect(error.exitReason).toStrictEqual({ tag: 'exit', value: { reason: badReturn, call: { server: pid, request: { type: 'bad' } } } });
    expect(await w.down(pid)).toEqual(badReturn);
  });

  it('E23 starting under a taken name returns already_started without running init or sending an EXIT', async () => {
    const rt = runtime();
    const events: string[] = [];
    const named: GenServer.Behaviour<{ arg: string; state: number }> = {
      init: (who) => {
        events.push(`srv init ${who}`);
        return Next.ok(0);
      },
    };
    const test = await startPuppet(rt, { trapExit: true });
    const first = await test.act((ctx) => GenServer.startLink(ctx, named, 'first', { name: 'reg' }));
    const srv = pidOf(first);
    expect(rt.whereis('reg')).toBe(srv);
    const second = await test.act((ctx) => GenServer.startLink(ctx, named, 'second', { name: 'reg' }));
    expect(second).toEqual({ type: 'error', reason: { tag: 'already_started', pid: srv } });
    await rt.settle();
    expect(await test.mailbox()).toEqual([]);
    expect(rt.processInfo(test.pid)?.links).toEqual([srv]);
    expect(events).toEqual(['srv init first']);
  });

  it('E24 cast never fails, even to a dead pid or an unregistered name', async () => {
    const rt = runtime();
    type Hi = { state: null; cast: { readonly type: 'hi' } };
    const dead: GenServer.ServerPid<Hi> = rt.spawn(() => {});
    await rt.settle();
    expect(rt.isAlive(dead)).toBe(false);
    expect(GenServer.cast(GenServer.named<Hi>('nobody', rt), { type: 'hi' })).toBeUndefined(); // Erlang: ok
    expect(GenServer.cast(dead, { type: 'hi' })).toBeUndefined();
  });

  it('E26 stop from handleCast / handleInfo runs terminate(reason) and exits with that reason', async () => {
    const rt = runtime();
    interface Stopping {
      state: number;
      cast: { readonly type: 'quit' } | { readonly type: 'crash' };
    }
    const events: string[] = [];
    const stopping: GenServer.Behaviour<Stopping> = {
      init: () => Next.ok(0),
      handleCast: {
        quit: (_msg, s) => Next.stop('normal', s),
        crash: (_msg, s) => Next.stop('boom', s),
      },
      handleInfo: (msg, s) => (msg === 'die' ? Next.stop({ tag: 'shutdown', detail: 'cleanup' }, s) : Next.noreply(s)),
      terminate: (reason) => {
        events.push(`srv terminate ${JSON.stringify(reason)}`);
      },
    };
    const cleanup = { tag: 'shutdown', detail: 'cleanup' };
    const sends: Array<[send: (pid: GenServer.ServerPid<Stopping>) => void, reason: ExitReason]> = [
      [(pid) => GenServer.cast(pid, { type: 'quit' }), 'normal'],
      [(pid) => rt.send(pid, 'die'), cleanup as ExitReason],
      [(pid) => GenServer.cast(pid, { type: 'crash' }), boom],
    ];
    for (const [send, reason] of sends) {
      const pid = pidOf(await GenServer.start(stopping, undefined, { runtime: rt }));
      const w = await watch(rt, [pid]);
      send(pid);
      expect(await w.down(pid)).toEqual(reason);
    }
    expect(events).toEqual(['srv terminate "normal"', `srv terminate ${JSON.stringify(cleanup)}`, `srv terminate ${JSON.stringify(boom)}`]);
  });
});
