/**
 * The StateMachine loop, run as a GenServer's callbacks: the server's state is one {@link Machine},
 * every call and cast reaches it through the server's catch-all ({@link ANY_REQUEST}), plain
 * messages through handleInfo, and init's work after the start through handleContinue. So
 * starting, names, calls with their monitors and timeouts, replies, remote pids, stop and
 * terminate are the GenServer's; this file keeps what gen_statem adds: the state, the queue of
 * events to handle before the mailbox (inserted events, retried postponed events, timeouts of 0),
 * the postponed events, the timers, and the state enter calls.
 *
 * Design, for speed: a cast sent with `StateMachine.cast` is queued as its event, a call costs
 * one event object, and neither a promise; the result the server gets back is one object made per
 * machine and reused. Timeouts are kernel timers sending a {@link TimerMessage}, cancelled (and
 * taken back from the mailbox if already sent) when their rule says so; the event timeout's timer
 * starts only once the machine is idle, and timeouts of 0 are queued events.
 *
 * Not part of the public API.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import type { Context, ExitReason, Ref } from '../../process/index.js';
import { processData, takeMatching } from '../../process/hooks.js';
import { reply as replyTo } from '../../gen_server/gen_server.js';
import { answer, ANY_REQUEST, Pending, SYS_VIEW, type AnyRequest, type Server, type SysView } from '../../gen_server/internal/server.js';
import type { From } from '../../gen_server/index.js';
import { isTimeoutTime } from '../step.js';
import type { BaseBehaviour, Protocol, ReplyAction } from '../types.js';

/** A machine's behaviour as the runtime reads it. */
export type AnyBehaviour = BaseBehaviour<Protocol> & { readonly handleEvent?: Function; readonly states?: Readonly<Record<string, Function>> };

/** An event as handlers receive it. */
interface Ev {
  readonly type: string;
  readonly content?: unknown;
  readonly from?: unknown;
  readonly call?: unknown;
  readonly name?: string;
  readonly oldState?: unknown;
}

/**
 * A cast as `StateMachine.cast` sends it to a machine of this thread: the event itself, so that
 * the message queued is what the handler gets, with no wrapper to make or to keep alive while it
 * waits in the mailbox. It reaches the machine through the server's handleInfo.
 */
export class CastEvent {
  readonly type = 'cast';
  constructor(readonly content: unknown) {}
}

/** Marks the GenServer behaviour that runs a machine: `StateMachine.cast` checks it. */
export const IS_MACHINE: unique symbol = Symbol('ts-otp.state_machine');

/** The key of the state timeout among a machine's timers; generic timeouts are keyed by name. */
const STATE_TIMEOUT: unique symbol = Symbol('state_timeout');
/** The key of the event timeout's timer, once the machine is idle with one set. */
const EVENT_TIMEOUT: unique symbol = Symbol('timeout');
type TimerKey = string | typeof STATE_TIMEOUT | typeof EVENT_TIMEOUT;

/** A state or generic timeout: the message its kernel timer sends, or the queued event of a timeout of 0. */
class TimerMessage {
  ref: Ref | null = null;
  constructor(
    readonly machine: Machine,
    readonly key: TimerKey,
    public content: unknown,
  ) {}

  event(): Ev {
    if (this.key === STATE_TIMEOUT) return { type: 'state_timeout', content: this.content };
    if (this.key === EVENT_TIMEOUT) return { type: 'timeout', content: this.content };
    return { type: 'generic_timeout', name: this.key, content: this.content };
  }
}

/** The results the GenServer loop takes from the machine. */
interface ServerResult {
  readonly next: 'noreply' | 'stop';
  readonly state: Machine;
  readonly action?: { readonly continue: unknown } | undefined;
  readonly reason?: unknown;
  readonly replies?: boolean;
}
type Out = ServerResult | Promise<ServerResult>;

const NO_ENTER: unique symbol = Symbol('no_enter');
const START: unique symbol = Symbol('start');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

const STEP_TAGS: ReadonlySet<unknown> = new Set(['next_state', 'keep_state', 'keep_state_and_data', 'repeat_state', 'repeat_state_and_data', 'stop']);

/** A thrown value that is a handler result (`throw Step.keepStateAndData()`), as gen_statem uses a thrown value. */
function isThrownStep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  try {
    return STEP_TAGS.has((value as { next?: unknown }).next);
  } catch {
    return false;
  }
}

/** Erlang's `=:=` on states: strings and numbers by value, plain objects and arrays field by field. */
export function sameState(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameState((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** One running machine: its state, data, queue, postponed events and timers. */
export class Machine {
  state: unknown = undefined;
  data: unknown = undefined;
  /** Events to handle before the mailbox: inserted, retried or timed out at 0. */
  #queue: Array<Ev | TimerMessage> = [];
  #head = 0;
  #postponed: Ev[] = [];
  #timers: Map<TimerKey, TimerMessage> | null = null;
  /** The state enter call to make next (the state left), or NO_ENTER. */
  #enter: unknown = NO_ENTER;
  /** The event timeout set by the transitions since the last event: time and content. */
  #eventTime: number | 'infinity' = 'infinity';
  #eventContent: unknown = undefined;
  /** The event timeout's timer runs: the next event cancels it. */
  #armed = false;
  readonly #idle: ServerResult = { next: 'noreply', state: this, action: undefined };
  readonly #handleEvent: Function | undefined;
  readonly #states: Readonly<Record<string, Function>> | undefined;

  constructor(
    readonly behaviour: AnyBehaviour,
    readonly ctx: Context,
  ) {
    this.#handleEvent = behaviour.handleEvent;
    this.#states = behaviour.states;
  }

  // ---- entry points (from the GenServer callbacks) -------------------------------------------

  /** init's `ok`: the state, data and actions, before the start returns. */
  init(state: unknown, data: unknown, actions: readonly unknown[]): void {
    this.state = state;
    this.data = data;
    const next = this.#actions(actions, null, false);
    if (next !== null) this.#insert(next, false);
    this.#stateTimerSet = false;
    if (this.behaviour.stateEnter === true) this.#enter = state;
  }

  /** After the start: the first state enter call, the inserted events and an event timeout. */
  begin(): Out {
    const ev = this.#next();
    return ev === null ? this.#idleResult() : this.#run(ev);
  }

  /** A message from the mailbox. */
  receive(ev: Ev): Out {
    if (this.#armed) {
      this.#armed = false; // any event cancels the event timeout
      this.#cancel(EVENT_TIMEOUT);
    }
    return this.#run(ev);
  }

  /** A plain message: the event timeout, one of our timers, or an info event. */
  info(msg: unknown): Out {
    if (msg instanceof CastEvent) return this.receive(msg);
    if (msg instanceof TimerMessage && msg.machine === this) {
      if (this.#timers?.get(msg.key) !== msg) return this.#idle; // cancelled after it was sent
      this.#timers.delete(msg.key);
      return this.receive(msg.event());
    }
    return this.receive({ type: 'info', content: msg });
  }

  /** Cancels every timer: the machine is ending. */
  stopTimers(): void {
    if (this.#timers === null) return;
    for (const key of [...this.#timers.keys()]) this.#cancel(key);
  }

  // ---- the loop ------------------------------------------------------------------------------

  /** Handles `ev`, then every queued event; the server's result once the queue is empty or the machine stops. */
  #run(ev: Ev): Out {
    for (;;) {
      let result: unknown;
      try {
        result = this.#invoke(ev);
      } catch (error) {
        if (!isThrownStep(error)) throw error;
        result = error;
      }
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          (value) => this.#resume(ev, value),
          (error: unknown) => {
            if (!isThrownStep(error)) throw error;
            return this.#resume(ev, error);
          },
        );
      }
      const stop = this.#apply(ev, result);
      if (stop !== null) return stop;
      const next = this.#next();
      if (next === null) return this.#idleResult();
      ev = next;
    }
  }

  #resume(ev: Ev, result: unknown): Out {
    const stop = this.#apply(ev, result);
    if (stop !== null) return stop;
    const next = this.#next();
    return next === null ? this.#idleResult() : this.#run(next);
  }

  #invoke(ev: Ev): unknown {
    const handleEvent = this.#handleEvent;
    if (handleEvent !== undefined) return handleEvent(ev, this.state, this.data, this.ctx);
    const handler = typeof this.state === 'string' ? this.#states![this.state] : undefined;
    if (typeof handler !== 'function') {
      throw new InvalidArgumentError(this.#where(), 'state', this.state, 'a state with a handler in the machine\'s states');
    }
    return handler(ev, this.data, this.ctx);
  }

  /** The next thing to handle: the state enter call, then the queue, then an event timeout of 0. */
  #next(): Ev | null {
    if (this.#enter !== NO_ENTER) {
      const oldState = this.#enter;
      this.#enter = NO_ENTER;
      return { type: 'enter', oldState };
    }
    while (this.#head < this.#queue.length) {
      const item = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (this.#head === this.#queue.length) {
        this.#queue = [];
        this.#head = 0;
      }
      this.#eventTime = 'infinity'; // an event from the queue cancels the event timeout
      if (!(item instanceof TimerMessage)) return item;
      if (this.#timers?.get(item.key) !== item) continue; // a timeout of 0 cancelled before its turn
      this.#timers.delete(item.key);
      return item.event();
    }
    if (this.#eventTime === 0) {
      this.#eventTime = 'infinity';
      return { type: 'timeout', content: this.#eventContent };
    }
    return null;
  }

  /**
   * What the server is told when the queue is empty: go on. An event timeout set by the last
   * transitions starts now, as a timer of its own (a system request, which is no event, leaves it
   * running, as in OTP).
   */
  #idleResult(): ServerResult {
    const time = this.#eventTime;
    if (time !== 'infinity') {
      this.#eventTime = 'infinity';
      this.#armed = true;
      this.#setTimer(EVENT_TIMEOUT, time, this.#eventContent);
    }
    return this.#idle;
  }

  /** Applies a handler's result; the server's stop result, or null to go on. */
  #apply(ev: Ev, result: unknown): ServerResult | null {
    const enter = ev.type === 'enter';
    const r = result as { next?: unknown; state?: unknown; data?: unknown; actions?: unknown; reason?: unknown; replies?: unknown };
    const next = typeof r === 'object' && r !== null ? r.next : undefined;
    let state = this.state;
    let data = this.data;
    let repeat = false;
    switch (next) {
      case 'next_state':
        state = r.state;
        data = r.data;
        if (enter && !sameState(state, this.state)) {
          throw new InvalidArgumentError(this.#where(), 'result', result, 'a result that keeps the state, in a state enter call (bad_state_enter_return_from_state_function)');
        }
        break;
      case 'keep_state':
        data = r.data;
        break;
      case 'keep_state_and_data':
        break;
      case 'repeat_state':
        data = r.data;
        repeat = true;
        break;
      case 'repeat_state_and_data':
        repeat = true;
        break;
      case 'stop': {
        const replies = r.replies;
        if (Array.isArray(replies)) for (const a of replies) this.#reply(a);
        if ('data' in r) this.data = r.data;
        return { next: 'stop', state: this, reason: r.reason, replies: false };
      }
      default:
        throw new InvalidArgumentError(this.#where(), 'result', result, 'a StateMachine.Step result (bad_return_from_state_function)');
    }
    const actions = r.actions;
    if (!Array.isArray(actions)) throw new InvalidArgumentError(this.#where(), 'actions', actions, 'an array of StateMachine.Action values');
    const inserted = actions.length === 0 ? null : this.#actions(actions, ev, enter);
    const changed = !sameState(state, this.state);
    const old = this.state;
    this.state = state;
    this.data = data;
    if (this.#postponing) {
      this.#postponing = false;
      this.#postponed.push(ev);
    }
    if (changed) {
      if (this.#stateTimerSet) this.#stateTimerSet = false;
      else this.#cancel(STATE_TIMEOUT);
    } else this.#stateTimerSet = false;
    if (inserted !== null || (changed && this.#postponed.length > 0)) this.#insert(inserted, changed);
    if (this.behaviour.stateEnter === true && (changed || repeat)) this.#enter = old;
    return null;
  }

  /** The current event is postponed by the actions being run. */
  #postponing = false;
  /** The state timeout was set by the actions being run: a change of state does not cancel it. */
  #stateTimerSet = false;

  /** Runs `actions` in order; the events they insert, or null. */
  #actions(actions: readonly unknown[], ev: Ev | null, enter: boolean): Ev[] | null {
    let inserted: Ev[] | null = null;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      const kind = typeof a === 'object' && a !== null ? (a as { action?: unknown }).action : undefined;
      switch (kind) {
        case 'reply': {
          const from = (a as ReplyAction).from;
          if (from instanceof Pending) {
            answer(from, (a as ReplyAction).reply); // a call of this thread, answered directly
            this.#traced(from, (a as ReplyAction).reply);
          } else this.#reply(a);
          break;
        }
        case 'postpone':
          if (enter || ev === null) this.#badAction(a, enter);
          this.#postponing = true;
          break;
        case 'next_event': {
          if (enter) this.#badAction(a, enter);
          const { type, content } = a as { type?: unknown; content?: unknown };
          if (type !== 'internal' && type !== 'cast' && type !== 'info') this.#badAction(a, enter);
          (inserted ??= []).push({ type, content });
          break;
        }
        case 'timeout':
        case 'state_timeout':
        case 'generic_timeout': {
          const { time, content, name } = a as { time?: unknown; content?: unknown; name?: unknown };
          if (!isTimeoutTime(time) || (kind === 'generic_timeout' && typeof name !== 'string')) this.#badAction(a, enter);
          if (kind === 'timeout') this.#setEventTimeout(time, content);
          else this.#setTimer(kind === 'state_timeout' ? STATE_TIMEOUT : (name as string), time, content);
          break;
        }
        default:
          this.#badAction(a, enter);
      }
    }
    return inserted;
  }

  #badAction(action: unknown, enter: boolean): never {
    throw new InvalidArgumentError(
      this.#where(),
      'action',
      action,
      enter
        ? 'an action allowed in a state enter call: a reply or a timeout, not postpone or nextEvent (bad_state_enter_action_from_state_function)'
        : 'a StateMachine.Action: reply, postpone, nextEvent, eventTimeout, stateTimeout or genericTimeout (bad_action_from_state_function)',
    );
  }

  #reply(a: unknown): void {
    const { action, from, reply } = (typeof a === 'object' && a !== null ? a : {}) as { action?: unknown; from?: unknown; reply?: unknown };
    if (action !== 'reply') this.#badAction(a, false);
    try {
      replyTo(from as From<unknown>, reply);
    } catch {
      this.#badAction(a, false);
    }
    this.#traced(from, reply);
  }

  /** The server this machine runs in, found at its first reply. */
  #server: Server | undefined = undefined;

  /** Tells the server's trace of a reply action (an `out` event), as gen_statem tells sys. */
  #traced(from: unknown, reply: unknown): void {
    (this.#server ??= processData(this.ctx.self) as Server | undefined)?.tracedReply(from, reply);
  }

  /** Sets the event timeout the machine will start once idle (none runs while it handles an event). */
  #setEventTimeout(time: number | 'infinity' | 'cancel' | 'update', content: unknown): void {
    if (time === 'update') {
      this.#eventContent = content;
      if (this.#eventTime === 'infinity') this.#eventTime = 0; // none running: fire at once
      return;
    }
    this.#eventTime = time === 'cancel' ? 'infinity' : time;
    this.#eventContent = content;
  }

  #setTimer(key: TimerKey, time: number | 'infinity' | 'cancel' | 'update', content: unknown): void {
    if (key === STATE_TIMEOUT) this.#stateTimerSet = time !== 'infinity' && time !== 'cancel';
    const timers = (this.#timers ??= new Map());
    if (time === 'update') {
      const running = timers.get(key);
      if (running !== undefined) {
        running.content = content;
        return;
      }
      time = 0;
    } else this.#cancel(key);
    if (time === 'infinity' || time === 'cancel') return;
    const msg = new TimerMessage(this, key, content);
    timers.set(key, msg);
    if (time === 0) this.#queue.push(msg); // after the events already queued, before the mailbox
    else msg.ref = this.ctx.sendAfter(time, this.ctx.self, msg);
  }

  #cancel(key: TimerKey): void {
    const msg = this.#timers?.get(key);
    if (msg === undefined) return;
    this.#timers!.delete(key);
    // Already sent: taken back, so that it cancels no event timeout on its way.
    if (msg.ref !== null && this.ctx.cancelTimer(msg.ref) === false) takeMatching(this.ctx, (m) => m === msg);
  }

  /**
   * Puts `inserted` events first in the queue, then (after a change of state) the postponed
   * events in the order they came, then what was queued already.
   */
  #insert(inserted: Ev[] | null, changed: boolean): void {
    const rest = this.#queue.slice(this.#head);
    const front: Array<Ev | TimerMessage> = inserted ?? [];
    if (changed && this.#postponed.length > 0) {
      for (const p of this.#postponed) front.push(p);
      this.#postponed = [];
    }
    for (const item of rest) front.push(item);
    this.#queue = front;
    this.#head = 0;
  }

  #where(): string {
    let state: string;
    try {
      state = JSON.stringify(this.state) ?? String(this.state);
    } catch {
      state = String(this.state);
    }
    return `StateMachine ${this.ctx.self} in state ${state}`;
  }
}

/** A call's event, as the catch-all receives it. */
function callEvent(request: unknown, from: unknown): Ev {
  return { type: 'call', call: typeof request === 'object' && request !== null ? (request as { type?: unknown }).type : undefined, from, content: request };
}

/**
 * The GenServer behaviour that runs `behaviour` as a state machine. Its state is the
 * {@link Machine}; results are the machine's own objects, so no `Next.*` result is made per event.
 */
/**
 * What Sys reads and replaces of a machine: its state and data, as gen_statem's `{State, Data}`.
 * A replacement changes them in place, with no state enter call and no timer touched, as in OTP.
 */
const MACHINE_VIEW: SysView = {
  module: 'gen_statem',
  get: (machine) => ({ state: (machine as Machine).state, data: (machine as Machine).data }),
  replace(machine, view) {
    if (typeof view !== 'object' || view === null || !('state' in view)) throw new TypeError(`a StateMachine's state must be replaced by { state, data }, not ${String(view)}`);
    (machine as Machine).state = (view as { state: unknown }).state;
    (machine as Machine).data = (view as { data?: unknown }).data;
    return machine;
  },
  castOf: (msg) => (msg instanceof CastEvent ? { msg: msg.content } : undefined),
};

export function serverBehaviour(behaviour: AnyBehaviour): object {
  const any: AnyRequest = {
    call: (request, from, machine) => (machine as Machine).receive(callEvent(request, from)),
    cast: (msg, machine) => (machine as Machine).receive({ type: 'cast', content: msg }),
  };
  const start = (result: unknown, ctx: Context): unknown => {
    const r = result as { next?: unknown; state?: unknown; data?: unknown; actions?: unknown; reason?: unknown };
    if (typeof r !== 'object' || r === null || r.next !== 'ok') return result; // ignore, stop, or a bad return the server reports
    const machine = new Machine(behaviour, ctx);
    if (!Array.isArray(r.actions)) throw new InvalidArgumentError('StateMachine init', 'actions', r.actions, 'an array of StateMachine.Action values');
    machine.init(r.state, r.data, r.actions);
    return { next: 'ok', state: machine, action: { continue: START } };
  };
  return {
    init(arg: unknown, ctx: Context): unknown {
      const result = behaviour.init(arg as never, ctx);
      return isThenable(result) ? Promise.resolve(result).then((r) => start(r, ctx)) : start(result, ctx);
    },
    handleContinue: (_arg: unknown, machine: Machine) => machine.begin(),
    handleInfo: (msg: unknown, machine: Machine) => machine.info(msg),
    terminate(reason: ExitReason, machine: Machine, ctx: Context): void | PromiseLike<void> {
      machine.stopTimers();
      return behaviour.terminate?.(reason, machine.state, machine.data as never, ctx);
    },
    formatStatus: (machine: Machine) =>
      behaviour.formatStatus !== undefined ? behaviour.formatStatus(machine.state, machine.data as never) : { state: machine.state, data: machine.data },
    [ANY_REQUEST]: any,
    [SYS_VIEW]: MACHINE_VIEW,
    [IS_MACHINE]: true,
  };
}
