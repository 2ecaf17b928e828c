/**
 * A child's start function runs in its supervisor's process and is handed the supervisor's
 * context; whatever it does there ends the start, never the supervisor. OTP 25 (checked with
 * escript) catches the start as `catch apply(M, F, A)`: `exit(oops)` in a start makes
 * `start_child` return `{error, {{'EXIT', oops}, Child}}` (simple_one_for_one: `{error, {'EXIT',
 * oops}}`), a failed start at init makes start_link return `{error, {shutdown,
 * {failed_to_start_child, b, {'EXIT', oops}}}}` after a `start_error` report, and the supervisor
 * lives on after every failed start_child. Here the reason is the exit's own reason.
 */
import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, Supervisor, type Context, type ExitReason, type Pid, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { memoryLogger, startPuppet, useRuntime } from '../support/runtime.js';
import { isExit, idle } from '../support/supervisor.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

const oops = new Error('oops');

/** What a start function can do to the context it is handed, and the start error each gives. */
const starts: ReadonlyArray<readonly [string, (sup: Context) => Supervisor.ChildStartResult | Promise<Supervisor.ChildStartResult>, unknown]> = [
  ['calls sup.exit(reason)', (sup) => sup.exit('oops'), { tag: 'exit', value: 'oops' }],
  ["calls sup.exit('shutdown')", (sup) => sup.exit('shutdown'), 'shutdown'],
  ['calls sup.exit(reason) after an await', async (sup) => (await Promise.resolve(), sup.exit({ tag: 'shutdown', detail: 'late' })), { tag: 'shutdown', detail: 'late' }],
  ['throws', () => { throw oops; }, { tag: 'error', cause: oops }],
  ['rejects', () => Promise.reject(oops), { tag: 'error', cause: oops }],
];

describe.each(starts)('a start function that %s', (_what, start, reason) => {
  it('makes Supervisor.startChild return the error; the supervisor lives on and keeps no spec', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    expect(await Supervisor.startChild(sup, { id: 'x', start })).toEqual({ type: 'error', reason });
    expect(rt.isAlive(sup)).toBe(true);
    expect(await Supervisor.whichChildren(sup)).toEqual([]);
    // sup.exit(reason) works as before once the start is over: the scope ended with it.
    expect(await Supervisor.startChild(sup, { id: 'y', start: idle })).toMatchObject({ type: 'ok' });
  });

  it('makes DynamicSupervisor.startChild return the error; the supervisor lives on', async () => {
    const rt = runtime();
    const sup = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    expect(await DynamicSupervisor.startChild(sup, { start })).toEqual({ type: 'error', reason });
    expect(rt.isAlive(sup)).toBe(true);
    expect(await DynamicSupervisor.countChildren(sup)).toEqual({ specs: 0, active: 0, supervisors: 0, workers: 0 });
  });

  it('makes Supervisor.restartChild return the error and keeps the spec, stopped', async () => {
    const rt = runtime();
    let fail = false;
    const sup = pidOf(await Supervisor.start({ children: [{ id: 'x', start: (ctx) => (fail ? start(ctx) : idle(ctx)) }] }, { runtime: rt }));
    await Supervisor.terminateChild(sup, 'x');
    fail = true;
    expect(await Supervisor.restartChild(sup, 'x')).toEqual({ type: 'error', reason });
    expect(rt.isAlive(sup)).toBe(true);
    expect(await Supervisor.whichChildren(sup)).toEqual([{ id: 'x', pid: undefined, type: 'worker' }]);
  });

  it('fails the start of a supervisor it is a child of, after stopping the children started before it', async () => {
    const rt = runtime();
    const parent = await startPuppet(rt, { trapExit: true });
    let first: Pid | undefined;
    const a = (sup: Context): Supervisor.ChildStartResult => {
      const result = idle(sup);
      first = (result as { pid: Pid }).pid;
      return result;
    };
    const result = await parent.act((ctx) => Supervisor.startLink(ctx, { children: [{ id: 'a', start: a }, { id: 'b', start }] }));
    const failed: ExitReason = { tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: 'b', reason } };
    expect(result).toEqual({ type: 'error', reason: failed });
    expect(rt.isAlive(first!)).toBe(false);
    expect((await parent.mailbox()).filter((m) => isExit(m))).toEqual([expect.objectContaining({ type: 'EXIT', reason: failed })]);
    expect(log.records.filter((r) => r['label'] === 'supervisor.start_error')).toEqual([expect.objectContaining({ id: 'b' })]);
  });
});

describe('a restart whose start function calls sup.exit', () => {
  it('is a failed restart, reported and tried again, until the supervisor gives up with shutdown', async () => {
    const rt = runtime();
    let starts = 0;
    const start = (sup: Context): Supervisor.ChildStartResult => (++starts === 1 ? idle(sup) : sup.exit('again'));
    const parent = await startPuppet(rt, { trapExit: true });
    const sup = pidOf(await parent.act((ctx) => Supervisor.startLink(ctx, { intensity: 2, children: [{ id: 'x', start }] })));
    const [x] = (await Supervisor.whichChildren(sup)).map((c) => c.pid!);
    const w = await watch(rt, [sup]);
    rt.exit(x!, 'boom');
    expect(await w.down(sup)).toBe('shutdown'); // the supervisor's own choice, not the start's exit
    expect(starts).toBe(3); // the first start, then two failed restarts within the intensity
    expect(log.records.filter((r) => r['label'] === 'supervisor.start_error').map((r) => r['reason'])).toEqual(['"again"', '"again"']);
  });
});

describe('sup.exit(pid, reason) in a start function', () => {
  it('keeps its effect: exit signals are not what a start catches (as OTP)', async () => {
    const rt = runtime();
    const sup = pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
    const w = await watch(rt, [sup]);
    const result = Supervisor.startChild(sup, { id: 'x', start: (ctx) => (ctx.exit(ctx.self, 'kill'), idle(ctx)) });
    expect(await w.down(sup)).toBe('killed');
    await expect(result).rejects.toMatchObject({ reason: 'killed' });
  });
});

async function startedSup(rt: Runtime): Promise<Pid> {
  return pidOf(await Supervisor.start({ children: [] }, { runtime: rt }));
}

describe('a start function that catches its own sup.exit', () => {
  it('goes on, as Erlang code that catches exit/1 does', async () => {
    const rt = runtime();
    const sup = await startedSup(rt);
    const start = (ctx: Context): Supervisor.ChildStartResult => {
      try {
        ctx.exit('changed my mind');
      } catch {
        // caught: the start goes on
      }
      return idle(ctx);
    };
    expect(await Supervisor.startChild(sup, { id: 'x', start })).toMatchObject({ type: 'ok' });
  });
});
