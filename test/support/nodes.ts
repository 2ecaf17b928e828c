/**
 * Test helpers for nodes: runtimes started as nodes for one test and stopped after it, with a
 * check that no worker thread they started is left.
 *
 * @module
 */
import { afterEach, expect } from 'vitest';
import { Node, Runtime, TIMEOUT, type Context, type Pid, type RuntimeOptions } from 'ts-otp';
import { liveWorkers } from '../../src/node/index.js';

/** Makes nodes for one test; after it, stops each (ending its workers), kills what is left and checks no worker survives. */
export function useNodes(): (name: string, options?: RuntimeOptions & { tickMs?: number }) => Runtime {
  let made: Runtime[] = [];
  afterEach(async () => {
    const all = made;
    made = [];
    for (const rt of all) await Node.stop(rt);
    for (const rt of all) {
      rt.killAll();
      expect(liveWorkers(rt)).toBe(0);
    }
  });
  return (name, options = {}) => {
    const { tickMs, ...rest } = options;
    const rt = new Runtime(rest);
    Node.start(rt, tickMs === undefined ? { name } : { name, tickMs });
    made.push(rt);
    return rt;
  };
}

/** What {@link useNodes} returns: makes a node for the current test. */
export type MakeNode = ReturnType<typeof useNodes>;

/** Nodes `a` and `b`, made by `node` and connected to each other. */
export async function connectedPair(node: MakeNode): Promise<{ a: Runtime; b: Runtime }> {
  const a = node('a');
  const b = node('b');
  await Node.connect(a, b);
  return { a, b };
}

/** Every message waiting in the process's mailbox, oldest first, taken without waiting. */
export async function drain(ctx: Context): Promise<unknown[]> {
  const got: unknown[] = [];
  for (;;) {
    const m = await ctx.receive(0);
    if (m === TIMEOUT) return got;
    got.push(m);
  }
}

/** A process on `rt` that runs the functions it is given, as itself; `act` resolves with the result. */
export interface NodePuppet {
  readonly pid: Pid;
  act<T>(f: (ctx: Context) => T): Promise<Awaited<T>>;
}

/** Spawns a {@link NodePuppet} on `rt`, trapping exits or not. Its jobs wait in the test, not in its mailbox. */
export function puppet(rt: Runtime, trap = false): NodePuppet {
  const jobs: Array<{ f: (ctx: Context) => unknown; done: (v: unknown) => void }> = [];
  const pid = rt.spawn(async (ctx) => {
    ctx.trapExit(trap);
    for (;;) {
      await ctx.receive((m) => m === JOB);
      const job = jobs.shift()!;
      job.done(await job.f(ctx));
    }
  });
  return {
    pid,
    act: <T>(f: (ctx: Context) => T) =>
      new Promise<Awaited<T>>((resolve) => {
        jobs.push({ f, done: resolve as (v: unknown) => void });
        rt.send(pid, JOB);
      }),
  };
}

const JOB = 'puppet job';

/** The absolute path of a fixture module, for remote spawns. */
export function fixture(file: string): string {
  return new URL(`../node/fixtures/${file}`, import.meta.url).pathname;
}
