import { describe, expect, it } from 'vitest';
import { GenServer, Next, type Pid } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, exitReasonOf, hasSettled, killNewborn, manualClock, startPuppet, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

/** A behaviour whose init waits for `gate`, after noting its pid and resolving `begun`. */
function slowInit(gate: Promise<void>, begun: { resolve: () => void }, pids: Pid[]): GenServer.Behaviour<{ state: string }> {
  return {
    init: async (_arg, ctx) => {
      pids.push(ctx.self);
      begun.resolve();
      await gate;
      return Next.ok('ready');
    },
  };
}

describe('start', () => {
  it('passes the argument to init and starts with the state init returns', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start<{ arg: number; state: number }>({ init: (n) => Next.ok(n * 2) }, 21, { runtime: rt }));
    expect(await GenServer.getState(pid)).toBe(42);
  });

  it('a start that loses the race for its name runs neither init nor terminate', async () => {
    // Both starts find the name free before either server runs; the second to run finds it taken.
    const rt = runtime();
    const ran: string[] = [];
    const behaviour = (who: string): GenServer.Behaviour<{ state: null }> => ({
      init: () => {
        ran.push(`init ${who}`);
        return Next.ok(null);
      },
      terminate: () => {
        ran.push(`terminate ${who}`);
      },
    });
    const [first, second] = await Promise.all([
      GenServer.start(behaviour('first'), undefined, { runtime: rt, name: 'only' }),
      GenServer.start(behaviour('second'), undefined, { runtime: rt, name: 'only' }),
    ]);
    expect(first.type).toBe('ok');
    expect(second).toEqual({ type: 'error', reason: { tag: 'already_started', pid: rt.whereis('only') } });
    await rt.settle();
    expect(ran).toEqual(['init first']);
  });

  it('waits for an async init', async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const started = GenServer.start(slowInit(gate.promise, begun, []), undefined, { runtime: rt });
    await begun.promise;
    expect(await hasSettled(started)).toBe(false);
    gate.resolve();
    expect((await started).type).toBe('ok');
  });

  it('registers the name before init runs and frees it when the server exits', async () => {
    const rt = runtime();
    let seenInInit: Pid | undefined;
    const started = await GenServer.start<{ state: null }>(
      {
        init: (_arg, ctx) => {
          seenInInit = rt.whereis('svc');
          expect(seenInInit).toBe(ctx.self);
          return Next.ok(null);
        },
      },
      undefined,
      { runtime: rt, name: 'svc' },
    );
    const pid = pidOf(started);
    expect(seenInInit).toBe(pid);
    expect(await GenServer.getState(GenServer.named<{ state: null }>('svc', rt))).toBeNull();
    await GenServer.stop(pid);
    expect(rt.whereis('svc')).toBeUndefined();
  });

  it('is not linked to the caller', async () => {
    const rt = runtime();
    const caller = await startPuppet(rt);
    const pid = pidOf(await caller.act(() => GenServer.start<{ state: null }>({ init: () => Next.ok(null) }, undefined, { runtime: rt })));
    expect(rt.processInfo(pid)?.links).toEqual([]);
    expect(rt.processInfo(caller.pid)?.links).toEqual([]);
  });

  it('startLink links the server to the caller and uses its runtime', async () => {
    const rt = runtime();
    const caller = await startPuppet(rt);
    const pid = pidOf(await caller.act((ctx) => GenServer.startLink<{ state: null }>(ctx, { init: () => Next.ok(null) }, undefined)));
    expect(rt.processInfo(pid)?.links).toEqual([caller.pid]);
    expect(rt.processes()).toContain(pid);
  });
});

describe('the init timeout', () => {
  it('returns timeout and kills the server when init takes longer', async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const pids: Pid[] = [];
    const started = GenServer.start(slowInit(gate.promise, begun, pids), undefined, { runtime: rt, timeout: 100, name: 'slow' });
    await begun.promise;
    const down = exitReasonOf(rt, pids[0]!);
    clock.advance(99);
    expect(await hasSettled(started)).toBe(false);
    clock.advance(1);
    expect(await started).toEqual({ type: 'error', reason: 'timeout' });
    expect(await down).toBe('killed');
    expect(rt.whereis('slow')).toBeUndefined();
    gate.resolve(); // init finishing late changes nothing
    await rt.settle();
    expect(rt.processes()).toEqual([]);
  });

  it('unlinks a startLink caller before the kill: the caller neither dies nor gets an EXIT, as proc_lib does', async () => {
    const rt = runtime();
    for (const trapExit of [false, true]) {
      const caller = await startPuppet(rt, { trapExit });
      const gate = deferred();
      const begun = deferred();
      const pids: Pid[] = [];
      const started = caller.act((ctx) => GenServer.startLink(ctx, slowInit(gate.promise, begun, pids), undefined, { timeout: 50 }));
      await begun.promise;
      const w = await watch(rt, [pids[0]!]);
      clock.advance(50);
      expect(await started).toEqual({ type: 'error', reason: 'timeout' });
      expect(await w.down(pids[0]!)).toBe('killed');
      await rt.settle();
      expect(rt.isAlive(caller.pid)).toBe(true);
      expect(await caller.mailbox()).toEqual([]);
      expect(rt.processInfo(caller.pid)?.links).toEqual([]);
    }
  });

  it('is cleared when init finishes in time', async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const started = GenServer.start(slowInit(gate.promise, begun, []), undefined, { runtime: rt, timeout: 100 });
    await begun.promise;
    expect(clock.pending()).toBe(1);
    clock.advance(60);
    gate.resolve();
    const pid = pidOf(await started);
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    expect(await GenServer.getState(pid)).toBe('ready');
  });

  it("defaults to 'infinity': no timer is set", async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const started = GenServer.start(slowInit(gate.promise, begun, []), undefined, { runtime: rt });
    await begun.promise;
    expect(clock.pending()).toBe(0);
    gate.resolve();
    expect((await started).type).toBe('ok');
  });
});

describe('init that fails', () => {
  it('rejecting asynchronously returns the error and ends the server with it', async () => {
    const rt = runtime();
    const failure = new TypeError('no config');
    const pids: Pid[] = [];
    const started = await GenServer.start<{ state: null }>(
      {
        init: async (_arg, ctx) => {
          pids.push(ctx.self);
          await Promise.resolve();
          throw failure;
        },
      },
      undefined,
      { runtime: rt, name: 'cfg' },
    );
    expect(started).toEqual({ type: 'error', reason: { tag: 'error', cause: failure } });
    expect(rt.isAlive(pids[0]!)).toBe(false);
    expect(rt.whereis('cfg')).toBeUndefined();
  });

  it('returning something other than a Next result ends it with bad_return_value', async () => {
    const rt = runtime();
    const started = await GenServer.start<{ state: null }>({ init: () => ({ ok: true }) as never }, undefined, { runtime: rt });
    expect(started).toEqual({ type: 'error', reason: { tag: 'exit', value: { bad_return_value: { ok: true } } } });
  });

  it('killed while init runs: start returns the kill reason', async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const pids: Pid[] = [];
    const started = GenServer.start(slowInit(gate.promise, begun, pids), undefined, { runtime: rt });
    await begun.promise;
    rt.exit(pids[0]!, 'kill');
    expect(await started).toEqual({ type: 'error', reason: 'killed' });
  });
});

describe('a server that exits before init answers (proc_lib watches the EXIT or the DOWN)', () => {
  it('start returns the kill reason when the server is killed before its first step', async () => {
    const rt = runtime();
    let ran = false;
    const behaviour: GenServer.Behaviour<{ state: null }> = { init: () => ((ran = true), Next.ok(null)) };
    const { result } = killNewborn(rt, () => GenServer.start(behaviour, undefined, { runtime: rt, name: 'early' }));
    expect(await result).toEqual({ type: 'error', reason: 'killed' });
    expect(ran).toBe(false);
    expect(rt.whereis('early')).toBeUndefined();
  });

  it('start returns the reason of any exit signal that ends it, and a normal one does not end it', async () => {
    const rt = runtime();
    const behaviour: GenServer.Behaviour<{ state: null }> = { init: () => Next.ok(null) };
    const shut = killNewborn(rt, () => GenServer.start(behaviour, undefined, { runtime: rt }), 'shutdown');
    expect(await shut.result).toEqual({ type: 'error', reason: 'shutdown' });
    const other = killNewborn(rt, () => GenServer.start(behaviour, undefined, { runtime: rt }), { reason: 'x' });
    expect(await other.result).toEqual({ type: 'error', reason: { tag: 'exit', value: { reason: 'x' } } });
    const normal = killNewborn(rt, () => GenServer.start(behaviour, undefined, { runtime: rt }), 'normal');
    expect(await normal.result).toEqual({ type: 'ok', pid: normal.pid });
  });

  it('an init timeout leaves no timer behind when the server is killed while init runs', async () => {
    const rt = runtime();
    const gate = deferred();
    const begun = deferred();
    const pids: Pid[] = [];
    const started = GenServer.start(slowInit(gate.promise, begun, pids), undefined, { runtime: rt, timeout: 100 });
    await begun.promise;
    expect(clock.pending()).toBe(1);
    rt.exit(pids[0]!, 'kill');
    expect(await started).toEqual({ type: 'error', reason: 'killed' });
    expect(clock.pending()).toBe(0);
  });

  it('startLink returns the reason to a trapping caller and takes the EXIT that told it, as OTP 25', async () => {
    const rt = runtime();
    const caller = await startPuppet(rt, { trapExit: true });
    // Killed before its first step.
    const early = await caller.act((ctx) => killNewborn(rt, () => GenServer.startLink<{ state: null }>(ctx, { init: () => Next.ok(null) }, undefined)).result);
    expect(early).toEqual({ type: 'error', reason: 'killed' });
    // Ended by a signal while an async init waits.
    const gate = deferred();
    const begun = deferred();
    const pids: Pid[] = [];
    const late = caller.act((ctx) => GenServer.startLink(ctx, slowInit(gate.promise, begun, pids), undefined));
    await begun.promise;
    rt.exit(pids[0]!, 'shutdown');
    expect(await late).toEqual({ type: 'error', reason: 'shutdown' });
    await rt.settle();
    expect(await caller.mailbox()).toEqual([]);
    expect(rt.isAlive(caller.pid)).toBe(true);
  });

  it('a caller that does not trap exits dies with the server and its startLink never resumes', async () => {
    const rt = runtime();
    const caller = await startPuppet(rt);
    const down = exitReasonOf(rt, caller.pid);
    const started = caller.act((ctx) => killNewborn(rt, () => GenServer.startLink<{ state: null }>(ctx, { init: () => Next.ok(null) }, undefined)).result);
    expect(await down).toBe('killed');
    await rt.settle();
    expect(await hasSettled(started)).toBe(false);
  });

  it('a caller killed while its startLink waits is not answered, even when init then succeeds', async () => {
    const rt = runtime();
    const caller = await startPuppet(rt, { trapExit: true });
    const gate = deferred();
    const begun = deferred();
    const pids: Pid[] = [];
    const trapping: GenServer.Behaviour<{ state: string }> = {
      init: async (arg, ctx) => {
        ctx.trapExit(true); // survives its parent's death until init is over, as a supervisor does
        return slowInit(gate.promise, begun, pids).init(arg, ctx);
      },
    };
    const started = caller.act((ctx) => GenServer.startLink(ctx, trapping, undefined));
    await begun.promise;
    const down = exitReasonOf(rt, pids[0]!);
    rt.exit(caller.pid, 'kill');
    gate.resolve();
    expect(await down).toBe('killed'); // its parent's EXIT, handled once init is over
    await rt.settle();
    expect(await hasSettled(started)).toBe(false);
  });
});
