import { describe, expect, it } from 'vitest';
import { Supervisor, type Inbox, type Pid, type Runtime } from 'ts-otp';
import { assertReceive } from 'ts-otp/testing';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';
import { childPid, children, crash, Trace, wspec } from '../support/supervisor.js';

const runtime = useRuntime();

/** The test's inbox, trapping exits, start_links the top supervisor. */
async function startTop(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<{ parent: Inbox; top: Pid }> {
  const parent = rt.inbox();
  parent.trapExit(true);
  return { parent, top: pidOf(await Supervisor.startLink(parent, spec)) };
}

describe('nested supervisors', () => {
  it('start depth-first in list order, each linked to its parent supervisor', async () => {
    const rt = runtime();
    const trace = new Trace();
    const leaf = Supervisor.supervisor('leaf', { children: [wspec(trace, 'l1'), wspec(trace, 'l2')] });
    const mid = Supervisor.supervisor('mid', { children: [wspec(trace, 'm1'), leaf, wspec(trace, 'm2')] });
    const { top } = await startTop(rt, { children: [wspec(trace, 'x'), mid, wspec(trace, 'y')] });
    expect(trace.lines).toEqual(['start x', 'start m1', 'start l1', 'start l2', 'start m2', 'start y']);
    const midPid = await childPid(top, 'mid');
    const leafPid = await childPid(midPid, 'leaf');
    expect(rt.processInfo(midPid)?.links).toContain(top);
    expect(rt.processInfo(leafPid)?.links).toContain(midPid);
    expect(await Supervisor.countChildren(top)).toEqual({ specs: 3, active: 3, supervisors: 1, workers: 2 });
  });

  it('stop depth-first, last started first, each tree after its own children', async () => {
    const rt = runtime();
    const trace = new Trace();
    const leaf = Supervisor.supervisor('leaf', { children: [wspec(trace, 'l1'), wspec(trace, 'l2')] });
    const mid = Supervisor.supervisor('mid', { children: [wspec(trace, 'm1'), leaf, wspec(trace, 'm2')] });
    const { parent, top } = await startTop(rt, { children: [wspec(trace, 'x'), mid, wspec(trace, 'y')] });
    const midPid = await childPid(top, 'mid');
    const leafPid = await childPid(midPid, 'leaf');
    const w = await watch(rt, [midPid, leafPid]);
    parent.exit(top, 'shutdown');
    await assertReceive(parent, { type: 'EXIT', from: top, reason: 'shutdown' });
    expect(trace.lines.slice(6)).toEqual(['stop y shutdown', 'stop m2 shutdown', 'stop l2 shutdown', 'stop l1 shutdown', 'stop m1 shutdown', 'stop x shutdown']);
    expect(w.order).toEqual([leafPid, midPid]);
    expect([w.reason(leafPid), w.reason(midPid)]).toEqual(['shutdown', 'shutdown']);
  });

  it('an inner supervisor that gives up is restarted by its parent with fresh children; its siblings are untouched', async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { intensity: 0, children: [wspec(trace, 'w1'), wspec(trace, 'w2')] });
    const { top } = await startTop(rt, { children: [wspec(trace, 'x'), inner] });
    const x = await childPid(top, 'x');
    const in1 = await childPid(top, 'inner');
    trace.name(in1, 'inner');
    const w = await watch(rt, [in1]);
    crash(await childPid(in1, 'w1'), 'boom');
    expect(await w.down(in1)).toBe('shutdown');
    await trace.until('start w2', 2);
    const in2 = await childPid(top, 'inner');
    trace.name(in2, 'inner');
    expect(await children(trace, top)).toBe("[{inner,'inner#2'},{x,x}]");
    expect(await children(trace, in2)).toBe("[{w2,'w2#2'},{w1,'w1#2'}]");
    expect(trace.lines.slice(3)).toEqual(['stop w1 boom', 'stop w2 shutdown', 'start w1', 'start w2']);
    expect(await childPid(top, 'x')).toBe(x);
  });

  it("escalates: when the inner supervisor's restarts exhaust the outer's intensity, the outer gives up too", async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { intensity: 0, children: [wspec(trace, 'w')] });
    const { parent, top } = await startTop(rt, { intensity: 1, children: [wspec(trace, 'x'), inner] });
    crash(await childPid(await childPid(top, 'inner'), 'w'), 'boom'); // inner gives up; top restarts it (1 restart)
    await trace.until('start w', 2);
    crash(await childPid(await childPid(top, 'inner'), 'w'), 'boom'); // inner gives up again: one restart too many for top
    await assertReceive(parent, { type: 'EXIT', from: top, reason: 'shutdown' });
    expect(trace.lines.slice(-2)).toEqual(['stop w boom', 'stop x shutdown']);
  });

  it("an inner supervisor whose child fails to start makes the outer's start fail with both reasons nested", async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { children: [wspec(trace, 'w', { init: { stop: 'bad' } })] });
    const result = await Supervisor.start({ children: [wspec(trace, 'x'), inner] }, { runtime: rt });
    expect(result).toEqual({
      type: 'error',
      reason: {
        tag: 'shutdown',
        detail: {
          tag: 'failed_to_start_child',
          id: 'inner',
          reason: { tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: 'w', reason: { tag: 'exit', value: 'bad' } } },
        },
      },
    });
    expect(trace.lines).toEqual(['start x', 'start w', 'stop x shutdown']);
  });

  it('registers an inner supervisor under its name, and the name comes back with the restart', async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { intensity: 0, children: [wspec(trace, 'w')] }, { name: 'inner_sup' });
    const { top } = await startTop(rt, { children: [inner] });
    const in1 = await childPid(top, 'inner');
    expect(rt.whereis('inner_sup')).toBe(in1);
    expect((await Supervisor.whichChildren(Supervisor.named('inner_sup', rt))).map((c) => c.id)).toEqual(['w']);
    crash(await childPid(in1, 'w'), 'boom');
    await trace.until('start w', 2);
    const in2 = await childPid(top, 'inner');
    expect(in2).not.toBe(in1);
    expect(rt.whereis('inner_sup')).toBe(in2);
  });

  it('a transient inner supervisor that is stopped normally is not restarted', async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { children: [wspec(trace, 'w')] }, { restart: 'transient' });
    const { top } = await startTop(rt, { children: [inner] });
    const in1 = await childPid(top, 'inner');
    await Supervisor.stop(in1, 'normal');
    await rt.settle();
    expect(await Supervisor.whichChildren(top)).toEqual([{ id: 'inner', pid: undefined, type: 'supervisor' }]);
    expect(trace.lines).toEqual(['start w', 'stop w shutdown']);
  });
});
