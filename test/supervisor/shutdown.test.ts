import { describe, expect, it } from 'vitest';
import { Supervisor, type Context, type Pid, type Runtime } from 'ts-otp';
import { assertReceive } from 'ts-otp/testing';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { hasSettled, manualClock, useRuntime, type ManualClock } from '../support/runtime.js';
import { childPid, Trace, wspec } from '../support/supervisor.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

async function startSup(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<Pid> {
  return pidOf(await Supervisor.start(spec, { runtime: rt }));
}

/** A plain child that traps exits and never stops unless killed. */
const stubborn = (id: string, shutdown?: Supervisor.Shutdown): Supervisor.ChildSpec => ({
  id,
  ...(shutdown === undefined ? {} : { shutdown }),
  start: (sup: Context) => ({
    type: 'ok',
    pid: sup.spawnLink(async (ctx) => {
      ctx.trapExit(true);
      for (;;) await ctx.receive();
    }),
  }),
});

/** terminateChild, with the time it took on the runtime clock once it has returned. */
async function timedTerminate(rt: Runtime, sup: Pid, id: string, steps: readonly number[]): Promise<{ result: unknown; took: number; pendingAfter: boolean[] }> {
  const t0 = clock.now();
  const pending = Supervisor.terminateChild(sup, id);
  const pendingAfter: boolean[] = [];
  for (const ms of steps) {
    await rt.settle();
    pendingAfter.push(!(await hasSettled(pending)));
    clock.advance(ms);
  }
  const result = await pending;
  return { result, took: clock.now() - t0, pendingAfter };
}

describe('shutdown policies', () => {
  it('brutal_kill kills the child at once: its terminate does not run', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a', { stopDelay: 'infinity' }, { shutdown: 'brutal_kill' })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    expect(await Supervisor.terminateChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(await w.down(a)).toBe('killed');
    expect(trace.lines).toEqual(['start a']);
  });

  it('a timeout sends shutdown, then kills the child when it has not exited after that many ms', async () => {
    const rt = runtime();
    const a = await startSup(rt, { children: [stubborn('a', 300)] });
    const pid = await childPid(a, 'a');
    const w = await watch(rt, [pid]);
    const { result, took, pendingAfter } = await timedTerminate(rt, a, 'a', [299, 1]);
    expect(result).toEqual({ type: 'ok' });
    expect(pendingAfter).toEqual([true, true]); // still waiting after 299 ms
    expect(took).toBe(300);
    expect(await w.down(pid)).toBe('killed');
  });

  it('a timeout lets a child that stops in time exit with shutdown', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a', { stopDelay: 999 }, { shutdown: 1000 })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    const { result, took } = await timedTerminate(rt, sup, 'a', [999]);
    expect(result).toEqual({ type: 'ok' });
    expect(took).toBe(999);
    expect(await w.down(a)).toBe('shutdown');
    expect(trace.lines).toEqual(['start a', 'stopping a shutdown', 'stop a shutdown']);
  });

  it('a worker is given 5000 ms by default', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { children: [stubborn('a')] });
    const { took, pendingAfter } = await timedTerminate(rt, sup, 'a', [4999, 1]);
    expect(pendingAfter).toEqual([true, true]);
    expect(took).toBe(5000);
  });

  it('infinity waits for the child however long it takes', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a', { stopDelay: 3_600_000 }, { shutdown: 'infinity' })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    const { result, took, pendingAfter } = await timedTerminate(rt, sup, 'a', [3_599_999, 1]);
    expect(pendingAfter).toEqual([true, true]);
    expect(result).toEqual({ type: 'ok' });
    expect(took).toBe(3_600_000);
    expect(await w.down(a)).toBe('shutdown');
  });

  it('a supervisor child is given infinity by default', async () => {
    const rt = runtime();
    const trace = new Trace();
    const inner = Supervisor.supervisor('inner', { children: [wspec(trace, 'w', { stopDelay: 60_000 }, { shutdown: 'infinity' })] });
    const sup = await startSup(rt, { children: [inner] });
    const { took, pendingAfter } = await timedTerminate(rt, sup, 'inner', [59_999, 1]);
    expect(pendingAfter).toEqual([true, true]);
    expect(took).toBe(60_000);
  });

  it('a child that does not trap exits is stopped by the shutdown signal, without its terminate', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a', { trap: false, stopDelay: 'infinity' })] });
    const a = await childPid(sup, 'a');
    const w = await watch(rt, [a]);
    expect(await Supervisor.terminateChild(sup, 'a')).toEqual({ type: 'ok' });
    expect(await w.down(a)).toBe('shutdown');
    expect(trace.lines).toEqual(['start a']);
  });

  it('a child that dies while the supervisor is stopping is not restarted and does not hold the stop up', async () => {
    const rt = runtime();
    const trace = new Trace();
    let bStarts = 0;
    const b: Supervisor.ChildSpec = { ...stubborn('b', 'infinity'), start: (sup) => (bStarts++, stubborn('b').start(sup)) };
    const sup = await startSup(rt, { children: [b, wspec(trace, 'a', { stopDelay: 100 })] });
    const bPid = await childPid(sup, 'b');
    const stopped = Supervisor.stop(sup);
    await rt.settle(); // the supervisor waits for a, the last started
    rt.exit(bPid, 'kill'); // its EXIT waits in the supervisor's mailbox
    clock.advance(100);
    await stopped;
    expect(rt.isAlive(sup)).toBe(false);
    expect(bStarts).toBe(1);
  });
});

describe('stopping a supervisor', () => {
  it('Supervisor.stop stops the children last first, each by its policy, and the supervisor exits with the reason', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, {
      children: [wspec(trace, 'a'), wspec(trace, 'b', { stopDelay: 10 }), wspec(trace, 'c', {}, { shutdown: 'brutal_kill' }), wspec(trace, 'd', { trap: false })],
    });
    const w = await watch(rt, [sup]);
    const stopped = Supervisor.stop(sup, { tag: 'shutdown', detail: 'maintenance' });
    await rt.settle();
    clock.advance(10);
    await stopped;
    expect(await w.down(sup)).toEqual({ tag: 'shutdown', detail: 'maintenance' });
    expect(trace.lines.slice(4)).toEqual(['stopping b shutdown', 'stop b shutdown', 'stop a shutdown']);
  });

  it("an exit signal from its parent stops it the same way, and the parent gets {'EXIT', sup, reason}", async () => {
    const rt = runtime();
    const trace = new Trace();
    const parent = rt.inbox();
    parent.trapExit(true);
    const sup = pidOf(await Supervisor.startLink(parent, { children: [wspec(trace, 'a'), wspec(trace, 'b')] }));
    const kids = [await childPid(sup, 'a'), await childPid(sup, 'b')];
    parent.exit(sup, 'shutdown');
    await assertReceive(parent, { type: 'EXIT', from: sup, reason: 'shutdown' });
    expect(trace.lines).toEqual(['start a', 'start b', 'stop b shutdown', 'stop a shutdown']);
    expect(kids.map((pid) => rt.isAlive(pid))).toEqual([false, false]);
  });

  it('an exit signal from a process other than its parent is ignored, as OTP ignores an unknown EXIT', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a')] });
    rt.exit(sup, 'shutdown');
    await rt.settle();
    expect(rt.isAlive(sup)).toBe(true);
    expect(trace.lines).toEqual(['start a']);
  });

  it('answers calls made while it stops a child once that child is down', async () => {
    const rt = runtime();
    const trace = new Trace();
    const sup = await startSup(rt, { children: [wspec(trace, 'a', { stopDelay: 100 }), wspec(trace, 'b')] });
    const terminated = Supervisor.terminateChild(sup, 'a');
    await rt.settle();
    const listed = Supervisor.whichChildren(sup);
    await rt.settle();
    expect(await hasSettled(listed)).toBe(false); // waiting in the mailbox while the supervisor waits for a
    clock.advance(100);
    expect(await terminated).toEqual({ type: 'ok' });
    expect((await listed).map((c) => [c.id, c.pid === undefined])).toEqual([
      ['b', false],
      ['a', true],
    ]);
  });
});
