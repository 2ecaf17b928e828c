import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { Application, InvalidArgumentError, Runtime, Supervisor, type Context } from 'ts-otp';
import { memoryLogger, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

afterEach(() => {
  vi.useRealTimers();
});

/** A stand-in for Node's process: signals and failures are emitted by the test; exits are recorded. */
function fakeHost(): EventEmitter & { codes: number[]; exit(code: number): void } {
  const host = new EventEmitter() as EventEmitter & { codes: number[]; exit(code: number): void };
  host.codes = [];
  host.exit = (code) => void host.codes.push(code);
  return host;
}

/** An application whose tree is one worker that takes `stopMs` to stop after 'shutdown' (or never, with Infinity). */
function app(name: string, order: string[], options: { dependencies?: string[]; stopMs?: number } = {}): Application.ApplicationSpec {
  return {
    name,
    dependencies: options.dependencies ?? [],
    start: (master) =>
      Supervisor.startLink(master, {
        children: [
          {
            id: 'w',
            shutdown: 'infinity',
            start: (sup) => ({
              type: 'ok',
              pid: sup.spawnLink(async (ctx: Context) => {
                ctx.trapExit(true);
                await ctx.receive();
                if (options.stopMs === Infinity) await new Promise(() => {});
                if (options.stopMs !== undefined) await new Promise((r) => setTimeout(r, options.stopMs));
              }),
            }),
          },
        ],
      }),
    stop: () => void order.push(`stop ${name}`),
  };
}

function labels(): unknown[] {
  return log.records.map((r) => r['label']);
}

async function exitedWith(host: ReturnType<typeof fakeHost>): Promise<number[]> {
  await vi.waitFor(() => expect(host.codes.length).toBeGreaterThan(0));
  return host.codes;
}

describe('Application.main', () => {
  it('starts the application after its dependencies and, on SIGTERM, stops them last first and exits 0', async () => {
    const rt: Runtime = runtime();
    const host = fakeHost();
    const order: string[] = [];
    Application.load(app('db', order), { runtime: rt });
    const program = await Application.main(app('web', order, { dependencies: ['db'] }), { runtime: rt, host });
    expect(program.started).toEqual(['db', 'web']);
    expect(Application.whichApplications({ runtime: rt }).map((a) => a.startType)).toEqual(['permanent', 'permanent']);
    host.emit('SIGTERM', 'SIGTERM');
    expect(await exitedWith(host)).toEqual([0]);
    expect(order).toEqual(['stop web', 'stop db']);
    expect(host.listenerCount('SIGTERM') + host.listenerCount('SIGINT') + host.listenerCount('uncaughtException')).toBe(0);
  });

  it('forces the exit with status 1 on a second signal, logging what was still running', async () => {
    vi.useFakeTimers();
    const rt = runtime();
    const host = fakeHost();
    await Application.main(app('stuck', [], { stopMs: Infinity }), { runtime: rt, host });
    host.emit('SIGINT', 'SIGINT');
    await vi.advanceTimersByTimeAsync(500);
    expect(host.codes).toEqual([]);
    host.emit('SIGINT', 'SIGINT');
    expect(host.codes).toEqual([1]);
    const forced = log.records.find((r) => r['label'] === 'application.shutdown_forced');
    expect(forced).toMatchObject({ why: 'second signal', applications: ['stuck'] });
  });

  it('takes the same signal again within half a second as one signal delivered twice, as npm start delivers a Ctrl-C', async () => {
    vi.useFakeTimers();
    const rt = runtime();
    const host = fakeHost();
    await Application.main(app('slow', [], { stopMs: 1000 }), { runtime: rt, host });
    host.emit('SIGINT', 'SIGINT');
    await vi.advanceTimersByTimeAsync(499);
    host.emit('SIGINT', 'SIGINT'); // npm forwarding the Ctrl-C that node had from the terminal already
    expect(log.records.filter((r) => r['label'] === 'application.shutdown_forced')).toEqual([]);
    await vi.advanceTimersByTimeAsync(501);
    expect(host.codes).toEqual([0]);
  });

  it('takes a different signal soon after the first as a second signal', async () => {
    const rt = runtime();
    const host = fakeHost();
    await Application.main(app('stuck', [], { stopMs: Infinity }), { runtime: rt, host });
    host.emit('SIGTERM', 'SIGTERM');
    host.emit('SIGINT', 'SIGINT');
    expect(await exitedWith(host)).toEqual([1]);
  });

  it('forces the exit with status 1 when the orderly stop passes the deadline', async () => {
    vi.useFakeTimers();
    const rt = runtime();
    const host = fakeHost();
    await Application.main(app('slow', [], { stopMs: Infinity }), { runtime: rt, host, shutdownTimeout: 1000 });
    host.emit('SIGTERM', 'SIGTERM');
    await vi.advanceTimersByTimeAsync(999);
    expect(host.codes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.codes).toEqual([1]);
    expect(log.records.find((r) => r['label'] === 'application.shutdown_forced')).toMatchObject({ why: 'deadline' });
  });

  it('treats an uncaught exception as fatal: logs it, stops everything in order, exits 1', async () => {
    const rt = runtime();
    const host = fakeHost();
    const order: string[] = [];
    await Application.main(app('web', order), { runtime: rt, host });
    host.emit('uncaughtException', new Error('nobody caught me'));
    expect(await exitedWith(host)).toEqual([1]);
    expect(order).toEqual(['stop web']);
    expect(log.records.find((r) => r['label'] === 'application.uncaught')).toMatchObject({ level: 60, err: { message: 'nobody caught me' } });
  });

  it('exits 1 when a permanent application dies, after stopping the others', async () => {
    const rt = runtime();
    const host = fakeHost();
    const order: string[] = [];
    Application.load(app('db', order), { runtime: rt });
    await Application.main(app('web', order, { dependencies: ['db'] }), { runtime: rt, host });
    const webMaster = Application.whichApplications({ runtime: rt })[0]!;
    expect(webMaster.name).toBe('web');
    // Kill web's top supervisor: the newest supervisor process is web's.
    const sups = rt.processes().filter((p) => rt.processInfo(p)?.trapExit === true && rt.processInfo(p)?.links.length === 2);
    rt.exit(sups.at(-1)!, 'kill');
    expect(await exitedWith(host)).toEqual([1]);
    expect(order).toEqual(['stop web', 'stop db']);
    expect(labels()).toContain('application.halt');
  });

  it('exits 1 when the start fails, and says why', async () => {
    const rt = runtime();
    const host = fakeHost();
    const program = await Application.main({ name: 'broken', start: () => ({ type: 'error', reason: 'no_config' }) }, { runtime: rt, host });
    expect(program.started).toEqual([]);
    expect(host.codes).toEqual([1]);
    expect(log.records.find((r) => r['label'] === 'application.start_failed')).toMatchObject({
      reason: { tag: 'start_failed', name: 'broken', reason: 'no_config' },
    });
  });

  it('flushes the logger before it exits, so the last records are written first', async () => {
    // A destination that holds records until flushed, as pino's asynchronous ones do.
    const held: string[] = [];
    const written: string[] = [];
    const stream = {
      write: (chunk: string) => void held.push(chunk),
      flush: (cb: () => void) => {
        setImmediate(() => {
          written.push(...held.splice(0));
          cb();
        });
      },
    };
    const rt = new Runtime({ logger: pino({ base: null }, stream) });
    const host = fakeHost();
    let writtenAtExit: unknown[] = [];
    let heldAtExit = -1;
    host.exit = (code) => {
      writtenAtExit = written.map((line) => (JSON.parse(line) as { label: unknown }).label);
      heldAtExit = held.length;
      host.codes.push(code);
    };
    try {
      await Application.main(app('web', []), { runtime: rt, host });
      host.emit('SIGTERM', 'SIGTERM');
      expect(await exitedWith(host)).toEqual([0]);
      expect(heldAtExit).toBe(0);
      expect(writtenAtExit.slice(0, 2)).toEqual(['application.started', 'application.shutdown']);
      expect(writtenAtExit.at(-1)).toBe('application.stopped');
    } finally {
      rt.killAll();
    }
  });

  it('exits after a second even if the logger never finishes flushing', async () => {
    vi.useFakeTimers();
    const neverFlushes = { write: () => {}, flush: () => {} };
    const rt = new Runtime({ logger: pino({ base: null }, neverFlushes) });
    const host = fakeHost();
    try {
      await Application.main(app('web', []), { runtime: rt, host });
      host.emit('SIGTERM', 'SIGTERM');
      await vi.advanceTimersByTimeAsync(999);
      expect(host.codes).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(host.codes).toEqual([0]);
    } finally {
      rt.killAll();
    }
  });

  it('refuses bad options at the call', async () => {
    const rt = runtime();
    await expect(Application.main(app('x', []), { runtime: rt, shutdownTimeout: -1, host: fakeHost() })).rejects.toThrow(InvalidArgumentError);
  });
});
