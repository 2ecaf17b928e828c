/**
 * Registry: 1,000,000 register + lookup + unregister, by 10,000 processes of 100 each.
 *
 * Each process registers a key of its own in a unique registry, looks it up, unregisters it,
 * 100 times, then tells the parent it is done; the figure is the wall time from the first spawn
 * to the last "done", in ms. As in Elixir, a process's first key links it to the registry and
 * its last unregister unlinks it, so each of the 1M rounds also links and unlinks. Baseline: the
 * plainest Node code doing the same bookkeeping, a Map from key to owner set, read and deleted,
 * in a loop. Twin: bench/elixir/registry.exs, Elixir's Registry on one scheduler.
 *
 * @module
 */
import { Registry, type Runtime } from 'ts-otp';
import { check, now, type Workload } from '../harness.js';

const PROCS = 10_000;
const ROUNDS = 100;

async function otp(rt: Runtime): Promise<number> {
  const started = await Registry.start<number, number>({ keys: 'unique', name: 'bench_registry', runtime: rt });
  if (started.type !== 'ok') throw new Error('the registry did not start');
  const reg = Registry.named<number, number>('bench_registry', rt);
  return rt.run(async (parent) => {
    const t0 = now();
    for (let i = 0; i < PROCS; i++) {
      parent.spawn((ctx) => {
        const base = i * ROUNDS;
        let found = 0;
        for (let j = 0; j < ROUNDS; j++) {
          const key = base + j;
          Registry.register(ctx, reg, key, j);
          found += Registry.lookup(reg, key).length;
          Registry.unregister(ctx, reg, key);
        }
        ctx.send(parent.self, found);
      });
    }
    let total = 0;
    for (let i = 0; i < PROCS; i++) total += (await parent.receive()) as number;
    const ms = now() - t0;
    check(total === PROCS * ROUNDS && Registry.count(reg) === 0, 'every key was found once and none is left');
    return ms;
  });
}

async function baseline(): Promise<number> {
  const table = new Map<number, { readonly owner: number; readonly value: number }>();
  const t0 = now();
  let found = 0;
  for (let i = 0; i < PROCS; i++) {
    const base = i * ROUNDS;
    for (let j = 0; j < ROUNDS; j++) {
      const key = base + j;
      if (!table.has(key)) table.set(key, { owner: i, value: j });
      if (table.get(key) !== undefined) found++;
      table.delete(key);
    }
    await Promise.resolve(); // one turn per "process", as each ends with a message to the parent
  }
  const ms = now() - t0;
  check(found === PROCS * ROUNDS && table.size === 0, 'every baseline key was found once');
  return ms;
}

export const registryWorkload: Workload = {
  name: 'registry',
  title: 'Registry register+lookup+unregister, 1M by 10k procs',
  unit: 'ms',
  better: 'lower',
  runs: 7,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 },
  otp,
  baseline,
};
