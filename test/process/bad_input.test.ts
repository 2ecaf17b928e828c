import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Runtime, type Context } from 'ts-otp';
import { startPuppet, useRuntime } from '../support/runtime.js';
import { bad, thrown } from '../support/bad_input.js';

const runtime = useRuntime();

/** Calls `f` and returns what it threw (undefined if nothing). */
// prettier-ignore
const fromPlainCode: Array<[call: string, f: (rt: Runtime) => unknown, operation: string, argument: string, value: unknown]> = [
  ['rt.spawn(42)',                   (rt) => rt.spawn(bad<never>(42)),                       'spawn',       'fn',      42],
  ['rt.run(null)',                   (rt) => rt.run(bad<never>(null)),                       'spawn',       'fn',      null],
  ["rt.send(42, 'x')",               (rt) => rt.send(bad(42), 'x'),                   'send',        'dest',    42],
  ["rt.send('<0.1>', 'x')",          (rt) => rt.send(bad('<0.1>'), 'x'),              'send',        'dest',    '<0.1>'],
  ["rt.exit('worker', 'kill')",      (rt) => rt.exit(bad('worker'), 'kill'),          'exit',        'pid',     'worker'],
  ['rt.isAlive({})',                 (rt) => rt.isAlive(bad({})),                     'isAlive',     'pid',     {}],
  ["rt.processInfo('<0.1.0')",       (rt) => rt.processInfo(bad('<0.1.0')),           'processInfo', 'pid',     '<0.1.0'],
  ["rt.register('', pid)",           (rt) => rt.register('', bad('<0.1.0>')),         'register',    'name',    ''],
  ['rt.unregister(7)',               (rt) => rt.unregister(bad(7)),                   'unregister',  'name',    7],
  ["rt.sendAfter(-1, ...)",          (rt) => rt.sendAfter(-1, 'x', 'm'),              'sendAfter',   'ms',      -1],
  ['rt.sendAfter(NaN, ...)',         (rt) => rt.sendAfter(NaN, 'x', 'm'),             'sendAfter',   'ms',      NaN],
  ["rt.startTimer('10', ...)",       (rt) => rt.startTimer(bad('10'), 'x', 'm'),      'startTimer',  'ms',      '10'],
  ['rt.startTimer(10, 42, ...)',     (rt) => rt.startTimer(10, bad(42), 'm'),         'startTimer',  'dest',    42],
  ["rt.cancelTimer('ref')",          (rt) => rt.cancelTimer(bad('ref')),              'cancelTimer', 'ref',     'ref'],
  ['rt.cancelTimer(undefined)',      (rt) => rt.cancelTimer(bad(undefined)),          'cancelTimer', 'ref',     undefined],
];

// prettier-ignore
const fromAProcess: Array<[call: string, f: (ctx: Context) => unknown, operation: string, argument: string, value: unknown]> = [
  ["ctx.spawn('fn')",                (ctx) => ctx.spawn(bad<never>('fn')),                   'spawn',        'fn',      'fn'],
  ['ctx.spawnLink(undefined)',       (ctx) => ctx.spawnLink(bad<never>(undefined)),          'spawnLink',    'fn',      undefined],
  ['ctx.spawnMonitor({})',           (ctx) => ctx.spawnMonitor(bad<never>({})),              'spawnMonitor', 'fn',      {}],
  ['ctx.receive(-1)',                (ctx) => ctx.receive(-1),                        'receive',      'timeout', -1],
  ['ctx.receive(NaN)',               (ctx) => ctx.receive(NaN),                       'receive',      'timeout', NaN],
  ["ctx.receive('soon')",            (ctx) => ctx.receive(bad('soon')),               'receive',      'timeout', 'soon'],
  ['ctx.receive(match, -5)',         (ctx) => ctx.receive(() => true, -5),            'receive',      'timeout', -5],
  ['ctx.receive(2 ** 32)',           (ctx) => ctx.receive(2 ** 32),                   'receive',      'timeout', 2 ** 32], // Erlang: timeout_value
  ['ctx.receiveRef(ref, 2 ** 40)',   (ctx) => ctx.receiveRef(ctx.monitor('nobody'), 2 ** 40), 'receiveRef', 'timeout', 2 ** 40],
  ['ctx.receiveRef(42)',             (ctx) => ctx.receiveRef(bad(42)),                'receiveRef',   'ref',     42],
  ['ctx.receiveRef(ref, -1)',        (ctx) => ctx.receiveRef(ctx.monitor('nobody'), -1), 'receiveRef', 'timeout', -1],
  ["ctx.link('worker')",             (ctx) => ctx.link(bad('worker')),                'link',         'pid',     'worker'],
  ['ctx.unlink(42)',                 (ctx) => ctx.unlink(bad(42)),                    'unlink',       'pid',     42],
  ['ctx.monitor(42)',                (ctx) => ctx.monitor(bad(42)),                   'monitor',      'target',  42],
  ["ctx.monitor('<0.x.0>')",         (ctx) => ctx.monitor(bad('<0.x.0>')),            'monitor',      'target',  '<0.x.0>'],
  ["ctx.demonitor('ref')",           (ctx) => ctx.demonitor(bad('ref')),              'demonitor',    'ref',     'ref'],
  ['ctx.demonitor(ref, 42)',         (ctx) => ctx.demonitor(ctx.monitor('nobody'), bad(42)), 'demonitor', 'options', 42],
  ["ctx.exit('worker', 'kill')",     (ctx) => ctx.exit(bad('worker'), 'kill'),        'exit',         'pid',     'worker'],
  ["ctx.trapExit('yes')",            (ctx) => ctx.trapExit(bad('yes')),               'trapExit',     'on',      'yes'],
  ["ctx.register('undefined')",      (ctx) => ctx.register('undefined'),              'register',     'name',    'undefined'],
  ["ctx.register('#Ref<0.1>')",      (ctx) => ctx.register('#Ref<0.1>'),              'register',     'name',    '#Ref<0.1>'],
  ["ctx.sendAfter(-1, ...)",         (ctx) => ctx.sendAfter(-1, ctx.self, 'm'),       'sendAfter',    'ms',      -1],
  ['ctx.startTimer(Infinity, ...)',  (ctx) => ctx.startTimer(Infinity, ctx.self, 'm'), 'startTimer',  'ms',      Infinity],
  ['ctx.cancelTimer(42)',            (ctx) => ctx.cancelTimer(bad(42)),               'cancelTimer',  'ref',     42],
];

describe('bad input from plain code', () => {
  it.each(fromPlainCode)('%s throws InvalidArgumentError naming the argument and the value, and changes nothing', async (_call, f, operation, argument, value) => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const e = thrown(() => f(rt));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toMatchObject({ name: 'InvalidArgumentError', operation, argument, value });
    expect((e as Error).message).toContain(`${operation}: argument '${argument}'`);
    expect(rt.processes()).toEqual([p.pid]);
    expect(rt.processInfo(p.pid)).toMatchObject({ links: [], monitors: [], monitoredBy: [], messageQueueLen: 0 });
    expect(rt.registered()).toEqual([]);
    expect(await rt.run(() => 'still works')).toBe('still works');
  });
});

describe('bad input from a process', () => {
  it.each(fromAProcess)('%s throws InvalidArgumentError at the call; the process can catch it and go on', async (_call, f, operation, argument, value) => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const e = await p.act((ctx) => thrown(() => f(ctx)));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toMatchObject({ operation, argument, value });
    expect(rt.isAlive(p.pid)).toBe(true);
    expect(rt.processes()).toEqual([p.pid]);
    expect(rt.registered()).toEqual([]);
    expect(await p.act((ctx) => ctx.self)).toBe(p.pid);
  });

  it("ends a process that does not catch it, with { tag: 'error', cause }", async () => {
    const rt = runtime();
    const outcome = rt.run((ctx) => ctx.receive(-1));
    await expect(outcome).rejects.toMatchObject({ reason: { tag: 'error', cause: expect.any(InvalidArgumentError) } });
  });
});

describe('new Runtime', () => {
  it('refuses options that are not an object', () => {
    const e = thrown(() => new Runtime(bad(42)));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toMatchObject({ operation: 'Runtime', argument: 'options', value: 42 });
  });
});
