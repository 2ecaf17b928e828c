/**
 * What a child's crash and restart log, and in which order. OTP 25 (checked with escript and
 * logger at level info, a gen_server child stopping with `boom`): the child's own reports come
 * first (gen_server's "terminating" error, then proc_lib's crash report), then its supervisor's
 * `child_terminated`, then the supervisor's progress report `Started: id=w,pid=<new pid>` at info.
 * A child killed past the restart intensity: `child_terminated`, then `shutdown` with
 * `reached_max_restart_intensity`, and no progress report.
 */
import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, Supervisor, type Context, type Pid } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { memoryLogger, useRuntime } from '../support/runtime.js';
import { childPid, exitChild, Trace, wspec } from '../support/supervisor.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

const labels = (): unknown[] => log.records.map((r) => r['label']);

describe("a child's crash and restart", () => {
  it("logs the GenServer child's own report, then its supervisor's, then the restart at info with the id and new pid", async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = pidOf(await Supervisor.start({ children: [wspec(trace, 'w')] }, { runtime: rt, name: 'top' }));
    const before = await childPid(sup, 'w');
    await exitChild(rt, sup, 'w', 'boom');
    const after = await childPid(sup, 'w');
    expect(labels()).toEqual(['gen_server.terminate', 'supervisor.child_terminated', 'supervisor.child_restarted']);
    expect(log.records[1]).toMatchObject({ pid: before, id: 'w' });
    expect(log.records[2]).toMatchObject({ level: 30, supervisor: 'top', id: 'w', pid: after, msg: `restarted child w as ${after}` });
  });

  // A plain process's crash report is not ordered with its supervisor's: in OTP 25 (checked,
  // a spawn_link'd child calling error(boom)) the emulator's "Error in process" report reaches the
  // logger asynchronously and came before or after the supervisor's child_terminated from run to
  // run; ts-otp writes process.crashed after the step that ended the process.
  it("logs a plain child's crash report, and its supervisor's report before the restart", async () => {
    const rt = runtime();
    const start = (sup: Context): Supervisor.ChildStartResult => ({
      type: 'ok',
      pid: sup.spawnLink(async (ctx) => {
        if ((await ctx.receive()) === 'throw') throw new Error('boom');
      }),
    });
    const sup = pidOf(await Supervisor.start({ children: [{ id: 'p', start }] }, { runtime: rt }));
    const p = await childPid(sup, 'p');
    const w = await watch(rt, [p]);
    rt.send(p, 'throw');
    await w.down(p);
    await Supervisor.countChildren(sup); // answered after the restart
    await rt.settle();
    expect([...labels()].sort()).toEqual(['process.crashed', 'supervisor.child_restarted', 'supervisor.child_terminated']);
    expect(labels().indexOf('supervisor.child_terminated')).toBeLessThan(labels().indexOf('supervisor.child_restarted'));
  });

  it('reports every child a one_for_all restart starts again', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = pidOf(await Supervisor.start({ strategy: 'one_for_all', children: [wspec(trace, 'a'), wspec(trace, 'b')] }, { runtime: rt }));
    await exitChild(rt, sup, 'a', 'boom');
    const restarted = log.records.filter((r) => r['label'] === 'supervisor.child_restarted');
    expect(restarted.map((r) => [r['id'], r['pid']])).toEqual([
      ['a', await childPid(sup, 'a')],
      ['b', await childPid(sup, 'b')],
    ]);
  });

  it("reports a DynamicSupervisor's restart with the child's id, or none", async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    const start = (s: Context): Supervisor.ChildStartResult => ({ type: 'ok', pid: s.spawnLink((ctx) => ctx.receive()) });
    const first = (await DynamicSupervisor.startChild(sup, { start })) as { pid: Pid };
    const w = await watch(rt, [first.pid]);
    rt.exit(first.pid, 'boom');
    await w.down(first.pid);
    const [again] = await DynamicSupervisor.whichChildren(sup);
    const record = log.records.find((r) => r['label'] === 'supervisor.child_restarted');
    expect(record).toMatchObject({ pid: again!.pid, msg: `restarted child as ${again!.pid}` });
    expect(record).not.toHaveProperty('id');
  });

  it('logs no restart for a child started at init or by a call', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = pidOf(await Supervisor.start({ children: [wspec(trace, 'a')] }, { runtime: rt }));
    await Supervisor.startChild(sup, wspec(trace, 'b'));
    await Supervisor.terminateChild(sup, 'b');
    await Supervisor.restartChild(sup, 'b');
    expect(labels()).toEqual([]);
  });

  it('logs child_terminated then the give-up, and no restart, past the intensity', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = pidOf(await Supervisor.start({ intensity: 0, children: [wspec(trace, 'w', { trap: false })] }, { runtime: rt }));
    const w = await watch(rt, [sup]);
    rt.exit(await childPid(sup, 'w'), 'kill');
    await w.down(sup);
    expect(labels()).toEqual(['supervisor.child_terminated', 'supervisor.shutdown']);
  });
});
