/**
 * Type tests: a supervisor ref names what it points to.
 *
 * A Supervisor's pid or name (from `Supervisor.start`, `Supervisor.named`) is refused by the
 * DynamicSupervisor functions and the reverse; a plain Pid (a child's, from `whichChildren`) is
 * taken by both, and the run-time check answers a wrong pairing with an InvalidArgumentError.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { DynamicSupervisor, Supervisor, type Pid } from 'ts-otp';

declare const sup: Supervisor.SupervisorPid;
declare const dyn: DynamicSupervisor.DynamicSupervisorPid;
declare const child: Pid;

describe('supervisor refs', () => {
  it('types the pids that start returns by kind', async () => {
    const s = await Supervisor.start({ children: [] });
    if (s.type === 'ok') expectTypeOf(s.pid).toEqualTypeOf<Supervisor.SupervisorPid>();
    const d = await DynamicSupervisor.start();
    if (d.type === 'ok') expectTypeOf(d.pid).toEqualTypeOf<DynamicSupervisor.DynamicSupervisorPid>();
    expectTypeOf(Supervisor.named('root')).toEqualTypeOf<Supervisor.SupervisorName>();
    expectTypeOf(DynamicSupervisor.named('jobs')).toEqualTypeOf<DynamicSupervisor.DynamicSupervisorName>();
  });

  it('refuses a DynamicSupervisor to the Supervisor functions', () => {
    // @ts-expect-error a DynamicSupervisor has no restartChild
    void Supervisor.restartChild(dyn, 'x');
    // @ts-expect-error by name too
    void Supervisor.restartChild(DynamicSupervisor.named('jobs'), 'x');
    // @ts-expect-error
    void Supervisor.startChild(dyn, { id: 'x', start: () => ({ type: 'ignore' }) });
    // @ts-expect-error
    void Supervisor.terminateChild(dyn, 'x');
    // @ts-expect-error
    void Supervisor.deleteChild(dyn, 'x');
    // @ts-expect-error
    void Supervisor.whichChildren(dyn);
    // @ts-expect-error
    void Supervisor.countChildren(dyn);
    // @ts-expect-error
    void Supervisor.stop(dyn);
  });

  it('refuses a Supervisor to the DynamicSupervisor functions', () => {
    // @ts-expect-error
    void DynamicSupervisor.startChild(sup, { start: () => ({ type: 'ignore' }) });
    // @ts-expect-error by name too
    void DynamicSupervisor.startChild(Supervisor.named('root'), { start: () => ({ type: 'ignore' }) });
    // @ts-expect-error
    void DynamicSupervisor.terminateChild(sup, child);
    // @ts-expect-error
    void DynamicSupervisor.whichChildren(sup);
    // @ts-expect-error
    void DynamicSupervisor.countChildren(sup);
    // @ts-expect-error
    void DynamicSupervisor.stop(sup);
  });

  it('takes the right kind, a plain pid for both, and either kind for tree', () => {
    expectTypeOf(Supervisor.whichChildren(sup)).toEqualTypeOf<Promise<Supervisor.ChildInfo[]>>();
    expectTypeOf(DynamicSupervisor.whichChildren(dyn)).toEqualTypeOf<Promise<DynamicSupervisor.DynamicChildInfo[]>>();
    void Supervisor.whichChildren(child);
    void DynamicSupervisor.whichChildren(child);
    expectTypeOf(Supervisor.tree(sup)).toEqualTypeOf<Promise<Supervisor.TreeNode[]>>();
    void Supervisor.tree(dyn);
    void Supervisor.tree(DynamicSupervisor.named('jobs'));
  });

  it("types DynamicSupervisor.startChild's ok with a pid, and ignore apart", async () => {
    const r = await DynamicSupervisor.startChild(dyn, { start: () => ({ type: 'ignore' }) });
    if (r.type === 'ok') expectTypeOf(r.pid).toEqualTypeOf<Pid>();
    if (r.type === 'ignore') expectTypeOf(r).toEqualTypeOf<{ readonly type: 'ignore' }>();
  });
});
