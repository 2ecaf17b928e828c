import { describe, expect, it } from 'vitest';
import { ChildSpecError, DynamicSupervisor, InvalidArgumentError, type Context, type Pid, type Runtime } from 'ts-otp';
import { awaitDown } from '../support/probes.js';
import { manualClock, memoryLogger, useRuntime } from '../support/runtime.js';

const runtime = useRuntime(() => ({ logger: memoryLogger().logger, clock: manualClock() }));

/** A child that waits for messages and reports each start to `starts`; 'crash' ends it with 'boom', 'done' with 'normal'. */
function worker(starts: Pid[], restart: DynamicSupervisor.DynamicChildSpec['restart'] = 'permanent'): DynamicSupervisor.DynamicChildSpec {
  return {
    restart,
    start: (sup) => {
      const pid = sup.spawnLink(async (ctx: Context) => {
        for (;;) {
          const msg = await ctx.receive();
          if (msg === 'crash') ctx.exit('boom');
          if (msg === 'done') return;
        }
      });
      starts.push(pid);
      return { type: 'ok', pid };
    },
  };
}

async function startSup(rt: Runtime, options: Omit<DynamicSupervisor.DynamicSupervisorOptions, 'runtime'> = {}): Promise<Pid> {
  const started = await DynamicSupervisor.start({ runtime: rt, ...options });
  if (started.type !== 'ok') throw new Error(`no start: ${JSON.stringify(started)}`);
  return started.pid;
}

describe('DynamicSupervisor', () => {
  it('starts children on demand and lists them oldest first', async () => {
    const rt = runtime();
    const sup = await startSup(rt);
    const starts: Pid[] = [];
    const a = await DynamicSupervisor.startChild(sup, worker(starts));
    const b = await DynamicSupervisor.startChild(sup, worker(starts));
    expect(a).toEqual({ type: 'ok', pid: starts[0] });
    expect(b).toEqual({ type: 'ok', pid: starts[1] });
    expect(await DynamicSupervisor.whichChildren(sup)).toEqual([
      { pid: starts[0], type: 'worker' },
      { pid: starts[1], type: 'worker' },
    ]);
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
  });

  it('restarts a permanent child that crashes, and forgets a transient one that ends normally', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { intensity: 5 });
    const starts: Pid[] = [];
    await DynamicSupervisor.startChild(sup, worker(starts));
    await DynamicSupervisor.startChild(sup, worker(starts, 'transient'));
    const [perm, trans] = starts;
    rt.send(perm!, 'crash');
    rt.send(trans!, 'done');
    await awaitDown(rt, trans!);
    const children = await DynamicSupervisor.whichChildren(sup);
    expect(starts).toHaveLength(3);
    expect(children).toEqual([{ pid: starts[2], type: 'worker' }]);
  });

  it('passes extraArguments to every start after the context', async () => {
    const rt = runtime();
    const sup = await startSup(rt, { extraArguments: ['tenant-1', 7] });
    const seen: unknown[][] = [];
    const spec: DynamicSupervisor.DynamicChildSpec = {
      restart: 'temporary',
      start: (s: Context, ...extra: unknown[]) => {
        seen.push(extra);
        return { type: 'ok', pid: s.spawnLink((ctx: Context) => ctx.receive()) };
      },
    };
    await DynamicSupervisor.startChild(sup, spec);
    expect(seen).toEqual([['tenant-1', 7]]);
  });

  // Elixir 1.14 (checked): start_child of a child whose start returns :ignore is :ignore, and nothing is kept.
  it('returns ignore for a start that returns ignore, and keeps nothing', async () => {
    const rt = runtime();
    const sup = await startSup(rt);
    expect(await DynamicSupervisor.startChild(sup, { start: () => ({ type: 'ignore' }) })).toEqual({ type: 'ignore' });
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });

  it("refuses a child past maxChildren with 'max_children'", async () => {
    const rt = runtime();
    const sup = await startSup(rt, { maxChildren: 1 });
    const starts: Pid[] = [];
    expect((await DynamicSupervisor.startChild(sup, worker(starts))).type).toBe('ok');
    expect(await DynamicSupervisor.startChild(sup, worker(starts))).toEqual({ type: 'error', reason: 'max_children' });
    expect(starts).toHaveLength(1);
  });

  // Elixir 1.14 (checked): terminate_child answers {:error, :not_found} for a child already
  // terminated, a live stranger, a dead stranger and a temporary child that exited on its own.
  it('terminates a child by pid; any pid that is not a child, an exited one included, is not_found (as Elixir)', async () => {
    const rt = runtime();
    const sup = await startSup(rt);
    const starts: Pid[] = [];
    await DynamicSupervisor.startChild(sup, worker(starts));
    const down = awaitDown(rt, starts[0]!);
    expect(await DynamicSupervisor.terminateChild(sup, starts[0]!)).toEqual({ type: 'ok' });
    expect(await down).toBe('shutdown');
    expect(await DynamicSupervisor.terminateChild(sup, starts[0]!)).toEqual({ type: 'error', reason: 'not_found' });
    const stranger = rt.spawn((ctx) => ctx.receive());
    expect(await DynamicSupervisor.terminateChild(sup, stranger)).toEqual({ type: 'error', reason: 'not_found' });
    const dead = rt.spawn(() => undefined);
    await awaitDown(rt, dead);
    expect(await DynamicSupervisor.terminateChild(sup, dead)).toEqual({ type: 'error', reason: 'not_found' });
    await DynamicSupervisor.startChild(sup, { ...worker(starts), restart: 'temporary' });
    const temporary = starts[1]!;
    const gone = awaitDown(rt, temporary);
    rt.exit(temporary, 'kill');
    await gone;
    await DynamicSupervisor.countChildren(sup); // answered after the EXIT
    expect(await DynamicSupervisor.terminateChild(sup, temporary)).toEqual({ type: 'error', reason: 'not_found' });
    expect(await DynamicSupervisor.whichChildren(sup)).toEqual([]);
  });

  it("gives up with 'shutdown' past its restart intensity, stopping the other children", async () => {
    const rt = runtime();
    const sup = await startSup(rt, { intensity: 1, period: 10 });
    const starts: Pid[] = [];
    await DynamicSupervisor.startChild(sup, worker(starts));
    await DynamicSupervisor.startChild(sup, worker(starts));
    const supDown = awaitDown(rt, sup);
    const first = awaitDown(rt, starts[0]!);
    rt.send(starts[0]!, 'crash'); // restart 1: within the intensity
    await first;
    await DynamicSupervisor.whichChildren(sup); // answered once the restart is done
    rt.send(starts[2]!, 'crash'); // restart 2 within 10 s: over it
    expect(await supDown).toBe('shutdown');
    expect(starts.every((pid) => !rt.isAlive(pid))).toBe(true);
  });

  it('stops every child when it is stopped', async () => {
    const rt = runtime();
    const sup = await startSup(rt);
    const starts: Pid[] = [];
    for (let i = 0; i < 5; i++) await DynamicSupervisor.startChild(sup, worker(starts));
    await DynamicSupervisor.stop(sup);
    expect(starts.filter((pid) => rt.isAlive(pid))).toEqual([]);
  });

  it('refuses bad options and bad specs at the call', async () => {
    const rt = runtime();
    expect(() => DynamicSupervisor.start({ runtime: rt, maxChildren: -1 })).toThrow(InvalidArgumentError);
    expect(() => DynamicSupervisor.start({ runtime: rt, extraArguments: 'x' as never })).toThrow(InvalidArgumentError);
    const sup = await startSup(rt);
    expect(() => DynamicSupervisor.startChild(sup, { start: 'nope' as never })).toThrow(ChildSpecError);
    expect(() => DynamicSupervisor.terminateChild(sup, 'not a pid' as Pid)).toThrow(InvalidArgumentError);
  });
});
