/**
 * Conformance, group F (supervisor): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 *
 * The scenarios' workers are the oracle's generic worker (test/support/supervisor.ts): a
 * GenServer that logs `start <id>` from init and `stop <id> <reason>` from terminate, into a
 * {@link Trace} that names pids as the `.trace` files do (`b`, then `'b#2'` for its restart) and
 * prints values in their notation, so each test compares its lines with the trace file. "The
 * test" is a trapping puppet process that start_links the supervisor. Erlang shapes as ts-otp
 * writes them: exit reason `boom` is `{ tag: 'exit', value: 'boom' }`, `{shutdown, x}` is
 * `{ tag: 'shutdown', detail: 'x' }`. Every runtime runs on a manual clock, so shutdown timeouts
 * and the intensity window (whole seconds of the runtime clock) move only when a test advances it.
 *
 * Where ts-otp differs on purpose: a bad child spec (F18's duplicate id, F23's permanent
 * significant child) is refused with a thrown ChildSpecError at the call, before any process
 * starts, where OTP returns `{error, {start_spec, ...}}` from start_link (and the dead
 * supervisor's EXIT) or an error tuple from start_child. F20 (simple_one_for_one) runs on the
 * DynamicSupervisor, where each child brings its own spec (the template's extra argument is the
 * id the spec closes over), restart_child / delete_child do not exist, and terminating a pid that
 * has exited answers not_found, as Elixir's DynamicSupervisor does, where OTP says ok. F26 uses the init
 * callback form of a supervisor (Supervisor.SupervisorInit).
 */
import { describe, expect, it } from 'vitest';
import { ChildSpecError, DynamicSupervisor, Supervisor, type ExitMessage, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { hasSettled, manualClock, startPuppet, useRuntime, type ManualClock, type Puppet } from '../support/runtime.js';
import { childPid, children, crash, Trace, wspec } from '../support/supervisor.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

/** The test (trapping exits) start_links a supervisor named `name` in the trace. */
async function startSup(rt: Runtime, trace: Trace, spec: Supervisor.SupervisorSpec, name = 'sup'): Promise<{ test: Puppet; sup: Pid }> {
  const test = await startPuppet(rt, { trapExit: true });
  const sup = pidOf(await test.act((ctx) => Supervisor.startLink(ctx, spec)));
  trace.name(sup, name);
  return { test, sup };
}

/** The test's `receive M -> log([recv, M]) end`. */
async function recv(trace: Trace, test: Puppet): Promise<void> {
  trace.log('recv', await test.act((ctx) => ctx.receive()));
}

const REASONS = ['normal', 'shutdown', { tag: 'shutdown', detail: 'x' }, 'boom'] as const;

/** F05-F07: for each reason, add a child of `restart` type, make it exit with the reason, list the children. */
async function restartTypeScenario(restart: Supervisor.RestartType): Promise<string[]> {
  const rt = runtime();
  const trace = new Trace();
  const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', intensity: 10, period: 10, children: [] });
  let k = 1;
  for (const reason of REASONS) {
    const started = await Supervisor.startChild(sup, wspec(trace, `w${k}`, {}, { restart }));
    const pid = started.type === 'ok' ? started.pid : undefined;
    const w = await watch(rt, [pid!]);
    crash(pid, reason);
    await w.down(pid!);
    trace.log('after_exit', reason, 'which_children', await children(trace, sup));
    k++;
  }
  return trace.lines;
}

describe('F. supervisor', () => {
  it('F01 children start in list order and are stopped in reverse order when the supervisor shuts down', async () => {
    const rt = runtime();
    const trace = new Trace();
    const test = await startPuppet(rt, { trapExit: true });
    const result = await test.act((ctx) => Supervisor.startLink(ctx, { strategy: 'one_for_one', children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c')] }));
    const sup = pidOf(result);
    trace.name(sup, 'sup');
    trace.log('start_link_returned', result);
    trace.log('which_children', await children(trace, sup));
    trace.log('count_children', await Supervisor.countChildren(sup));
    await test.act((ctx) => ctx.exit(sup, 'shutdown'));
    await recv(trace, test);
    expect(trace.lines).toEqual([
      'start a',
      'start b',
      'start c',
      'start_link_returned {ok,sup}',
      'which_children [{c,c},{b,b},{a,a}]',
      'count_children [{specs,3},{active,3},{supervisors,0},{workers,3}]',
      'stop c shutdown',
      'stop b shutdown',
      'stop a shutdown',
      "recv {'EXIT',sup,shutdown}",
    ]);
    expect(rt.isAlive(sup)).toBe(false);
  });

  it('F02 one_for_one restarts only the child that died', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c')] });
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start b', 2);
    trace.log('which_children', await children(trace, sup));
    expect(trace.lines).toEqual(['start a', 'start b', 'start c', 'stop b boom', 'start b', "which_children [{c,c},{b,'b#2'},{a,a}]"]);
  });

  it('F03 one_for_all: when one child dies, the others are terminated (reverse start order) and all are restarted (start order)', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_all', children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c')] });
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start c', 2);
    trace.log('which_children', await children(trace, sup));
    expect(trace.lines).toEqual([
      'start a',
      'start b',
      'start c',
      'stop b boom',
      'stop c shutdown',
      'stop a shutdown',
      'start a',
      'start b',
      'start c',
      "which_children [{c,'c#2'},{b,'b#2'},{a,'a#2'}]",
    ]);
  });

  it('F04 rest_for_one: the dead child and the children started after it are restarted; earlier ones are untouched', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, {
      strategy: 'rest_for_one',
      children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c'), wspec(trace, 'd')],
    });
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start d', 2);
    trace.log('which_children', await children(trace, sup));
    expect(trace.lines).toEqual([
      'start a',
      'start b',
      'start c',
      'start d',
      'stop b boom',
      'stop d shutdown',
      'stop c shutdown',
      'start b',
      'start c',
      'start d',
      "which_children [{d,'d#2'},{c,'c#2'},{b,'b#2'},{a,a}]",
    ]);
  });

  it('F05 restart type permanent: which exit reasons cause a restart', async () => {
    expect(await restartTypeScenario('permanent')).toEqual([
      'start w1',
      'stop w1 normal',
      'start w1',
      "after_exit normal which_children [{w1,'w1#2'}]",
      'start w2',
      'stop w2 shutdown',
      'start w2',
      "after_exit shutdown which_children [{w2,'w2#2'},{w1,'w1#2'}]",
      'start w3',
      'stop w3 {shutdown,x}',
      'start w3',
      "after_exit {shutdown,x} which_children [{w3,'w3#2'},{w2,'w2#2'},{w1,'w1#2'}]",
      'start w4',
      'stop w4 boom',
      'start w4',
      "after_exit boom which_children [{w4,'w4#2'},{w3,'w3#2'},{w2,'w2#2'},{w1,'w1#2'}]",
    ]);
  });

  it('F06 restart type transient: which exit reasons cause a restart', async () => {
    expect(await restartTypeScenario('transient')).toEqual([
      'start w1',
      'stop w1 normal',
      'after_exit normal which_children [{w1,undefined}]',
      'start w2',
      'stop w2 shutdown',
      'after_exit shutdown which_children [{w2,undefined},{w1,undefined}]',
      'start w3',
      'stop w3 {shutdown,x}',
      'after_exit {shutdown,x} which_children [{w3,undefined},{w2,undefined},{w1,undefined}]',
      'start w4',
      'stop w4 boom',
      'start w4',
      "after_exit boom which_children [{w4,'w4#2'},{w3,undefined},{w2,undefined},{w1,undefined}]",
    ]);
  });

  it('F07 restart type temporary: which exit reasons cause a restart', async () => {
    expect(await restartTypeScenario('temporary')).toEqual([
      'start w1',
      'stop w1 normal',
      'after_exit normal which_children []',
      'start w2',
      'stop w2 shutdown',
      'after_exit shutdown which_children []',
      'start w3',
      'stop w3 {shutdown,x}',
      'after_exit {shutdown,x} which_children []',
      'start w4',
      'stop w4 boom',
      'after_exit boom which_children []',
    ]);
  });

  it('F08 exceeding the restart intensity: the supervisor terminates all children and exits with reason shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { test, sup } = await startSup(rt, trace, { strategy: 'one_for_one', intensity: 2, period: 10, children: [wspec(trace, 'a'), wspec(trace, 'b')] });
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start b', 2);
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start b', 3);
    crash(await childPid(sup, 'b'), 'boom');
    await recv(trace, test);
    expect(trace.lines).toEqual([
      'start a',
      'start b',
      'stop b boom',
      'start b',
      'stop b boom',
      'start b',
      'stop b boom',
      'stop a shutdown',
      "recv {'EXIT',sup,shutdown}",
    ]);
    expect(rt.isAlive(sup)).toBe(false);
  });

  it('F10 shutdown = brutal_kill kills the child unconditionally; terminate does not run', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a', {}, { shutdown: 'brutal_kill' })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    trace.log('terminate_child', await Supervisor.terminateChild(sup, 'a'));
    trace.log('down', a, await w.down(a));
    expect(trace.lines).toEqual(['start a', 'terminate_child ok', 'down a killed']);
  });

  it('F11 shutdown timeout: a trapping child that does not stop in time is killed', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a', { stopDelay: 'infinity' }, { shutdown: 200 })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    const t0 = clock.now();
    const terminated = Supervisor.terminateChild(sup, 'a');
    await rt.settle();
    clock.advance(199);
    await rt.settle();
    expect(await hasSettled(terminated)).toBe(false); // a is still in its terminate
    clock.advance(1);
    const result = await terminated;
    trace.log('terminate_child', result, 'took_at_least_200ms', clock.now() - t0 >= 200);
    trace.log('down', a, await w.down(a));
    expect(trace.lines).toEqual(['start a', 'stopping a shutdown', 'terminate_child ok took_at_least_200ms true', 'down a killed']);
  });

  it('F12 shutdown timeout: a trapping child that stops in time terminates with reason shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a', { stopDelay: 50 }, { shutdown: 1000 })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    const terminated = Supervisor.terminateChild(sup, 'a');
    await rt.settle(); // a sleeps in its terminate
    clock.advance(50);
    trace.log('terminate_child', await terminated);
    trace.log('down', a, await w.down(a));
    expect(trace.lines).toEqual(['start a', 'stopping a shutdown', 'stop a shutdown', 'terminate_child ok', 'down a shutdown']);
  });

  it('F14 a child that does not trap exits is stopped by the shutdown signal itself; terminate does not run', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a', { trap: false })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    trace.log('terminate_child', await Supervisor.terminateChild(sup, 'a'));
    trace.log('down', a, await w.down(a));
    expect(trace.lines).toEqual(['start a', 'terminate_child ok', 'down a shutdown']);
  });

  it('F15 a child that fails to start during supervisor init makes start_link fail with {shutdown, {failed_to_start_child, Id, Reason}}', async () => {
    const rt = runtime();
    const trace = new Trace();
    const test = await startPuppet(rt, { trapExit: true });
    const result = await test.act((ctx) =>
      Supervisor.startLink(ctx, { strategy: 'one_for_one', children: [wspec(trace, 'a'), wspec(trace, 'b', { init: { stop: 'bad' } }), wspec(trace, 'c')] }),
    );
    await rt.settle();
    const box = await test.mailbox(); // the oracle drains every message that arrives
    const sup = (box[0] as ExitMessage | undefined)?.from;
    trace.name(sup!, 'sup');
    trace.log('start_link_returned', result);
    for (const msg of box) trace.log('recv', msg);
    expect(trace.lines).toEqual([
      'start a',
      'start b',
      'stop a shutdown',
      'start_link_returned {error,{shutdown,{failed_to_start_child,b,bad}}}',
      "recv {'EXIT',sup,{shutdown,{failed_to_start_child,b,bad}}}",
    ]);
    const failed = { tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: 'b', reason: { tag: 'exit', value: 'bad' } } };
    expect(result).toEqual({ type: 'error', reason: failed });
    expect(box).toEqual([{ type: 'EXIT', from: sup, reason: failed }]);
    expect(rt.isAlive(sup!)).toBe(false);
  });

  it('F17 start_child / terminate_child / restart_child / delete_child / which_children / count_children results', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [] });
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['start_child_a', () => Supervisor.startChild(sup, wspec(trace, 'a'))],
      ['start_child_a_again', () => Supervisor.startChild(sup, wspec(trace, 'a'))],
      ['start_child_b', () => Supervisor.startChild(sup, wspec(trace, 'b'))],
      ['terminate_child_a', () => Supervisor.terminateChild(sup, 'a')],
      ['start_child_a_while_terminated', () => Supervisor.startChild(sup, wspec(trace, 'a'))],
      ['which_children', () => children(trace, sup)],
      ['count_children', () => Supervisor.countChildren(sup)],
      ['restart_child_a', () => Supervisor.restartChild(sup, 'a')],
      ['restart_child_a_running', () => Supervisor.restartChild(sup, 'a')],
      ['delete_child_a_running', () => Supervisor.deleteChild(sup, 'a')],
      ['terminate_child_a', () => Supervisor.terminateChild(sup, 'a')],
      ['delete_child_a', () => Supervisor.deleteChild(sup, 'a')],
      ['delete_child_a_again', () => Supervisor.deleteChild(sup, 'a')],
      ['restart_child_unknown', () => Supervisor.restartChild(sup, 'zzz')],
      ['terminate_child_unknown', () => Supervisor.terminateChild(sup, 'zzz')],
      ['terminate_child_b_by_pid', async () => Supervisor.terminateChild(sup, await childPid(sup, 'b'))],
      ['which_children', () => children(trace, sup)],
    ];
    const results: unknown[] = [];
    for (const [step, run] of steps) {
      const result = await run();
      results.push(result);
      trace.log(step, result);
    }
    expect(trace.lines).toEqual([
      'start a',
      'start_child_a {ok,a}',
      'start_child_a_again {error,{already_started,a}}',
      'start b',
      'start_child_b {ok,b}',
      'stop a shutdown',
      'terminate_child_a ok',
      'start_child_a_while_terminated {error,already_present}',
      'which_children [{b,b},{a,undefined}]',
      'count_children [{specs,2},{active,1},{supervisors,0},{workers,2}]',
      'start a',
      "restart_child_a {ok,'a#2'}",
      'restart_child_a_running {error,running}',
      'delete_child_a_running {error,running}',
      'stop a shutdown',
      'terminate_child_a ok',
      'delete_child_a ok',
      'delete_child_a_again {error,not_found}',
      'restart_child_unknown {error,not_found}',
      'terminate_child_unknown {error,not_found}',
      'terminate_child_b_by_pid {error,not_found}',
      'which_children [{b,b}]',
    ]);
    // The ts-otp shapes behind the first lines.
    const a = (results[0] as { pid: Pid }).pid;
    expect(results.slice(0, 5)).toEqual([
      { type: 'ok', pid: a },
      { type: 'error', reason: { tag: 'already_started', pid: a } },
      { type: 'ok', pid: expect.any(String) },
      { type: 'ok' },
      { type: 'error', reason: 'already_present' },
    ]);
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'b', pid: (results[2] as { pid: Pid }).pid, type: 'worker' }]);
  });

  it('F18 duplicate child ids: rejected at init; start_child with a used id returns an error', async () => {
    const rt = runtime();
    const trace = new Trace();
    // Part 1: refused at the call, before any process starts (OTP: {error, {start_spec, {duplicate_child_name, a}}}).
    const test = await startPuppet(rt, { trapExit: true });
    const before = rt.processes();
    const thrown = await test.act((ctx) => {
      try {
        void Supervisor.startLink(ctx, { strategy: 'one_for_one', children: [wspec(trace, 'a'), wspec(trace, 'a')] });
        return undefined;
      } catch (error) {
        return error;
      }
    });
    expect(thrown).toBeInstanceOf(ChildSpecError);
    expect(thrown).toMatchObject({ child: 'a', field: 'id', value: 'a', reason: 'duplicate_child_name' });
    await rt.settle();
    expect(rt.processes()).toEqual(before); // no supervisor, no child
    expect(await test.mailbox()).toEqual([]); // so no EXIT either
    expect(trace.lines).toEqual([]);
    // Part 2: the id is what matters, not the spec.
    const { sup } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'a')] }, 'sup2');
    const other: Supervisor.ChildSpec = { ...wspec(trace, 'other'), id: 'a' };
    trace.log('part2', await Supervisor.startChild(sup, other));
    expect(trace.lines).toEqual(['start a', 'part2 {error,{already_started,a}}']);
  });

  it('F19 an inner supervisor that exceeds its intensity exits with shutdown and its parent supervisor restarts it', async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { strategy: 'one_for_one', intensity: 1, period: 10, children: [wspec(trace, 'w')] });
    const { sup: outer } = await startSup(rt, trace, { strategy: 'one_for_one', intensity: 5, period: 10, children: [wspec(trace, 'x'), inner] }, 'outer');
    const in1 = await childPid(outer, 'inner');
    trace.name(in1, 'inner');
    const w = await watch(rt, [in1]);
    crash(await childPid(in1, 'w'), 'boom');
    await trace.until('start w', 2);
    crash(await childPid(in1, 'w'), 'boom');
    await trace.until('start w', 3);
    trace.log('down', in1, await w.down(in1));
    const in2 = await childPid(outer, 'inner');
    trace.name(in2, 'inner');
    trace.log('outer_children', await children(trace, outer));
    trace.log('inner_children', await children(trace, in2));
    expect(trace.lines).toEqual([
      'start x',
      'start w',
      'stop w boom',
      'start w',
      'stop w boom',
      'start w',
      'down inner shutdown',
      "outer_children [{inner,'inner#2'},{x,x}]",
      "inner_children [{w,'w#3'}]",
    ]);
    expect(rt.isAlive(outer)).toBe(true);
  });

  it('F21 auto_shutdown = any_significant: a significant child exiting normally shuts the supervisor down', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { test, sup } = await startSup(rt, trace, {
      strategy: 'one_for_one',
      autoShutdown: 'any_significant',
      children: [wspec(trace, 'a'), wspec(trace, 's', {}, { restart: 'transient', significant: true })],
    });
    crash(await childPid(sup, 's'), 'normal');
    await recv(trace, test);
    expect(trace.lines).toEqual(['start a', 'start s', 'stop s normal', 'stop a shutdown', "recv {'EXIT',sup,shutdown}"]);
  });

  it('F23 a significant transient child that crashes abnormally is restarted; it does not trigger auto_shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { sup } = await startSup(rt, trace, {
      strategy: 'one_for_one',
      autoShutdown: 'any_significant',
      children: [wspec(trace, 's', {}, { restart: 'transient', significant: true })],
    });
    crash(await childPid(sup, 's'), 'boom');
    await trace.until('start s', 2);
    trace.log('which_children', await children(trace, sup));
    expect(trace.lines).toEqual(['start s', 'stop s boom', 'start s', "which_children [{s,'s#2'}]"]);
    // A permanent significant child is a bad spec (OTP: {error, {bad_combination, [{restart, permanent}, {significant, true}]}}).
    const bad = wspec(trace, 'p', {}, { restart: 'permanent', significant: true });
    expect(() => Supervisor.startChild(sup, bad)).toThrow(ChildSpecError);
    try {
      void Supervisor.startChild(sup, bad);
    } catch (error) {
      expect(error).toMatchObject({ child: 'p', field: 'significant', value: true, reason: 'bad_combination' });
    }
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    expect(trace.lines).toHaveLength(4); // p never started
    expect(rt.isAlive(sup)).toBe(true);
  });

  it('F25 restarts older than the period do not count towards the intensity', async () => {
    const rt = runtime();
    const trace = new Trace();
    const { test, sup } = await startSup(rt, trace, { strategy: 'one_for_one', intensity: 1, period: 1, children: [wspec(trace, 'a')] });
    crash(await childPid(sup, 'a'), 'boom');
    await trace.until('start a', 2);
    clock.advance(2200);
    crash(await childPid(sup, 'a'), 'boom');
    await trace.until('start a', 3);
    trace.log('sup_alive', rt.isAlive(sup));
    crash(await childPid(sup, 'a'), 'boom');
    await recv(trace, test);
    expect(trace.lines).toEqual(['start a', 'stop a boom', 'start a', 'stop a boom', 'start a', 'sup_alive true', 'stop a boom', "recv {'EXIT',sup,shutdown}"]);
  });

  it('F27 shutting down a supervision tree stops it depth-first in reverse start order', async () => {
    const rt = runtime();
    const trace = new Trace();
    const mid = Supervisor.supervisor('mid', { strategy: 'one_for_one', children: [wspec(trace, 'm1'), wspec(trace, 'm2')] });
    const { test, sup: top } = await startSup(rt, trace, { strategy: 'one_for_one', children: [wspec(trace, 'x'), mid, wspec(trace, 'y')] }, 'top');
    await test.act((ctx) => ctx.exit(top, 'shutdown'));
    await recv(trace, test);
    expect(trace.lines).toEqual([
      'start x',
      'start m1',
      'start m2',
      'start y',
      'stop y shutdown',
      'stop m2 shutdown',
      'stop m1 shutdown',
      'stop x shutdown',
      "recv {'EXIT',top,shutdown}",
    ]);
  });
});

describe('F. supervisor, simple_one_for_one as DynamicSupervisor', () => {
  // OTP's simple_one_for_one answers ok for a pid that has already exited; DynamicSupervisor
  // answers as Elixir's does, not_found (see the differences guide).
  it('F20 children start on demand; a crashed one restarts; terminateChild by pid is ok, of a dead pid not_found (as Elixir)', async () => {
    const rt = runtime();
    const trace = new Trace();
    const started = await DynamicSupervisor.start({ runtime: rt, intensity: 5 });
    const sup = pidOf(started);
    const d1 = await DynamicSupervisor.startChild(sup, wspec(trace, 'd1'));
    trace.log('start_child', d1);
    const d2 = await DynamicSupervisor.startChild(sup, wspec(trace, 'd2'));
    trace.log('start_child', d2);
    const list = async (): Promise<string> => `[${(await DynamicSupervisor.whichChildren(sup)).map((c) => `{undefined,${trace.show(c.pid)},${c.type},[scen]}`).join(',')}]`;
    trace.log('which_children', await list());
    const d1pid = (d1 as { pid: Pid }).pid;
    const w = await watch(rt, [d1pid]);
    crash(d1pid, 'boom');
    await w.down(d1pid);
    await DynamicSupervisor.countChildren(sup); // answered after the restart
    const d2pid = (d2 as { pid: Pid }).pid;
    trace.log('terminate_child_d2', (await DynamicSupervisor.terminateChild(sup, d2pid)).type);
    trace.log('terminate_child_d2_again', (await DynamicSupervisor.terminateChild(sup, d2pid)).type);
    trace.log('which_children', await list());
    const counts = await DynamicSupervisor.countChildren(sup);
    expect(trace.lines).toEqual([
      'start d1',
      'start_child {ok,d1}',
      'start d2',
      'start_child {ok,d2}',
      'which_children [{undefined,d1,worker,[scen]},{undefined,d2,worker,[scen]}]',
      'stop d1 boom',
      'start d1',
      'stop d2 shutdown',
      'terminate_child_d2 ok',
      'terminate_child_d2_again error',
      "which_children [{undefined,'d1#2',worker,[scen]}]",
    ]);
    expect(counts).toEqual({ specs: 1, active: 1, supervisors: 0, workers: 1 });
    // restart_child and delete_child ({error, simple_one_for_one} in OTP) are not part of DynamicSupervisor's API.
    expect('restartChild' in DynamicSupervisor).toBe(false);
    expect('deleteChild' in DynamicSupervisor).toBe(false);
  });
});

describe('F. supervisor declared by an init callback', () => {
  it('F26 a supervisor whose init returns ignore: startLink returns ignore and the caller gets EXIT normal', async () => {
    const rt = runtime();
    const trace = new Trace();
    const test = await startPuppet(rt, { trapExit: true });
    const result = await test.act((ctx) => Supervisor.startLink(ctx, () => 'ignore'));
    trace.log('start_link_returned', result);
    await recv(trace, test);
    expect(trace.lines[0]).toBe('start_link_returned ignore');
    expect(trace.lines[1]).toMatch(/^recv \{'EXIT',<\d+\.\d+\.0>,normal\}$/); // the unnamed supervisor's pid
  });
});
