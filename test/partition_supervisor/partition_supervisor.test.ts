import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, InvalidArgumentError, Next, NoProcError, PartitionSupervisor, Registry, type Pid } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { awaitDown } from '../support/probes.js';

const runtime = useRuntime();

interface Shard { arg: number; state: number; call: { readonly type: 'which' }; reply: { which: number } }
const shard: GenServer.Behaviour<Shard> = { init: (n) => Next.ok(n), handleCall: { which: (_r, _f, n) => Next.reply(n, n) } };
const shards = (partitions: number) => ({
  name: 'shards',
  partitions,
  childSpec: (partition: number) => ({ id: 'shard', start: (sup: import('ts-otp').Context) => GenServer.startLink(sup, shard, partition) }),
});

const which = (key: unknown) => GenServer.call(GenServer.named<Shard>(PartitionSupervisor.via(PartitionSupervisor.named('shards', runtime()), key)), { type: 'which' });

describe('PartitionSupervisor', () => {
  it('starts one child per partition, with ids 0 to N-1', async () => {
    const rt = runtime();
    await PartitionSupervisor.start({ ...shards(4), runtime: rt });
    const children = await PartitionSupervisor.whichChildren(PartitionSupervisor.named('shards', rt));
    expect(children.map((c) => c.id)).toEqual(['3', '2', '1', '0']); // newest first, as OTP's which_children
    expect(PartitionSupervisor.partitions(PartitionSupervisor.named('shards', rt))).toBe(4);
  });

  it('routes an integer key to |key| mod N, and any key to the same partition each time', async () => {
    const rt = runtime();
    await PartitionSupervisor.start({ ...shards(4), runtime: rt });
    expect(await Promise.all([0, 1, 5, -6, 11].map(which))).toEqual([0, 1, 1, 2, 3]);
    const first = await which('user-17');
    expect(await which('user-17')).toBe(first);
    const spread = new Set(await Promise.all(Array.from({ length: 40 }, (_, i) => which(`user-${i}`))));
    expect(spread.size).toBe(4);
  });

  it('routes to the restarted partition once its supervisor has restarted it', async () => {
    const rt = runtime();
    await PartitionSupervisor.start({ ...shards(2), runtime: rt });
    const via = PartitionSupervisor.via(PartitionSupervisor.named('shards', rt), 1);
    const before = rt.whereis(via)!;
    const down = awaitDown(rt, before);
    await rt.settle();
    rt.exit(before, 'boom');
    await down;
    await rt.settle();
    const after = rt.whereis(via);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await which(1)).toBe(1);
  });

  it('spreads DynamicSupervisor children through a via name', async () => {
    const rt = runtime();
    await PartitionSupervisor.start({ name: 'dyn', partitions: 3, childSpec: { id: 'dyn', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup) }, runtime: rt });
    const dyn = PartitionSupervisor.named('dyn', rt);
    const job = { id: 'job', start: (sup: import('ts-otp').Context) => ({ type: 'ok' as const, pid: sup.spawnLink((c) => c.receive()) }) };
    for (let i = 0; i < 6; i++) await DynamicSupervisor.startChild(DynamicSupervisor.named(PartitionSupervisor.via(dyn, i)), job);
    const counts = await Promise.all([0, 1, 2].map((p) => DynamicSupervisor.countChildren(DynamicSupervisor.named(PartitionSupervisor.via(dyn, p)))));
    expect(counts.map((c) => c.active)).toEqual([2, 2, 2]);
  });

  it('can itself be named by a via name, and stops with its partitions', async () => {
    const rt = runtime();
    await Registry.start({ keys: 'unique', name: 'names', runtime: rt });
    const name = Registry.via(Registry.named<string, null>('names', rt), 'shards');
    await PartitionSupervisor.start({ ...shards(2), name, runtime: rt });
    const ref = PartitionSupervisor.named(name);
    expect(PartitionSupervisor.partitions(ref)).toBe(2);
    const p0 = rt.whereis(PartitionSupervisor.via(ref, 0)) as Pid;
    await PartitionSupervisor.stop(ref);
    expect(rt.isAlive(p0)).toBe(false);
    expect(() => PartitionSupervisor.partitions(ref)).toThrow(NoProcError);
  });

  it('refuses bad options at the call, and registering under its via name', async () => {
    const rt = runtime();
    expect(() => PartitionSupervisor.start({ name: 'x', childSpec: 5 as never, runtime: rt })).toThrow(/options.childSpec/);
    expect(() => PartitionSupervisor.start({ name: 'x', partitions: 0, childSpec: { id: 'a', start: () => ({ type: 'ignore' }) }, runtime: rt })).toThrow(/options.partitions/);
    expect(() => PartitionSupervisor.start({ childSpec: { id: 'a', start: () => ({ type: 'ignore' }) }, runtime: rt } as never)).toThrow(/options.name/);
    expect(() => PartitionSupervisor.partitions(PartitionSupervisor.named('nobody', rt))).toThrow(NoProcError);
    expect(() => rt.whereis(PartitionSupervisor.via(PartitionSupervisor.named('nobody', rt), 1))).toThrow(NoProcError);
    await PartitionSupervisor.start({ ...shards(1), runtime: rt });
    // As gen:start, the caller asks whereis first: the partition is there, so already_started.
    const via = PartitionSupervisor.via(PartitionSupervisor.named('shards', rt), 0);
    expect(await GenServer.start(shard, 0, { runtime: rt, name: via })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: rt.whereis(via) } });
    expect(() => via.via.registerName(via.name, rt.whereis(via)!)).toThrow(InvalidArgumentError);
  });
});
