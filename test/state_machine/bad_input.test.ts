/**
 * Bad input to StateMachine: a typed error at the call, naming the argument and the value, and
 * the runtime intact; a bad action or result from a handler ends that machine alone, with the
 * same error as the cause.
 */
import { describe, expect, it } from 'vitest';
import { CallError, InvalidArgumentError, StateMachine, type Context, type ExitReason, type Runtime } from 'ts-otp';
import { manualClock, useRuntime } from '../support/runtime.js';
import { awaitDown } from '../support/probes.js';
import { bad, thrown } from '../support/bad_input.js';

const runtime = useRuntime(() => ({ clock: manualClock() }));
const { Step, Action } = StateMachine;
interface Lamp {
  state: 'on' | 'off';
  call: { readonly type: 'do'; readonly result: unknown };
  reply: { do: string };
}
const keep = () => Step.keepStateAndData();
const lamp: StateMachine.Behaviour<Lamp> = {
  init: () => Step.ok('off', undefined),
  handleEvent: (e) => (e.type === 'call' ? (e.content.result as StateMachine.Result<Lamp>) : keep()),
};

// prettier-ignore
const cases: Array<[call: string, f: (rt: Runtime) => unknown, operation: string, argument: string, value: unknown]> = [
  ['start(42)',                        (rt) => StateMachine.start(bad(42), undefined, { runtime: rt }),                          'StateMachine.start', 'behaviour', 42],
  ['start({ init })',                  (rt) => StateMachine.start(bad({ init: keep }), undefined, { runtime: rt }),               'StateMachine.start', 'behaviour', { init: keep }],
  ['start(both modes)',                (rt) => StateMachine.start(bad({ init: keep, handleEvent: keep, states: {} }), undefined, { runtime: rt }), 'StateMachine.start', 'behaviour', { init: keep, handleEvent: keep, states: {} }],
  ['start({ handleEvent: 1 })',        (rt) => StateMachine.start(bad({ init: keep, handleEvent: 1 }), undefined, { runtime: rt }), 'StateMachine.start', 'behaviour.handleEvent', 1],
  ["start({ states: 'x' })",           (rt) => StateMachine.start(bad({ init: keep, states: 'x' }), undefined, { runtime: rt }),  'StateMachine.start', 'behaviour.states', 'x'],
  ['start({ states: { on: 1 } })',     (rt) => StateMachine.start(bad({ init: keep, states: { on: 1 } }), undefined, { runtime: rt }), 'StateMachine.start', 'behaviour.states.on', 1],
  ["start({ stateEnter: 'yes' })",     (rt) => StateMachine.start(bad({ init: keep, handleEvent: keep, stateEnter: 'yes' }), undefined, { runtime: rt }), 'StateMachine.start', 'behaviour.stateEnter', 'yes'],
  ["start(b, arg, { name: '' })",      (rt) => StateMachine.start(lamp, undefined, { runtime: rt, name: '' }),                   'StateMachine.start', 'options.name', ''],
  ['start(b, arg, { timeout: -1 })',   (rt) => StateMachine.start(lamp, undefined, { runtime: rt, timeout: -1 }),                'StateMachine.start', 'options.timeout', -1],
  ['startLink(null, b)',               () => StateMachine.startLink(bad(null), lamp, undefined),                                  'StateMachine.startLink', 'parent', null],
  ['Action.stateTimeout(-1)',          () => Action.stateTimeout(-1),                                                             'StateMachine.Action.stateTimeout', 'time', -1],
  ["Action.eventTimeout('soon')",      () => Action.eventTimeout(bad('soon')),                                                    'StateMachine.Action.eventTimeout', 'time', 'soon'],
  ['Action.genericTimeout(7, 10)',     () => Action.genericTimeout(bad(7), 10),                                                   'StateMachine.Action.genericTimeout', 'name', 7],
  ['Action.stateTimeout(2 ** 53)',     () => Action.stateTimeout(2 ** 53),                                                        'StateMachine.Action.stateTimeout', 'time', 2 ** 53],
  ['Action.genericTimeout(n, NaN)',    () => Action.genericTimeout('n', NaN),                                                     'StateMachine.Action.genericTimeout', 'time', NaN],
  ["Action.nextEvent('call', x)",      () => Action.nextEvent(bad('call'), 'x'),                                                  'StateMachine.Action.nextEvent', 'type', 'call'],
  ['Action.reply(null, x)',            () => Action.reply(bad(null), 'x'),                                                        'StateMachine.Action.reply', 'from', null],
  ["Step.keepState(d, 'postpone')",    () => Step.keepState(1, bad('postpone')),                                                  'StateMachine.Step.keepState', 'actions', 'postpone'],
  ['Step.nextState(s, d, {})',         () => Step.nextState('on', 1, bad({})),                                                    'StateMachine.Step.nextState', 'actions', {}],
  ['Step.stopAndReply(r, 5)',          () => Step.stopAndReply('normal', bad(5)),                                                 'StateMachine.Step.stopAndReply', 'replies', 5],
  ['reply({}, x)',                     () => StateMachine.reply(bad({}), 'x'),                                                    'GenServer.reply', 'from', {}],
];

describe('bad input to StateMachine', () => {
  it.each(cases)('%s throws InvalidArgumentError at the call', async (_name, f, operation, argument, value) => {
    const rt = runtime();
    const error = thrown(() => f(rt));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation, argument, value });
    expect((error as Error).message).toContain(`argument '${argument}'`);
    // The runtime is intact: a machine still starts and answers.
    const started = await StateMachine.start(lamp, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    expect(await StateMachine.call(started.pid, { type: 'do', result: Step.keepStateAndData([]) }, 0).catch((e: CallError) => e.reason)).toBe('timeout');
  });
});

describe('a bad result or action from a handler', () => {
  const from = (result: unknown) => async (rt: Runtime): Promise<{ reason: ExitReason; failed: unknown }> => {
    const started = await StateMachine.start(lamp, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const down = awaitDown(rt, started.pid);
    const failed = await StateMachine.call(started.pid, { type: 'do', result }).catch((e: unknown) => e);
    return { reason: await down, failed };
  };

  it.each([
    ['an unknown action', Step.keepStateAndData([bad({ action: 'hibernate' })]), 'action', { action: 'hibernate' }, 'bad_action_from_state_function'],
    ['a timeout with a bad time', Step.keepStateAndData([bad({ action: 'state_timeout', time: -5, content: 1 })]), 'action', { action: 'state_timeout', time: -5, content: 1 }, 'bad_action_from_state_function'],
    ['a reply to something that is not a call', Step.keepStateAndData([bad({ action: 'reply', from: 'me', reply: 1 })]), 'action', { action: 'reply', from: 'me', reply: 1 }, 'bad_action_from_state_function'],
    ['a result that is not one', { next: 'goto', state: 'on' }, 'result', { next: 'goto', state: 'on' }, 'bad_return_from_state_function'],
    ['actions that are not an array', { next: 'keep_state_and_data', actions: 'postpone' }, 'actions', 'postpone', 'an array'],
  ] as const)('%s ends the machine with an InvalidArgumentError naming it; others go on', async (_name, result, argument, value, text) => {
    const rt = runtime();
    const other = await StateMachine.start(lamp, undefined, { runtime: rt });
    const { reason, failed } = await from(result)(rt);
    const cause = (reason as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(InvalidArgumentError);
    expect(cause).toMatchObject({ argument, value });
    expect((cause as Error).message).toContain(text);
    expect((cause as Error).message).toContain('in state "off"');
    expect((failed as CallError).reason).toBe(reason);
    expect(other.type === 'ok' && rt.isAlive(other.pid)).toBe(true);
  });

  it('a state functions machine in a state without a handler ends with an error naming the state', async () => {
    const rt = runtime();
    interface Two { state: 'a' | 'b'; cast: { readonly type: 'go' } }
    const broken = { init: () => Step.ok('a', undefined), states: { a: () => Step.nextState('b', undefined) } } as unknown as StateMachine.Behaviour<Two>;
    const started = await StateMachine.start(broken, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const down = awaitDown(rt, started.pid);
    StateMachine.cast(started.pid, { type: 'go' });
    StateMachine.cast(started.pid, { type: 'go' });
    const cause = ((await down) as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(InvalidArgumentError);
    expect(cause).toMatchObject({ argument: 'state', value: 'b' });
  });

  it('an init with actions that are not an array fails the start with the error', async () => {
    const rt = runtime();
    const result = await StateMachine.start({ init: () => bad({ next: 'ok', state: 'on', data: undefined, actions: 5 }), handleEvent: keep }, undefined, { runtime: rt });
    expect(result).toMatchObject({ type: 'error', reason: { tag: 'error', cause: { name: 'InvalidArgumentError', argument: 'actions', value: 5 } } });
  });

  it('a handler that throws ends the machine with the error; terminate sees the state and data from before the event', async () => {
    const rt = runtime();
    const seen: unknown[] = [];
    interface Boom { state: 'idle'; data: number; cast: { readonly type: 'boom' } | { readonly type: 'add' } }
    const m: StateMachine.Behaviour<Boom> = {
      init: () => Step.ok('idle', 1),
      handleEvent: (e, _s, n) => {
        if (e.type === 'cast' && e.content.type === 'boom') throw new Error('boom');
        return Step.keepState(n + 1);
      },
      terminate: (reason, state, data, ctx: Context) => {
        seen.push([reason, state, data, ctx.self]);
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const down = awaitDown(rt, started.pid);
    StateMachine.cast(started.pid, { type: 'add' });
    StateMachine.cast(started.pid, { type: 'boom' });
    const reason = await down;
    expect(reason).toMatchObject({ tag: 'error', cause: { message: 'boom' } });
    expect(seen).toEqual([[reason, 'idle', 2, started.pid]]);
  });
});
