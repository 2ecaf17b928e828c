import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type DownMessage } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('spawn', () => {
  it('runs the function in a new process that ends normally when it returns', async () => {
    const rt = runtime();
    const down = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor(() => 'done');
      const msg = (await ctx.receive()) as DownMessage;
      return { pid, ref, msg };
    });
    expect(down.msg).toEqual({ type: 'DOWN', ref: down.ref, pid: down.pid, name: undefined, reason: 'normal' });
    expect(rt.isAlive(down.pid)).toBe(false);
  });

  it('refuses a non-function at the call and leaves the runtime intact', async () => {
    const rt = runtime();
    expect(() => rt.spawn(42 as never)).toThrow(InvalidArgumentError);
    expect(() => rt.spawn(42 as never)).toThrow("spawn: argument 'fn' must be a function, got 42");
    expect(rt.processes()).toEqual([]);
    expect(await rt.run(() => 'still works')).toBe('still works');
  });
});
