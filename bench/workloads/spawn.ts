/**
 * Spawn-and-finish: start 1,000,000 processes whose body just returns, and wait until all have exited.
 *
 * ts-otp: `rt.spawn(async () => {})` in a loop, then `await rt.settle()`, which resolves once no
 * process is left running; it costs one promise, however many processes there are, so the wait
 * does not weigh on the figure (counting 'exit' events would add a listener call per process).
 * Baseline: calls an async function per process, each with a new mailbox, and counts the
 * settled promises down to zero. The figure is the time from the first spawn until the last
 * exit.
 *
 * @module
 */
import { spawn } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const N = 1_000_000;

/** Both versions' process body: it just returns. Defined once, as an application's would be. */
const body = async (): Promise<void> => {};

export const spawnWorkload: Workload = {
  name: 'spawn',
  title: 'spawn-and-finish, 1M processes',
  unit: 'ms',
  better: 'lower',
  runs: 7, // this machine is shared: more pairs, a steadier median
  target: { kind: 'max-ratio', value: 1.3 },

  otp: async (rt) => {
    const t0 = now();
    for (let i = 0; i < N; i++) rt.spawn(body);
    await rt.settle();
    const elapsed = now() - t0;
    check(rt.processes().length === 0, 'every process has exited');
    return elapsed;
  },

  baseline: async () => {
    let live = 0;
    let allDone: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    const exited = (): void => {
      if (--live === 0) allDone();
    };
    const t0 = now();
    for (let i = 0; i < N; i++) {
      live++;
      spawn(body, exited);
    }
    await finished;
    return now() - t0;
  },
};
