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
 * Normalises any value into an {@link ExitReason}: well-known strings and tagged reasons are kept
 * as they are, anything else is wrapped as `{ tag: 'exit', value }`.
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
  } else if (typeof value === 'object' && value !== null) {
    try {
      const tag = (value as { tag?: unknown }).tag;
      if ((tag === 'shutdown' && 'detail' in value) || (tag === 'error' && 'cause' in value) || (tag === 'exit' && 'value' in value)) {
        return value as ExitReason;
      }
    } catch {
      // A throwing getter or a revoked Proxy: wrapped like any other value that is not a reason.
    }
  }
  return { tag: 'exit', value };
}

/**
 * `true` for exits that are not crashes: no error log, no 'transient' restart.
 *
 * Only `'normal'`, `'shutdown'` and `{ tag: 'shutdown' }` are expected, as in OTP. At the process
 * level `'shutdown'` still kills linked processes that do not trap exits; only `'normal'` is
 * harmless to them.
 *
 * @example
 * ```ts
 * import { isExpectedExit } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(isExpectedExit({ tag: 'shutdown', detail: 'drained' })).toBe(true);
 * expect(isExpectedExit({ tag: 'error', cause: new Error('boom') })).toBe(false);
 * ```
 */
export function isExpectedExit(reason: ExitReason): boolean {
  return reason === 'normal' || reason === 'shutdown' || (typeof reason === 'object' && reason.tag === 'shutdown');
}

/** Renders a value for messages: short, and never throwing. */
function brief(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * A one-line rendering of an exit reason, for messages and logs.
 *
 * @example
 * ```ts
 * import { formatReason } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(formatReason('killed')).toBe('killed');
 * expect(formatReason({ tag: 'exit', value: 'boom' })).toBe('"boom"');
 * expect(formatReason({ tag: 'error', cause: new TypeError('bad') })).toBe('error (TypeError: bad)');
 * ```
 */
export function formatReason(reason: ExitReason): string {
  if (typeof reason === 'string') return reason;
  switch (reason.tag) {
    case 'shutdown':
      return `shutdown (${brief(reason.detail)})`;
    case 'error':
      return `error (${brief(reason.cause)})`;
    case 'exit':
      return brief(reason.value);
    default:
      return brief(reason);
  }
}

/** @internal */
export { brief as describeValue };
