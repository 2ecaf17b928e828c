import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Task, TaskSupervisor, type Context } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const rt = useRuntime();

/** Throws `call` an InvalidArgumentError naming `argument`, and does the runtime still work after it? */
function refused(call: () => unknown, argument: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(InvalidArgumentError);
  expect((thrown as InvalidArgumentError).argument).toBe(argument);
}

describe('bad input to Task', () => {
  it('refuses a task that is not a function, at the call, naming it', async () => {
    const left = await rt().run(async (ctx) => {
      refused(() => Task.async(ctx, 42 as never), 'fn');
      refused(() => Task.async(ctx, undefined as never), 'fn');
      refused(() => Task.startLink(ctx, 'run' as never), 'fn');
      refused(() => Task.start(null as never, { runtime: rt() }), 'fn');
      refused(() => Task.childSpec({} as never), 'fn');
      refused(() => Task.asyncStream(ctx, [1], 'double' as never), 'fn');
      return Task.await(ctx, Task.async(ctx, () => 'still works'));
    });
    expect(left).toBe('still works');
  });

  it('names the bad value in the message', () => {
    expect(() => Task.async(rt().inbox(), 42 as never)).toThrow("Task.async: argument 'fn' must be a function, got 42");
  });

  it('refuses a context that is not one', () => {
    refused(() => Task.async({} as Context, () => 1), 'ctx');
    refused(() => Task.await(null as never, {} as never), 'ctx');
    refused(() => Task.asyncStream('me' as never, [1], (n) => n), 'ctx');
  });

  it('refuses a task that did not come from Task.async', async () => {
    await rt().run(async (ctx) => {
      refused(() => Task.await(ctx, { pid: ctx.self, ref: 'r', owner: ctx.self } as never), 'task');
      refused(() => Task.ignore(ctx, undefined as never), 'task');
      refused(() => Task.awaitMany(ctx, [Task.async(ctx, () => 1), 'x'] as never), 'tasks[1]');
      refused(() => Task.yieldMany(ctx, 'tasks' as never), 'tasks');
    });
  });

  it('refuses bad timeouts and shutdowns', async () => {
    await rt().run(async (ctx) => {
      const task = Task.async(ctx, () => 1);
      refused(() => Task.await(ctx, task, -1), 'timeout');
      refused(() => Task.yield(ctx, task, 1.5), 'timeout');
      refused(() => Task.awaitMany(ctx, [task], 'forever' as never), 'timeout');
      refused(() => Task.shutdown(ctx, task, 'politely' as never), 'shutdown');
      expect(await Task.await(ctx, task)).toBe(1);
    });
  });

  it.each([
    [{ maxConcurrency: -1 }, 'options.maxConcurrency'],
    [{ maxConcurrency: 0 }, 'options.maxConcurrency'],
    [{ maxConcurrency: 1.5 }, 'options.maxConcurrency'],
    [{ ordered: 'yes' }, 'options.ordered'],
    [{ timeout: -5 }, 'options.timeout'],
    [{ onTimeout: 'ignore' }, 'options.onTimeout'],
    [{ zipInputOnExit: 1 }, 'options.zipInputOnExit'],
    ['fast', 'options'],
  ])('refuses the stream option %j at the call', async (options, argument) => {
    await rt().run(async (ctx) => {
      refused(() => Task.asyncStream(ctx, [1], (n) => n, options as never), argument);
      expect(rt().processInfo(ctx.self)!.links).toEqual([]); // nothing started
    });
  });

  it('refuses an input that is not iterable', async () => {
    await rt().run(async (ctx) => {
      refused(() => Task.asyncStream(ctx, 5 as never, (n) => n), 'input');
      refused(() => Task.asyncStream(ctx, null as never, (n) => n), 'input');
    });
  });
});

describe('bad input to TaskSupervisor', () => {
  it('refuses a non-function task, a bad context and bad options at the call', async () => {
    const started = await TaskSupervisor.start({ runtime: rt() });
    if (started.type !== 'ok') throw new Error('no start');
    const sup = started.pid;
    await rt().run(async (ctx) => {
      refused(() => TaskSupervisor.async(ctx, sup, 'job' as never), 'fn');
      refused(() => TaskSupervisor.asyncNolink({} as never, sup, () => 1), 'ctx');
      refused(() => TaskSupervisor.startChild(sup, 7 as never), 'fn');
      refused(() => TaskSupervisor.asyncStream(ctx, sup, [1], (n) => n, { maxConcurrency: -2 }), 'options.maxConcurrency');
      refused(() => TaskSupervisor.start({ extraArguments: [1] } as never), 'options.extraArguments');
      refused(() => TaskSupervisor.terminateChild(sup, 'not a pid' as never), 'pid');
    });
    expect(await TaskSupervisor.children(sup)).toEqual([]);
  });
});
