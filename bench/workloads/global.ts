/**
 * Global names: 1,000,000 `Global.whereis` lookups over 1,000 registered names.
 *
 * A node registers 1,000 processes under global names, then one process looks names up, a
 * million times, cycling through them; the figure is the wall time of the lookups, in ms. A
 * lookup reads the node's copy of the table, with no message (Erlang's `global:whereis_name/1`
 * reads an ETS table). Baseline: the plainest Node code doing the same lookups, a Map from name
 * to pid. Twin: bench/elixir/global.exs, Erlang's `:global.whereis_name` on one scheduler.
 *
 * @module
 */
import { Global, Node, type Pid, type Runtime } from 'ts-otp';
import { check, now, scaled, type Workload } from '../harness.js';

const NAMES = 1_000;
const LOOKUPS = 1_000_000;

const names = Array.from({ length: NAMES }, (_, i) => `name-${i}`);

async function otp(rt: Runtime): Promise<number> {
  Node.start(rt, { name: 'bench' });
  try {
    for (const name of names) {
      if (!(await Global.register(rt, name, rt.spawn((ctx) => ctx.receive())))) throw new Error(`${name} was not registered`);
    }
    const lookups = scaled(LOOKUPS);
    return await rt.run(async (ctx) => {
      const t0 = now();
      let found = 0;
      for (let i = 0; i < lookups; i++) if (Global.whereis(ctx, names[i % NAMES]!) !== undefined) found++;
      const ms = now() - t0;
      check(found === lookups, 'every lookup found its process');
      return ms;
    });
  } finally {
    await Node.stop(rt);
  }
}

async function baseline(): Promise<number> {
  const table = new Map<string, Pid>(names.map((name, i) => [name, `<1.${i}.0>` as Pid]));
  const lookups = scaled(LOOKUPS);
  await Promise.resolve();
  const t0 = now();
  let found = 0;
  for (let i = 0; i < lookups; i++) if (table.get(names[i % NAMES]!) !== undefined) found++;
  const ms = now() - t0;
  check(found === lookups, 'every baseline lookup found its pid');
  return ms;
}

export const globalWorkload: Workload = {
  name: 'global-whereis',
  title: 'Global.whereis, 1M lookups over 1k names',
  unit: 'ms',
  better: 'lower',
  runs: 7,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 },
  otp,
  baseline,
};
