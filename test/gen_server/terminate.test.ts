import { describe, expect, it } from 'vitest';
import { GenServer, Next, ProcessExit, type ExitReason } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, hasSettled, manualClock, memoryLogger, startPuppet, useRuntime, type ManualClock } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
let clock: ManualClock;
const runtime = useRuntime(() => {
  log = memoryLogger();
  clock = manualClock();
  return { logger: log.logger, clock };
});

interface Worker {
  state: number;
  call: { readonly type: 'crash' } | { readonly type: 'exit' } | { readonly type: 'wait' };
  reply: { crash: never; exit: never; wait: never };
  cast: { readonly type: 'stop'; readonly reason: unknown };
}

/** A worker whose terminate records its reason and state. */
function worker(seen: Array<[ExitReason, number]>, terminate?: () => unknown): GenServer.Behaviour<Worker> {
  return {
    init: () => Next.ok(1),
    handleCall: {
      crash: () => {
        throw new RangeError('bad');
      },
      exit: (_req, _from, _n, ctx) => ctx.exit('boom'),
      wait: (_req, _from, n) => Next.noreply(n),
    },
    handleCast: { stop: ({ reason }, n) => Next.stop(reason, n + 1) },
    terminate: (reason, n) => {
      seen.push([reason, n]);
      return terminate?.() as void;
    },
  };
}

describe('terminate', () => {
  it('runs with the stop reason and the state the stop result carries', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'stop', reason: 'shutdown' });
    expect(await w.down(pid)).toBe('shutdown');
    expect(seen).toEqual([['shutdown', 2]]);
  });

  it('runs with { tag: error } when a callback throws, and the server exits with that reason', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    const error = await rejection(GenServer.call(pid, { type: 'crash' }));
    const down = await w.down(pid);
    expect(down).toMatchObject({ tag: 'error', cause: expect.any(RangeError) });
    expect(error.reason).toBe(down);
    expect(seen).toEqual([[down, 1]]);
  });

  it('is awaited when async: the server exits only after it has finished', async () => {
    const rt = runtime();
    const gate = deferred();
    const began = deferred();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(
      await GenServer.start(
        worker(seen, async () => {
          began.resolve();
          await gate.promise;
        }),
        undefined,
        { runtime: rt },
      ),
    );
    const stopped = GenServer.stop(pid, { tag: 'shutdown', detail: 'drain' });
    await began.promise;
    expect(rt.isAlive(pid)).toBe(true);
    expect(await hasSettled(stopped)).toBe(false);
    gate.resolve();
    await stopped;
    expect(rt.isAlive(pid)).toBe(false);
    expect(seen).toEqual([[{ tag: 'shutdown', detail: 'drain' }, 1]]);
  });

  it('a terminate that throws turns the exit reason into its error', async () => {
    const rt = runtime();
    const failure = new Error('cleanup failed');
    const pid = pidOf(
      await GenServer.start(
        worker([], () => {
          throw failure;
        }),
        undefined,
        { runtime: rt },
      ),
    );
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'stop', reason: 'normal' });
    expect(await w.down(pid)).toEqual({ tag: 'error', cause: failure });
  });

  it('does not run when the server is killed', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    rt.exit(pid, 'kill');
    expect(await w.down(pid)).toBe('killed');
    await rt.settle();
    expect(seen).toEqual([]);
  });

  it('does not run for an exit signal when the server does not trap exits, even from its parent', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const parent = await startPuppet(rt, { trapExit: true });
    const pid = pidOf(await parent.act((ctx) => GenServer.startLink(ctx, worker(seen), undefined)));
    const w = await watch(rt, [pid]);
    rt.exit(pid, 'shutdown');
    expect(await w.down(pid)).toBe('shutdown');
    expect(seen).toEqual([]);
  });

  it("runs for the parent's EXIT with reason normal when trapping, as gen_server does", async () => {
    const rt = runtime();
    const seen: ExitReason[] = [];
    const parent = await startPuppet(rt);
    const pid = pidOf(
      await parent.act((ctx) =>
        GenServer.startLink<{ state: null }>(
          ctx,
          {
            init: (_arg, srv) => {
              srv.trapExit(true);
              return Next.ok(null);
            },
            terminate: (reason) => {
              seen.push(reason);
            },
          },
          undefined,
        ),
      ),
    );
    const w = await watch(rt, [pid]);
    await parent.act((ctx) => ctx.exit('normal')).catch(() => undefined);
    expect(await w.down(pid)).toBe('normal');
    expect(seen).toEqual(['normal']);
  });

  it('ctx.exit inside a callback runs terminate with the reason and the state before the callback, then exits, reported (Erlang)', async () => {
    // Erlang/OTP 25: exit(boom) in handle_call runs terminate(boom, State), trap_exit false or
    // not; the caller gets {boom, {gen_server, call, ...}}; an error report says "terminating".
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    const error = await rejection(GenServer.call(pid, { type: 'exit' }));
    expect(error.reason).toEqual({ tag: 'exit', value: 'boom' });
    expect(await w.down(pid)).toEqual({ tag: 'exit', value: 'boom' });
    await rt.settle();
    expect(seen).toEqual([[{ tag: 'exit', value: 'boom' }, 1]]);
    expect(log.records.map((r) => [r['label'], r['reason'], r['state']])).toEqual([['gen_server.terminate', '"boom"', 1]]);
  });

  it('does not run when the server is killed while an async handler awaits, whatever the handler then returns', async () => {
    const rt = runtime();
    const seen: ExitReason[] = [];
    const gate = deferred();
    const began = deferred();
    const pid = pidOf(
      await GenServer.start<{ state: null; cast: { readonly type: 'slow' } }>(
        {
          init: () => Next.ok(null),
          handleCast: {
            slow: async (_msg, s) => {
              began.resolve();
              await gate.promise;
              return Next.stop('late', s);
            },
          },
          terminate: (reason) => {
            seen.push(reason);
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'slow' });
    await began.promise;
    rt.exit(pid, 'kill');
    gate.resolve();
    expect(await w.down(pid)).toBe('killed');
    await rt.settle();
    expect(seen).toEqual([]);
    expect(log.records).toEqual([]);
  });

  it('fails calls still waiting when the server stops, with its reason', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(worker([]), undefined, { runtime: rt }));
    const waiting = rejection(GenServer.call(pid, { type: 'wait' }));
    await rt.settle();
    GenServer.cast(pid, { type: 'stop', reason: 'bye' });
    const error = await waiting;
    expect(error.reason).toEqual({ tag: 'exit', value: 'bye' });
  });
});

describe('stop', () => {
  it('resolves after the server has exited with the reason given', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt, name: 'w' }));
    await GenServer.stop(GenServer.named<Worker>('w', rt), 'shutdown');
    expect(rt.isAlive(pid)).toBe(false);
    expect(rt.whereis('w')).toBeUndefined();
    expect(seen).toEqual([['shutdown', 1]]);
  });

  it("is handled in turn, after the messages before it", async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, number]> = [];
    const pid = pidOf(await GenServer.start(worker(seen), undefined, { runtime: rt }));
    GenServer.cast(pid, { type: 'stop', reason: 'first' });
    const stopped = GenServer.stop(pid, 'second');
    const error = await rejection(stopped);
    expect(error.reason).toEqual({ tag: 'exit', value: 'first' }); // the server had gone with another reason
    expect(seen).toEqual([[{ tag: 'exit', value: 'first' }, 2]]);
  });

  it('a stop that times out fails with the bare timeout, and the server keeps running', async () => {
    const rt = runtime();
    const gate = deferred();
    const began = deferred();
    const pid = pidOf(
      await GenServer.start(
        worker([], () => {
          began.resolve();
          return gate.promise;
        }),
        undefined,
        { runtime: rt },
      ),
    );
    const w = await watch(rt, [pid]);
    const stopped = rejection(GenServer.stop(pid, 'normal', 100));
    await began.promise;
    clock.advance(100);
    const error = await stopped;
    expect(error.reason).toBe('timeout');
    expect(error.exitReason).toEqual({ tag: 'exit', value: 'timeout' }); // Erlang: exit(timeout)
    expect(rt.isAlive(pid)).toBe(true); // still in terminate
    gate.resolve();
    expect(await w.down(pid)).toBe('normal');
  });
});

describe('two stops at once', () => {
  // Erlang/OTP 25, checked with escript: the second gen_server:stop exits with
  // {normal, {sys, terminate, [Pid, Reason2, infinity]}} whatever reason it asked for.
  it.each([['normal'], ['shutdown']] as const)('the second (asking %s) fails with the reason the first stop ended the server with', async (second) => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start<{ state: null }>({ init: () => Next.ok(null) }, undefined, { runtime: rt }));
    const [a, b] = await Promise.allSettled([GenServer.stop(pid, 'normal'), GenServer.stop(pid, second)]);
    expect(a.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: { reason: 'normal' } });
  });
});

describe('ctx.exit in a GenServer', () => {
  interface Exiter {
    state: string;
    call: { readonly type: 'exitAfterAwait'; readonly reason: unknown } | { readonly type: 'exitCaught' } | { readonly type: 'set'; readonly to: string };
    reply: { exitAfterAwait: never; exitCaught: string; set: string };
  }
  function exiter(seen: Array<[ExitReason, string]>, inTerminate?: (ctx: import('ts-otp').Context) => void | Promise<void>): GenServer.Behaviour<Exiter> {
    return {
      init: () => Next.ok('s0'),
      handleCall: {
        exitAfterAwait: async ({ reason }, _from, _s, ctx) => {
          await Promise.resolve();
          return ctx.exit(reason);
        },
        exitCaught: (_req, _from, s, ctx) => {
          try {
            ctx.exit('inner');
          } catch {
            // the server is ending all the same: terminate has run
          }
          return Next.reply('too late', s);
        },
        set: ({ to }, _from) => Next.reply(to, to),
      },
      terminate: (reason, s, ctx) => {
        seen.push([reason, s]);
        return inTerminate?.(ctx);
      },
    };
  }

  it("after an await runs terminate too; with 'normal' nothing is reported (Erlang)", async () => {
    // Erlang/OTP 25: exit(normal) in handle_call runs terminate(normal, S); the caller gets {normal, ...}; no report.
    const rt = runtime();
    const seen: Array<[ExitReason, string]> = [];
    const pid = pidOf(await GenServer.start(exiter(seen), undefined, { runtime: rt }));
    const error = await rejection(GenServer.call(pid, { type: 'exitAfterAwait', reason: 'normal' }));
    expect(error.reason).toBe('normal');
    await rt.settle();
    expect(seen).toEqual([['normal', 's0']]);
    expect(log.records).toEqual([]);
  });

  it('ends the server even when the callback catches the exit: terminate has run, the result is ignored', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, string]> = [];
    const pid = pidOf(await GenServer.start(exiter(seen), undefined, { runtime: rt }));
    const error = await rejection(GenServer.call(pid, { type: 'exitCaught' }));
    expect(error.reason).toEqual({ tag: 'exit', value: 'inner' });
    expect(seen).toEqual([[{ tag: 'exit', value: 'inner' }, 's0']]);
  });

  it.each([
    ['sync', (ctx: import('ts-otp').Context) => ctx.exit('term_boom')],
    ['after an await', async (ctx: import('ts-otp').Context) => {
      await Promise.resolve();
      ctx.exit('term_boom');
    }],
  ])('in terminate (%s) is its failure: reported with the formatted state, and the server exits with it (Erlang)', async (_how, inTerminate) => {
    // Erlang/OTP 25: exit(term_boom) in terminate: an error report "terminating" with term_boom,
    // the process exits with term_boom and gen_server:stop exits with term_boom.
    const rt = runtime();
    const seen: Array<[ExitReason, string]> = [];
    const pid = pidOf(await GenServer.start(exiter(seen, inTerminate), undefined, { runtime: rt }));
    await GenServer.call(pid, { type: 'set', to: 'exit_in_terminate' });
    const w = await watch(rt, [pid]);
    const error = await rejection(GenServer.stop(pid));
    expect(error.exitReason).toEqual({ tag: 'exit', value: 'term_boom' });
    expect(await w.down(pid)).toEqual({ tag: 'exit', value: 'term_boom' });
    await rt.settle();
    expect(seen).toEqual([['normal', 'exit_in_terminate']]);
    expect(log.records.map((r) => [r['label'], r['reason'], r['state'], r['inTerminate']])).toEqual([
      ['gen_server.terminate', '"term_boom"', 'exit_in_terminate', true],
    ]);
  });

  it.each([
    ['normal', 'fulfilled'],
    ['shutdown', 'rejected'],
  ] as const)("in terminate with %s is its failure too: reported even so; a stop with 'normal' succeeds only if the reasons match (Erlang)", async (reason, stopped) => {
    // Erlang/OTP 25: exit(normal) in terminate during gen_server:stop(P) writes the error report
    // "terminating" with {normal, Stack} and stop returns ok; exit(shutdown) writes it too, and
    // stop exits with shutdown.
    const rt = runtime();
    const seen: Array<[ExitReason, string]> = [];
    const pid = pidOf(await GenServer.start(exiter(seen, (ctx) => ctx.exit(reason)), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    const [result] = await Promise.allSettled([GenServer.stop(pid)]);
    expect(result.status).toBe(stopped);
    expect(await w.down(pid)).toEqual(reason);
    await rt.settle();
    expect(log.records.map((r) => [r['label'], r['inTerminate']])).toEqual([['gen_server.terminate', true]]);
  });

  it('in init makes the start return the reason, and a trapping linked starter gets the EXIT, after an await too (Erlang)', async () => {
    // Erlang/OTP 25: init calling exit(boom): gen_server:start returns {error, boom}; a crash report is written.
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const result = await GenServer.startLink<{ state: null }>(
        ctx,
        {
          init: async (_arg, c) => {
            await Promise.resolve();
            return c.exit('boom');
          },
        },
        undefined,
      );
      const exit = await ctx.receive((m) => (m as { type?: unknown }).type === 'EXIT', 1000);
      return { result, exit };
    });
    expect(seen.result).toEqual({ type: 'error', reason: { tag: 'exit', value: 'boom' } });
    expect(seen.exit).toMatchObject({ type: 'EXIT', reason: { tag: 'exit', value: 'boom' } });
    await rt.settle();
    expect(log.records.map((r) => [r['label'], r['reason']])).toEqual([['gen_server.init_failed', '"boom"']]);
  });

  it('from a timer while the server waits runs terminate with the current state', async () => {
    const rt = runtime();
    const seen: Array<[ExitReason, string]> = [];
    let serverCtx: import('ts-otp').Context | undefined;
    const pid = pidOf(
      await GenServer.start<{ state: string }>(
        {
          init: (_arg, ctx) => {
            serverCtx = ctx;
            return Next.ok('idle');
          },
          terminate: (reason, s) => {
            seen.push([reason, s]);
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    const w = await watch(rt, [pid]);
    expect(() => serverCtx!.exit('shutdown')).toThrow(ProcessExit);
    expect(await w.down(pid)).toBe('shutdown');
    expect(seen).toEqual([['shutdown', 'idle']]);
  });
});
