/**
 * Conformance, group L (PartitionSupervisor): one test per scenario of
 * test/conformance/l_partition_supervisor/, each an Elixir 1.14 script whose trace is stored
 * beside it; `./run.sh` there replays them all. The README there lists where ts-otp differs.
 */
import { describe, expect, it } from 'vitest';
import { CallError, DynamicSupervisor, GenServer, InvalidArgumentError, Next, NoProcError, PartitionSupervisor, Registry, type Context, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

interface Shard {
  arg: readonly [string, number];
  state: readonly [string, number];
  call: { readonly type: 'which' } | { readonly type: 'state' } | { readonly type: 'hang' };
  reply: { which: number; state: readonly [string, number]; hang: never };
}
const shard: GenServer.Behaviour<Shard> = {
  init: (arg) => Next.ok(arg),
  handleCall: {
    which: (_r, _f, s) => Next.reply(s[1], s),
    state: (_r, _f, s) => Next.reply(s, s),
    hang: (_r, _f, s) => Next.noreply(s),
  },
};

/** Each partition's Shard, told its partition (Elixir's :with_arguments in l_help.exs). */
const shardSpec = (partition: number) => ({ id: 'shard', start: (sup: Context) => GenServer.startLink(sup, shard, ['shard', partition] as const) });

/** L.shards/3 of l_help.exs: N Shards, each told its partition. */
function shards(name: string | import('ts-otp').Via, partitions: number, extra: Partial<PartitionSupervisor.PartitionSupervisorOptions> = {}) {
  return PartitionSupervisor.start({
    name,
    partitions,
    childSpec: shardSpec,
    runtime: runtime(),
    ...extra,
  });
}

/** {@link shards}, linked to `ctx`. */
async function shardsLinked(ctx: Context, partitions: number, extra: Partial<PartitionSupervisor.PartitionSupervisorOptions> = {}) {
  const started = await PartitionSupervisor.startLink(ctx, {
    name: 'P',
    partitions,
    childSpec: shardSpec,
    ...extra,
  });
  if (started.type !== 'ok') throw new Error('no start');
  return started;
}

const via = (key: unknown, name: string | import('ts-otp').Via = 'P') => PartitionSupervisor.via(typeof name === 'string' ? PartitionSupervisor.named(name, runtime()) : PartitionSupervisor.named(name), key);
const which = (key: unknown, name?: string | import('ts-otp').Via) => GenServer.call(GenServer.named<Shard>(via(key, name)), { type: 'which' });

describe('L. PartitionSupervisor', () => {
  it('L01 one child per partition, ids 0 to N-1, newest first', async () => {
    await shards('P', 4);
    const p = PartitionSupervisor.named('P', runtime());
    expect((await PartitionSupervisor.whichChildren(p)).map((c) => [c.id, c.pid !== undefined, c.type])).toEqual([
      ['3', true, 'worker'],
      ['2', true, 'worker'],
      ['1', true, 'worker'],
      ['0', true, 'worker'],
    ]);
    expect(await PartitionSupervisor.countChildren(p)).toEqual({ active: 4, specs: 4, supervisors: 0, workers: 4 });
    expect(PartitionSupervisor.partitions(p)).toBe(4);
  });

  it('L02 an integer key goes to partition |key| mod N', async () => {
    await shards('P', 4);
    expect(await Promise.all([0, 1, 5, -6, 11].map((k) => which(k)))).toEqual([0, 1, 1, 2, 3]);
  });

  it('L03 any other key goes to the same partition each time, and keys spread over all', async () => {
    await shards('P', 4);
    const first = await which('user-17');
    expect(await which('user-17')).toBe(first);
    const spread = new Set(await Promise.all(Array.from({ length: 40 }, (_, i) => which(`user-${i}`))));
    expect(spread.size).toBe(4);
  });

  it('L04 a crashed partition is restarted, and the via name reaches the new process', async () => {
    await shards('P', 2);
    const rt = runtime();
    const before = rt.whereis(via(1))!;
    const reason = await rt.run(async (ctx) => {
      const ref = ctx.monitor(before);
      ctx.exit(before, 'boom');
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(reason).toEqual({ tag: 'exit', value: 'boom' });
    await GenServer.getState(rt.whereis('P')!); // the supervisor has restarted it
    const later = rt.whereis(via(1));
    expect(later !== undefined && later !== before).toBe(true);
    expect(await which(1)).toBe(1);
  });

  it('L05 DynamicSupervisors under a partition supervisor share the children out by key', async () => {
    const rt = runtime();
    await PartitionSupervisor.start({ name: 'D', partitions: 3, childSpec: { id: 'dyn', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup) }, runtime: rt });
    const agent = { id: 'agent', start: (sup: Context) => ({ type: 'ok' as const, pid: sup.spawnLink((c) => c.receive()) }) };
    for (let i = 0; i < 6; i++) expect((await DynamicSupervisor.startChild(DynamicSupervisor.named(via(i, 'D')), agent)).type).toBe('ok');
    const active = await Promise.all([0, 1, 2].map(async (p) => (await DynamicSupervisor.countChildren(DynamicSupervisor.named(via(p, 'D')))).active));
    expect(active).toEqual([2, 2, 2]);
  });

  it('L06 a partition supervisor that is not running: partitions, whereis and call fail with noproc at once', async () => {
    const rt = runtime();
    expect(() => PartitionSupervisor.partitions(PartitionSupervisor.named('Nope', rt))).toThrow(NoProcError);
    expect(() => rt.whereis(via(1, 'Nope'))).toThrow(NoProcError);
    expect(() => GenServer.call(GenServer.named<Shard>(via(1, 'Nope')), { type: 'which' })).toThrow(NoProcError); // Elixir: exits noproc
    expect(await rt.run(() => 'alive')).toBe('alive');
  });

  it('L07 a call routed to a partition that does not answer times out; the partition stays', async () => {
    await shards('P', 2);
    const pid = runtime().whereis(via(0))!;
    expect(await GenServer.call(GenServer.named<Shard>(via(0)), { type: 'hang' }, 50).catch((e: CallError) => e.reason)).toBe('timeout');
    expect(runtime().isAlive(pid)).toBe(true);
  });

  it('L08 stop ends the supervisor with normal and every partition with shutdown', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const started = await shardsLinked(ctx, 2);
      const p0 = rt.whereis(via(0))!;
      const ref = ctx.monitor(p0);
      const stopped = await PartitionSupervisor.stop(PartitionSupervisor.named('P', rt));
      const partition = ((await ctx.receiveRef(ref)) as DownMessage).reason;
      const sup = ((await ctx.receive((m) => (m as ExitMessage).type === 'EXIT' && (m as ExitMessage).from === started.pid)) as ExitMessage).reason;
      return { stopped, partition, sup };
    });
    expect(seen).toEqual({ stopped: undefined, partition: 'shutdown', sup: 'normal' });
    expect(() => PartitionSupervisor.partitions(PartitionSupervisor.named('P', rt))).toThrow(NoProcError);
  });

  it('L09 starting a server under a partition\'s via name finds the partition: already_started', async () => {
    await shards('P', 2);
    const p0 = runtime().whereis(via(0));
    expect(await GenServer.start(shard, ['x', 9], { runtime: runtime(), name: via(0) })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: p0 } });
  });

  it('L10 each partition starts with arguments made for its partition number', async () => {
    await shards('P', 3);
    const states = await Promise.all([0, 1, 2].map((p) => GenServer.call(GenServer.named<Shard>(via(p)), { type: 'state' })));
    expect(states).toEqual([['shard', 0], ['shard', 1], ['shard', 2]]);
  });

  it('L11 a partition supervisor named by a Registry via name routes the same way', async () => {
    const rt = runtime();
    await Registry.start({ keys: 'unique', name: 'Names', runtime: rt });
    const names = Registry.named<string, null>('Names', rt);
    const name = Registry.via(names, 'shards');
    const started = await shards(name, 2);
    if (started.type !== 'ok') throw new Error('no start');
    expect(PartitionSupervisor.partitions(PartitionSupervisor.named(name))).toBe(2);
    expect(await Promise.all([0, 1, 2, 3].map((k) => which(k, name)))).toEqual([0, 1, 0, 1]);
    expect(Registry.lookup(names, 'shards').map((e) => [e.pid === started.pid, e.value])).toEqual([[true, undefined]]);
  });

  it('L12 a partition that keeps crashing exceeds the restart intensity: the supervisor exits with shutdown, and every partition', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const started = await shardsLinked(ctx, 2, { intensity: 1, period: 5 });
      const ref = ctx.monitor(rt.whereis(via(1))!);
      for (let i = 0; i < 2; i++) {
        const victim = rt.whereis(via(0)) as Pid;
        const down = ctx.monitor(victim);
        ctx.exit(victim, 'boom');
        await ctx.receiveRef(down);
        if (i === 0) await GenServer.getState(started.pid); // restarted once
      }
      const sup = ((await ctx.receive((m) => (m as ExitMessage).type === 'EXIT' && (m as ExitMessage).from === started.pid)) as ExitMessage).reason;
      const other = ((await ctx.receiveRef(ref)) as DownMessage).reason;
      return { sup, other };
    });
    expect(seen).toEqual({ sup: 'shutdown', other: 'shutdown' });
  });

  it('L13 bad options are refused at the call; the caller goes on', async () => {
    const rt = runtime();
    const spec = { id: 'x', start: () => ({ type: 'ignore' as const }) };
    expect(() => PartitionSupervisor.start({ childSpec: spec, runtime: rt } as never)).toThrow(InvalidArgumentError);
    expect(() => PartitionSupervisor.start({ name: 'P', runtime: rt } as never)).toThrow(InvalidArgumentError);
    expect(() => PartitionSupervisor.start({ name: 'P', childSpec: spec, partitions: 0, runtime: rt })).toThrow(InvalidArgumentError);
    expect(await rt.run(() => 'alive')).toBe('alive');
  });
});
