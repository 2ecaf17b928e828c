import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, Supervisor, type Context, type Pid, type Runtime } from 'ts-otp';
import { assertReceive } from 'ts-otp/testing';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { memoryLogger, useRuntime } from '../support/runtime.js';
import { childPid, crash, exitChild, Trace, wspec } from '../support/supervisor.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

// Reasons appear in records as formatReason writes them: exit value 'boom' is '"boom"'.

/** The supervisor's own records (the workers' GenServer reports are left out). */
const supervisorRecords = (): Array<Record<string, unknown>> => log.records.filter((r) => String(r['label']).startsWith('supervisor.'));

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec, name?: string): Promise<Pid> {
  return pidOf(await Supervisor.start(spec, name === undefined ? { runtime: rt } : { runtime: rt, name }));
}

describe("'supervisor.child_terminated'", () => {
  it('is an error record naming the supervisor, the child, its reason and restart type', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    const a = await childPid(sup, 'a');
    await exitChild(rt, sup, 'a', 'boom');
    expect(supervisorRecords()).toEqual([
      expect.objectContaining({ level: 50, label: 'supervisor.child_terminated', supervisor: sup, id: 'a', reason: '"boom"', restart: 'permanent', msg: expect.stringContaining('a') }),
      expect.objectContaining({ level: 30, label: 'supervisor.child_restarted', supervisor: sup, id: 'a' }),
    ]);
    expect(a).not.toBe(await childPid(sup, 'a'));
  });

  it.each([
    ['permanent', 'normal', true],
    ['permanent', 'shutdown', true],
    ['transient', 'normal', false],
    ['transient', 'shutdown', false],
    ['transient', { tag: 'shutdown', detail: 'x' }, false],
    ['transient', 'boom', true],
    ['temporary', 'normal', false],
    ['temporary', 'boom', true],
  ] as const)('a %s child exiting with %j is reported: %s (as OTP)', async (restart, reason, reported) => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { intensity: 5, children: [wspec(trace, 'w', {}, { restart })] });
    await exitChild(rt, sup, 'w', reason);
    const terminated = supervisorRecords().filter((r) => r['label'] === 'supervisor.child_terminated');
    expect(terminated.length).toBe(reported ? 1 : 0);
  });

  it('names a registered supervisor by its name', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] }, 'named_sup');
    await exitChild(rt, sup, 'a', 'boom');
    expect(supervisorRecords()[0]).toMatchObject({ supervisor: 'named_sup' });
  });
});

describe('DynamicSupervisor reports', () => {
  it("name the child by the id it was started with, and by none when it had none (Elixir's id: :undefined)", async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    const worker = (id?: string): DynamicSupervisor.DynamicChildSpec => ({
      ...(id === undefined ? {} : { id }),
      restart: 'temporary',
      start: (ctx: Context) => ({ type: 'ok', pid: ctx.spawnLink((p) => p.receive()) }),
    });
    const named = await DynamicSupervisor.startChild(sup, worker('job-1'));
    const anonymous = await DynamicSupervisor.startChild(sup, worker());
    for (const started of [named, anonymous]) {
      const pid = (started as { pid: Pid }).pid;
      const w = await watch(rt, [pid]);
      rt.exit(pid, 'boom');
      await w.down(pid);
    }
    await DynamicSupervisor.countChildren(sup); // answered after both EXITs
    const records = supervisorRecords();
    expect(records.map((r) => [r['label'], r['id'], r['pid']])).toEqual([
      ['supervisor.child_terminated', 'job-1', (named as { pid: Pid }).pid],
      ['supervisor.child_terminated', undefined, (anonymous as { pid: Pid }).pid],
    ]);
    expect(records[1]!['msg']).toBe(`child ${(anonymous as { pid: Pid }).pid} terminated: "boom"`);
  });
});

describe("'supervisor.start_error'", () => {
  it('is reported when a child fails to start at init', async () => {
    const rt = runtime();
    const trace = new Trace();
    const result = await Supervisor.start({ children: [wspec(trace, 'a'), wspec(trace, 'b', { init: { stop: 'bad' } })] }, { runtime: rt });
    expect(result).toMatchObject({ type: 'error', reason: { detail: { id: 'b' } } });
    expect(supervisorRecords()).toEqual([expect.objectContaining({ level: 50, label: 'supervisor.start_error', id: 'b', reason: '"bad"', msg: 'child b failed to start: "bad"' })]);
  });

  it('is reported for each failed restart attempt', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { intensity: 5, children: [wspec(trace, 'a', { init: { failOn: [2, 3] } })] });
    crash(await childPid(sup, 'a'), 'boom');
    await trace.until('start a', 4);
    await Supervisor.countChildren(sup);
    expect(supervisorRecords().map((r) => [r['label'], r['id']])).toEqual([
      ['supervisor.child_terminated', 'a'],
      ['supervisor.start_error', 'a'],
      ['supervisor.start_error', 'a'],
      ['supervisor.child_restarted', 'a'],
    ]);
    expect(rt.isAlive(sup)).toBe(true);
  });
});

describe("'supervisor.shutdown'", () => {
  it('is reported with reason reached_max_restart_intensity when the supervisor gives up', async () => {
    const rt = runtime();
    const trace = new Trace();
    const parent = rt.inbox();
    parent.trapExit(true);
    const sup = pidOf(await Supervisor.startLink(parent, { intensity: 0, children: [wspec(trace, 'a')] }));
    crash(await childPid(sup, 'a'), 'boom');
    await assertReceive(parent, { type: 'EXIT', from: sup, reason: 'shutdown' });
    expect(supervisorRecords()).toEqual([
      expect.objectContaining({ label: 'supervisor.child_terminated', id: 'a' }),
      expect.objectContaining({ level: 50, label: 'supervisor.shutdown', supervisor: sup, reason: 'reached_max_restart_intensity' }),
    ]);
  });

  it('is not reported for an orderly stop or an auto shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a'), wspec(trace, 'b')] });
    await Supervisor.stop(sup);
    const auto = await startSup(rt, { autoShutdown: 'any_significant', children: [wspec(trace, 's', {}, { restart: 'transient', significant: true })] });
    const w = await watch(rt, [auto]);
    crash(await childPid(auto, 's'), 'normal');
    expect(await w.down(auto)).toBe('shutdown');
    expect(log.records).toEqual([]);
  });
});

describe("'supervisor.shutdown_error'", () => {
  it('is reported when a child stopped by its supervisor exits with another reason than shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [{ ...wspec(trace, 'odd'), start: (ctx) => ({ type: 'ok', pid: ctx.spawnLink(async (p) => (p.trapExit(true), await p.receive(), p.exit('odd'))) }) }] });
    await rt.settle();
    expect(await Supervisor.terminateChild(sup, 'odd')).toEqual({ type: 'ok' });
    expect(supervisorRecords()).toEqual([expect.objectContaining({ level: 50, label: 'supervisor.shutdown_error', id: 'odd', reason: '"odd"' })]);
  });
});

describe('when supervisor reports are not written, as OTP 25', () => {
  const child = (id: string, body: Parameters<Context['spawnLink']>[0], extra: Partial<Supervisor.ChildSpec> = {}): Supervisor.ChildSpec => ({
    id,
    start: (sup) => ({ type: 'ok', pid: sup.spawnLink(body) }),
    ...extra,
  });

  it('a failed startChild is the caller’s result, not a start_error report', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [] });
    const failing: Supervisor.ChildSpec = { id: 'f', start: () => ({ type: 'error', reason: 'nope' }) };
    expect(await Supervisor.startChild(sup, failing)).toEqual({ type: 'error', reason: 'nope' });
    expect(supervisorRecords()).toEqual([]);
  });

  it('a child killed after its shutdown timeout is a shutdown_error with reason killed', async () => {
    const rt = runtime();
    // shutdown 0: the wait for its DOWN times out at once, so no clock needs to move
    const sup = await startSup(rt, { children: [child('stuck', async (ctx) => (ctx.trapExit(true), await new Promise(() => {})), { shutdown: 0 })] });
    expect(await Supervisor.terminateChild(sup, 'stuck')).toEqual({ type: 'ok' });
    expect(supervisorRecords()).toEqual([expect.objectContaining({ label: 'supervisor.shutdown_error', id: 'stuck', reason: 'killed' })]);
  });

  it('a transient child that ends normally when told to stop is no shutdown_error', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [child('t', async (ctx) => (ctx.trapExit(true), await ctx.receive(), undefined), { restart: 'transient' })] });
    expect(await Supervisor.terminateChild(sup, 't')).toEqual({ type: 'ok' });
    expect(supervisorRecords()).toEqual([]);
  });
});
