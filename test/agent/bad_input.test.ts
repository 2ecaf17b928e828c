/**
 * Agent's bad input: a typed error at the call, naming the Agent operation, the argument and the
 * value; nothing is started or sent, and the agent keeps answering.
 */
import { describe, expect, it } from 'vitest';
import { Agent, InvalidArgumentError, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { manualClock, useRuntime } from '../support/runtime.js';
import { bad, thrown } from '../support/bad_input.js';

const runtime = useRuntime(() => ({ clock: manualClock() }));

type A = Agent.AgentPid<number>;
const FUN = bad<(n: number) => number>('not a function');
// prettier-ignore
const cases: Array<[call: string, f: (rt: Runtime, pid: A) => unknown, operation: string, argument: string, value: unknown]> = [
  ['start(42)',                          (rt) => Agent.start(bad(42), { runtime: rt }),                                 'Agent.start', 'init', 42],
  ['start(null)',                        (rt) => Agent.start(bad(null), { runtime: rt }),                               'Agent.start', 'init', null],
  ["start({ module: './x.js' })",        (rt) => Agent.start({ module: './x.js' }, { runtime: rt }),                    'Agent.start', 'init.module', './x.js'],
  ["start(f, { name: '' })",             (rt) => Agent.start(() => 0, { runtime: rt, name: '' }),                       'Agent.start', 'options.name', ''],
  ['start(f, { timeout: -1 })',          (rt) => Agent.start(() => 0, { runtime: rt, timeout: -1 }),                    'Agent.start', 'options.timeout', -1],
  ['startLink(undefined, f)',            () => Agent.startLink(bad(undefined), () => 0),                                'Agent.startLink', 'parent', undefined],
  ["get(pid, 'x')",                      (_rt, pid) => Agent.get(pid, FUN),                                             'Agent.get', 'fun', 'not a function'],
  ['get(pid, f, -1)',                    (_rt, pid) => Agent.get(pid, (n) => n, -1),                                    'Agent.get', 'timeout', -1],
  ['get(pid, f, { timeout: NaN })',      (_rt, pid) => Agent.get(pid, (n) => n, { timeout: NaN }),                      'Agent.get', 'options.timeout', NaN],
  ['get(42, f)',                         () => Agent.get(bad<A>(42), (n: number) => n),                                 'Agent.get', 'agent', 42],
  ["get(pid, { module: '/m.js', args: 1 })", (_rt, pid) => Agent.get(pid, { module: '/m.js', args: bad(1) }),           'Agent.get', 'fun.args', 1],
  ["get(pid, { module: '/m.js', export: '' })", (_rt, pid) => Agent.get(pid, { module: '/m.js', export: '' }),          'Agent.get', 'fun.export', ''],
  ['update(pid, undefined)',             (_rt, pid) => Agent.update(pid, bad(undefined)),                               'Agent.update', 'fun', undefined],
  ["update(pid, f, 'soon')",             (_rt, pid) => Agent.update(pid, (n) => n, bad('soon')),                        'Agent.update', 'timeout', 'soon'],
  ['getAndUpdate(pid, {})',              (_rt, pid) => Agent.getAndUpdate(pid, bad({})),                                'Agent.getAndUpdate', 'fun.module', undefined],
  ['cast(pid, 1)',                       (_rt, pid) => Agent.cast(pid, bad(1)),                                         'Agent.cast', 'fun', 1],
  ['cast(null, f)',                      () => Agent.cast(bad<A>(null), (n: number) => n),                              'Agent.cast', 'agent', null],
  ['stop(pid, normal, -5)',              (_rt, pid) => Agent.stop(pid, 'normal', -5),                                   'Agent.stop', 'timeout', -5],
  ['stop({})',                           () => Agent.stop(bad<A>({})),                                                  'Agent.stop', 'agent', {}],
  ["named('')",                          (rt) => Agent.named<number>('', rt),                                           'Agent.named', 'name', ''],
  ["named('a', 'rt')",                   () => Agent.named<number>('a', bad('rt')),                                     'Agent.named', 'runtime', 'rt'],
  ["childSpec('x')",                     () => Agent.childSpec(bad('x')),                                               'Agent.childSpec', 'init', 'x'],
  ["childSpec(f, { id: '' })",           () => Agent.childSpec(() => 0, { id: '' }),                                    'Agent.childSpec', 'options.id', ''],
  ['childSpec(f, 3)',                    () => Agent.childSpec(() => 0, bad(3)),                                        'Agent.childSpec', 'options', 3],
];

describe('bad input', () => {
  it.each(cases)('%s throws InvalidArgumentError at the call, naming the argument and the value', async (_title, f, operation, argument, value) => {
    const rt = runtime();
    const pid = pidOf(await Agent.start(() => 1, { runtime: rt }));
    const before = rt.processes();
    const error = thrown(() => f(rt, pid));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation, argument });
    expect((error as InvalidArgumentError).value).toEqual(value);
    expect((error as Error).message).toContain(`'${argument}'`);
    await rt.settle();
    expect(rt.processes()).toEqual(before); // nothing was started, the agent is untouched
    expect(await Agent.get(pid, (n) => n)).toBe(1);
  });

  it('startLink from inside a process checks its init the same way', async () => {
    const rt = runtime();
    const error = await rt.run((ctx) => thrown(() => Agent.startLink(ctx, bad(7))));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation: 'Agent.startLink', argument: 'init', value: 7 });
  });
});
