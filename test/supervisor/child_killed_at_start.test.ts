import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Next, Supervisor, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, killNewborn, memoryLogger, startPuppet, useRuntime } from '../support/runtime.js';

// OTP 25 (escript, a child whose init is killed, or sent 'shutdown', before it answers):
//   supervisor:start_child      -> {error, {killed, Child}}; here the reason alone, as for any failed start
//   supervisor:restart_child    -> {error, killed}; the spec stays, not running
//   (neither of those two writes a start_error report)
//   supervisor:start_link       -> {error, {shutdown, {failed_to_start_child, x, killed}}}
//   a restart that is killed    -> start_error report, tried again at once: a new child runs
//   simple_one_for_one start    -> {error, killed}; a restart that is killed is tried again

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

interface Idle {
  state: null;
  call: { readonly type: 'ping' };
  reply: { ping: 'pong' };
}
const idle: GenServer.Behaviour<Idle> = { init: () => Next.ok(null), handleCall: { ping: (_r, _f, s) => Next.reply('pong', s) } };

/** A GenServer start whose process is killed before its first step on the starts listed in `killOn` (1-based). */
function killedOn(rt: Runtime, killOn: readonly number[]): { readonly start: (sup: Parameters<Supervisor.ChildSpec['start']>[0]) => Promise<GenServer.StartResult<Idle>>; readonly starts: () => number } {
  let n = 0;
  return {
    start: (sup) => {
      n++;
      const start = () => GenServer.startLink(sup, idle, undefined);
      return killOn.includes(n) ? killNewborn(rt, start).result : start();
    },
    starts: () => n,
  };
}

const startErrors = (): unknown[] => log.records.filter((r) => r['label'] === 'supervisor.start_error').map((r) => r['reason']);

describe('Supervisor, a child that exits before its init answers', () => {
  it('startChild returns the reason and keeps no spec; the supervisor goes on answering', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    const killed = killedOn(rt, [1]);
    expect(await Supervisor.startChild(sup, { id: 'a', start: killed.start })).toEqual({ type: 'error', reason: 'killed' });
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    expect(startErrors()).toEqual([]); // OTP reports no start_error for start_child: its caller has the reason
    expect(await Supervisor.startChild(sup, { id: 'a', start: killed.start })).toMatchObject({ type: 'ok' });
    await Supervisor.stop(sup);
  });

  it('startChild returns the reason of a signal that ends the child while an async init waits', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    const begun = deferred<Pid>();
    const slow: GenServer.Behaviour<{ state: null }> = {
      init: async (_arg, ctx) => {
        begun.resolve(ctx.self);
        await new Promise(() => {}); // never answers
        return Next.ok(null);
      },
    };
    const started = Supervisor.startChild(sup, { id: 'slow', start: (s) => GenServer.startLink(s, slow, undefined) });
    rt.exit(await begun.promise, 'shutdown');
    expect(await started).toEqual({ type: 'error', reason: 'shutdown' });
    expect(await Supervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });

  it('restartChild returns the reason and keeps the spec, not running', async () => {
    const rt = runtime();
    const killed = killedOn(rt, [2]);
    const sup = pidOf(await Supervisor.start({ children: [{ id: 'c', start: killed.start }] }, { runtime: rt }));
    expect(await Supervisor.terminateChild(sup, 'c')).toEqual({ type: 'ok' });
    expect(await Supervisor.restartChild(sup, 'c')).toEqual({ type: 'error', reason: 'killed' });
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'c', pid: undefined, type: 'worker' }]);
    expect(startErrors()).toEqual([]);
  });

  it('a child killed at the supervisor start fails the start with failed_to_start_child', async () => {
    const rt = runtime();
    const killed = killedOn(rt, [1]);
    const before = rt.processes().length;
    expect(await Supervisor.start({ children: [{ id: 'x', start: killed.start }] }, { runtime: rt })).toEqual({
      type: 'error',
      reason: { tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: 'x', reason: 'killed' } },
    });
    expect(startErrors()).toEqual(['killed']);
    await rt.settle();
    expect(rt.processes().length).toBe(before);
  });

  it('a restart that is killed is reported and tried again at once, as try_again_restart', async () => {
    const rt = runtime();
    const killed = killedOn(rt, [2]);
    const sup = pidOf(await Supervisor.start({ intensity: 5, children: [{ id: 'r', start: killed.start }] }, { runtime: rt }));
    const [first] = await Supervisor.whichChildren(sup);
    const w = await watch(rt, [first!.pid!]);
    rt.exit(first!.pid!, 'boom');
    await w.down(first!.pid!);
    const [again] = await Supervisor.whichChildren(sup); // answered once the restart is over
    expect(killed.starts()).toBe(3);
    expect(again?.pid).toBeDefined();
    expect(again?.pid).not.toBe(first!.pid);
    expect(await GenServer.call<Idle, { type: 'ping' }>(again!.pid!, { type: 'ping' })).toBe('pong');
    expect(startErrors()).toEqual(['killed']);
    await Supervisor.stop(sup);
  });
});

describe('DynamicSupervisor, a child that exits before its init answers', () => {
  it('startChild returns the reason and counts no child', async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    const killed = killedOn(rt, [1]);
    expect(await DynamicSupervisor.startChild(sup, { start: killed.start })).toEqual({ type: 'error', reason: 'killed' });
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
    expect(await DynamicSupervisor.startChild(sup, { start: killed.start })).toMatchObject({ type: 'ok' });
  });

  it('a restart that is killed is reported and tried again at once', async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt, intensity: 5 }));
    const killed = killedOn(rt, [2]);
    const first = await DynamicSupervisor.startChild(sup, { start: killed.start });
    const pid = first.type === 'ok' ? first.pid! : undefined;
    const w = await watch(rt, [pid!]);
    rt.exit(pid!, 'boom');
    await w.down(pid!);
    const list = await DynamicSupervisor.whichChildren(sup);
    expect(killed.starts()).toBe(3);
    expect(list).toHaveLength(1);
    expect(list[0]!.pid).not.toBe(pid);
    expect(startErrors()).toEqual(['killed']);
    await DynamicSupervisor.stop(sup);
  });
});

describe('a nested supervisor killed before its first step', () => {
  it('fails its start as any child does, and the parent supervisor goes on', async () => {
    const rt = runtime();
    const top = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    const inner = Supervisor.supervisor('inner', { children: [] });
    const spec: Supervisor.ChildSpec = { ...inner, start: (sup) => killNewborn(rt, () => inner.start(sup)).result };
    expect(await Supervisor.startChild(top, spec)).toEqual({ type: 'error', reason: 'killed' });
    expect(await Supervisor.startChild(top, inner)).toMatchObject({ type: 'ok' });
    expect(await Supervisor.countChildren(top)).toEqual({ specs: 1, active: 1, supervisors: 1, workers: 0 });
  });
});

describe('a supervisor itself killed before its first step', () => {
  it('Supervisor.start and DynamicSupervisor.start return the reason', async () => {
    const rt = runtime();
    const sup = killNewborn(rt, () => Supervisor.start({ children: [] }, { runtime: rt, name: 'top' }));
    expect(await sup.result).toEqual({ type: 'error', reason: 'killed' });
    expect(rt.whereis('top')).toBeUndefined();
    const dyn = killNewborn(rt, () => DynamicSupervisor.start({ runtime: rt }), 'shutdown');
    expect(await dyn.result).toEqual({ type: 'error', reason: 'shutdown' });
  });

  it('Supervisor.startLink and DynamicSupervisor.startLink return it to a trapping parent, which keeps no EXIT', async () => {
    const rt = runtime();
    const parent = await startPuppet(rt, { trapExit: true });
    expect(await parent.act((ctx) => killNewborn(rt, () => Supervisor.startLink(ctx, { children: [] })).result)).toEqual({ type: 'error', reason: 'killed' });
    expect(await parent.act((ctx) => killNewborn(rt, () => DynamicSupervisor.startLink(ctx)).result)).toEqual({ type: 'error', reason: 'killed' });
    await rt.settle();
    expect(await parent.mailbox()).toEqual([]);
  });
});
