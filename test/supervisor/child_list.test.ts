import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, Supervisor, type Context, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';
import { childPid, children, crash, exitChild, Trace, wspec } from '../support/supervisor.js';

// A supervisor's children are kept in start order through exits, removals in the middle, restarts
// (a restarted child keeps its place) and additions (at the end): whichChildren, the stop order
// (last first) and group restarts all follow that order, and the counts follow every change.

const runtime = useRuntime();

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<Pid> {
  return pidOf(await Supervisor.start(spec, { runtime: rt }));
}

describe('a Supervisor keeps its children in start order', () => {
  it('through removals, restarts and additions: whichChildren newest first, counts, and the stop order', async () => {
    const rt = runtime();
    const trace = new Trace();
    const temporary = { restart: 'temporary' } as const;
    const sup = await startSup(rt, {
      intensity: 10,
      children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 't', {}, temporary), wspec(trace, 'c'), wspec(trace, 'd'), wspec(trace, 'e')],
    });
    await exitChild(rt, sup, 't', 'normal'); // removed from the middle
    await exitChild(rt, sup, 'b', 'boom'); // restarted in its place
    expect(await Supervisor.terminateChild(sup, 'd')).toEqual({ type: 'ok' });
    expect(await Supervisor.deleteChild(sup, 'd')).toEqual({ type: 'ok' }); // removed from the middle
    expect(await Supervisor.startChild(sup, wspec(trace, 'f'))).toMatchObject({ type: 'ok' }); // the newest
    expect(await Supervisor.startChild(sup, wspec(trace, 'd'))).toMatchObject({ type: 'ok' }); // back, as the newest
    expect(await Supervisor.terminateChild(sup, 'c')).toEqual({ type: 'ok' }); // kept, not running
    expect(await children(trace, sup)).toBe("[{d,'d#2'},{f,f},{e,e},{c,undefined},{b,'b#2'},{a,a}]");
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 6, active: 5, supervisors: 0, workers: 6 });
    const from = trace.lines.length;
    await Supervisor.stop(sup);
    expect(trace.lines.slice(from)).toEqual(['stop d shutdown', 'stop f shutdown', 'stop e shutdown', 'stop b shutdown', 'stop a shutdown']);
  });

  it('rest_for_one restarts the exited child and those started after it, in the order they are kept', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { strategy: 'rest_for_one', intensity: 10, children: [wspec(trace, 'a'), wspec(trace, 'x', {}, { restart: 'temporary' }), wspec(trace, 'b'), wspec(trace, 'c')] });
    await exitChild(rt, sup, 'x', 'normal');
    expect(await Supervisor.startChild(sup, wspec(trace, 'z'))).toMatchObject({ type: 'ok' });
    const from = trace.lines.length;
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start z', 2);
    expect(trace.lines.slice(from)).toEqual(['stop b boom', 'stop z shutdown', 'stop c shutdown', 'start b', 'start c', 'start z']);
    expect(await children(trace, sup)).toBe("[{z,'z#2'},{c,'c#2'},{b,'b#2'},{a,a}]");
  });

  it('counts a supervisor child as one until its spec goes', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [Supervisor.supervisor('inner', { children: [] }, { restart: 'temporary' }), wspec(trace, 'w')] });
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 1, workers: 1 });
    expect(await Supervisor.terminateChild(sup, 'inner')).toEqual({ type: 'ok' }); // temporary: its spec goes
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
  });
});

describe("autoShutdown 'all_significant'", () => {
  // OTP 25 (escript): significant a (transient) and b (temporary), p permanent. a exits normally:
  // the supervisor stays; b then exits normally: it shuts down. terminate_child(a) does not shut
  // it down either; b's exit afterwards does.
  it('shuts the supervisor down when the last running significant child exits, not before', async () => {
    const rt = runtime();
    const trace = new Trace();
    const spec: Supervisor.SupervisorSpec = {
      autoShutdown: 'all_significant',
      children: [wspec(trace, 'a', {}, { restart: 'transient', significant: true }), wspec(trace, 'p'), wspec(trace, 'b', {}, { restart: 'temporary', significant: true })],
    };
    const sup = await startSup(rt, spec);
    const w = await watch(rt, [sup]);
    await exitChild(rt, sup, 'a', 'normal');
    expect(rt.isAlive(sup)).toBe(true);
    expect(await children(trace, sup)).toBe('[{b,b},{p,p},{a,undefined}]');
    crash(await childPid(sup, 'b'), 'normal');
    expect(await w.down(sup)).toBe('shutdown');
  });

  it('does not count a significant child stopped by terminateChild as running', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, {
      autoShutdown: 'all_significant',
      children: [wspec(trace, 'a', {}, { restart: 'transient', significant: true }), wspec(trace, 'b', {}, { restart: 'temporary', significant: true })],
    });
    const w = await watch(rt, [sup]);
    expect(await Supervisor.terminateChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(rt.isAlive(sup)).toBe(true);
    crash(await childPid(sup, 'b'), 'normal');
    expect(await w.down(sup)).toBe('shutdown');
  });
});

describe('a DynamicSupervisor keeps its children in start order', () => {
  it('through exits, restarts in place and terminateChild: whichChildren oldest first, counts, and the stop', async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt, intensity: 10 }));
    const stopped: string[] = [];
    const named = (label: string, restart: Supervisor.RestartType): DynamicSupervisor.DynamicChildSpec => ({
      restart,
      start: (s) => ({
        type: 'ok',
        pid: s.spawnLink(async (ctx: Context) => {
          ctx.trapExit(true);
          const msg = (await ctx.receive()) as { type?: string; reason?: unknown } | 'crash';
          if (msg === 'crash') ctx.exit('boom');
          stopped.push(label);
        }),
      }),
    });
    const pids: Pid[] = [];
    for (const [label, restart] of [['a', 'permanent'], ['t', 'temporary'], ['b', 'permanent'], ['c', 'transient'], ['d', 'permanent']] as const) {
      const started = await DynamicSupervisor.startChild(sup, named(label, restart));
      pids.push(started.type === 'ok' ? started.pid! : ('' as Pid));
    }
    const [a, t, b, c, d] = pids as [Pid, Pid, Pid, Pid, Pid];
    const gone = await watch(rt, [t, b]);
    rt.send(t, 'crash'); // temporary: forgotten
    await gone.down(t);
    rt.send(b, 'crash'); // permanent: restarted in its place
    await gone.down(b);
    expect(await DynamicSupervisor.terminateChild(sup, c)).toEqual({ type: 'ok' });
    const list = (await DynamicSupervisor.whichChildren(sup)).map((x) => x.pid);
    expect(list).toHaveLength(3);
    expect([list[0], list[2]]).toEqual([a, d]);
    expect(list[1]).not.toBe(b);
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
    stopped.length = 0;
    await DynamicSupervisor.stop(sup);
    expect(stopped.sort()).toEqual(['a', 'b', 'd']);
  });
});
