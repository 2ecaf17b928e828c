/**
 * The fuzz scenario language (links, monitors, exit signals, trap_exit) run on ts-otp's public API.
 *
 * A scenario names N idle actors `a0..aN-1` and a list of steps; each step makes one actor do one
 * thing (link, unlink, monitor, demonitor, trap, exit, exit_self, crash, return, send). Running it
 * yields a trace of strings in the grammar of `erlang/README.md` (next to this file), the same trace that
 * `driver.escript` records on real Erlang/OTP 25, so the two can be compared line by line.
 *
 * How the Erlang driver's rules map onto ts-otp:
 * - Actors are plain processes (`rt.spawn`, not linked, not trapping). They take commands through
 *   a selective receive on a private symbol that no other message carries, so EXIT, DOWN and
 *   `send` messages pile up in their mailbox untouched.
 * - Between steps the runtime runs until nothing is runnable: `rt.settle()`, nothing else.
 * - Deaths are what the runtime's `'exit'` event reports (the reason a monitor would receive).
 * - After every step (a skipped one too) each live actor gets a marker message, never consumed;
 *   at the end each live actor hands over its whole mailbox, and the markers split it into
 *   per-step segments, as the driver does.
 *
 * Nothing here knows what the answer should be: a trace that differs from Erlang's is a kernel bug.
 *
 * @module
 */
import { pino } from 'pino';
import { NoProcError, Runtime, TIMEOUT, type Context, type ExitReason, type Pid, type Ref } from 'ts-otp';

/** A reason the scenarios use with `exit` and `exit_self`, as the Erlang atom's name. */
export type FuzzReason = 'normal' | 'kill' | 'killed' | 'shutdown' | 'boom';

/** One step: actor `a` performs `op`; `b` is the target actor. */
export type Step =
  | { readonly op: 'link' | 'unlink'; readonly a: number; readonly b: number }
  | { readonly op: 'monitor'; readonly a: number; readonly b: number; readonly ref: string }
  | { readonly op: 'demonitor'; readonly a: number; readonly ref: string; readonly flush: boolean }
  | { readonly op: 'trap'; readonly a: number; readonly on: boolean }
  | { readonly op: 'exit'; readonly a: number; readonly b: number; readonly reason: FuzzReason }
  | { readonly op: 'exit_self'; readonly a: number; readonly reason: FuzzReason }
  | { readonly op: 'crash' | 'return'; readonly a: number }
  | { readonly op: 'send'; readonly a: number; readonly b: number; readonly msg: string };

/** A scenario: how many actors, and the steps. */
export interface Scenario {
  readonly id: string;
  readonly actors: number;
  readonly steps: readonly Step[];
}

/** A scenario with the trace real Erlang produced for it. */
export interface FuzzCase extends Scenario {
  readonly trace: readonly string[];
}

const REASONS: readonly string[] = ['normal', 'kill', 'killed', 'shutdown', 'boom'];

/** Tags a command for an actor; nothing else in the runtime carries it. */
const COMMAND = Symbol('fuzz.command');
/** Tags the marker sent to every live actor after each step. */
const MARK = Symbol('fuzz.mark');
/** What a command returns to make the actor's function return (reason 'normal'). */
const RETURN = Symbol('fuzz.return');

interface Command {
  readonly [COMMAND]: (ctx: Context) => unknown;
}
interface Marker {
  readonly [MARK]: number;
}
/** The message of a `send` step: Erlang's `{'$msg', self(), Text}`. */
interface FuzzMessage {
  readonly fuzz: 'msg';
  readonly from: Pid;
  readonly text: string;
}

/** The error a `crash` step throws: Erlang's `erlang:error(boom)`. */
class FuzzCrash extends Error {
  override name = 'FuzzCrash';
}

const isCommand = (msg: unknown): msg is Command => typeof msg === 'object' && msg !== null && COMMAND in msg;
const isMarker = (msg: unknown): msg is Marker => typeof msg === 'object' && msg !== null && MARK in msg;

/** An idle actor: runs the commands it is given, one at a time, and never reads anything else. */
async function actor(ctx: Context): Promise<void> {
  for (;;) {
    const cmd = await ctx.receive(isCommand);
    if ((await cmd[COMMAND](ctx)) === RETURN) return;
  }
}

/** How long one settle may take before the scenario is reported as unsettled (a kernel that never goes idle). */
const SETTLE_LIMIT_MS = 5_000;

class Unsettled extends Error {}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** The runtime to run in; by default a fresh one with a silent logger, killed afterwards. */
  readonly runtime?: Runtime;
}

/**
 * Runs a scenario on ts-otp and returns its trace, in the grammar of the README.
 *
 * Never throws for a kernel misbehaviour: what goes wrong shows in the trace (an unexpected
 * reason, `sK unsettled` when the runtime never becomes idle, `sK alive_mismatch aI` when
 * `isAlive` disagrees with the exit events).
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<string[]> {
  const own = options.runtime === undefined;
  const rt = options.runtime ?? new Runtime({ logger: pino({ level: 'silent' }) });
  const pids: Pid[] = [];
  const index = new Map<Pid, number>();
  const dead = new Set<number>();
  let deaths: Array<[number, ExitReason]> = [];
  const onExit = (pid: Pid, reason: ExitReason): void => {
    const i = index.get(pid);
    if (i === undefined) return;
    dead.add(i);
    deaths.push([i, reason]);
  };
  const refs = new Map<string, Ref>(); // scenario name -> ref
  const refNames = new Map<Ref, string>();
  const name = (pid: unknown): string => {
    const i = index.get(pid as Pid);
    return i === undefined ? '?' : `a${i}`;
  };
  const trace: string[] = [];
  rt.events.on('exit', onExit);
  try {
    for (let i = 0; i < scenario.actors; i++) {
      const pid = rt.spawn(actor);
      pids.push(pid);
      index.set(pid, i);
    }
    await settle(rt);
    deaths = [];
    for (let k = 0; k < scenario.steps.length; k++) {
      const step = scenario.steps[k]!;
      if (dead.has(step.a)) {
        trace.push(`s${k} skip`);
      } else {
        const events: string[] = [];
        const command = (run: (ctx: Context) => unknown): void => rt.send(pids[step.a]!, { [COMMAND]: run } satisfies Command);
        const target = (b: number): Pid => pids[b]!;
        switch (step.op) {
          case 'link':
            command((ctx) => {
              try {
                ctx.link(target(step.b));
              } catch (error) {
                if (!(error instanceof NoProcError)) throw error;
                events.push(`event a${step.a} link noproc`);
              }
            });
            break;
          case 'unlink':
            command((ctx) => ctx.unlink(target(step.b)));
            break;
          case 'monitor':
            command((ctx) => {
              const ref = ctx.monitor(target(step.b));
              refs.set(step.ref, ref);
              refNames.set(ref, step.ref);
            });
            break;
          case 'demonitor': {
            const ref = refs.get(step.ref);
            if (ref === undefined) events.push(`unknown_ref ${step.ref}`);
            else command((ctx) => ctx.demonitor(ref, step.flush ? { flush: true } : {}));
            break;
          }
          case 'trap':
            command((ctx) => ctx.trapExit(step.on));
            break;
          case 'exit':
            command((ctx) => ctx.exit(target(step.b), step.reason));
            break;
          case 'exit_self':
            command((ctx) => ctx.exit(step.reason));
            break;
          case 'crash':
            command(() => {
              throw new FuzzCrash('boom');
            });
            break;
          case 'return':
            command(() => RETURN);
            break;
          case 'send':
            command((ctx) => ctx.send(target(step.b), { fuzz: 'msg', from: ctx.self, text: step.msg } satisfies FuzzMessage));
            break;
          default:
            throw new Error(`unknown op in step ${k}: ${JSON.stringify(step)}`);
        }
        try {
          await settle(rt);
        } catch (error) {
          if (!(error instanceof Unsettled)) throw error;
          trace.push(...events.map((e) => `s${k} ${e}`), `s${k} unsettled`);
          return trace;
        }
        trace.push(...events.map((e) => `s${k} ${e}`));
        const died = deaths.sort((x, y) => x[0] - y[0]);
        for (const [i, reason] of died) trace.push(`s${k} died a${i} reason=${reasonText(reason)}`);
        deaths = [];
        for (let i = 0; i < pids.length; i++) {
          if (rt.isAlive(pids[i]!) === dead.has(i)) trace.push(`s${k} alive_mismatch a${i}`);
        }
      }
      for (let i = 0; i < pids.length; i++) {
        if (!dead.has(i)) rt.send(pids[i]!, { [MARK]: k } satisfies Marker);
      }
    }
    const alive = pids.map((_, i) => i).filter((i) => !dead.has(i));
    trace.push(alive.length === 0 ? 'alive -' : `alive ${alive.map((i) => `a${i}`).join(' ')}`);
    for (const i of alive) {
      let messages: unknown[] = [];
      rt.send(pids[i]!, {
        [COMMAND]: async (ctx: Context) => {
          messages = await drain(ctx);
        },
      } satisfies Command);
      await settle(rt);
      trace.push(...mailboxLines(i, messages, (msg) => render(msg, name, refNames)));
    }
    return trace;
  } catch (error) {
    if (error instanceof Unsettled) return [...trace, 'end unsettled'];
    throw error;
  } finally {
    rt.events.off('exit', onExit);
    if (own) rt.killAll();
  }
}

/** `rt.settle()`, with a watchdog so that a runtime that never goes idle fails the case instead of hanging. */
async function settle(rt: Runtime): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unsettled()), SETTLE_LIMIT_MS);
  });
  try {
    await Promise.race([rt.settle(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Takes every message out of the actor's mailbox, oldest first (markers included). */
async function drain(ctx: Context): Promise<unknown[]> {
  const all: unknown[] = [];
  for (;;) {
    const msg = await ctx.receive(0);
    if (msg === TIMEOUT) return all;
    all.push(msg);
  }
}

/** `mbox aI sK ...` lines: markers split the mailbox by step; lines sorted as byte strings within a step. */
function mailboxLines(i: number, messages: readonly unknown[], show: (msg: unknown) => string): string[] {
  const lines: string[] = [];
  let segment: string[] = [];
  let k = 0;
  const flushSegment = (): void => {
    segment.sort(byteOrder);
    for (const line of segment) lines.push(`mbox a${i} s${k} ${line}`);
    segment = [];
  };
  for (const msg of messages) {
    if (isMarker(msg)) {
      flushSegment();
      k = msg[MARK] + 1;
    } else {
      segment.push(show(msg));
    }
  }
  flushSegment(); // after the last marker: should stay empty
  return lines;
}

/** Byte order of the UTF-8 strings, as Erlang's lists:sort of strings (our lines are ASCII). */
function byteOrder(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Renders a mailbox message as the driver does. */
function render(msg: unknown, name: (pid: unknown) => string, refNames: ReadonlyMap<Ref, string>): string {
  if (typeof msg === 'object' && msg !== null) {
    const m = msg as Record<string, unknown>;
    if (m['type'] === 'EXIT') return `EXIT from=${name(m['from'])} reason=${reasonText(m['reason'] as ExitReason)}`;
    if (m['type'] === 'DOWN') return `DOWN ref=${refNames.get(m['ref'] as Ref) ?? '?'} reason=${reasonText(m['reason'] as ExitReason)}`;
    if (m['fuzz'] === 'msg') return `msg from=${name(m['from'])} ${String(m['text'])}`;
  }
  return `other ${show(msg)}`;
}

/**
 * An exit reason as the trace writes it: the atom's name; `error` for the crash of a `crash` step
 * (Erlang's `{boom, Stack}`); `boom` for `{ tag: 'exit', value: 'boom' }`. Anything the scenarios
 * cannot produce is spelled out so that it shows as a difference.
 */
export function reasonText(reason: ExitReason): string {
  if (typeof reason === 'string') return reason;
  if (typeof reason === 'object' && reason !== null) {
    switch (reason.tag) {
      case 'error':
        return reason.cause instanceof FuzzCrash ? 'error' : `error(${show(reason.cause)})`;
      case 'exit':
        return reason.value === 'boom' ? 'boom' : `exit(${show(reason.value)})`;
      case 'shutdown':
        return `shutdown(${show(reason.detail)})`;
      default:
        break;
    }
  }
  return `?${show(reason)}`;
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// ---- reading cases ------------------------------------------------------------------------

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

function int(where: string, o: Record<string, unknown>, key: string, below: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= below) fail(where, `'${key}' must be an actor index below ${below}, got ${JSON.stringify(v)}`);
  return v;
}

function str(where: string, o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(where, `'${key}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function reasonOf(where: string, o: Record<string, unknown>): FuzzReason {
  const v = o['reason'];
  if (typeof v !== 'string' || !REASONS.includes(v)) fail(where, `'reason' must be one of ${REASONS.join(', ')}, got ${JSON.stringify(v)}`);
  return v as FuzzReason;
}

function parseStep(where: string, raw: unknown, n: number): Step {
  if (typeof raw !== 'object' || raw === null) fail(where, 'a step must be an object');
  const o = raw as Record<string, unknown>;
  const a = int(where, o, 'a', n);
  switch (o['op']) {
    case 'link':
    case 'unlink':
      return { op: o['op'], a, b: int(where, o, 'b', n) };
    case 'monitor':
      return { op: 'monitor', a, b: int(where, o, 'b', n), ref: str(where, o, 'ref') };
    case 'demonitor':
      return { op: 'demonitor', a, ref: str(where, o, 'ref'), flush: o['flush'] === true };
    case 'trap':
      return { op: 'trap', a, on: o['on'] === true };
    case 'exit':
      return { op: 'exit', a, b: int(where, o, 'b', n), reason: reasonOf(where, o) };
    case 'exit_self':
      return { op: 'exit_self', a, reason: reasonOf(where, o) };
    case 'crash':
    case 'return':
      return { op: o['op'], a };
    case 'send':
      return { op: 'send', a, b: int(where, o, 'b', n), msg: str(where, o, 'msg') };
    default:
      return fail(where, `unknown op ${JSON.stringify(o['op'])}`);
  }
}

/** Checks and types one scenario or case object (a parsed JSON line); `trace` is kept when present. */
export function parseCase(raw: unknown, where = 'case'): FuzzCase {
  if (typeof raw !== 'object' || raw === null) fail(where, 'not an object');
  const o = raw as Record<string, unknown>;
  const id = str(where, o, 'id');
  const at = `${where} ${id}`;
  const actors = o['actors'];
  if (typeof actors !== 'number' || !Number.isInteger(actors) || actors < 1) fail(at, `'actors' must be a positive integer`);
  if (!Array.isArray(o['steps'])) fail(at, `'steps' must be an array`);
  const steps = (o['steps'] as unknown[]).map((s, k) => parseStep(`${at} step ${k}`, s, actors));
  const trace = o['trace'] === undefined ? [] : o['trace'];
  if (!Array.isArray(trace) || !trace.every((l) => typeof l === 'string')) fail(at, `'trace' must be an array of strings`);
  return { id, actors, steps, trace: trace as string[] };
}

/** Parses a JSON-lines text of cases (blank lines ignored). */
export function parseCases(text: string, source = 'cases'): FuzzCase[] {
  const out: FuzzCase[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      fail(`${source}:${n + 1}`, `not JSON (${(error as Error).message})`);
    }
    out.push(parseCase(raw, `${source}:${n + 1}`));
  });
  return out;
}

// ---- comparing ----------------------------------------------------------------------------

/** Index of the first line where the traces differ, or -1 if they are equal. */
export function firstDifference(expected: readonly string[], actual: readonly string[]): number {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return -1;
}

/** A step as one readable line: `s3  a1 exit a4 kill`. */
export function describeStep(step: Step, k: number): string {
  const who = `s${k}  a${step.a} ${step.op}`;
  switch (step.op) {
    case 'link':
    case 'unlink':
      return `${who} a${step.b}`;
    case 'monitor':
      return `${who} a${step.b} as ${step.ref}`;
    case 'demonitor':
      return `${who} ${step.ref}${step.flush ? ' [flush]' : ''}`;
    case 'trap':
      return `${who} ${step.on}`;
    case 'exit':
      return `${who} a${step.b} ${step.reason}`;
    case 'exit_self':
      return `${who} ${step.reason}`;
    case 'crash':
    case 'return':
      return who;
    case 'send':
      return `${who} a${step.b} ${step.msg}`;
    default:
      return `${who} ?`;
  }
}

/** A readable report of a mismatch: the steps, both traces side by side, the first differing line. */
export function mismatchReport(c: FuzzCase, actual: readonly string[]): string {
  const at = firstDifference(c.trace, actual);
  const width = Math.max(8, ...c.trace.map((l) => l.length));
  const rows: string[] = [];
  const n = Math.max(c.trace.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = c.trace[i] ?? '';
    const a = actual[i] ?? '';
    rows.push(`${i === at ? '>' : e === a ? ' ' : '!'} ${e.padEnd(width)} | ${a}`);
  }
  return [
    `case ${c.id}: ${c.actors} actors, ${c.steps.length} steps`,
    ...c.steps.map((s, k) => `  ${describeStep(s, k)}`),
    `first difference at line ${at}: expected ${JSON.stringify(c.trace[at] ?? '(end)')}, got ${JSON.stringify(actual[at] ?? '(end)')}`,
    `  ${'erlang'.padEnd(width)} | ts-otp`,
    ...rows,
    `json: ${JSON.stringify({ id: c.id, actors: c.actors, steps: c.steps })}`,
  ].join('\n');
}
