import { describe, expect, it } from 'vitest';
import { NoProcError, type ExitMessage } from 'ts-otp';
import { exitReasonOf, startPuppet, useRuntime, type Puppet } from '../support/runtime.js';

const runtime = useRuntime();

describe('link', () => {
  it.each(['the first', 'the second'] as const)(
    'is bidirectional whichever side made it: %s process’s crash ends the other (A05)',
    async (which) => {
      const rt = runtime();
      const p = await startPuppet(rt);
      const q = await startPuppet(rt);
      await p.act((ctx) => ctx.link(q.pid));
      const [dying, other] = which === 'the first' ? [p, q] : [q, p];
      const reason = exitReasonOf(rt, other.pid);
      rt.exit(dying.pid, 'boom');
      expect(await reason).toEqual({ tag: 'exit', value: 'boom' });
    },
  );

  it('is visible from both sides through processInfo (A23)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    await p.act((ctx) => ctx.link(q.pid));
    expect(rt.processInfo(p.pid)?.links).toEqual([q.pid]);
    expect(rt.processInfo(q.pid)?.links).toEqual([p.pid]);
  });

  it('made twice is one link, removed by a single unlink (A19)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    await p.act((ctx) => {
      ctx.link(q.pid);
      ctx.link(q.pid);
    });
    await q.act((ctx) => ctx.link(p.pid));
    expect(rt.processInfo(p.pid)?.links).toEqual([q.pid]);
    await p.act((ctx) => ctx.unlink(q.pid));
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
    expect(rt.processInfo(q.pid)?.links).toEqual([]);
    rt.exit(q.pid, 'boom');
    expect(rt.isAlive(p.pid)).toBe(true);
  });

  it('to itself does nothing (A18)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    await p.act((ctx) => ctx.link(ctx.self));
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
  });

  it('to a dead pid throws NoProcError, which the process can catch, when not trapping (A09)', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const p = await startPuppet(rt);
    const error = await p.act((ctx) => {
      try {
        ctx.link(dead);
        return undefined;
      } catch (e) {
        return e;
      }
    });
    expect(error).toBeInstanceOf(NoProcError);
    expect(error).toMatchObject({ operation: 'link', target: dead });
    expect(rt.isAlive(p.pid)).toBe(true);
    expect(await p.mailbox()).toEqual([]);
  });

  it("to a dead pid delivers { type: 'EXIT', from: pid, reason: 'noproc' } when trapping (A10)", async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const p = await startPuppet(rt, { trapExit: true });
    await p.act((ctx) => ctx.link(dead));
    expect(await p.mailbox()).toEqual([{ type: 'EXIT', from: dead, reason: 'noproc' }]);
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
  });

  it('ends a non-trapping process that linked to a dead pid and did not catch the error', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const pid = rt.spawn((ctx) => ctx.link(dead));
    const reason = await exitReasonOf(rt, pid);
    expect(reason).toMatchObject({ tag: 'error', cause: expect.any(NoProcError) });
  });
});

describe('unlink', () => {
  it.each(['the first', 'the second'] as const)('removes the link both ways when %s process calls it (A06)', async (which) => {
    const rt = runtime();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    await p.act((ctx) => ctx.link(q.pid));
    await (which === 'the first' ? p : q).act((ctx) => ctx.unlink(which === 'the first' ? q.pid : p.pid));
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
    expect(rt.processInfo(q.pid)?.links).toEqual([]);
    rt.exit(p.pid, 'boom');
    expect(rt.isAlive(q.pid)).toBe(true);
  });

  it('leaves an EXIT message already in the mailbox (A08)', async () => {
    const rt = runtime();
    const p = await startPuppet(rt, { trapExit: true });
    const q = await startPuppet(rt);
    await p.act((ctx) => ctx.link(q.pid));
    rt.exit(q.pid, 'boom');
    await p.act((ctx) => ctx.unlink(q.pid));
    expect(await p.mailbox()).toEqual([{ type: 'EXIT', from: q.pid, reason: { tag: 'exit', value: 'boom' } }]);
  });

  it('of a pid that is not linked, or dead, does nothing', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const p = await startPuppet(rt);
    const q = await startPuppet(rt);
    await p.act((ctx) => {
      ctx.unlink(q.pid);
      ctx.unlink(dead);
      ctx.unlink(ctx.self);
    });
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
    expect(await p.mailbox()).toEqual([]);
  });
});

describe('a link', () => {
  it('is removed from the survivor when the other side exits', async () => {
    const rt = runtime();
    const p = await startPuppet(rt, { trapExit: true });
    const q = await startPuppet(rt);
    await p.act((ctx) => ctx.link(q.pid));
    rt.exit(q.pid, 'kill');
    expect(rt.processInfo(p.pid)?.links).toEqual([]);
    expect(await p.mailbox()).toEqual([{ type: 'EXIT', from: q.pid, reason: 'killed' }]);
  });

  it('from one to several and back: processInfo in link order, and the exit reaches only those still linked', async () => {
    const rt = runtime();
    const hub = await startPuppet(rt);
    const [a, b, c] = [await startPuppet(rt, { trapExit: true }), await startPuppet(rt, { trapExit: true }), await startPuppet(rt, { trapExit: true })];
    await hub.act((ctx) => ctx.link(a.pid));
    expect(rt.processInfo(hub.pid)?.links).toEqual([a.pid]);
    await hub.act((ctx) => (ctx.link(b.pid), ctx.link(c.pid), ctx.link(b.pid)));
    expect(rt.processInfo(hub.pid)?.links).toEqual([a.pid, b.pid, c.pid]);
    await hub.act((ctx) => (ctx.unlink(a.pid), ctx.unlink(c.pid)));
    expect(rt.processInfo(hub.pid)?.links).toEqual([b.pid]);
    expect(rt.processInfo(a.pid)?.links).toEqual([]);
    rt.exit(hub.pid, 'boom');
    expect(await a.mailbox()).toEqual([]);
    expect(await b.mailbox()).toEqual([{ type: 'EXIT', from: hub.pid, reason: { tag: 'exit', value: 'boom' } }]);
    expect(await c.mailbox()).toEqual([]);
  });

  it('tells every linked process, each once', async () => {
    const rt = runtime();
    const hub = await startPuppet(rt);
    const spokes = [await startPuppet(rt, { trapExit: true }), await startPuppet(rt, { trapExit: true }), await startPuppet(rt, { trapExit: true })];
    for (const s of spokes) await s.act((ctx) => ctx.link(hub.pid));
    rt.exit(hub.pid, 'shutdown');
    for (const s of spokes) expect(await s.mailbox()).toEqual([{ type: 'EXIT', from: hub.pid, reason: 'shutdown' } satisfies ExitMessage]);
  });

  it('cascades along a chain of non-trapping processes, complete when exit returns (B18)', async () => {
    const rt = runtime();
    const chain: Puppet[] = [];
    for (let i = 0; i < 5; i++) chain.push(await startPuppet(rt));
    for (let i = 1; i < chain.length; i++) await chain[i]!.act((ctx) => ctx.link(chain[i - 1]!.pid));
    const last = exitReasonOf(rt, chain.at(-1)!.pid);
    rt.exit(chain[0]!.pid, 'boom');
    expect(chain.map((p) => rt.isAlive(p.pid))).toEqual([false, false, false, false, false]);
    expect(await last).toEqual({ tag: 'exit', value: 'boom' });
  });
});
