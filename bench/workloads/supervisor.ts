/**
 * Supervisor workloads: restarts per second, starting and stopping 10,000 children, and a
 * one_for_all restart of 1,000 children.
 *
 * Restarts: a one_for_one supervisor (intensity high enough never to trip) has one child that
 * exits with 'crash' as soon as it starts; the figure is restarts per second until the 20,000th
 * start, after which the child stays up. Baseline: the bare spawn-crash-respawn loop in plain
 * Node: an async function that throws, called again each time its promise rejects.
 * Start/stop: a supervisor with 10,000 idle children is started, then stopped (each child by
 * its own shutdown); the figure is the time for both. One-for-all: one of 1,000 idle children
 * of a one_for_all supervisor crashes; the figure is the time until all 1,000 have been stopped
 * and started again. Their baselines are the same numbers of plain async functions started
 * and then resolved.
 *
 * @module
 */
import { Supervisor, type Context, type Pid, type Runtime } from 'ts-otp';
import { check, now, type Workload } from '../harness.js';

const RESTARTS = 20_000;
const MANY = 10_000;
const GROUP = 1_000;

/** A child that waits in receive until it is stopped; the supervisor-scale workloads use it too. */
export const idle = (id: string): Supervisor.ChildSpec => ({ id, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx: Context) => ctx.receive()) }) });

/** Starts a supervisor linked to an owner process that waits for 'stop'; resolves with its pid and a stop function. */
async function supervise(rt: Runtime, spec: Supervisor.SupervisorSpec): Promise<Pid> {
  const started = await Supervisor.start(spec, { runtime: rt });
  if (started.type !== 'ok') throw new Error(`the supervisor did not start: ${JSON.stringify(started)}`);
  return started.pid;
}

export const restartWorkload: Workload = {
  name: 'sup-restarts',
  title: 'supervisor restarts of a crashing child',
  unit: 'restarts/s',
  better: 'higher',
  runs: 3,
  target: { kind: 'min-ratio', value: 0.25 },
  otp: async (rt) => {
    let starts = 0;
    let t0 = 0;
    let done: (ms: number) => void = () => {};
    const finished = new Promise<number>((resolve) => (done = resolve));
    const flaky: Supervisor.ChildSpec = {
      id: 'flaky',
      start: (sup) => ({
        type: 'ok',
        pid: sup.spawnLink((ctx: Context) => {
          if (++starts === 1) t0 = now();
          if (starts <= RESTARTS) ctx.exit('crash');
          done(now() - t0);
          return ctx.receive();
        }),
      }),
    };
    const sup = await supervise(rt, { strategy: 'one_for_one', intensity: 10 * RESTARTS, period: 5, children: [flaky] });
    const ms = await finished;
    check(starts === RESTARTS + 1, 'every crash was restarted');
    await Supervisor.stop(sup);
    return (RESTARTS / ms) * 1000;
  },
  baseline: async () => {
    let starts = 0;
    const t0 = now();
    const body = async (): Promise<void> => {
      starts++;
      throw new Error('crash');
    };
    await new Promise<void>((resolve) => {
      const respawn = (): void => {
        if (starts >= RESTARTS) resolve();
        else body().catch(respawn);
      };
      respawn();
    });
    return (RESTARTS / (now() - t0)) * 1000;
  },
};

/** N plain async functions that each wait for their own resolve, started then all released: the baseline of start/stop. */
async function startAndRelease(n: number): Promise<number> {
  const t0 = now();
  const releases: Array<() => void> = [];
  const running: Array<Promise<void>> = [];
  for (let i = 0; i < n; i++) running.push(new Promise<void>((resolve) => releases.push(resolve)).then(() => {}));
  for (const release of releases.reverse()) release();
  await Promise.all(running);
  return now() - t0;
}

export const startStopWorkload: Workload = {
  name: 'sup-start-stop',
  title: 'supervisor with 10k children: start + stop',
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'max', value: 1000 }, // both together under the 1 s each of them is allowed
  otp: async (rt) => {
    const children = Array.from({ length: MANY }, (_, i) => idle(`c${i}`));
    const t0 = now();
    const sup = await supervise(rt, { children });
    const counted = await Supervisor.countChildren(sup);
    await Supervisor.stop(sup);
    const ms = now() - t0;
    check(counted.active === MANY, 'all children ran');
    check(rt.processes().length === 0, 'all children stopped');
    return ms;
  },
  baseline: () => startAndRelease(MANY),
};

export const oneForAllWorkload: Workload = {
  name: 'sup-one-for-all',
  title: 'one_for_all restart of 1k children',
  unit: 'ms',
  better: 'lower',
  runs: 15, // a run takes milliseconds: more of them, so the median is of compiled code
  target: { kind: 'max', value: 1000 },
  otp: async (rt) => {
    const children = Array.from({ length: GROUP }, (_, i) => idle(`c${i}`));
    const sup = await supervise(rt, { strategy: 'one_for_all', intensity: 10, children });
    const before = await Supervisor.whichChildren(sup);
    const t0 = now();
    rt.exit(before[GROUP >> 1]!.pid as Pid, 'crash');
    const after = await Supervisor.whichChildren(sup); // answered once the restart is over
    const ms = now() - t0;
    check(after.every((c, i) => c.pid !== undefined && c.pid !== before[i]!.pid), 'every child was restarted');
    await Supervisor.stop(sup);
    return ms;
  },
  baseline: () => startAndRelease(GROUP),
};
