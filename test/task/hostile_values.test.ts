import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Task } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { collect } from './helpers.js';

const rt = useRuntime();

/** Messages no receive of a task's owner may choke on. */
const hostile = (): unknown[] => [
  null,
  undefined,
  42,
  {
    get ref(): never {
      throw new Error('ref getter');
    },
    get type(): never {
      throw new Error('type getter');
    },
  },
  new Proxy({}, { get: () => { throw new Error('proxy'); } }),
];

describe('tasks among hostile messages', () => {
  it('await, awaitMany and streams skip messages they cannot read, and leave them queued', async () => {
    const got = await rt().run(async (ctx) => {
      for (const m of hostile()) ctx.send(ctx.self, m);
      const one = await Task.await(ctx, Task.async(ctx, () => 1));
      const many = await Task.awaitMany(ctx, [Task.async(ctx, () => 2), Task.async(ctx, async () => 3)]);
      ctx.trapExit(true);
      const items = await collect(Task.asyncStream(ctx, [4, 5], (n, t) => (n === 5 ? t.exit('five') : n)));
      return { one, many, items, queued: rt().processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got).toEqual({ one: 1, many: [2, 3], items: [{ type: 'ok', value: 4 }, { type: 'exit', reason: { tag: 'exit', value: 'five' } }], queued: 5 });
  });

  it('awaitMany gives a task listed twice its result twice', async () => {
    const got = await rt().run(async (ctx) => {
      const t = Task.async(ctx, () => 'same');
      return Task.awaitMany(ctx, [t, Task.async(ctx, () => 'other'), t]);
    });
    expect(got).toEqual(['same', 'other', 'same']);
  });

  it('Task.start refuses a runtime that is not one', () => {
    expect(() => Task.start(() => {}, { runtime: {} as never })).toThrow(InvalidArgumentError);
  });
});
