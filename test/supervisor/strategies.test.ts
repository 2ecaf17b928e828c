import { describe, expect, it } from 'vitest';
import { isPid, Supervisor, type Context, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';
import { childPid, children, crash, Trace, wspec } from '../support/supervisor.js';

const runtime = useRuntime();

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<Pid> {
  return pidOf(await Supervisor.start(spec, { runtime: rt }));
}

describe.each([
  // strategy, the events after 'stop b boom', which_children afterwards
  ['one_for_one', ['start b'], "[{d,d},{c,c},{b,'b#2'},{a,a}]"],
  ['one_for_all', ['stop d shutdown', 'stop c shutdown', 'stop a shutdown', 'start a', 'start b', 'start c', 'start d'], "[{d,'d#2'},{c,'c#2'},{b,'b#2'},{a,'a#2'}]"],
  ['rest_for_one', ['stop d shutdown', 'stop c shutdown', 'start b', 'start c', 'start d'], "[{d,'d#2'},{c,'c#2'},{b,'b#2'},{a,a}]"],
] as const)('%s', (strategy, after, listed) => {
  it('restarts the children its strategy names when one of them crashes, stopping the others last first', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { strategy, intensity: 5, children: ['a', 'b', 'c', 'd'].map((id) => wspec(trace, id)) });
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until(after.at(-1)!, 2); // the last child of the restart started for the second time
    expect(await children(trace, sup)).toBe(listed);
    expect(trace.lines).toEqual(['start a', 'start b', 'start c', 'start d', 'stop b boom', ...after]);
  });
});

describe('group restarts (one_for_all, rest_for_one)', () => {
  it.each(['one_for_all', 'rest_for_one'] as const)('%s: temporary siblings the restart stops are not restarted and their specs go', async (strategy) => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, {
      strategy,
      children: [wspec(trace, 'a'), wspec(trace, 't1', {}, { restart: 'temporary' }), wspec(trace, 'b'), wspec(trace, 't2', {}, { restart: 'temporary' })],
    });
    crash(await childPid(sup, 'a'), 'boom');
    await trace.until('start b', 2);
    expect(await children(trace, sup)).toBe("[{b,'b#2'},{a,'a#2'}]");
    expect(trace.lines.slice(4)).toEqual(['stop a boom', 'stop t2 shutdown', 'stop b shutdown', 'stop t1 shutdown', 'start a', 'start b']);
  });

  it.each(['one_for_all', 'rest_for_one'] as const)('%s: siblings that were not running are started with the group, as OTP does', async (strategy) => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { strategy, children: [wspec(trace, 'a'), wspec(trace, 'done', {}, { restart: 'transient' })] });
    const done = await childPid(sup, 'done');
    const w = await watch(rt, [done]);
    crash(done, 'normal'); // a transient child that finished: not restarted, spec kept
    await w.down(done);
    expect(await children(trace, sup)).toBe('[{done,undefined},{a,a}]');
    crash(await childPid(sup, 'a'), 'boom');
    await trace.until('start done', 2);
    expect(await children(trace, sup)).toBe("[{done,'done#2'},{a,'a#2'}]");
  });

  it('one_for_all: when a sibling fails to start, the whole group is stopped and started again (OTP try_again_restart)', async () => {
    const rt = runtime();
    const trace = new Trace();
    const failSecond = { init: { failOn: [2] } } as const;
    const sup = await startSup(rt, {
      strategy: 'one_for_all',
      intensity: 4,
      children: [wspec(trace, 'x', failSecond), wspec(trace, 'y', failSecond), wspec(trace, 'z', failSecond)],
    });
    crash(await childPid(sup, 'x'), 'boom');
    await trace.until('start z', 3);
    expect(await children(trace, sup)).toBe("[{z,'z#3'},{y,'y#4'},{x,'x#5'}]");
    // The order OTP 25 was observed to start and stop them in.
    expect(trace.lines.slice(3)).toEqual([
      'stop x boom',
      'stop z shutdown',
      'stop y shutdown',
      'start x', // fails: try again with x
      'start x',
      'start y', // fails: try again with y, stopping the group first
      'stop x shutdown',
      'start x',
      'start y',
      'start z', // fails: try again with z
      'stop y shutdown',
      'stop x shutdown',
      'start x',
      'start y',
      'start z',
    ]);
    expect(rt.isAlive(sup)).toBe(true);
  });

  it('rest_for_one: when a later child fails to start, the restart goes on from that child; earlier ones keep running', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { strategy: 'rest_for_one', intensity: 4, children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c', { init: { failOn: [2] } })] });
    const a = await childPid(sup, 'a');
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start c', 3);
    expect(await children(trace, sup)).toBe("[{c,'c#3'},{b,'b#2'},{a,a}]");
    expect(trace.lines.slice(3)).toEqual(['stop b boom', 'stop c shutdown', 'start b', 'start c', 'start c']);
    expect(await childPid(sup, 'a')).toBe(a);
  });

  it('one_for_all: a sibling that died at the same moment is restarted once, with the group', async () => {
    const rt = runtime();
    const trace = new Trace();
    let a: Pid | undefined;
    const sup = await startSup(rt, {
      strategy: 'one_for_all',
      intensity: 1, // a second restart would end the supervisor
      children: [
        {
          id: 'a',
          start: (ctx: Context) => {
            a = ctx.spawnLink((p) => p.receive());
            trace.log('start a');
            return { type: 'ok', pid: a };
          },
        },
        {
          id: 'b',
          start: (ctx: Context) => {
            const partner = a!;
            trace.log('start b');
            return { type: 'ok', pid: ctx.spawnLink(async (p) => (p.link(partner), await p.receive())) };
          },
        },
      ],
    });
    await rt.settle(); // b has linked itself to a
    rt.exit(a!, 'boom'); // a dies, and b with it over their link: two EXITs reach the supervisor
    await trace.until('start b', 2);
    await rt.settle();
    expect(trace.lines).toEqual(['start a', 'start b', 'start a', 'start b']);
    expect(rt.isAlive(sup)).toBe(true);
    expect((await Supervisor.whichChildren(sup)).every((c) => isPid(c.pid) && rt.isAlive(c.pid))).toBe(true);
  });
});

describe('one_for_one', () => {
  it('leaves a child whose restart returns ignore stopped, with its spec kept', async () => {
    const rt = runtime();
    let starts = 0;
    const sup = await startSup(rt, {
      children: [{ id: 'once', start: (ctx) => (++starts === 1 ? { type: 'ok', pid: ctx.spawnLink((p) => p.receive()) } : { type: 'ignore' }) }],
    });
    const [first] = await Supervisor.whichChildren(sup);
    rt.exit(first!.pid as Pid, 'boom');
    await rt.settle();
    expect(starts).toBe(2);
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'once', pid: undefined, type: 'worker' }]);
  });

  it('restarts each of two children that die together on its own', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { intensity: 2, children: [wspec(trace, 'a'), wspec(trace, 'b')] });
    crash(await childPid(sup, 'a'), 'boom');
    crash(await childPid(sup, 'b'), 'boom');
    await trace.until('start b', 2);
    await trace.until('start a', 2);
    expect(await children(trace, sup)).toBe("[{b,'b#2'},{a,'a#2'}]");
    expect(trace.lines.filter((l) => l.startsWith('stop'))).toEqual(['stop a boom', 'stop b boom']);
  });
});
