/**
 * StateMachine events, 1,000,000 of them to a two-state machine, each one a change of state: as
 * calls from a process (each answered with a reply action), and as casts queued in one step then
 * a call that answers once all of them were handled.
 *
 * The machine flips between states `a` and `b` on every event (so each takes gen_statem's path for
 * a change of state: postponed events to retry, the state timeout to cancel) and counts the flips;
 * a call answers the count. The figure is the time from the first event to the last reply, in ms.
 * Baselines: the plainest Node state machine, a loop over the baseline's array mailbox that
 * switches on its state, answering each call by resolving its promise. Elixir: `:gen_statem` with
 * the same two state functions (bench/elixir/state_machine.exs); for the casts, the machine is held
 * with `:erlang.suspend_process` while they are sent, so they queue up as they do behind a Node
 * process that casts in one step.
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import { StateMachine, type Runtime } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';

const EVENTS = scaled(1_000_000);

interface Toggle {
  state: 'a' | 'b';
  data: number;
  call: { readonly type: 'count' } | { readonly type: 'flip' };
  reply: { count: number; flip: number };
  cast: { readonly type: 'flip' };
}

const { Step, Action } = StateMachine;

/** The handler of one state: a flip goes to `other` (a call flip answers the new count), a count call answers the count. */
const flipsTo =
  (other: 'a' | 'b') =>
  (event: StateMachine.Event<Toggle>, n: number): StateMachine.Result<Toggle> => {
    if (event.type === 'cast') return Step.nextState(other, n + 1);
    if (event.type !== 'call') return Step.keepStateAndData();
    return event.call === 'flip' ? Step.nextState(other, n + 1, [Action.reply(event.from, n + 1)]) : Step.keepStateAndData([Action.reply(event.from, n)]);
  };

const toggle: StateMachine.Behaviour<Toggle> = {
  init: () => Step.ok('a', 0),
  states: { a: flipsTo('b'), b: flipsTo('a') },
};

interface Request {
  readonly type: 'flip' | 'count';
  readonly resolve: ((n: number) => void) | null;
}

const FLIP: Request = { type: 'flip', resolve: null };

async function toggleTask(mailbox: Mailbox<Request>): Promise<void> {
  let state: 'a' | 'b' = 'a';
  let n = 0;
  for (;;) {
    const msg = await mailbox.receive();
    if (msg.type === 'flip') {
      state = state === 'a' ? 'b' : 'a';
      n++;
    }
    msg.resolve?.(n);
  }
}

async function startToggle(rt: Runtime): Promise<StateMachine.MachinePid<Toggle>> {
  const started = await StateMachine.start(toggle, undefined, { runtime: rt });
  if (started.type !== 'ok') throw new Error('the machine did not start');
  return started.pid;
}

export const stateMachineCallWorkload: Workload = {
  name: 'state-machine-call',
  title: `StateMachine: ${count(EVENTS)} calls from a process, each a change of state`,
  unit: 'ms',
  better: 'lower',
  runs: 5,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 },

  otp: async (rt) => {
    const pid = await startToggle(rt);
    return rt.run(async () => {
      const t0 = now();
      let last = 0;
      for (let i = 0; i < EVENTS; i++) last = await StateMachine.call(pid, { type: 'flip' });
      const ms = now() - t0;
      check(last === EVENTS, 'every call was counted');
      return ms;
    });
  },

  baseline: async () => {
    const machine = spawn<Request>(toggleTask);
    const t0 = now();
    let last = 0;
    for (let i = 0; i < EVENTS; i++) last = await new Promise<number>((resolve) => machine.send({ type: 'flip', resolve }));
    const ms = now() - t0;
    check(last === EVENTS, 'every baseline call was counted');
    return ms;
  },
};

export const stateMachineCastWorkload: Workload = {
  name: 'state-machine-cast',
  title: `StateMachine: ${count(EVENTS)} casts queued, each a change of state, then a call`,
  unit: 'ms',
  better: 'lower',
  runs: 5,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 },

  otp: async (rt) => {
    const pid = await startToggle(rt);
    const t0 = now();
    for (let i = 0; i < EVENTS; i++) StateMachine.cast(pid, { type: 'flip' });
    const total = await StateMachine.call(pid, { type: 'count' }, 'infinity');
    const ms = now() - t0;
    check(total === EVENTS, 'the call was answered after every cast had been handled');
    return ms;
  },

  baseline: async () => {
    const machine = spawn<Request>(toggleTask);
    const t0 = now();
    for (let i = 0; i < EVENTS; i++) machine.send(FLIP);
    const total = await new Promise<number>((resolve) => machine.send({ type: 'count', resolve }));
    const ms = now() - t0;
    check(total === EVENTS, 'the baseline counted every cast before answering');
    return ms;
  },
};
