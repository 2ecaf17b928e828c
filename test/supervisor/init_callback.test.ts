import { describe, expect, it } from 'vitest';
import { ChildSpecError, Supervisor, type Context, type Pid } from 'ts-otp';
import { assertReceive } from 'ts-otp/testing';
import { pidOf } from '../support/gen_server.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

const idle = (id: string): Supervisor.ChildSpec => ({ id, start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx: Context) => ctx.receive()) }) });

describe('a supervisor declared by an init callback', () => {
  it("runs the callback in the supervisor's own process and starts the children it returns", async () => {
    const rt = runtime();
    let ranIn: Pid | undefined;
    const sup = pidOf(
      await Supervisor.start(
        async (ctx) => {
          ranIn = ctx.self;
          return { strategy: 'one_for_all', children: [idle('a'), idle('b')] };
        },
        { runtime: rt },
      ),
    );
    expect(ranIn).toBe(sup);
    expect((await Supervisor.whichChildren(sup)).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it("ends the start with { start_spec: ChildSpecError } for a bad spec, and the linked caller gets the EXIT", async () => {
    const rt = runtime();
    const test = rt.inbox();
    test.trapExit(true);
    const result = await Supervisor.startLink(test, () => ({ children: [idle('a'), idle('a')] }));
    expect(result).toMatchObject({ type: 'error', reason: { tag: 'exit', value: { start_spec: expect.any(ChildSpecError) } } });
    const error = ((result as { reason: { value: { start_spec: ChildSpecError } } }).reason.value.start_spec);
    expect(error).toMatchObject({ child: 'a', reason: 'duplicate_child_name' });
    await assertReceive(test, { type: 'EXIT', reason: { tag: 'exit', value: { start_spec: error } } });
  });
});
