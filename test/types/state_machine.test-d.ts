/**
 * Type tests: a StateMachine's protocol decides what compiles.
 *
 * States, data, events and replies follow the protocol: an unknown state, data of the wrong type,
 * a reply of the wrong type, a missing or extra state function, an unknown request and an
 * inserted event the protocol does not have are compile errors.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { StateMachine, type Context, type ExitReason, type Pid } from 'ts-otp';

const { Step, Action } = StateMachine;

interface Door {
  arg: string;
  state: 'locked' | 'open';
  data: { readonly code: string; readonly tries: number };
  call: { readonly type: 'press'; readonly code: string } | { readonly type: 'tries' };
  reply: { press: 'open' | 'wrong'; tries: number };
  cast: { readonly type: 'lock' };
  info: { readonly type: 'tick' };
  internal: 'check';
  timeout: 'relock';
}

const door: StateMachine.Behaviour<Door> = {
  init: (code) => Step.ok('locked', { code, tries: 0 }),
  stateEnter: true,
  states: {
    locked: (event, data) => {
      if (event.type === 'call' && event.call === 'press') {
        return event.content.code === data.code
          ? Step.nextState('open', data, [Action.reply(event.from, 'open'), Action.stateTimeout(1000, 'relock')])
          : Step.keepState({ ...data, tries: data.tries + 1 }, [Action.reply(event.from, 'wrong')]);
      }
      if (event.type === 'call') return Step.keepStateAndData([Action.reply(event.from, data.tries)]);
      return Step.keepStateAndData();
    },
    open: (event) => (event.type === 'state_timeout' ? Step.nextState('locked', { code: '', tries: 0 }) : Step.keepStateAndData([Action.postpone()])),
  },
};

declare const pid: StateMachine.MachinePid<Door>;
declare const ctx: Context;

describe('StateMachine types', () => {
  it('gives each call the reply type of its request', () => {
    expectTypeOf(StateMachine.call(pid, { type: 'press', code: '1' })).toEqualTypeOf<Promise<'open' | 'wrong'>>();
    expectTypeOf(StateMachine.call(StateMachine.named<Door>('door', ctx.runtime), { type: 'tries' })).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error a request the protocol does not have
    void StateMachine.call(pid, { type: 'kick' });
    // @ts-expect-error a cast the protocol does not have
    StateMachine.cast(pid, { type: 'unlock' });
  });

  it('types start from the behaviour: its argument and the pid it returns', async () => {
    const result = await StateMachine.start(door, 'secret');
    if (result.type === 'ok') expectTypeOf(result.pid).toEqualTypeOf<StateMachine.MachinePid<Door>>();
    if (result.type === 'ok') expectTypeOf(result.pid).toMatchTypeOf<Pid>();
    // @ts-expect-error the argument is a string
    void StateMachine.start(door, 42);
  });

  it('narrows a call event on its `call`: the request and the reply type of its from', () => {
    const handle: StateMachine.HandleEvent<Door> = (event, state, data) => {
      expectTypeOf(state).toEqualTypeOf<'locked' | 'open'>();
      expectTypeOf(data).toEqualTypeOf<Door['data']>();
      if (event.type === 'call' && event.call === 'press') {
        expectTypeOf(event.content).toEqualTypeOf<{ readonly type: 'press'; readonly code: string }>();
        expectTypeOf(event.from).toEqualTypeOf<StateMachine.From<'open' | 'wrong'>>();
        // @ts-expect-error a reply of another call's type
        return Step.keepStateAndData([Action.reply(event.from, 3)]);
      }
      if (event.type === 'info') expectTypeOf(event.content).toEqualTypeOf<{ readonly type: 'tick' }>();
      if (event.type === 'internal') expectTypeOf(event.content).toEqualTypeOf<'check'>();
      if (event.type === 'generic_timeout') expectTypeOf(event.name).toBeString();
      if (event.type === 'enter') expectTypeOf(event.oldState).toEqualTypeOf<'locked' | 'open'>();
      return Step.keepStateAndData();
    };
    expectTypeOf(handle).toBeFunction();
  });

  it('rejects an unknown state, data of another type and events the protocol does not have', () => {
    // @ts-expect-error an unknown state
    const a: StateMachine.Result<Door> = Step.nextState('ajar', { code: '', tries: 0 });
    // @ts-expect-error data of another type
    const b: StateMachine.Result<Door> = Step.keepState({ code: 1 });
    // @ts-expect-error an internal event the protocol does not have
    const c: StateMachine.Result<Door> = Step.keepStateAndData([Action.nextEvent('internal', 'other')]);
    // @ts-expect-error a cast the protocol does not have
    const d: StateMachine.Result<Door> = Step.keepStateAndData([Action.nextEvent('cast', { type: 'unlock' })]);
    // @ts-expect-error a timeout content the protocol does not have
    const e: StateMachine.Result<Door> = Step.keepStateAndData([Action.stateTimeout(10, 'later')]);
    const ok: StateMachine.Result<Door> = Step.keepStateAndData([Action.nextEvent('internal', 'check'), Action.genericTimeout('beat', 10, 'relock')]);
    // @ts-expect-error init in an unknown state
    const f: StateMachine.InitResult<Door> = Step.ok('ajar', { code: '', tries: 0 });
    void [a, b, c, d, e, f, ok];
  });

  it('requires a handler for every state, and no other, in state functions', () => {
    // @ts-expect-error the handler of 'open' is missing
    const missing: StateMachine.StateFunctions<Door> = { locked: () => Step.keepStateAndData() };
    const extra: StateMachine.StateFunctions<Door> = {
      locked: () => Step.keepStateAndData(),
      open: () => Step.keepStateAndData(),
      // @ts-expect-error a state the protocol does not have
      ajar: () => Step.keepStateAndData(),
    };
    void [missing, extra];
  });

  it('takes either handleEvent or states, not both and not neither', () => {
    interface Lamp { state: 'on' | 'off' }
    const init = () => Step.ok('on' as const, undefined);
    // @ts-expect-error neither
    const neither: StateMachine.Behaviour<Lamp> = { init };
    // @ts-expect-error both
    const both: StateMachine.Behaviour<Lamp> = { init, handleEvent: () => Step.keepStateAndData(), states: { on: () => Step.keepStateAndData(), off: () => Step.keepStateAndData() } };
    void [neither, both];
  });

  it('allows state functions only for string states', () => {
    interface Floor { state: { readonly floor: number } }
    expectTypeOf<StateMachine.StateFunctions<Floor>>().toBeNever();
    const lift: StateMachine.Behaviour<Floor> = { init: () => Step.ok({ floor: 0 }, undefined), handleEvent: (_e, { floor }) => Step.nextState({ floor: floor + 1 }, undefined) };
    void lift;
  });

  it('gives terminate the reason, the state and the data', () => {
    const t: NonNullable<StateMachine.BaseBehaviour<Door>['terminate']> = (reason, state, data) => {
      expectTypeOf(reason).toEqualTypeOf<ExitReason>();
      expectTypeOf(state).toEqualTypeOf<'locked' | 'open'>();
      expectTypeOf(data).toEqualTypeOf<Door['data']>();
    };
    void t;
  });
});
