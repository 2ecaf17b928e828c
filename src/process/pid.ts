/**
 * Pids and refs: the identities of processes, monitors and timers.
 *
 * Both are branded strings, so they are cheap to compare with `===`, to use as Map keys and to
 * log. A pid prints like Erlang's, `<0.42.0>`: the first number is the runtime (0 for the
 * default runtime), the second a serial that is never reused within that runtime. A ref prints
 * like `#Ref<0.7>`. Registered names are plain strings that do not start with `<` or `#`.
 *
 * @module
 */

declare const pidBrand: unique symbol;
declare const refBrand: unique symbol;

/**
 * A process identifier, such as `<0.42.0>`. Unique within its runtime and never reused.
 *
 * @example
 * ```ts
 * import { Runtime, type Pid } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const a: Pid = rt.spawn(() => {});
 * const b: Pid = rt.spawn(() => {});
 * expect(a).toMatch(/^<\d+\.\d+\.0>$/);
 * expect(a === b).toBe(false);
 * await rt.settle();
 * ```
 */
export type Pid = string & { readonly [pidBrand]: true };

/**
 * A unique reference: names a monitor or a timer, such as `#Ref<0.7>`.
 *
 * @example
 * ```ts
 * import { Runtime, type Ref } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const refs: Ref[] = await rt.run((ctx) => [ctx.monitor('nobody'), ctx.monitor('nobody')]);
 * expect(refs[0]).not.toBe(refs[1]);
 * ```
 */
export type Ref = string & { readonly [refBrand]: true };

/**
 * A registered name on a node: Erlang's `{Name, Node}`. `send`, `monitor` and `GenServer.named`
 * accept it once the runtime is a node (see `Node.start`); a send to a name nobody holds there,
 * or to a node that is not connected, is dropped silently, as in Erlang.
 *
 * @example
 * ```ts
 * import type { RemoteName } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const db: RemoteName = { name: 'db', node: 'store@host' };
 * expect(db.node).toBe('store@host');
 * ```
 */
export interface RemoteName {
  readonly name: string;
  readonly node: string;
}

/** @internal whether `value` is a {@link RemoteName} */
export function isRemoteName(value: unknown): value is RemoteName {
  if (typeof value !== 'object' || value === null) return false;
  const { name, node } = value as Partial<RemoteName>;
  return isValidName(name) && typeof node === 'string';
}

const pidPattern = /^<(\d+)\.(\d+)\.0>$/;
const refPattern = /^#Ref<(\d+)\.(\d+)>$/;

/**
 * `true` when `value` has the form of a pid. It says nothing about whether the process lives.
 *
 * @example
 * ```ts
 * import { isPid, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn(() => {});
 * expect(isPid(pid)).toBe(true);
 * expect(isPid('worker')).toBe(false);
 * await rt.settle();
 * ```
 */
export function isPid(value: unknown): value is Pid {
  return typeof value === 'string' && pidPattern.test(value);
}

/**
 * `true` when `value` has the form of a ref (a monitor's or a timer's).
 *
 * @example
 * ```ts
 * import { isRef, Runtime } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const { ref } = await rt.run((ctx) => ctx.spawnMonitor(() => {}));
 * expect(isRef(ref)).toBe(true);
 * expect(isRef('<0.1.0>')).toBe(false);
 * await rt.settle();
 * ```
 */
export function isRef(value: unknown): value is Ref {
  return typeof value === 'string' && refPattern.test(value);
}

/** @internal The runtime number a well-formed pid or ref belongs to, or -1 for a malformed one. */
export function runtimeOf(value: string, kind: 'pid' | 'ref'): number {
  const m = (kind === 'pid' ? pidPattern : refPattern).exec(value);
  return m === null ? -1 : Number(m[1]);
}

/**
 * `true` when `value` can be a registered name: a non-empty string that does not look like a pid
 * or a ref and is not `'undefined'` (Erlang refuses that atom as a name too).
 *
 * @example
 * ```ts
 * import { isValidName } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(isValidName('worker')).toBe(true);
 * expect(isValidName('')).toBe(false);
 * expect(isValidName('<0.1.0>')).toBe(false);
 * ```
 */
export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value !== 'undefined' && value[0] !== '<' && value[0] !== '#';
}
