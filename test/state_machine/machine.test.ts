/**
 * StateMachine beyond the recorded scenarios: async handlers, thrown results, timers taken back
 * from the mailbox, GenServer's functions on a machine, linked starts, and names.
 */
import { describe, expect, it } from 'vitest';
import { GenServer, StateMachine, type ExitMessage, type ExitReason } from 'ts-otp';
import { deferred, manualClock, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});
const { Step, Action } = StateMachine;

interface Job {
  state: 'idle' | 'busy';
  data: readonly string[];
  call: { readonly type: 'run'; readonly name: string } | { readonly type: 'log' };
  reply: { run: 'done'; log: readonly string[] };
  cast: { readonly type: 'note'; readonly text: string };
  timeout: 'tick' | 'state';
}

describe('a StateMachine', () => {
  it('handles one event at a time with async handlers, in order', async () => {
    const rt = runtime();
    const gate = deferred();
    const job: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', []),
      handleEvent: async (e, _state, log) => {
        if (e.type === 'call' && e.call === 'run') {
          await gate.promise;
          return Step.nextState('busy', [...log, e.content.name], [Action.reply(e.from, 'done')]);
        }
        if (e.type === 'call') return Step.keepStateAndData([Action.reply(e.from, log)]);
        if (e.type === 'cast') return Step.keepState([...log, e.content.text]);
        return Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(job, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const run = StateMachine.call(started.pid, { type: 'run', name: 'first' });
    StateMachine.cast(started.pid, { type: 'note', text: 'second' });
    const log = StateMachine.call(started.pid, { type: 'log' });
    gate.resolve();
    expect(await run).toBe('done');
    expect(await log).toEqual(['first', 'second']);
  });

  it('takes a thrown Step as the result, as gen_statem takes a thrown value', async () => {
    const rt = runtime();
    const m: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', []),
      handleEvent: (e) => {
        if (e.type === 'call') throw Step.nextState('busy', ['thrown'], [Action.reply(e.from as StateMachine.From<'done'>, 'done')]);
        return Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    expect(await StateMachine.call(started.pid, { type: 'run', name: 'x' })).toBe('done');
    expect(rt.isAlive(started.pid)).toBe(true);
  });

  it('takes back a state timeout that fired while a change of state waited: it cancels no event timeout', async () => {
    const rt = runtime();
    const seen: unknown[] = [];
    const m: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', [], [Action.stateTimeout(10, 'state')]),
      handleEvent: (e, state) => {
        seen.push([e.type, state]);
        return e.type === 'cast' ? Step.nextState('busy', [], [Action.eventTimeout(50, 'tick')]) : Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    await rt.settle();
    StateMachine.cast(started.pid, { type: 'note', text: 'go' });
    clock.advance(10); // the state timeout fires: its message waits behind the cast, which cancels it
    await rt.settle();
    expect(GenServer.statistics(started.pid)?.messagesHandled).toBe(1); // the cast only: the timer's message was taken back
    clock.advance(50);
    await rt.settle();
    expect(seen).toEqual([['cast', 'idle'], ['timeout', 'busy']]);
    expect(clock.pending()).toBe(0);
  });

  it('keeps an event timeout running through a system request (GenServer.getState), as OTP: it fires at its time', async () => {
    const rt = runtime();
    const seen: unknown[] = [];
    const m: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', []),
      handleEvent: (e) => {
        seen.push(e.type);
        return e.type === 'cast' ? Step.keepStateAndData([Action.eventTimeout(300, 'tick')]) : Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    StateMachine.cast(started.pid, { type: 'note', text: 'go' });
    await rt.settle();
    clock.advance(150);
    expect(await GenServer.getState(started.pid)).toBeDefined(); // no event: the timeout is neither cancelled nor restarted
    clock.advance(149);
    await rt.settle();
    expect(seen).toEqual(['cast']);
    clock.advance(1);
    await rt.settle();
    expect(seen).toEqual(['cast', 'timeout']);
    expect(clock.pending()).toBe(0);
  });

  it('takes timeouts beyond 2^32 - 1 ms, as OTP\'s timers do (they are no receive timeouts)', async () => {
    const rt = runtime();
    const seen: unknown[] = [];
    const long = 2 ** 32;
    const m: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', [], [Action.eventTimeout(long, 'tick'), Action.stateTimeout(long + 1, 'state'), Action.genericTimeout('g', long + 2, 'tick')]),
      handleEvent: (e) => {
        seen.push(e.type);
        return Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    await rt.settle();
    clock.advance(long - 1);
    await rt.settle();
    expect(seen).toEqual([]);
    clock.advance(2);
    await rt.settle();
    expect(seen).toEqual(['timeout', 'state_timeout']);
    clock.advance(1);
    await rt.settle();
    expect(seen).toEqual(['timeout', 'state_timeout', 'generic_timeout']);
    expect(clock.pending()).toBe(0);
  });

  it('answers GenServer.call and GenServer.cast as StateMachine.call and cast, and by name', async () => {
    const rt = runtime();
    const m: StateMachine.Behaviour<Job> = {
      init: () => Step.ok('idle', []),
      handleEvent: (e, _s, log) => {
        if (e.type === 'cast') return Step.keepState([...log, e.content.text]);
        if (e.type === 'call' && e.call === 'log') return Step.keepStateAndData([Action.reply(e.from, log)]);
        return Step.keepStateAndData();
      },
    };
    await StateMachine.start(m, undefined, { runtime: rt, name: 'jobs' });
    const ref = StateMachine.named<Job>('jobs', rt);
    GenServer.cast(ref, { type: 'note', text: 'a' });
    StateMachine.cast(ref, { type: 'note', text: 'b' });
    expect(await GenServer.call(ref, { type: 'log' })).toEqual(['a', 'b']);
    expect(await StateMachine.call(ref, { type: 'log' })).toEqual(['a', 'b']);
  });

  it('stops with terminate when its linked parent exits, if it traps exits', async () => {
    const rt = runtime();
    const ended: ExitReason[] = [];
    const m: StateMachine.Behaviour<Job> = {
      init: (_arg, ctx) => {
        ctx.trapExit(true);
        return Step.ok('idle', []);
      },
      handleEvent: () => Step.keepStateAndData(),
      terminate: (reason) => {
        ended.push(reason);
      },
    };
    const exit = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const started = await StateMachine.startLink(ctx, m, undefined);
      if (started.type !== 'ok') throw new Error('no start');
      ctx.exit(started.pid, 'shutdown');
      return (await ctx.receive()) as ExitMessage;
    });
    expect(ended).toEqual(['shutdown']);
    expect(exit.reason).toBe('shutdown');
  });

  it('replies to a call later, from another event, with StateMachine.reply', async () => {
    const rt = runtime();
    interface Later { state: 'waiting' | 'done'; data: StateMachine.From<number> | null; call: { readonly type: 'wait' }; reply: { wait: number }; cast: { readonly type: 'release' } }
    const m: StateMachine.Behaviour<Later> = {
      init: () => Step.ok('waiting', null),
      handleEvent: (e, _s, from) => {
        if (e.type === 'call') return Step.keepState(e.from);
        if (e.type === 'cast' && from !== null) {
          StateMachine.reply(from, 7);
          return Step.nextState('done', null);
        }
        return Step.keepStateAndData();
      },
    };
    const started = await StateMachine.start(m, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const waiting = StateMachine.call(started.pid, { type: 'wait' });
    StateMachine.cast(started.pid, { type: 'release' });
    expect(await waiting).toBe(7);
  });
});
