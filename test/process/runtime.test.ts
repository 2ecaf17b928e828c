import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultRuntime, InvalidArgumentError, ProcessExit, Runtime, runtimeOf, type ExitReason, type Pid } from 'ts-otp';
import { deferred, manualClock, recordExits, startPuppet, startRecorder, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

describe('run', () => {
  it('resolves with what a synchronous body returns', async () => {
    expect(await runtime().run(() => 42)).toBe(42);
  });

  it('resolves with what an async body resolves with, once the process has exited', async () => {
    const rt = runtime();
    let self: Pid | undefined;
    const value = await rt.run(async (ctx) => {
      self = ctx.self;
      await ctx.receive(0);
      return { answer: 42 };
    });
    expect(value).toEqual({ answer: 42 });
    expect(rt.isAlive(self!)).toBe(false);
  });

  it('runs the function as a live process', async () => {
    const rt = runtime();
    expect(await rt.run((ctx) => rt.isAlive(ctx.self) && rt.processes().includes(ctx.self))).toBe(true);
  });

  it("rejects with a ProcessExit carrying { tag: 'error', cause } and the Error as its cause when the body throws", async () => {
    const rt = runtime();
    const error = new Error('boom');
    let self: Pid | undefined;
    const outcome = rt.run((ctx) => {
      self = ctx.self;
      throw error;
    });
    await expect(outcome).rejects.toBeInstanceOf(ProcessExit);
    const e = (await outcome.catch((x: unknown) => x)) as ProcessExit;
    expect(e.pid).toBe(self);
    expect(e.reason).toEqual({ tag: 'error', cause: error });
    expect(e.cause).toBe(error);
    expect(e.message).toContain('boom');
  });

  it.each([
    ['calls ctx.exit', 'shutdown'],
    ['calls ctx.exit with normal', 'normal'],
  ] as const)('rejects with a ProcessExit when the process %s', async (_title, reason) => {
    const rt = runtime();
    await expect(rt.run((ctx) => ctx.exit(reason))).rejects.toMatchObject({ name: 'ProcessExit', reason });
  });

  it("rejects with reason 'killed' when the process is killed", async () => {
    const rt = runtime();
    const outcome = rt.run((ctx) => ctx.receive());
    await rt.settle();
    rt.exit(rt.processes()[0]!, 'kill');
    await expect(outcome).rejects.toMatchObject({ name: 'ProcessExit', reason: 'killed' });
  });

  it('rejects with the reason of a linked process that takes it down', async () => {
    const rt = runtime();
    const outcome = rt.run(async (ctx) => {
      ctx.spawnLink((c) => c.exit('boom'));
      await ctx.receive();
    });
    await expect(outcome).rejects.toMatchObject({ reason: { tag: 'exit', value: 'boom' } });
  });
});

describe('settle', () => {
  it('resolves at once for a runtime with nothing to do', async () => {
    await expect(runtime().settle()).resolves.toBeUndefined();
  });

  it('waits until every process has exited or is blocked in receive', async () => {
    const rt = runtime();
    const log: string[] = [];
    rt.spawn(async (ctx) => {
      for (let i = 0; i < 3; i++) await Promise.resolve();
      log.push('a done');
      await ctx.receive();
    });
    rt.spawn(() => {
      log.push('b done');
    });
    await rt.settle();
    expect(log.sort()).toEqual(['a done', 'b done']);
    expect(rt.processes().map((pid) => rt.processInfo(pid)?.status)).toEqual(['waiting']);
  });

  it('waits for a process awaiting something outside the kernel until it is back in receive', async () => {
    const rt = runtime();
    const outside = deferred<string>();
    let got: string | undefined;
    rt.spawn(async (ctx) => {
      got = await outside.promise;
      await ctx.receive();
    });
    const settled = rt.settle();
    let done = false;
    void settled.then(() => (done = true));
    await microtaskTurns();
    expect(done).toBe(false);
    outside.resolve('outside');
    await settled;
    expect(got).toBe('outside');
  });

  it('waits for chains of messages to run out', async () => {
    const rt = runtime();
    let rounds = 0;
    const pong = rt.spawn(async (ctx) => {
      for (;;) {
        const from = (await ctx.receive()) as Pid;
        ctx.send(from, 'pong');
      }
    });
    rt.spawn(async (ctx) => {
      for (let i = 0; i < 100; i++) {
        ctx.send(pong, ctx.self);
        await ctx.receive();
        rounds++;
      }
    });
    await rt.settle();
    expect(rounds).toBe(100);
  });

  it('does not wait for timers or receive timeouts', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    rt.spawn((ctx) => ctx.receive(10_000));
    rt.sendAfter(10_000, rec.pid, 'later');
    await rt.settle();
    expect(clock.pending()).toBe(2);
  });

  it('resolves every caller that is waiting', async () => {
    const rt = runtime();
    rt.spawn(async () => {
      await Promise.resolve();
    });
    await expect(Promise.all([rt.settle(), rt.settle(), rt.settle()])).resolves.toEqual([undefined, undefined, undefined]);
  });
});

/** Lets other queued work run: a few turns of the microtask queue. */
async function microtaskTurns(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('killAll', () => {
  it("ends every process, trapping or not, with 'killed'", async () => {
    const rt = runtime();
    const exits = recordExits(rt);
    const plain = await startPuppet(rt);
    const trapping = await startPuppet(rt, { trapExit: true });
    const linked = await startPuppet(rt);
    await linked.act((ctx) => ctx.link(trapping.pid));
    const unstarted = rt.spawn((ctx) => ctx.receive());
    rt.killAll();
    expect(rt.processes()).toEqual([]);
    await rt.settle();
    expect(new Set(exits.values())).toEqual(new Set<ExitReason>(['killed']));
    expect([...exits.keys()].sort()).toEqual([plain.pid, trapping.pid, linked.pid, unstarted].sort());
  });

  it('cancels every timer and frees every name', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt, { name: 'rec' });
    rt.sendAfter(100, 'rec', 'x');
    await rt.run((ctx) => ctx.startTimer(100, rec.pid, 'y'));
    rt.sendAfter(100, 'nobody-yet', 'z');
    rt.killAll();
    expect(clock.pending()).toBe(0);
    expect(rt.registered()).toEqual([]);
  });

  it('leaves the runtime usable', async () => {
    const rt = runtime();
    await startPuppet(rt);
    rt.killAll();
    expect(await rt.run(() => 'alive again')).toBe('alive again');
    const rec = await startRecorder(rt, { name: 'rec' });
    rt.sendAfter(1, 'rec', 'tick');
    clock.advance(1);
    await rt.settle();
    expect(rec.messages).toEqual(['tick']);
  });
});

describe('runtimes', () => {
  const others: Runtime[] = [];
  afterEach(() => {
    for (const other of others.splice(0)) other.killAll();
  });
  const another = (): Runtime => {
    const other = new Runtime();
    others.push(other);
    return other;
  };

  it('are isolated: a pid of one is refused by the other with InvalidArgumentError', async () => {
    const rt = runtime();
    const other = another();
    const foreign = (await startPuppet(other)).pid;
    const mine = await startPuppet(rt);
    const refusals: Array<[string, () => unknown]> = [
      ['send', () => rt.send(foreign, 'x')],
      ['exit', () => rt.exit(foreign, 'kill')],
      ['isAlive', () => rt.isAlive(foreign)],
      ['processInfo', () => rt.processInfo(foreign)],
      ['register', () => rt.register('foreign', foreign)],
      ['sendAfter', () => rt.sendAfter(10, foreign, 'x')],
    ];
    for (const [operation, f] of refusals) {
      expect(f, operation).toThrow(InvalidArgumentError);
      try {
        f();
      } catch (e) {
        expect(e, operation).toMatchObject({ operation, value: foreign });
      }
    }
    const fromProcess = await mine.act((ctx) =>
      [() => ctx.link(foreign), () => ctx.monitor(foreign), () => ctx.send(foreign, 'x'), () => ctx.exit(foreign, 'kill')].map((f) => {
        try {
          f();
          return undefined;
        } catch (e) {
          return e;
        }
      }),
    );
    for (const e of fromProcess) expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(other.isAlive(foreign)).toBe(true);
    expect(rt.isAlive(mine.pid)).toBe(true);
  });

  it('each have their own processes, names and killAll', async () => {
    const rt = runtime();
    const other = another();
    const a = await startPuppet(rt);
    const b = await startPuppet(other);
    rt.register('same', a.pid);
    other.register('same', b.pid);
    expect(rt.processes()).toEqual([a.pid]);
    expect(other.processes()).toEqual([b.pid]);
    rt.killAll();
    expect(other.isAlive(b.pid)).toBe(true);
    expect(other.whereis('same')).toBe(b.pid);
  });

  it('settle independently: a busy runtime does not hold up another', async () => {
    const rt = runtime();
    const other = another();
    const outside = deferred();
    other.spawn(async () => {
      await outside.promise;
    });
    rt.spawn(() => {});
    await rt.settle();
    outside.resolve();
    await other.settle();
  });

  it('get numbers of their own; the default runtime is number 0', async () => {
    const other = another();
    const pid = other.spawn(() => {});
    expect(pid.startsWith('<0.')).toBe(false);
    const rt = defaultRuntime();
    expect(defaultRuntime()).toBe(rt);
    expect(rt.rootPid).toBe('<0.0.0>');
    expect(await rt.run((ctx) => ctx.self.startsWith('<0.'))).toBe(true);
  });

  it('are found from their pids by runtimeOf', async () => {
    const rt = runtime();
    const other = another();
    const mine = rt.spawn(() => {});
    const theirs = other.spawn(() => {});
    expect(runtimeOf(mine)).toBe(rt);
    expect(runtimeOf(theirs)).toBe(other);
    expect(runtimeOf(rt.rootPid)).toBe(rt);
    expect(runtimeOf('<0.1.0>')).toBe(defaultRuntime());
    expect(runtimeOf('<987654.1.0>')).toBeUndefined();
    expect(runtimeOf('worker')).toBeUndefined();
    expect(runtimeOf(42)).toBeUndefined();
    await Promise.all([rt.settle(), other.settle()]);
  });

  it('are forgotten by the table that finds them from pids once they are garbage', async () => {
    // Needs a collector the test can drive: a Node process of its own, started with --expose-gc.
    const script = fileURLToPath(new URL('./forget_runtimes.script.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, '5000'], { timeout: 30_000 });
    const sizes = JSON.parse(stdout) as { before: number; made: number; after: number; keptFound: boolean };
    expect(sizes.made).toBe(sizes.before + 5000);
    expect(sizes.after).toBe(sizes.before);
    expect(sizes.keptFound).toBe(true);
  });
});

describe('new Runtime(options)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  const noop = (): void => {};
  const clock = { now: () => 0, setTimeout: noop, clearTimeout: noop };
  const logger = pino({ level: 'silent' });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();

  // prettier-ignore
  it.each([
    ['options',        undefined, 42],
    ['options',        undefined, null],
    ['options.logger', 'logger',  5],
    ['options.logger', 'logger',  'info'],
    ['options.logger', 'logger',  { info: noop }],
    ['options.logger', 'logger',  null],
    ['options.logger', 'logger',  revoked],
    ['options.clock',  'clock',   Date],
    ['options.clock',  'clock',   { ...clock, now: 0 }],
    ['options.clock',  'clock',   null],
  ])('refuses a bad %s with InvalidArgumentError naming it', (argument, field, value) => {
    let thrown: unknown;
    try {
      new Runtime((field === undefined ? value : { [field]: value }) as never);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect(thrown).toMatchObject({ operation: 'Runtime', argument });
    expect((thrown as InvalidArgumentError).value).toBe(value);
  });

  it('refuses an OTP_LOG_LEVEL that is not a pino level when it makes the default logger, not at its first report', () => {
    vi.stubEnv('OTP_LOG_LEVEL', 'loud');
    expect(() => new Runtime()).toThrow(expect.objectContaining({ name: 'InvalidArgumentError', argument: 'OTP_LOG_LEVEL', value: 'loud' }));
    expect(new Runtime({ logger }).logger).toBe(logger); // a logger of its own needs no level
    vi.stubEnv('OTP_LOG_LEVEL', 'warn');
    expect(new Runtime().logger.level).toBe('warn');
  });

  it('takes a pino logger and a clock', () => {
    const rt = new Runtime({ logger, clock });
    expect(rt.logger).toBe(logger);
    expect(rt.cancelTimer(rt.sendAfter(10, 'somebody', 'x'))).toBe(10);
  });
});
