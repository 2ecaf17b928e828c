/**
 * Child specs: checking them before anything starts, their defaults, and helpers that make one.
 *
 * @module
 */
import { ChildSpecError, InvalidArgumentError } from '../errors.js';
import * as GenServer from '../gen_server/index.js';
import type { Context, Via } from '../process/index.js';
import type { ChildSpec, ChildType, RestartType, Shutdown, SupervisorSpec, Strategy, AutoShutdown } from './types.js';

/** A child spec with every default filled in. */
export interface FullChildSpec {
  readonly id: string;
  readonly start: ChildSpec['start'];
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: ChildType;
  readonly significant: boolean;
}

/** Flags with their defaults. */
export interface FullFlags {
  readonly strategy: Strategy;
  readonly intensity: number;
  readonly period: number;
  readonly autoShutdown: AutoShutdown;
}

const RESTARTS: readonly RestartType[] = ['permanent', 'transient', 'temporary'];
const TYPES: readonly ChildType[] = ['worker', 'supervisor'];
const STRATEGIES: readonly Strategy[] = ['one_for_one', 'one_for_all', 'rest_for_one'];
const AUTO: readonly AutoShutdown[] = ['never', 'any_significant', 'all_significant'];

/** Checks one spec and fills in its defaults; throws a ChildSpecError naming the child and the field. */
export function checkChildSpec(spec: unknown, position: number): FullChildSpec {
  const where = `#${position}`;
  if (typeof spec !== 'object' || spec === null) throw new ChildSpecError(where, 'spec', spec, 'invalid_child_spec', 'an object');
  const s = spec as Partial<ChildSpec>;
  if (typeof s.id !== 'string' || s.id.length === 0) throw new ChildSpecError(where, 'id', s.id, 'invalid_child_id', 'a non-empty string');
  const id = s.id;
  if (typeof s.start !== 'function') throw new ChildSpecError(id, 'start', s.start, 'invalid_mfa', 'a function (sup) => start result');
  const restart = s.restart ?? 'permanent';
  if (!RESTARTS.includes(restart)) throw new ChildSpecError(id, 'restart', s.restart, 'invalid_restart_type', RESTARTS.join(' | '));
  const type = s.type ?? 'worker';
  if (!TYPES.includes(type)) throw new ChildSpecError(id, 'type', s.type, 'invalid_child_type', TYPES.join(' | '));
  const shutdown = s.shutdown ?? (type === 'supervisor' ? 'infinity' : 5000);
  if (!(shutdown === 'brutal_kill' || shutdown === 'infinity' || (typeof shutdown === 'number' && Number.isInteger(shutdown) && shutdown >= 0))) {
    throw new ChildSpecError(id, 'shutdown', s.shutdown, 'invalid_shutdown', "'brutal_kill', 'infinity' or an integer of milliseconds >= 0");
  }
  const significant = s.significant ?? false;
  if (typeof significant !== 'boolean') throw new ChildSpecError(id, 'significant', s.significant, 'invalid_significant', 'a boolean');
  if (significant && restart === 'permanent') {
    throw new ChildSpecError(id, 'significant', significant, 'bad_combination', "restart 'transient' or 'temporary' for a significant child");
  }
  return { id, start: s.start, restart, shutdown, type, significant };
}

/**
 * Checks a list of child specs as a supervisor would before starting them: each spec, then that
 * no id appears twice. Returns nothing; throws a {@link ChildSpecError} for the first bad one.
 *
 * @throws {@link ChildSpecError}
 * @example
 * ```ts
 * import { ChildSpecError, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * expect(() => Supervisor.checkChildSpecs([{ id: 'a', start: () => ({ type: 'ignore' }), restart: 'sometimes' as never }])).toThrow(ChildSpecError);
 * expect(Supervisor.checkChildSpecs([{ id: 'a', start: () => ({ type: 'ignore' }) }])).toBeUndefined();
 * ```
 */
export function checkChildSpecs(specs: readonly ChildSpec[]): void {
  checkAll(specs);
}

export function checkAll(specs: unknown): FullChildSpec[] {
  if (!Array.isArray(specs)) throw new InvalidArgumentError('Supervisor', 'children', specs, 'an array of child specs');
  const seen = new Set<string>();
  const out: FullChildSpec[] = [];
  specs.forEach((spec, i) => {
    const full = checkChildSpec(spec, i);
    if (seen.has(full.id)) throw new ChildSpecError(full.id, 'id', full.id, 'duplicate_child_name', 'an id no other child has');
    seen.add(full.id);
    out.push(full);
  });
  return out;
}

/** Checks a supervisor spec's flags and fills in OTP's defaults (intensity 1, period 5). */
export function checkFlags(spec: unknown): FullFlags {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('Supervisor', 'spec', spec, 'an object { strategy?, intensity?, period?, autoShutdown?, children }');
  const s = spec as SupervisorSpec;
  const strategy = s.strategy ?? 'one_for_one';
  if (!STRATEGIES.includes(strategy)) throw new InvalidArgumentError('Supervisor', 'spec.strategy', s.strategy, STRATEGIES.join(' | '));
  const intensity = s.intensity ?? 1;
  if (!Number.isInteger(intensity) || intensity < 0) throw new InvalidArgumentError('Supervisor', 'spec.intensity', s.intensity, 'an integer >= 0');
  const period = s.period ?? 5;
  if (!Number.isInteger(period) || period < 1) throw new InvalidArgumentError('Supervisor', 'spec.period', s.period, 'an integer of seconds >= 1');
  const autoShutdown = s.autoShutdown ?? 'never';
  if (!AUTO.includes(autoShutdown)) throw new InvalidArgumentError('Supervisor', 'spec.autoShutdown', s.autoShutdown, AUTO.join(' | '));
  return { strategy, intensity, period, autoShutdown };
}

/**
 * OTP's check of a child against its supervisor's flags: a significant child needs a supervisor
 * whose `autoShutdown` is not `'never'` (OTP: `{bad_combination, [{auto_shutdown, never}, {significant, true}]}`).
 */
export function checkSignificant(spec: FullChildSpec, autoShutdown: AutoShutdown): ChildSpecError | undefined {
  if (!spec.significant || autoShutdown !== 'never') return undefined;
  return new ChildSpecError(spec.id, 'significant', true, 'bad_combination', "a supervisor with autoShutdown 'any_significant' or 'all_significant' for a significant child");
}

/** Checks a whole supervisor spec: its flags, each child, no id twice, and each child against the flags. */
export function checkSupervisorSpec(spec: unknown): { readonly flags: FullFlags; readonly children: FullChildSpec[] } {
  const flags = checkFlags(spec);
  const children = checkAll((spec as SupervisorSpec).children);
  for (const child of children) {
    const error = checkSignificant(child, flags.autoShutdown);
    if (error !== undefined) throw error;
  }
  return { flags, children };
}

/**
 * Options of {@link worker}: a child spec's fields other than id and start, and the server's name.
 *
 * @example
 * ```ts
 * import { Next, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Supervisor.WorkerOptions = { name: 'cache', restart: 'transient', shutdown: 2000 };
 * const spec = Supervisor.worker('cache', { init: () => Next.ok(0) }, undefined, options);
 * expect(spec).toMatchObject({ id: 'cache', restart: 'transient', shutdown: 2000 });
 * ```
 */
export interface WorkerOptions extends Omit<ChildSpec, 'id' | 'start' | 'type'> {
  /** Register the server under this name. */
  readonly name?: string | Via;
}

/**
 * A child spec for a GenServer, in one line: started with `GenServer.startLink` under the supervisor.
 *
 * @example
 * ```ts
 * import { Next, Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const spec = Supervisor.worker('cache', { init: () => Next.ok(new Map()) }, undefined, { restart: 'transient', name: 'cache' });
 * expect(spec).toMatchObject({ id: 'cache', restart: 'transient', type: 'worker' });
 * ```
 */
export function worker<P extends GenServer.Protocol>(id: string, behaviour: GenServer.Behaviour<P>, arg: GenServer.ArgOf<P>, options: WorkerOptions = {}): ChildSpec {
  const { name, ...fields } = options;
  return {
    ...fields,
    id,
    type: 'worker',
    start: (sup: Context) => GenServer.startLink(sup, behaviour, arg, name === undefined ? {} : { name }),
  };
}
