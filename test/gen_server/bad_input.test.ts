import { describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Next, type Context, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { manualClock, useRuntime } from '../support/runtime.js';
import { bad, thrown } from '../support/bad_input.js';

// A manual clock: calls' 5000 ms default deadlines set no host timer.
const runtime = useRuntime(() => ({ clock: manualClock() }));

interface Echo {
  state: null;
  call: { readonly type: 'echo' };
  reply: { echo: string };
  cast: { readonly type: 'poke' };
}
const echo: GenServer.Behaviour<Echo> = {
  init: () => Next.ok(null),
  handleCall: { echo: (_req, _from, s) => Next.reply('echo', s) },
  handleCast: { poke: (_msg, s) => Next.noreply(s) },
};

async function server(rt: Runtime): Promise<GenServer.ServerPid<Echo>> {
  return pidOf(await GenServer.start(echo, undefined, { runtime: rt }));
}

type Pid = GenServer.ServerPid<Echo>;
// prettier-ignore
const cases: Array<[call: string, f: (rt: Runtime, pid: Pid) => unknown, operation: string, argument: string, value: unknown]> = [
  ['start(42)',                          (rt) => GenServer.start(bad<never>(42), undefined, { runtime: rt }),                    'GenServer.start', 'behaviour', 42],
  ['start(null)',                        (rt) => GenServer.start(bad<never>(null), undefined, { runtime: rt }),                  'GenServer.start', 'behaviour', null],
  ['start({})',                          (rt) => GenServer.start(bad<never>({}), undefined, { runtime: rt }),                    'GenServer.start', 'behaviour', {}],
  ["start({ init: 'x' })",               (rt) => GenServer.start(bad<never>({ init: 'x' }), undefined, { runtime: rt }),         'GenServer.start', 'behaviour', { init: 'x' }],
  ['start({ init, handleCall: 5 })',     (rt) => GenServer.start(bad<never>({ init: () => Next.ok(0), handleCall: 5 }), undefined, { runtime: rt }), 'GenServer.start', 'behaviour.handleCall', 5],
  ['start({ init, handleCast: null })',  (rt) => GenServer.start(bad<never>({ init: () => Next.ok(0), handleCast: null }), undefined, { runtime: rt }), 'GenServer.start', 'behaviour.handleCast', null],
  ["start(b, arg, 'fast')",              () => GenServer.start(echo, undefined, bad('fast')),                             'GenServer.start', 'options', 'fast'],
  ["start(b, arg, { name: '' })",        (rt) => GenServer.start(echo, undefined, { runtime: rt, name: '' }),             'GenServer.start', 'options.name', ''],
  ["start(b, arg, { name: 'undefined' })", (rt) => GenServer.start(echo, undefined, { runtime: rt, name: 'undefined' }), 'GenServer.start', 'options.name', 'undefined'],
  ['start(b, arg, { name: 7 })',         (rt) => GenServer.start(echo, undefined, { runtime: rt, name: bad(7) }),         'GenServer.start', 'options.name', 7],
  ['start(b, arg, { timeout: -1 })',     (rt) => GenServer.start(echo, undefined, { runtime: rt, timeout: -1 }),          'GenServer.start', 'options.timeout', -1],
  ["start(b, arg, { timeout: '5s' })",   (rt) => GenServer.start(echo, undefined, { runtime: rt, timeout: bad('5s') }),   'GenServer.start', 'options.timeout', '5s'],
  ['startLink(undefined, b)',            () => GenServer.startLink(bad(undefined), echo, undefined),                      'GenServer.startLink', 'parent', undefined],
  ['call(pid, req, -1)',                 (_rt, pid) => GenServer.call(pid, { type: 'echo' }, -1),                         'GenServer.call', 'timeout', -1],
  ['call(pid, req, NaN)',                (_rt, pid) => GenServer.call(pid, { type: 'echo' }, NaN),                        'GenServer.call', 'timeout', NaN],
  ['call(pid, req, Infinity)',           (_rt, pid) => GenServer.call(pid, { type: 'echo' }, Infinity),                   'GenServer.call', 'timeout', Infinity],
  ['call(pid, req, 2 ** 32)',            (_rt, pid) => GenServer.call(pid, { type: 'echo' }, 2 ** 32),                    'GenServer.call', 'timeout', 2 ** 32],
  ["call(pid, req, 'soon')",             (_rt, pid) => GenServer.call(pid, { type: 'echo' }, bad('soon')),                'GenServer.call', 'timeout', 'soon'],
  ['call(42, req)',                      () => GenServer.call(bad<Pid>(42), { type: 'echo' }),                           'GenServer.call', 'server', 42],
  ["call('counter', req)",               () => GenServer.call(bad<Pid>('counter'), { type: 'echo' }),                     'GenServer.call', 'server', 'counter'],
  ['cast(null, msg)',                    () => GenServer.cast(bad<Pid>(null), { type: 'poke' }),                          'GenServer.cast', 'server', null],
  ['stop(pid, normal, -5)',              (_rt, pid) => GenServer.stop(pid, 'normal', -5),                                  'GenServer.stop', 'timeout', -5],
  ['stop({})',                           () => GenServer.stop(bad<Pid>({})),                                              'GenServer.stop', 'server', {}],
  ['getState(pid, -1)',                  (_rt, pid) => GenServer.getState(pid, -1),                                       'GenServer.getState', 'timeout', -1],
  ["replaceState(pid, 'x')",             (_rt, pid) => GenServer.replaceState(pid, bad('x')),                             'GenServer.replaceState', 'update', 'x'],
  ['statistics(42)',                     () => GenServer.statistics(bad<Pid>(42)),                                        'GenServer.statistics', 'server', 42],
  ["named('')",                          (rt) => GenServer.named<{ state: null }>('', rt),                                                 'GenServer.named', 'name', ''],
  ["named('kv', 'rt')",                  () => GenServer.named<{ state: null }>('kv', bad('rt')),                           'GenServer.named', 'runtime', 'rt'],
  ['call(pid, req, { timeout: -1 })',    (_rt, pid) => GenServer.call(pid, { type: 'echo' }, { timeout: -1 }),            'GenServer.call', 'options.timeout', -1],
  ['call(pid, req, { caller: pid })',    (_rt, pid) => GenServer.call(pid, { type: 'echo' }, { caller: bad(pid) }),        'GenServer.call', 'options.caller', expect.any(String)],
  ["named('<0.1.0>')",                   (rt) => GenServer.named<{ state: null }>('<0.1.0>', rt),                                          'GenServer.named', 'name', '<0.1.0>'],
  ['reply({}, 1)',                       () => GenServer.reply(bad<never>({ caller: undefined }), 1),                             'GenServer.reply', 'from', { caller: undefined }],
];

describe('bad input', () => {
  it.each(cases)('%s throws InvalidArgumentError at the call, naming the argument and the value', async (_title, f, operation, argument, value) => {
    const rt = runtime();
    const pid = await server(rt);
    const before = rt.processes();
    const error = thrown(() => f(rt, pid));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation, argument });
    expect((error as InvalidArgumentError).value).toEqual(value);
    expect((error as Error).message).toContain(`'${argument}'`);
    await rt.settle();
    expect(rt.processes()).toEqual(before); // nothing was started, the server is untouched
    expect(await GenServer.call(pid, { type: 'echo' })).toBe('echo');
  });

  it('a call to a server of another protocol is refused by the compiler, and at run time the server crashes', async () => {
    const rt = runtime();
    const pid = await server(rt);
    // @ts-expect-error 'nope' is not a call of Echo
    const failed = GenServer.call(pid, { type: 'nope' });
    await expect(failed).rejects.toMatchObject({ reason: { tag: 'error', cause: expect.any(TypeError) } });
    expect(rt.isAlive(pid)).toBe(false);
  });

  it('start from inside a process checks its arguments the same way', async () => {
    const rt = runtime();
    const error = await rt.run((ctx: Context) => thrown(() => GenServer.startLink(ctx, echo, undefined, { name: '#ref' })));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation: 'GenServer.startLink', argument: 'options.name', value: '#ref' });
  });
});
