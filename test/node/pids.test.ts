/**
 * Pids across nodes: how a remote pid prints, and the renumbering of pids and refs inside messages.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, isPid, Node, runtimeOf, type Pid, type Runtime } from 'ts-otp';
import { connectedPair, useNodes } from '../support/nodes.js';

const node = useNodes();

/** A process on `b` that sends back whatever it is sent, to the `from` inside it. */
function mirror(b: Runtime): Pid {
  return b.spawn(async (ctx) => {
    for (;;) {
      const m = (await ctx.receive()) as { from: Pid };
      ctx.send(m.from, m);
    }
  });
}

describe('pids of another node', () => {
  it('print the same in both runtimes of one thread, and find the runtime that reaches them', async () => {
    const { a, b } = await connectedPair(node);
    const m = mirror(b);
    const back = await a.run(async (ctx) => {
      ctx.send(m, { from: ctx.self, m });
      return (await ctx.receive()) as { from: Pid; m: Pid };
    });
    expect(back.m).toBe(m);
    expect(isPid(back.from)).toBe(true);
    expect(runtimeOf(back.from)).toBe(a);
  });

  it('are renumbered wherever they sit in a message: nested, in arrays, Map keys, Set members and refs', async () => {
    const { a, b } = await connectedPair(node);
    const m = mirror(b);
    const sent = await a.run(async (ctx) => {
      const ref = ctx.monitor(m);
      const msg = { from: ctx.self, deep: [{ pid: ctx.self }], map: new Map([[ctx.self, ref]]), set: new Set([m]), ref, text: 'plain <text>' };
      ctx.send(m, msg);
      const back = await ctx.receive((x) => (x as { type?: string }).type !== 'DOWN');
      ctx.demonitor(ref);
      return { msg, back };
    });
    expect(sent.back).toEqual(sent.msg);
  });

  it('are refused where Erlang raises badarg: isAlive, processInfo, register', async () => {
    const { a, b } = await connectedPair(node);
    const m = mirror(b);
    const remote = await a.run(async (ctx) => {
      ctx.send(m, { from: ctx.self });
      return ((await ctx.receive()) as { from: Pid }).from;
    });
    expect(() => b.isAlive(remote)).toThrow(InvalidArgumentError);
    expect(() => b.processInfo(remote)).toThrow(InvalidArgumentError);
    expect(() => b.register('x', remote)).toThrow(InvalidArgumentError);
  });

  it('differ from thread to thread: a worker node numbers its own processes itself', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const { pid, seen } = await a.run(async (ctx) => {
      const pid = await Node.spawn(ctx, 'w', { module: new URL('./fixtures/procs.ts', import.meta.url).pathname, export: 'echo', args: [ctx.self] });
      ctx.send(pid, 'hi');
      const seen = (await ctx.receive()) as { from: Pid };
      ctx.send(pid, 'stop');
      return { pid, seen };
    });
    expect(seen.from).toBe(pid);
    expect(runtimeOf(pid)).toBe(a);
  });
});
