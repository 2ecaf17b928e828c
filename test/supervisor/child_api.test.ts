import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Supervisor, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';
import { childPid, crash, Trace, wspec, idle } from '../support/supervisor.js';

const runtime = useRuntime();

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec, name?: string): Promise<Pid> {
  return pidOf(await Supervisor.start(spec, name === undefined ? { runtime: rt } : { runtime: rt, name }));
}

const returning = (id: string, result: () => unknown, fields: Partial<Supervisor.ChildSpec> = {}): Supervisor.ChildSpec => ({
  id,
  start: () => result() as Supervisor.ChildStartResult,
  ...fields,
});

describe('startChild', () => {
  it('starts the child linked to the supervisor and adds it newest first', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    const started = await Supervisor.startChild(sup, wspec(trace, 'b'));
    expect(started).toEqual({ type: 'ok', pid: expect.any(String) });
    const b = (started as { pid: Pid }).pid;
    expect(rt.processInfo(b)?.links).toEqual([sup]);
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('returns already_started for a running id and already_present for a stopped one, starting nothing', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    const a = await childPid(sup, 'a');
    expect(await Supervisor.startChild(sup, wspec(trace, 'a'))).toEqual({ type: 'error', reason: { tag: 'already_started', pid: a } });
    await Supervisor.terminateChild(sup, 'a');
    expect(await Supervisor.startChild(sup, wspec(trace, 'a'))).toEqual({ type: 'error', reason: 'already_present' });
    expect(trace.count('start a')).toBe(1);
  });

  it('returns the start error and keeps no spec of a child that failed to start', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    expect(await Supervisor.startChild(sup, returning('bad', () => ({ type: 'error', reason: 'nope' })))).toEqual({ type: 'error', reason: 'nope' });
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
  });

  it('turns a start that throws into { tag: error, cause } and one that returns garbage into bad_return_value', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    const oops = new Error('oops');
    const thrown = await Supervisor.startChild(sup, {
      id: 'thrower',
      start: () => {
        throw oops;
      },
    });
    expect(thrown).toEqual({ type: 'error', reason: { tag: 'error', cause: oops } });
    expect(await Supervisor.startChild(sup, returning('weird', () => 'weird'))).toEqual({ type: 'error', reason: { tag: 'exit', value: { bad_return_value: 'weird' } } });
    expect(await Supervisor.startChild(sup, returning('nopid', () => ({ type: 'ok', pid: 42 })))).toMatchObject({ type: 'error' });
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    expect(rt.isAlive(sup)).toBe(true);
  });

  it('awaits an asynchronous start', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    const started = await Supervisor.startChild(sup, { id: 'later', start: async (ctx) => (await Promise.resolve(), idle(ctx)) });
    expect(started).toMatchObject({ type: 'ok' });
  });

  it('returns { ok, undefined } for a start that returns ignore, keeping the spec unless the child is temporary', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    const ignore = () => ({ type: 'ignore' });
    expect(await Supervisor.startChild(sup, returning('kept', ignore))).toEqual({ type: 'ok', pid: undefined });
    expect(await Supervisor.startChild(sup, returning('gone', ignore, { restart: 'temporary' }))).toEqual({ type: 'ok', pid: undefined });
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'kept', pid: undefined, type: 'worker' }]);
  });
});

describe('ignore at init', () => {
  it('keeps the spec of an ignored permanent or transient child and drops an ignored temporary one, as OTP does', async () => {
    const rt = runtime();
    const ignore = () => ({ type: 'ignore' });
    const sup = await startSup(rt, {
      children: [{ id: 'a', start: idle }, returning('perm', ignore), returning('temp', ignore, { restart: 'temporary' }), returning('trans', ignore, { restart: 'transient' })],
    });
    expect((await Supervisor.whichChildren(sup)).map((c) => [c.id, c.pid === undefined])).toEqual([
      ['trans', true],
      ['perm', true],
      ['a', false],
    ]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 1, supervisors: 0, workers: 3 });
  });
});

describe('terminateChild', () => {
  it('stops the child and keeps its spec; a temporary child loses its spec', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'p'), wspec(trace, 't', {}, { restart: 'temporary' })] });
    expect(await Supervisor.terminateChild(sup, 'p')).toEqual({ type: 'ok' });
    expect(await Supervisor.terminateChild(sup, 't')).toEqual({ type: 'ok' });
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'p', pid: undefined, type: 'worker' }]);
    expect(trace.lines).toEqual(['start p', 'start t', 'stop p shutdown', 'stop t shutdown']);
  });

  it('returns ok again for a child that is already stopped, and not_found for an unknown id or a pid', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    const a = await childPid(sup, 'a');
    expect(await Supervisor.terminateChild(sup, a)).toEqual({ type: 'error', reason: 'not_found' });
    expect(rt.isAlive(a)).toBe(true);
    expect(await Supervisor.terminateChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(await Supervisor.terminateChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(await Supervisor.terminateChild(sup, 'zzz')).toEqual({ type: 'error', reason: 'not_found' });
  });

  it('does not restart the child it stopped', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    await Supervisor.terminateChild(sup, 'a');
    await rt.settle();
    expect(trace.count('start a')).toBe(1);
    expect(await Supervisor.countChildren(sup)).toMatchObject({ specs: 1, active: 0 });
  });
});

describe('restartChild', () => {
  it('starts a stopped child from its spec; running and not_found otherwise', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    expect(await Supervisor.restartChild(sup, 'a')).toEqual({ type: 'error', reason: 'running' });
    expect(await Supervisor.restartChild(sup, 'zzz')).toEqual({ type: 'error', reason: 'not_found' });
    await Supervisor.terminateChild(sup, 'a');
    const restarted = await Supervisor.restartChild(sup, 'a');
    expect(restarted).toEqual({ type: 'ok', pid: await childPid(sup, 'a') });
    expect(trace.count('start a')).toBe(2);
  });

  it('returns the start error and keeps the spec, stopped, when the start fails', async () => {
    const rt = runtime();
    let fail = false;
    const sup = await startSup(rt, { children: [{ id: 'a', start: (ctx) => (fail ? { type: 'error', reason: 'nope' } : idle(ctx)) }] });
    await Supervisor.terminateChild(sup, 'a');
    fail = true;
    expect(await Supervisor.restartChild(sup, 'a')).toEqual({ type: 'error', reason: 'nope' });
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'a', pid: undefined, type: 'worker' }]);
  });

  it('returns { ok, undefined } when the start returns ignore', async () => {
    const rt = runtime();
    let ignore = false;
    const sup = await startSup(rt, { children: [{ id: 'a', start: (ctx) => (ignore ? { type: 'ignore' } : idle(ctx)) }] });
    await Supervisor.terminateChild(sup, 'a');
    ignore = true;
    expect(await Supervisor.restartChild(sup, 'a')).toEqual({ type: 'ok', pid: undefined });
  });

  it('restarts a transient child that finished normally', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 't', {}, { restart: 'transient' })] });
    const t = await childPid(sup, 't');
    const w = await watch(rt, [t]);
    crash(t, 'normal');
    await w.down(t);
    expect(await Supervisor.restartChild(sup, 't')).toMatchObject({ type: 'ok' });
    expect(trace.count('start t')).toBe(2);
  });
});

describe('deleteChild', () => {
  it('removes a stopped child; running and not_found otherwise', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a'), wspec(trace, 'b')] });
    expect(await Supervisor.deleteChild(sup, 'a')).toEqual({ type: 'error', reason: 'running' });
    await Supervisor.terminateChild(sup, 'a');
    expect(await Supervisor.deleteChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(await Supervisor.deleteChild(sup, 'a')).toEqual({ type: 'error', reason: 'not_found' });
    expect(await Supervisor.restartChild(sup, 'a')).toEqual({ type: 'error', reason: 'not_found' });
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['b']);
    // The id is free again.
    expect(await Supervisor.startChild(sup, wspec(trace, 'a'))).toMatchObject({ type: 'ok' });
  });
});

describe('whichChildren and countChildren', () => {
  it('list every spec newest first with its pid and type, and count specs, running children, supervisors and workers', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a'), Supervisor.supervisor('inner', { children: [wspec(trace, 'w')] }), wspec(trace, 'b')] });
    await Supervisor.terminateChild(sup, 'b');
    const listed = await Supervisor.whichChildren(sup);
    expect(listed).toEqual([
      { id: 'b', pid: undefined, type: 'worker' },
      { id: 'inner', pid: expect.any(String), type: 'supervisor' },
      { id: 'a', pid: expect.any(String), type: 'worker' },
    ]);
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 3, active: 2, supervisors: 1, workers: 2 });
    expect(await Supervisor.countChildren(listed[1]!.pid as Pid)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
  });
});

describe('references and arguments', () => {
  it('reaches a supervisor registered under a name through Supervisor.named', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] }, 'top_sup');
    expect(rt.whereis('top_sup')).toBe(sup);
    const ref = Supervisor.named('top_sup', rt);
    expect((await Supervisor.whichChildren(ref)).map((c) => c.id)).toEqual(['a']);
    expect(await Supervisor.startChild(ref, wspec(trace, 'b'))).toMatchObject({ type: 'ok' });
    await Supervisor.stop(ref);
    expect(rt.whereis('top_sup')).toBeUndefined();
  });

  it('returns already_started when the name is taken', async () => {
    const rt = runtime();
    const first = await startSup(rt, { children: [] }, 'taken');
    expect(await Supervisor.start({ children: [] }, { runtime: rt, name: 'taken' })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: first } });
  });

  it.each([
    ['terminateChild', (sup: Pid) => Supervisor.terminateChild(sup, 42 as never)],
    ['restartChild', (sup: Pid) => Supervisor.restartChild(sup, undefined as never)],
    ['deleteChild', (sup: Pid) => Supervisor.deleteChild(sup, {} as never)],
  ])('%s throws an InvalidArgumentError for an id that is not a string', async (_name, call) => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    expect(() => call(sup)).toThrow(InvalidArgumentError);
  });

  it('rejects calls to a supervisor that is gone with noproc', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    await Supervisor.stop(sup);
    await expect(Supervisor.whichChildren(sup)).rejects.toMatchObject({ reason: 'noproc' });
  });
});
