/**
 * Supervisor.tree: the live tree under a supervisor of either kind, children in start order at
 * every level, each running supervisor with its kind and its own children.
 */
import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Next, Supervisor, type Pid } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';
import { idle } from '../support/supervisor.js';

const runtime = useRuntime();


describe('Supervisor.tree', () => {
  it('lists every level in start order, with the kind and children of each running supervisor', async () => {
    const rt = runtime();
    const root = pidOf(
      await Supervisor.start(
        {
          children: [
            { id: 'a', start: idle },
            Supervisor.supervisor('inner', { children: [{ id: 'b', start: idle }, { id: 'c', start: idle, restart: 'transient' }] }, { name: 'inner' }),
            { id: 'jobs', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup, { name: 'jobs' }) },
          ],
        },
        { runtime: rt },
      ),
    );
    await Supervisor.terminateChild(Supervisor.named('inner', rt), 'c');
    const jobs = DynamicSupervisor.named('jobs', rt);
    const j1 = await DynamicSupervisor.startChild(jobs, { id: 'j1', start: idle });
    const j2 = await DynamicSupervisor.startChild(jobs, { start: idle });
    const pids = new Map((await Supervisor.whichChildren(root)).map((c) => [c.id, c.pid]));
    const [b] = (await Supervisor.whichChildren(Supervisor.named('inner', rt))).filter((c) => c.id === 'b');
    expect(await Supervisor.tree(root)).toEqual([
      { id: 'a', pid: pids.get('a'), type: 'worker' },
      {
        id: 'inner',
        pid: pids.get('inner'),
        type: 'supervisor',
        kind: 'supervisor',
        children: [
          { id: 'b', pid: b!.pid, type: 'worker' },
          { id: 'c', pid: undefined, type: 'worker' },
        ],
      },
      {
        id: 'jobs',
        pid: pids.get('jobs'),
        type: 'supervisor',
        kind: 'dynamic',
        children: [
          { id: 'j1', pid: (j1 as { pid: Pid }).pid, type: 'worker' },
          { id: undefined, pid: (j2 as { pid: Pid }).pid, type: 'worker' },
        ],
      },
    ]);
  });

  it('walks from a DynamicSupervisor, by pid or by name', async () => {
    const rt = runtime();
    const dyn = pidOf(await DynamicSupervisor.start({ runtime: rt, name: 'top' }));
    const inner = await DynamicSupervisor.startChild(dyn, { id: 'inner', type: 'supervisor', start: (sup) => Supervisor.startLink(sup, { children: [{ id: 'w', start: idle }] }) });
    const expected = [{ id: 'inner', pid: (inner as { pid: Pid }).pid, type: 'supervisor', kind: 'supervisor', children: [{ id: 'w', pid: expect.any(String), type: 'worker' }] }];
    expect(await Supervisor.tree(dyn)).toEqual(expected);
    expect(await Supervisor.tree(DynamicSupervisor.named('top', rt))).toEqual(expected);
  });

  it("leaves as leaves the children typed 'supervisor' that are no ts-otp supervisor, and asks them nothing", async () => {
    const rt = runtime();
    interface Echo {
      state: null;
      call: { readonly type: 'echo' };
      reply: { echo: string };
    }
    const server: GenServer.Behaviour<Echo> = { init: () => Next.ok(null), handleCall: { echo: (_r, _f, s) => Next.reply('echo', s) } };
    const root = pidOf(
      await Supervisor.start(
        {
          children: [
            { id: 'plain', type: 'supervisor', start: idle },
            { id: 'server', type: 'supervisor', start: (sup) => GenServer.startLink(sup, server, undefined) },
          ],
        },
        { runtime: rt },
      ),
    );
    const before = await Supervisor.whichChildren(root);
    const nodes = await Supervisor.tree(root);
    expect(nodes.map((n) => [n.id, n.kind, n.children])).toEqual([
      ['plain', undefined, undefined],
      ['server', undefined, undefined],
    ]);
    expect(await Supervisor.whichChildren(root)).toEqual(before); // nothing crashed or restarted
  });

  it('shows a supervisor restarted after a kill with its new pid', async () => {
    const rt = runtime();
    const root = pidOf(await Supervisor.start({ children: [Supervisor.supervisor('inner', { children: [] })] }, { runtime: rt }));
    const [inner] = await Supervisor.whichChildren(root);
    const w = await watch(rt, [inner!.pid!]);
    rt.exit(inner!.pid!, 'kill');
    await w.down(inner!.pid!);
    const nodes = await Supervisor.tree(root); // the restart is over before the supervisor answers
    expect(nodes).toEqual([{ id: 'inner', pid: expect.any(String), type: 'supervisor', kind: 'supervisor', children: [] }]);
    expect(nodes[0]!.pid).not.toBe(inner!.pid);
  });
});
