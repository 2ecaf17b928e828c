/**
 * Helpers of the task tests: a runtime per test on a clock moved by hand, so that timeouts pass
 * without waiting, and small shapes the tests compare with.
 *
 * @module
 */
import type { Runtime } from 'ts-otp';
import { manualClock, useRuntime, type ManualClock } from '../support/runtime.js';

/**
 * A fresh runtime per test on a manual clock (call at file level), and `timed(run, ...steps)`:
 * `run`'s outcome, the clock moved by each step (ms) whenever every process waits.
 */
export function useTimedRuntime(): { rt: () => Runtime; timed: <T>(run: Promise<T>, ...steps: number[]) => Promise<T> } {
  let clock: ManualClock;
  const rt = useRuntime(() => ({ clock: (clock = manualClock()) }));
  const timed = async <T>(run: Promise<T>, ...steps: number[]): Promise<T> => {
    for (const ms of steps) {
      await rt().settle();
      clock.advance(ms);
    }
    return run;
  };
  return { rt, timed };
}

/** The reason ts-otp gives for `exit(value)` with any value that is not a well-known reason. */
export const exitOf = (value: unknown) => ({ tag: 'exit', value });

/** Whether a message is an EXIT. */
export const isExit = (m: unknown): boolean => (m as { type?: unknown }).type === 'EXIT';

/** Every item of an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) out.push(item);
  return out;
}
