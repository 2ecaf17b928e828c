import { describe, expect, it } from 'vitest';
import { ChildSpecError, InvalidArgumentError, Next, Supervisor } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { useRuntime } from '../support/runtime.js';
import { idle } from '../support/supervisor.js';

const runtime = useRuntime();

const spec = (id: string, fields: Partial<Supervisor.ChildSpec> = {}): Supervisor.ChildSpec => ({ id, start: idle, ...fields });

/** The ChildSpecError `f` throws; fails the test if it throws anything else or nothing. */
function specError(f: () => unknown): ChildSpecError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ChildSpecError);
    return error as ChildSpecError;
  }
  throw new Error('expected a ChildSpecError');
}

describe('checkChildSpecs', () => {
  it.each([
    ['a spec that is not an object', [42], { child: '#0', field: 'spec', value: 42, reason: 'invalid_child_spec' }],
    ['a missing id', [spec('a'), { start: idle }], { child: '#1', field: 'id', value: undefined, reason: 'invalid_child_id' }],
    ['an empty id', [spec('')], { child: '#0', field: 'id', value: '', reason: 'invalid_child_id' }],
    ['a start that is not a function', [{ id: 'a', start: 'go' }], { child: 'a', field: 'start', value: 'go', reason: 'invalid_mfa' }],
    ['an unknown restart type', [spec('a', { restart: 'sometimes' as never })], { child: 'a', field: 'restart', value: 'sometimes', reason: 'invalid_restart_type' }],
    ['an unknown child type', [spec('a', { type: 'daemon' as never })], { child: 'a', field: 'type', value: 'daemon', reason: 'invalid_child_type' }],
    ['a negative shutdown', [spec('a', { shutdown: -1 })], { child: 'a', field: 'shutdown', value: -1, reason: 'invalid_shutdown' }],
    ['a fractional shutdown', [spec('a', { shutdown: 1.5 })], { child: 'a', field: 'shutdown', value: 1.5, reason: 'invalid_shutdown' }],
    ['a shutdown word OTP does not have', [spec('a', { shutdown: 'never' as never })], { child: 'a', field: 'shutdown', value: 'never', reason: 'invalid_shutdown' }],
    ['a significant flag that is not a boolean', [spec('a', { significant: 1 as never })], { child: 'a', field: 'significant', value: 1, reason: 'invalid_significant' }],
    ['a permanent significant child', [spec('a', { significant: true })], { child: 'a', field: 'significant', value: true, reason: 'bad_combination' }],
    ['a permanent significant child by default', [spec('a', { restart: undefined as never, significant: true })], { child: 'a', field: 'significant', reason: 'bad_combination' }],
    ['an id used twice', [spec('a'), spec('b'), spec('a')], { child: 'a', field: 'id', value: 'a', reason: 'duplicate_child_name' }],
  ] as const)('rejects %s, naming the child and the field', (_title, specs, fields) => {
    const error = specError(() => Supervisor.checkChildSpecs(specs as unknown as Supervisor.ChildSpec[]));
    expect(error).toMatchObject(fields);
    expect(error.message).toContain(`child ${fields.child}: ${fields.field}`);
    expect(error.expected).toEqual(expect.any(String));
  });

  it('accepts every field OTP has, and an empty list', () => {
    expect(Supervisor.checkChildSpecs([])).toBeUndefined();
    expect(
      Supervisor.checkChildSpecs([
        spec('a', { restart: 'transient', shutdown: 0, type: 'worker', significant: true }),
        spec('b', { restart: 'temporary', shutdown: 'brutal_kill', significant: false }),
        spec('c', { shutdown: 'infinity', type: 'supervisor' }),
      ]),
    ).toBeUndefined();
  });

  it('throws an InvalidArgumentError when the children are not an array', () => {
    expect(() => Supervisor.checkChildSpecs({} as never)).toThrow(InvalidArgumentError);
  });
});

describe('a supervisor given a bad spec', () => {
  it('throws at the call and starts no process', async () => {
    const rt = runtime();
    const starts: string[] = [];
    const counted = (id: string): Supervisor.ChildSpec => spec(id, { start: (sup) => (starts.push(id), idle(sup)) });
    const error = specError(() => void Supervisor.start({ children: [counted('a'), counted('b'), counted('a')] }, { runtime: rt }));
    expect(error).toMatchObject({ child: 'a', reason: 'duplicate_child_name' });
    await rt.settle();
    expect(rt.processes()).toEqual([]);
    expect(starts).toEqual([]);
  });

  it('refuses a significant child when autoShutdown is never, as OTP does', async () => {
    const rt = runtime();
    const significant = spec('s', { restart: 'transient', significant: true });
    const error = specError(() => void Supervisor.start({ children: [significant] }, { runtime: rt }));
    expect(error).toMatchObject({ child: 's', field: 'significant', value: true, reason: 'bad_combination' });
    expect(rt.processes()).toEqual([]);
    expect(() => Supervisor.supervisor('inner', { autoShutdown: 'never', children: [significant] })).toThrow(ChildSpecError);
    // Accepted by a supervisor that shuts itself down for it.
    const sup = pidOf(await Supervisor.start({ autoShutdown: 'all_significant', children: [significant] }, { runtime: rt }));
    expect(await Supervisor.countChildren(sup)).toMatchObject({ specs: 1, active: 1 });
  });

  it('startChild throws for a bad spec before the supervisor is asked, and the children stay as they were', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [spec('a')] }, { runtime: rt }));
    const error = specError(() => void Supervisor.startChild(sup, spec('b', { shutdown: -5 })));
    expect(error).toMatchObject({ child: 'b', field: 'shutdown', value: -5 });
    expect(() => Supervisor.startChild(sup, 'b' as never)).toThrow(ChildSpecError);
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['a']);
  });

  it('startChild rejects a significant child of a supervisor whose autoShutdown is never', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    const started: string[] = [];
    const s = spec('s', { restart: 'temporary', significant: true, start: (ctx) => (started.push('s'), idle(ctx)) });
    const error = await Supervisor.startChild(sup, s).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildSpecError);
    expect(error).toMatchObject({ child: 's', field: 'significant', reason: 'bad_combination' });
    expect(started).toEqual([]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });

  it.each([
    ['strategy', { strategy: 'simple_one_for_one' }, 'spec.strategy'],
    ['intensity', { intensity: -1 }, 'spec.intensity'],
    ['period', { period: 0 }, 'spec.period'],
    ['autoShutdown', { autoShutdown: 'sometimes' }, 'spec.autoShutdown'],
  ] as const)('throws an InvalidArgumentError for a bad %s', (_title, flags, argument) => {
    const rt = runtime();
    expect(() => Supervisor.start({ ...(flags as object), children: [] }, { runtime: rt })).toThrow(expect.objectContaining({ argument }));
    expect(() => Supervisor.start({ ...(flags as object), children: [] }, { runtime: rt })).toThrow(InvalidArgumentError);
    expect(rt.processes()).toEqual([]);
  });
});

describe('child spec helpers', () => {
  it('worker makes a GenServer child with the given fields', () => {
    const behaviour = { init: () => Next.ok(0) };
    const w = Supervisor.worker('cache', behaviour, undefined, { restart: 'transient', shutdown: 'brutal_kill', name: 'cache' });
    expect(w).toMatchObject({ id: 'cache', type: 'worker', restart: 'transient', shutdown: 'brutal_kill' });
    expect(w).not.toHaveProperty('name');
    expect(() => Supervisor.checkChildSpecs([w])).not.toThrow();
  });

  it('worker registers the server under its name', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [Supervisor.worker('w', { init: () => Next.ok(0) }, undefined, { name: 'the_worker' })] }, { runtime: rt }));
    const [child] = await Supervisor.whichChildren(sup);
    expect(rt.whereis('the_worker')).toBe(child?.pid);
  });

  it('supervisor makes a supervisor child with shutdown infinity, and checks the nested spec at once', () => {
    expect(Supervisor.supervisor('inner', { children: [] })).toMatchObject({ id: 'inner', type: 'supervisor', shutdown: 'infinity' });
    expect(Supervisor.supervisor('inner', { children: [] }, { shutdown: 500, restart: 'transient' })).toMatchObject({ shutdown: 500, restart: 'transient', type: 'supervisor' });
    expect(specError(() => Supervisor.supervisor('inner', { children: [spec('x'), spec('x')] }))).toMatchObject({ child: 'x', reason: 'duplicate_child_name' });
    expect(() => Supervisor.supervisor('inner', { strategy: 'bogus' as never, children: [] })).toThrow(InvalidArgumentError);
  });
});
