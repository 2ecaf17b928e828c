import { describe, expect, it } from 'vitest';
import { memoryLogger, startPuppet, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

describe('crash logging', () => {
  it.each([
    ['throws', () => {
      throw new TypeError('bad input');
    }],
    ['rejects', async () => {
      await Promise.resolve();
      throw new TypeError('bad input');
    }],
  ] as const)("writes one error record labelled 'process.crashed' when a process %s", async (_title, body) => {
    const rt = runtime();
    const pid = rt.spawn(body);
    await rt.settle();
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({
      level: 50,
      label: 'process.crashed',
      pid,
      err: { type: 'TypeError', message: 'bad input', stack: expect.stringContaining('TypeError: bad input') },
    });
  });

  it('logs nothing for normal exits, shutdowns, exit(value) and kills', async () => {
    const rt = runtime();
    rt.spawn(() => 'returned');
    rt.spawn((ctx) => ctx.exit('normal'));
    rt.spawn((ctx) => ctx.exit('shutdown'));
    rt.spawn((ctx) => ctx.exit({ tag: 'shutdown', detail: 'drained' }));
    rt.spawn((ctx) => ctx.exit('boom'));
    const victim = await startPuppet(rt);
    rt.exit(victim.pid, 'kill');
    const other = await startPuppet(rt);
    rt.exit(other.pid, 'boom');
    await rt.settle();
    expect(log.records).toEqual([]);
  });

  it('logs a crash once, for the process that crashed, not for linked processes it takes down', async () => {
    const rt = runtime();
    const partner = await startPuppet(rt);
    const crasher = rt.spawn(async (ctx) => {
      await ctx.receive();
      throw new Error('boom');
    });
    await rt.settle();
    await partner.act((ctx) => ctx.link(crasher));
    rt.send(crasher, 'go');
    await rt.settle();
    expect(rt.isAlive(partner.pid)).toBe(false);
    expect(log.records.map((r) => [r['label'], r['pid']])).toEqual([['process.crashed', crasher]]);
  });

  it("reports the stack without ts-otp's own frames, keeping the user's", async () => {
    const rt = runtime();
    const crasher = (): never => {
      throw new TypeError('bad input');
    };
    const error = await rt.run(crasher).catch((e: unknown) => (e as { cause: Error }).cause);
    await rt.settle();
    expect(error.stack).toContain('kernel.ts'); // the error itself is untouched
    const stack = (log.records[0]?.['err'] as { stack: string }).stack;
    expect(stack).toContain('TypeError: bad input');
    expect(stack).toContain('logging.test.ts');
    expect(stack).not.toContain('kernel.ts');
  });

  it('logs nothing for a process ended by an exit signal whose reason is an error', async () => {
    const rt = runtime();
    const victim = await startPuppet(rt);
    rt.exit(victim.pid, { tag: 'error', cause: new Error('relayed') });
    await rt.settle();
    expect(rt.isAlive(victim.pid)).toBe(false);
    expect(log.records).toEqual([]);
  });

  it("logs a throwing event listener as 'runtime.listener_failed' and keeps running", async () => {
    const rt = runtime();
    rt.events.on('spawn', () => {
      throw new Error('listener bug');
    });
    expect(await rt.run(() => 'still fine')).toBe('still fine');
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ level: 50, label: 'runtime.listener_failed', err: { message: 'listener bug' } });
  });
});
