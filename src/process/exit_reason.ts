/**
 * Exit reasons: why a process ended, and what its links and monitors are told.
 *
 * Any value can be an exit reason. The well-known ones keep their Erlang spelling as string
 * literals; a thrown or rejected value becomes `{ tag: 'error', cause }` (the Error keeps its
 * message and stack); any other value given to `exit` becomes `{ tag: 'exit', value }`. A reason
 * is normalised once, where the process ends, and then travels unchanged through links,
 * EXIT messages and monitors.
 *
 * @module
 */

/**
 * Why a process ended; also what links and monitors report.
 *
 * @example
 * ```ts
 * import { Runtime, type DownMessage, type ExitReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const reasonOf = (body: Parameters<typeof rt.spawn>[0]) =>
 *   rt.run(async (ctx) => {
 *     ctx.spawnMonitor(body);
 *     return ((await ctx.receive()) as DownMessage).reason;
 *   });
 * const returned: ExitReason = await reasonOf(() => 'done');
 * expect(returned).toBe('normal');
 * expect(await reasonOf((ctx) => ctx.exit('boom'))).toEqual({ tag: 'exit', value: 'boom' });
 * const crashed = await reasonOf(() => { throw new RangeError('bad'); });
 * expect(crashed).toMatchObject({ tag: 'error', cause: expect.any(RangeError) });
 * ```
 */
export type ExitReason =
  | 'normal' // done; linked processes that do not trap exits are unaffected
  | 'shutdown' // asked to stop by its supervisor or application
  | 'kill' // it exited itself with 'kill'; over a link this reason can be trapped
  | 'killed' // it was sent exit(pid, 'kill'), which cannot be trapped
  | 'noproc' // the target did not exist when linked, monitored or called
  | 'noconnection' // the connection to the node the process lived on was lost
  | { readonly tag: 'shutdown'; readonly detail: unknown }
  | { readonly tag: 'error'; readonly cause: unknown } // a callback threw or rejected
  | { readonly tag: 'exit'; readonly value: unknown }; // exit(pid, anything else)

/**
 * The tag of a well-formed tagged reason, read once, or undefined for any other value. Never
 * throws: a value whose `tag` cannot be read (a revoked Proxy, a throwing getter) has none.
 */
function tagOf(value: unknown): 'shutdown' | 'error' | 'exit' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    const tag = (value as { tag?: unknown }).tag;
    if ((tag === 'shutdown' && 'detail' in value) || (tag === 'error' && 'cause' in value) || (tag === 'exit' && 'value' in value)) return tag;
  } catch {
    // not a reason we can read
  }
  return undefined;
}

/**
 * Normalises any value into an {@link ExitReason}: well-known strings and tagged reasons are kept
 * as they are, anything else is wrapped as `{ tag: 'exit', value }`. Never throws, whatever the
 * value.
 *
 * @example
 * ```ts
 * import { toExitReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(toExitReason('shutdown')).toBe('shutdown');
 * expect(toExitReason('boom')).toEqual({ tag: 'exit', value: 'boom' });
 * expect(toExitReason({ tag: 'shutdown', detail: 'drained' })).toEqual({ tag: 'shutdown', detail: 'drained' });
 * ```
 */
export function toExitReason(value: unknown): ExitReason {
  if (typeof value === 'string') {
    if (value === 'normal' || value === 'shutdown' || value === 'kill' || value === 'killed' || value === 'noproc' || value === 'noconnection') return value;
  } else if (tagOf(value) !== undefined) {
    return value as ExitReason;
  }
  return { tag: 'exit', value };
}

/**
 * `true` for exits that are not crashes: no error log, no 'transient' restart.
 *
 * Only `'normal'`, `'shutdown'` and `{ tag: 'shutdown' }` are expected, as in OTP. At the process
 * level `'shutdown'` still kills linked processes that do not trap exits; only `'normal'` is
 * harmless to them. It takes any value and never throws: anything else (`null`, a revoked Proxy,
 * an object whose `tag` getter throws) is not an expected exit.
 *
 * @example
 * ```ts
 * import { isExpectedExit } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(isExpectedExit({ tag: 'shutdown', detail: 'drained' })).toBe(true);
 * expect(isExpectedExit({ tag: 'error', cause: new Error('boom') })).toBe(false);
 * expect(isExpectedExit(null)).toBe(false);
 * ```
 */
export function isExpectedExit(reason: unknown): boolean {
  if (reason === 'normal' || reason === 'shutdown') return true;
  return typeof reason === 'object' && reason !== null && read(reason, 'tag') === 'shutdown';
}

/** Longest rendering of an object or an array; a longer one is cut and ends in `...`. */
const OBJECT_LIMIT = 80;
/** Objects nested deeper than this are shown as `[Object]` or `[Array]`. */
const DEPTH_LIMIT = 4;
/** What {@link read} returns for a property whose getter threw. */
const THREW: unique symbol = Symbol('threw');

/** `obj[key]`, or {@link THREW} when reading it throws. */
function read(obj: object, key: PropertyKey): unknown {
  try {
    return (obj as Record<PropertyKey, unknown>)[key];
  } catch {
    return THREW;
  }
}

/**
 * Describes a Proxy whose most basic operation throws, or undefined for any other object: only a
 * Proxy (revoked, or with a throwing trap) can fail `getPrototypeOf`.
 */
function failingProxy(value: object): string | undefined {
  try {
    Reflect.getPrototypeOf(value);
    return undefined;
  } catch (error) {
    try {
      return error instanceof TypeError && error.message.includes('revoked') ? '[revoked Proxy]' : '[Proxy with a throwing trap]';
    } catch {
      return '[Proxy with a throwing trap]';
    }
  }
}

function isError(value: object): boolean {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

/** One value as text; `seen` holds the objects being rendered around it, outermost first. */
function render(value: unknown, seen: object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
    case 'symbol':
    case 'undefined':
      return String(value); // String() of a symbol does not call its toString
    case 'function': {
      const proxy = failingProxy(value);
      if (proxy !== undefined) return proxy;
      const name = read(value, 'name');
      return `function ${typeof name === 'string' && name !== '' ? name : '(anonymous)'}`;
    }
    default:
      return value === null ? 'null' : renderObject(value as object, seen);
  }
}

function renderObject(value: object, seen: object[]): string {
  const proxy = failingProxy(value);
  if (proxy !== undefined) return proxy;
  if (seen.includes(value)) return '[Circular]';
  if (isError(value)) return `${errorField(value, 'name')}: ${errorField(value, 'message')}`;
  const text = renderData(value, seen);
  return seen.length === 0 && text.length > OBJECT_LIMIT ? `${text.slice(0, OBJECT_LIMIT - 3)}...` : text;
}

/** An object as JSON would show it (through its toJSON, if it has one), guarding every step. */
function renderData(value: object, seen: object[]): string {
  const toJSON = read(value, 'toJSON');
  if (toJSON === THREW) return '[object with a throwing getter]';
  if (typeof toJSON === 'function') {
    let json: unknown;
    try {
      json = (toJSON as (key: string) => unknown).call(value, '');
    } catch {
      return '[object with a throwing toJSON]';
    }
    if (json !== value) return render(json, [...seen, value]);
  }
  if (seen.length >= DEPTH_LIMIT) return Array.isArray(value) ? '[Array]' : '[Object]';
  seen.push(value);
  try {
    return Array.isArray(value) ? renderItems(value, seen) : renderEntries(value, seen);
  } catch {
    return '[object that cannot be enumerated]'; // a Proxy whose ownKeys or get trap throws
  } finally {
    seen.pop();
  }
}

function renderItems(items: readonly unknown[], seen: object[]): string {
  let text = '[';
  for (let i = 0; i < items.length; i++) {
    if (text.length > OBJECT_LIMIT) return `${text}...]`; // the rest would be cut anyway
    text += `${i === 0 ? '' : ','}${renderRead(read(items, i), seen)}`;
  }
  return `${text}]`;
}

function renderEntries(obj: object, seen: object[]): string {
  let text = '{';
  let first = true;
  for (const key of Object.keys(obj)) {
    if (text.length > OBJECT_LIMIT) return `${text}...}`;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${renderRead(read(obj, key), seen)}`;
    first = false;
  }
  return `${text}}`;
}

function renderRead(value: unknown, seen: object[]): string {
  return value === THREW ? '[throwing getter]' : render(value, seen);
}

/** A field of a reason as text, whatever its getter does. */
function describeField(reason: object, key: string): string {
  const value = read(reason, key);
  return value === THREW ? '[throwing getter]' : describeValue(value);
}

function errorField(error: object, key: 'name' | 'message'): string {
  const value = read(error, key);
  if (value === THREW) return '[throwing getter]';
  return typeof value === 'string' ? value : render(value, [error]);
}

/**
 * @internal Renders any value in one line for messages and logs, and never throws: a revoked Proxy is
 * `[revoked Proxy]`, a getter that throws `[throwing getter]`, a circular reference `[Circular]`.
 * Strings are quoted, errors are `Name: message`, objects and arrays are JSON-like and cut at 80
 * characters.
 */
export function describeValue(value: unknown): string {
  try {
    return render(value, []);
  } catch {
    return '[value that cannot be described]'; // every step above guards itself; this is the last net
  }
}

/** @internal `value` as it reads in a message: a string as it is, anything else described. Never throws. */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : describeValue(value);
}

/**
 * A one-line rendering of an exit reason, for messages and logs.
 *
 * It takes any value the API hands out as a reason (an {@link ExitReason}, a call's `'timeout'`
 * or `'calling_self'`, the `unknown` reason of a failed start) and any other value, and never
 * throws: a value it cannot read is shown as `[revoked Proxy]`, `[throwing getter]` and the like.
 *
 * @example
 * ```ts
 * import { formatReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(formatReason('killed')).toBe('killed');
 * expect(formatReason({ tag: 'exit', value: 'boom' })).toBe('"boom"');
 * expect(formatReason({ tag: 'error', cause: new TypeError('bad') })).toBe('error (TypeError: bad)');
 * expect(formatReason('timeout')).toBe('timeout');
 * expect(formatReason(undefined)).toBe('undefined');
 * ```
 */
export function formatReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  switch (tagOf(reason)) {
    case 'shutdown':
      return `shutdown (${describeField(reason as object, 'detail')})`;
    case 'error':
      return `error (${describeField(reason as object, 'cause')})`;
    case 'exit':
      return describeField(reason as object, 'value');
    case undefined:
      return describeValue(reason);
  }
}
