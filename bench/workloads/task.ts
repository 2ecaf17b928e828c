/**
 * Tasks: 100,000 sequential `Task.async` + `Task.await` from one process, and 100,000 items through
 * an async stream.
 *
 * ts-otp: each round starts a task linked to and monitored by the owner, whose function returns a
 * plain number; the owner awaits it (the reply, then the DOWN taken with it). Elixir's twin
 * (bench/elixir/task.exs) does the same with `Task.async/1` and `Task.await/1` on one scheduler.
 * Baseline: the plainest Node code that runs a function as its own unit of work and waits for
 * its result: a baseline process (an async function with a mailbox) per round, which sends its
 * result to the waiting owner's mailbox. The figure is the wall time of the 100k rounds.
 *
 * The stream workload maps 100k numbers through `Task.asyncStream` with `maxConcurrency: 8`
 * (Elixir: `Task.async_stream(1..100_000, f, max_concurrency: 8) |> Stream.run()`); its baseline
 * keeps 8 baseline processes busy over the input, results in order.
 *
 * @module
 */
import { Task, type Runtime } from 'ts-otp';
import { Mailbox, spawn } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const N = 100_000;
const STREAM_N = 100_000;
const CONCURRENCY = 8;

export const taskAsyncAwaitWorkload: Workload = {
  name: 'task-async-await',
  title: 'Task.async + Task.await, 100k sequential',
  unit: 'ms',
  better: 'lower',
  runs: 7,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 }, // issue 15: at least 2x Elixir on one scheduler
  otp: (rt: Runtime) =>
    rt.run(async (ctx) => {
      const t0 = now();
      let sum = 0;
      for (let i = 0; i < N; i++) sum += await Task.await(ctx, Task.async(ctx, () => i));
      const ms = now() - t0;
      check(sum === (N * (N - 1)) / 2, 'every task answered');
      return ms;
    }),
  baseline: async () => {
    const owner = new Mailbox<number>();
    const t0 = now();
    let sum = 0;
    for (let i = 0; i < N; i++) {
      spawn(async () => owner.send(i));
      sum += await owner.receive();
    }
    const ms = now() - t0;
    check(sum === (N * (N - 1)) / 2, 'every baseline task answered');
    return ms;
  },
};

function* numbers(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export const taskAsyncStreamWorkload: Workload = {
  name: 'task-async-stream',
  title: 'Task.asyncStream of 100k items, maxConcurrency 8',
  unit: 'ms',
  better: 'lower',
  runs: 5,
  target: { kind: 'vs-erlang', value: 1 },
  otp: (rt: Runtime) =>
    rt.run(async (ctx) => {
      const t0 = now();
      let sum = 0;
      for await (const item of Task.asyncStream(ctx, numbers(STREAM_N), (i) => i, { maxConcurrency: CONCURRENCY })) {
        if (item.type === 'ok') sum += item.value;
      }
      const ms = now() - t0;
      check(sum === (STREAM_N * (STREAM_N - 1)) / 2, 'every item came back');
      return ms;
    }),
  baseline: async () => {
    // At most CONCURRENCY units of work at once, results taken in input order.
    const owner = new Mailbox<{ readonly i: number; readonly value: number }>();
    const t0 = now();
    const input = numbers(STREAM_N);
    const done = new Map<number, number>();
    let started = 0;
    let next = 0;
    let sum = 0;
    const startOne = (): boolean => {
      const step = input.next();
      if (step.done === true) return false;
      const i = step.value;
      started++;
      spawn(async () => owner.send({ i, value: i }));
      return true;
    };
    for (let k = 0; k < CONCURRENCY && startOne(); k++);
    while (next < started) {
      const { i, value } = await owner.receive();
      done.set(i, value);
      while (done.has(next)) {
        sum += done.get(next)!;
        done.delete(next++);
      }
      startOne();
    }
    const ms = now() - t0;
    check(sum === (STREAM_N * (STREAM_N - 1)) / 2, 'every baseline item came back');
    return ms;
  },
};
