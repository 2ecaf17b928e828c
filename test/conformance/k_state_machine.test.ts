/**
 * Conformance, group K (StateMachine, Erlang's gen_statem): one test per scenario of
 * test/conformance/k_state_machine/, each an escript run on Erlang/OTP 25 whose trace is stored
 * beside it; `./run.sh` there replays them all.
 *
 * The escripts and these tests drive the same probe machine (k.hrl there, `startProbe` here): it
 * traces every event and terminate, a cast `do` returns the result it carries, a call `do` returns
 * what its function makes of the call's `from`, and an info `{ post }` is postponed in state s0.
 * Erlang's `erlang:suspend_process` (so that what a scenario sends is queued before the machine
 * runs) is what ts-otp's synchronous sends do anyway; Erlang's sleeps are a manual clock here.
 * Traces are compared line for line, Erlang's tuples written as arrays.
 */
import { describe, expect, it } from 'vitest';
import { CallError, InvalidArgumentError, StateMachine, type Context, type DownMessage, type ExitReason, type Pid, type Runtime } from 'ts-otp';
import { deferred, manualClock, useRuntime, type ManualClock } from '../support/runtime.js';

const { Step, Action } = StateMachine;

type State = string | { readonly room: number };
interface Probe extends StateMachine.Protocol {
  state: State;
  data: number;
  call: { readonly type: 'do'; readonly fn: (from: StateMachine.From<unknown>, ctx: Context) => Res | Promise<Res> };
  reply: { do: unknown };
  cast: { readonly type: 'do'; readonly result: Res } | { readonly type: 'on_enter'; readonly result: Res; readonly then: Res } | { readonly type: 'n2' };
  info: unknown;
  internal: unknown;
  timeout: unknown;
}
type Res = StateMachine.Result<Probe>;

interface ProbeOptions {
  readonly mode?: 'state_functions' | 'handle_event';
  readonly enter?: boolean;
  readonly init?: () => StateMachine.InitResult<Probe>;
  /** terminate traces only after a macrotask: replies sent before it have been seen by then. */
  readonly slowTerminate?: boolean;
}

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

const isPost = (msg: unknown): msg is { post: unknown } => typeof msg === 'object' && msg !== null && 'post' in msg;

function probeBehaviour(trace: unknown[], options: ProbeOptions): StateMachine.Behaviour<Probe> {
  let onEnter: Res | undefined;
  const handle = (e: StateMachine.Event<Probe>, state: State, data: number, ctx: Context): Res | Promise<Res> => {
    switch (e.type) {
      case 'enter': {
        trace.push(['enter', e.oldState, state, data]);
        const result = onEnter ?? Step.keepStateAndData();
        onEnter = undefined;
        return result;
      }
      case 'call':
        trace.push(['call', state, data]);
        return e.content.fn(e.from, ctx);
      case 'cast':
        if (typeof e.content === 'object' && e.content !== null && 'result' in e.content) {
          trace.push(['cast', state, data]);
          if (e.content.type === 'on_enter') {
            onEnter = e.content.result;
            return e.content.then;
          }
          return e.content.result;
        }
        break;
      case 'info':
        if (isPost(e.content) && state === 's0') {
          trace.push(['postpone', e.content.post]);
          return Step.keepStateAndData([Action.postpone()]);
        }
        break;
      default:
    }
    trace.push([e.type === 'generic_timeout' ? `timeout:${e.name}` : e.type, e.content, state]);
    return Step.keepStateAndData();
  };
  const base = {
    init: options.init ?? (() => Step.ok('s0', 0)),
    stateEnter: options.enter ?? false,
    terminate: async (reason: ExitReason, state: State, data: number) => {
      if (options.slowTerminate === true) await new Promise((resolve) => setImmediate(resolve));
      trace.push(['terminate', reason, state, data]);
    },
  };
  if (options.mode === 'state_functions') {
    const byState = (name: 's0' | 's1' | 's2') => (e: StateMachine.Event<Probe>, data: number, ctx: Context) => handle(e, name, data, ctx);
    return { ...base, states: { s0: byState('s0'), s1: byState('s1'), s2: byState('s2') } } as never;
  }
  return { ...base, handleEvent: handle };
}

async function startProbe(rt: Runtime, options: ProbeOptions = {}): Promise<{ pid: StateMachine.MachinePid<Probe>; trace: unknown[] }> {
  const trace: unknown[] = [];
  const started = await StateMachine.start(probeBehaviour(trace, options), undefined, { runtime: rt });
  if (started.type !== 'ok') throw new Error(`the probe did not start: ${JSON.stringify(started)}`);
  return { pid: started.pid, trace };
}

const cast = (pid: StateMachine.MachinePid<Probe>, result: Res): void => StateMachine.cast(pid, { type: 'do', result });

/** Lets what was sent be handled (setting its timers), then moves the manual clock and lets everything due run. */
async function advance(ms: number): Promise<void> {
  await runtime().settle();
  clock.advance(ms);
  await runtime().settle();
}

/** Monitors `pid` from a plain inbox and resolves with its DOWN reason. */
function down(rt: Runtime, pid: Pid): Promise<ExitReason> {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  return inbox.receiveRef<DownMessage>(ref).then((m) => {
    inbox.close();
    return m.reason;
  });
}

const errorOf = (reason: unknown): unknown => (reason as { cause?: unknown }).cause;

describe('K. StateMachine (gen_statem)', () => {
  it('K01 state functions: each state has its handler, which gets calls, casts and infos', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { mode: 'state_functions' });
    rt.send(p.pid, 'hello');
    cast(p.pid, Step.nextState('s1', 1));
    rt.send(p.pid, 'again');
    const reply = await StateMachine.call(p.pid, { type: 'do', fn: (from) => Step.nextState('s2', 2, [Action.reply(from, { was: 's1' })]) });
    p.trace.push(['reply', reply]);
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([['info', 'hello', 's0'], ['cast', 's0', 0], ['info', 'again', 's1'], ['call', 's1', 1], ['reply', { was: 's1' }], ['terminate', 'normal', 's2', 2]]);
  });

  it('K02 handleEvent: one function for every event; states that are objects compare by value', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { init: () => Step.ok({ room: 1 }, 0) });
    // A new object equal to the state is the same state, as Erlang compares terms.
    cast(p.pid, Step.nextState({ room: 1 }, 1, [Action.nextEvent('internal', 'same_state')]));
    cast(p.pid, Step.nextState({ room: 2 }, 2));
    rt.send(p.pid, 'where');
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['cast', { room: 1 }, 0],
      ['internal', 'same_state', { room: 1 }],
      ['cast', { room: 1 }, 1],
      ['info', 'where', { room: 2 }],
      ['terminate', 'normal', { room: 2 }, 2],
    ]);
  });

  it('K03 state enter calls: after init, on a change and on repeatState; not on keepState or nextState to the same state', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { enter: true });
    cast(p.pid, Step.keepState(1));
    cast(p.pid, Step.nextState('s0', 2));
    cast(p.pid, Step.repeatState(3));
    cast(p.pid, Step.nextState('s1', 4));
    cast(p.pid, Step.repeatStateAndData());
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['enter', 's0', 's0', 0],
      ['cast', 's0', 0],
      ['cast', 's0', 1],
      ['cast', 's0', 2],
      ['enter', 's0', 's0', 3],
      ['cast', 's0', 3],
      ['enter', 's0', 's1', 4],
      ['cast', 's1', 4],
      ['enter', 's1', 's1', 4],
      ['terminate', 'normal', 's1', 4],
    ]);
  });

  it('K04 postponed events are retried only after a change of state, in order, before newer events', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    rt.send(p.pid, { post: 'a' });
    rt.send(p.pid, { post: 'b' });
    cast(p.pid, Step.nextState('s0', 1));
    rt.send(p.pid, { post: 'c' });
    cast(p.pid, Step.nextState('s1', 2));
    rt.send(p.pid, 'newer');
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['postpone', 'a'],
      ['postpone', 'b'],
      ['cast', 's0', 0],
      ['postpone', 'c'],
      ['cast', 's0', 1],
      ['info', { post: 'a' }, 's1'],
      ['info', { post: 'b' }, 's1'],
      ['info', { post: 'c' }, 's1'],
      ['info', 'newer', 's1'],
      ['terminate', 'normal', 's1', 2],
    ]);
  });

  it('K05 inserted events come before queued messages, in action order, and before retried postponed events', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    rt.send(p.pid, { post: 'a' });
    cast(p.pid, Step.nextState('s1', 1, [Action.nextEvent('internal', 'n1'), Action.nextEvent('cast', { type: 'n2' }), Action.nextEvent('info', 'n3')]));
    rt.send(p.pid, 'queued');
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['postpone', 'a'],
      ['cast', 's0', 0],
      ['internal', 'n1', 's1'],
      ['cast', { type: 'n2' }, 's1'], // Erlang's bare atom n2: ts-otp's casts are objects on `type`
      ['info', 'n3', 's1'],
      ['info', { post: 'a' }, 's1'],
      ['info', 'queued', 's1'],
      ['terminate', 'normal', 's1', 1],
    ]);
  });

  it('K06 the event timeout fires when no event comes, any event cancels it, and 0 fires before queued messages unless events were inserted', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    cast(p.pid, Step.keepStateAndData([Action.eventTimeout(50, 'fired')]));
    await advance(100);
    cast(p.pid, Step.keepStateAndData([Action.eventTimeout(50, 'cancelled')]));
    rt.send(p.pid, 'event');
    await advance(100);
    cast(p.pid, Step.keepStateAndData([Action.eventTimeout(0, 'zero')]));
    rt.send(p.pid, 'queued');
    await advance(50);
    cast(p.pid, Step.keepStateAndData([Action.eventTimeout(0, 'not_with_inserted'), Action.nextEvent('internal', 'inserted')]));
    cast(p.pid, Step.keepStateAndData([Action.eventTimeout(50, 'first'), Action.eventTimeout('update', 'updated')]));
    await advance(100);
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['cast', 's0', 0],
      ['timeout', 'fired', 's0'],
      ['cast', 's0', 0],
      ['info', 'event', 's0'],
      ['cast', 's0', 0],
      ['timeout', 'zero', 's0'],
      ['info', 'queued', 's0'],
      ['cast', 's0', 0],
      ['internal', 'inserted', 's0'],
      ['cast', 's0', 0],
      ['timeout', 'updated', 's0'],
      ['terminate', 'normal', 's0', 0],
    ]);
  });

  it('K07 the state timeout: cancelled by a change of state, kept on the same state, restarted, updated, cancelled', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(50, 'changed')]));
    cast(p.pid, Step.nextState('s1', 1));
    await advance(100);
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(50, 'same_state')]));
    cast(p.pid, Step.nextState('s1', 2));
    await advance(100);
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(50, 'old')]));
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(100, 'restarted')]));
    await advance(70);
    p.trace.push('at_70ms');
    await advance(80);
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(50, 'before_update')]));
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout('update', 'after_update')]));
    await advance(100);
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout(50, 'cancelled')]));
    cast(p.pid, Step.keepStateAndData([Action.stateTimeout('cancel')]));
    cast(p.pid, Step.nextState('s0', 3, [Action.stateTimeout(50, 'set_while_changing')]));
    await advance(100);
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['cast', 's0', 0],
      ['cast', 's0', 0],
      ['cast', 's1', 1],
      ['cast', 's1', 1],
      ['state_timeout', 'same_state', 's1'],
      ['cast', 's1', 2],
      ['cast', 's1', 2],
      'at_70ms',
      ['state_timeout', 'restarted', 's1'],
      ['cast', 's1', 2],
      ['cast', 's1', 2],
      ['state_timeout', 'after_update', 's1'],
      ['cast', 's1', 2],
      ['cast', 's1', 2],
      ['cast', 's1', 2],
      ['state_timeout', 'set_while_changing', 's0'],
      ['terminate', 'normal', 's0', 3],
    ]);
  });

  it('K08 generic timeouts run by name, survive changes of state, restart when set again; infinity cancels one', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    cast(p.pid, Step.keepStateAndData([Action.genericTimeout('a', 50, 'a1'), Action.genericTimeout('b', 50, 'b1'), Action.genericTimeout('c', 50, 'c1')]));
    cast(p.pid, Step.nextState('s1', 1, [Action.genericTimeout('b', 'infinity', 'b2'), Action.genericTimeout('c', 100, 'c2')]));
    await advance(70);
    p.trace.push('at_70ms');
    await advance(80);
    cast(p.pid, Step.keepStateAndData([Action.genericTimeout('a', 'update', 'a_now')]));
    await advance(50);
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([
      ['cast', 's0', 0],
      ['cast', 's0', 0],
      ['timeout:a', 'a1', 's1'],
      'at_70ms',
      ['timeout:c', 'c2', 's1'],
      ['cast', 's1', 1],
      ['timeout:a', 'a_now', 's1'],
      ['terminate', 'normal', 's1', 1],
    ]);
  });

  it('K09 stopAndReply sends its replies before terminate runs; terminate gets the reason, the state and the new data', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { slowTerminate: true });
    const exited = down(rt, p.pid);
    const reply = StateMachine.call(p.pid, { type: 'do', fn: (from) => Step.stopAndReply('bye', [Action.reply(from, 'see_you')], 9) });
    void reply.then((r) => p.trace.push(['reply_message', r]));
    p.trace.push(['down', await exited]);
    expect(p.trace).toEqual([['call', 's0', 0], ['reply_message', 'see_you'], ['terminate', { tag: 'exit', value: 'bye' }, 's0', 9], ['down', { tag: 'exit', value: 'bye' }]]);
  });

  it('K10 init: ok with actions (handled after the start), ignore, stop and a crash', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { enter: true, init: () => Step.ok('s1', 0, [Action.nextEvent('internal', 'from_init'), Action.stateTimeout(0, 'zero')]) });
    await rt.settle();
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([['enter', 's1', 's1', 0], ['internal', 'from_init', 's1'], ['state_timeout', 'zero', 's1'], ['terminate', 'normal', 's1', 0]]);
    const start = (init: () => StateMachine.InitResult<Probe>) => StateMachine.start(probeBehaviour([], { init }), undefined, { runtime: rt });
    expect(await start(() => Step.ignore())).toEqual({ type: 'ignore' });
    expect(await start(() => Step.stop('no_config'))).toEqual({ type: 'error', reason: { tag: 'exit', value: 'no_config' } });
    const crash = await start(() => {
      throw new Error('boom');
    });
    expect(crash).toMatchObject({ type: 'error', reason: { tag: 'error', cause: { message: 'boom' } } });
  });

  it('K11 a handler that crashes: terminate gets the reason and the state and data before the event; the call fails; the machine exits', async () => {
    const rt = runtime();
    const p = await startProbe(rt, { init: () => Step.ok('s1', 5) });
    const exited = down(rt, p.pid);
    const failed = await StateMachine.call(p.pid, { type: 'do', fn: (_from, ctx) => ctx.exit('crashed') }).catch((e: CallError) => e);
    expect(failed).toBeInstanceOf(CallError);
    p.trace.push(['caller', (failed as CallError).reason]);
    p.trace.push(['down', await exited]);
    const crashed = { tag: 'exit', value: 'crashed' };
    expect(p.trace).toEqual([['call', 's1', 5], ['terminate', crashed, 's1', 5], ['caller', crashed], ['down', crashed]]);
  });

  it('K12 a state enter call may not postpone, insert events or change the state', async () => {
    const rt = runtime();
    const tryEnter = async (result: Res): Promise<unknown[]> => {
      const p = await startProbe(rt, { enter: true });
      const exited = down(rt, p.pid);
      StateMachine.cast(p.pid, { type: 'on_enter', result, then: Step.nextState('s1', 1) });
      p.trace.push(['down', await exited]);
      return p.trace;
    };
    const cases: Array<[Res, string]> = [
      [Step.keepStateAndData([Action.postpone()]), 'bad_state_enter_action_from_state_function'],
      [Step.keepStateAndData([Action.nextEvent('internal', 'x')]), 'bad_state_enter_action_from_state_function'],
      [Step.nextState('s2', 1), 'bad_state_enter_return_from_state_function'],
    ];
    for (const [result, erlangReason] of cases) {
      const trace = await tryEnter(result);
      expect(trace.slice(0, 3)).toEqual([['enter', 's0', 's0', 0], ['cast', 's0', 0], ['enter', 's0', 's1', 1]]);
      const [, reason, state, data] = trace[3] as [string, ExitReason, State, number];
      expect([state, data]).toEqual(['s1', 1]);
      expect(errorOf(reason)).toBeInstanceOf(InvalidArgumentError);
      expect((errorOf(reason) as Error).message).toContain(erlangReason);
      expect(trace[4]).toEqual(['down', reason]);
    }
  });

  it('K13 an unknown action ends the machine with a typed error, after the actions before it ran; the runtime goes on', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    const exited = down(rt, p.pid);
    const before = await StateMachine.call(p.pid, { type: 'do', fn: (from) => Step.keepStateAndData([Action.reply(from, 'before'), { bogus: 1 } as never]) });
    expect(before).toBe('before');
    const reason = await exited;
    expect(errorOf(reason)).toBeInstanceOf(InvalidArgumentError);
    expect(errorOf(reason)).toMatchObject({ argument: 'action', value: { bogus: 1 } });
    expect((errorOf(reason) as Error).message).toContain('bad_action_from_state_function');
    expect(p.trace).toEqual([['call', 's0', 0], ['terminate', reason, 's0', 0]]);
    const q = await startProbe(rt);
    expect(await StateMachine.call(q.pid, { type: 'do', fn: (from) => Step.keepStateAndData([Action.reply(from, 'fine')]) })).toBe('fine');
  });

  it('K14 a call that times out fails the caller only; the machine goes on and its late reply is dropped', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    const slow = deferred();
    const late = StateMachine.call(p.pid, { type: 'do', fn: async (from) => (await slow.promise, Step.keepState(1, [Action.reply(from, 'late')])) }, 10);
    const failed = late.catch((e: CallError) => e.reason);
    await new Promise((resolve) => setImmediate(resolve)); // the machine is busy with the call: settle would wait for it
    clock.advance(10);
    expect(await failed).toBe('timeout');
    slow.resolve();
    expect(await StateMachine.call(p.pid, { type: 'do', fn: (from) => Step.keepStateAndData([Action.reply(from, 'on_time')]) })).toBe('on_time');
    await StateMachine.stop(p.pid);
    expect(p.trace).toEqual([['call', 's0', 0], ['call', 's0', 1], ['terminate', 'normal', 's0', 1]]);
  });

  it('K15 stop runs terminate with the reason, state and data; stopping a machine that is gone fails with noproc', async () => {
    const rt = runtime();
    const p = await startProbe(rt);
    cast(p.pid, Step.nextState('s1', 7));
    await StateMachine.stop(p.pid, { tag: 'shutdown', detail: 'done' });
    const again = await StateMachine.stop(p.pid).catch((e: CallError) => e.reason);
    expect(p.trace).toEqual([['cast', 's0', 0], ['terminate', { tag: 'shutdown', detail: 'done' }, 's1', 7]]);
    expect(again).toBe('noproc');
  });
});
