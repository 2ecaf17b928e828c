/**
 * Via names: a name held by a registry of your choice, Erlang's `{via, Module, Name}`.
 *
 * A {@link Via} pairs a {@link ViaModule} (the registry: how to find, register and unregister a
 * name) with the name itself. The kernel, GenServer and the supervisors accept one wherever they
 * accept a registered name, without knowing which registry is behind it: `send` and `whereis`
 * ask the module's `whereisName` at each use, a monitor watches the process found then, and a
 * GenServer started with a via name registers itself through `registerName` before its init
 * runs. `Registry.via(registry, key)` makes one; any object of this shape works.
 *
 * Where Node differs from Erlang: Erlang's `send` and `monitor` refuse a via tuple (only the
 * behaviours take it); here they accept it, resolving the name once at the call.
 *
 * @module
 */
import type { Pid } from './pid.js';

/**
 * A registry of names, as a via name's module: Erlang's `register_name/2`, `unregister_name/1`
 * and `whereis_name/1`. Sending to a via name asks `whereisName` and sends to that pid.
 *
 * @example
 * ```ts
 * import { Runtime, type Pid, type ViaModule } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const names = new Map<string, Pid>();
 * const mapModule: ViaModule<string> = {
 *   whereisName: (name) => names.get(name),
 *   registerName: (name, pid) => !names.has(name) && names.set(name, pid) !== undefined,
 *   unregisterName: (name) => void names.delete(name),
 * };
 * const rt = new Runtime();
 * const pid = rt.spawn((ctx) => ctx.receive());
 * expect(mapModule.registerName('worker', pid)).toBe(true);
 * expect(rt.whereis({ via: mapModule, name: 'worker' })).toBe(pid);
 * rt.killAll();
 * ```
 */
export interface ViaModule<N = unknown> {
  /** The live process registered under `name`, or undefined. */
  whereisName(name: N): Pid | undefined;
  /**
   * Registers `pid` under `name`: `true`, or `false` when the name is taken (Erlang's `yes` / `no`).
   * A registry that needs a round of messages (`Global.via`) answers with a promise of it.
   */
  registerName(name: N, pid: Pid): boolean | Promise<boolean>;
  /** Removes `name`; nothing happens when nobody holds it. */
  unregisterName(name: N): void;
}

/**
 * A name held by a {@link ViaModule}: Erlang's `{via, Module, Name}`.
 *
 * @example
 * ```ts
 * import { isVia, Registry, Runtime, type Via } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await Registry.start({ keys: 'unique', name: 'rooms', runtime: rt });
 * const lobby: Via = Registry.via(Registry.named<string, null>('rooms', rt), 'lobby');
 * expect(isVia(lobby)).toBe(true);
 * expect(rt.whereis(lobby)).toBeUndefined();
 * rt.killAll();
 * ```
 */
export interface Via<N = unknown> {
  readonly via: ViaModule<N>;
  readonly name: N;
}

/**
 * `true` when `value` has the shape of a {@link Via}: an object whose `via` has the three methods.
 *
 * @example
 * ```ts
 * import { isVia } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const via = { whereisName: () => undefined, registerName: () => false, unregisterName: () => {} };
 * expect(isVia({ via, name: 'a' })).toBe(true);
 * expect(isVia('a')).toBe(false);
 * expect(isVia({ name: 'a', node: 'n@h' })).toBe(false);
 * ```
 */
export function isVia(value: unknown): value is Via {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const via = (value as { via?: unknown }).via;
    return (
      typeof via === 'object' &&
      via !== null &&
      typeof (via as ViaModule).whereisName === 'function' &&
      typeof (via as ViaModule).registerName === 'function' &&
      typeof (via as ViaModule).unregisterName === 'function'
    );
  } catch {
    return false; // a revoked Proxy or a throwing getter: not a via name
  }
}
