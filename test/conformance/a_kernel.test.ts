/**
 * Conformance, group A (kernel: spawn, links, monitors): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, isPid, isRef, NoProcError, TIMEOUT, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { ctl, ctlAsync, ctlValue, idle, isDown, mailboxOf, peek, spawnIdle, watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const boom = { tag: 'exit', value: 'boom' } as const;

describe('A. kernel: spawn, links, monitors', () => {
  it('A01 spawn runs a function in a new process; the process is alive until the function returns', async () => {
    const rt = runtime();
    const log: unknown[] = [];
    const seen = await rt.run(async (ctx) => {
      const p1 = ctx.spawn(async (c) => {
        log.push(['p1 got', await c.receive((m) => m === 'stop')]);
      });
      const isPidResult = isPid(p1);
      const aliveBefore = rt.isAlive(p1);
      const m1 = ctx.monitor(p1);
      ctx.send(p1, 'stop');
      const down = await ctx.receive();
      return { p1, m1, isPidResult, aliveBefore, down, aliveAfter: rt.isAlive(p1) };
    });
    expect(seen.isPidResult).toBe(true);
    expect(seen.aliveBefore).toBe(true);
    expect(log).toEqual([['p1 got', 'stop']]);
    expect(seen.down).toEqual({ type: 'DOWN', ref: seen.m1, pid: seen.p1, name: undefined, reason: 'normal' });
    expect(seen.aliveAfter).toBe(false);
  });

  it('A02 spawn_link is atomic: a child that dies at once still delivers its EXIT to a trapping parent', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      ctx.trapExit(true);
      const child = ctx.spawnLink((c) => c.exit('boom'));
      return { child, msg: await ctx.receive() };
    });
    expect(seen.msg).toEqual({ type: 'EXIT', from: seen.child, reason: boom });
  });

  it('A03 spawn_link is atomic: a child that dies at once kills a non-trapping parent', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (parent) => {
        parent.spawnLink((child) => child.exit('boom'));
        await parent.receive(); // waits for ever
      });
      return (await ctx.receive((m): m is DownMessage => isDown(m, ref))).reason;
    });
    expect(seen).toEqual(boom);
  });

  it('A04 spawn_monitor is atomic: the DOWN carries the real reason, not noproc', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor((child) => child.exit('boom'));
      const first = await ctx.receive();
      return { pid, ref, first, next: await ctx.receive(0) };
    });
    expect(isPid(seen.pid)).toBe(true);
    expect(isRef(seen.ref)).toBe(true);
    expect(seen.first).toEqual({ type: 'DOWN', ref: seen.ref, pid: seen.pid, name: undefined, reason: boom });
    expect(seen.next).toBe(TIMEOUT); // exactly one message
  });

  it('A05 a link is bidirectional, whichever side created it', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    const p2 = await spawnIdle(rt);
    expect(await ctl(rt, p1, (ctx) => ctx.link(p2))).toEqual({ tag: 'ok', value: undefined });
    expect(rt.processInfo(p1)?.links).toEqual([p2]);
    expect(rt.processInfo(p2)?.links).toEqual([p1]);
    const w = await watch(rt, [p1, p2]);
    ctlAsync(rt, p2, (ctx) => ctx.exit('boom'));
    expect(await w.down(p1)).toEqual(boom);
    expect(await w.down(p2)).toEqual(boom);

    // Part 2: the side that created the link exits.
    const q1 = await spawnIdle(rt);
    const q2 = await spawnIdle(rt);
    await ctlValue(rt, q1, (ctx) => ctx.link(q2));
    const w2 = await watch(rt, [q1, q2]);
    ctlAsync(rt, q1, (ctx) => ctx.exit('boom'));
    expect(await w2.down(q1)).toEqual(boom);
    expect(await w2.down(q2)).toEqual(boom);
  });

  it('A06 unlink removes the link in both directions, whichever side calls it', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    const p2 = await spawnIdle(rt);
    await ctlValue(rt, p1, (ctx) => ctx.link(p2));
    expect(await ctl(rt, p1, (ctx) => ctx.unlink(p2))).toEqual({ tag: 'ok', value: undefined });
    expect(rt.processInfo(p1)?.links).toEqual([]);
    expect(rt.processInfo(p2)?.links).toEqual([]);
    const w = await watch(rt, [p2]);
    ctlAsync(rt, p2, (ctx) => ctx.exit('boom'));
    expect(await w.down(p2)).toEqual(boom);
    await rt.settle();
    expect(rt.isAlive(p1)).toBe(true);

    // Part 2: the other side unlinks.
    const q1 = await spawnIdle(rt);
    const q2 = await spawnIdle(rt);
    await ctlValue(rt, q1, (ctx) => ctx.link(q2));
    await ctlValue(rt, q2, (ctx) => ctx.unlink(q1));
    const w2 = await watch(rt, [q1]);
    ctlAsync(rt, q1, (ctx) => ctx.exit('boom'));
    expect(await w2.down(q1)).toEqual(boom);
    await rt.settle();
    expect(rt.isAlive(q2)).toBe(true);
  });

  it("A08 unlink does not remove an {'EXIT',...} message that is already in the mailbox", async () => {
    const rt = runtime();
    const a = await spawnIdle(rt, { trapExit: true });
    const b = await ctlValue(rt, a, (ctx) => ctx.spawnLink(async (c) => {
      await c.receive((m) => m === 'go');
      c.exit('boom');
    }));
    rt.send(b, 'go');
    await rt.settle(); // a has not received anything: the EXIT waits in its mailbox
    expect(rt.processInfo(a)?.messageQueueLen).toBe(1);
    const seen = await ctlValue(rt, a, async (ctx) => {
      const unlinkResult = ctx.unlink(b);
      const box = await peek(ctx);
      return { unlinkResult, box, received: await ctx.receive(0) };
    });
    const exit: ExitMessage = { type: 'EXIT', from: b, reason: boom };
    expect(seen.unlinkResult).toBeUndefined(); // Erlang: true; TS: returns without throwing
    expect(seen.box).toEqual([exit]);
    expect(seen.received).toEqual(exit);
  });

  it('A09 link to a dead local pid when not trapping exits raises a noproc error', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => 'ok');
    await rt.settle();
    expect(rt.isAlive(dead)).toBe(false);
    const log: unknown[] = [];
    const seen = await rt.run(async (ctx) => {
      const p1 = ctx.spawnMonitor((p) => {
        try {
          p.link(dead);
          log.push(['p1 link_result', 'ok']);
        } catch (error) {
          log.push(['p1 link_result', error]);
        }
        log.push(['p1 still_running']);
      });
      const down1 = await ctx.receive((m): m is DownMessage => isDown(m, p1.ref));
      const p2 = ctx.spawnMonitor((p) => {
        p.link(dead);
        log.push(['p2 not_reached']);
      });
      const down2 = await ctx.receive((m): m is DownMessage => isDown(m, p2.ref));
      return { down1: down1.reason, down2: down2.reason };
    });
    expect(log).toHaveLength(2);
    expect(log[0]).toEqual(['p1 link_result', expect.any(NoProcError)]);
    expect((log[0] as [string, NoProcError])[1]).toMatchObject({ operation: 'link', target: dead });
    expect(log[1]).toEqual(['p1 still_running']);
    expect(seen.down1).toBe('normal');
    expect(seen.down2).toEqual({ tag: 'error', cause: expect.any(NoProcError) });
    const cause = (seen.down2 as { cause: NoProcError }).cause;
    expect(cause.target).toBe(dead);
    expect(cause.stack).toEqual(expect.any(String)); // Erlang: {noproc, Stack}
  });

  it("A10 link to a dead local pid when trapping exits returns true and delivers {'EXIT', Pid, noproc}", async () => {
    const rt = runtime();
    const dead = rt.spawn(() => 'ok');
    await rt.settle();
    expect(rt.isAlive(dead)).toBe(false);
    const log: unknown[] = [];
    const down = await rt.run(async (ctx) => {
      const { ref } = ctx.spawnMonitor(async (p1) => {
        p1.trapExit(true);
        try {
          log.push(['p1 link_result', 'ok', p1.link(dead)]);
        } catch (error) {
          log.push(['p1 link_result', 'error', error]);
        }
        log.push(['p1 recv', await p1.receive()]);
        log.push(['p1 links', rt.processInfo(p1.self)?.links]);
      });
      return (await ctx.receive((m): m is DownMessage => isDown(m, ref))).reason;
    });
    expect(log).toEqual([
      ['p1 link_result', 'ok', undefined], // Erlang: {ok, true}; TS: link returns without throwing
      ['p1 recv', { type: 'EXIT', from: dead, reason: 'noproc' }],
      ['p1 links', []],
    ]);
    expect(down).toBe('normal');
  });

  it('A11 monitoring a dead pid gives an immediate DOWN with reason noproc', async () => {
    const rt = runtime();
    const dead = rt.spawn((ctx) => ctx.exit('original_reason'));
    await rt.settle();
    expect(rt.isAlive(dead)).toBe(false);
    const seen = await rt.run(async (ctx) => {
      const ref = ctx.monitor(dead);
      return { ref, msg: await ctx.receive(0) }; // already there: no waiting
    });
    expect(isRef(seen.ref)).toBe(true);
    expect(seen.msg).toEqual({ type: 'DOWN', ref: seen.ref, pid: dead, name: undefined, reason: 'noproc' });
  });

  it('A12 demonitor before the target dies: no DOWN is ever delivered for that monitor', async () => {
    const rt = runtime();
    const out = await rt.run(async (ctx) => {
      const p1 = ctx.spawn(async (p) => {
        await p.receive((m) => m === 'go');
        p.exit('boom');
      });
      const m1 = ctx.monitor(p1);
      const m2 = ctx.monitor(p1);
      const demonitorResult = ctx.demonitor(m1);
      ctx.send(p1, 'go');
      const down = await ctx.receive((m): m is DownMessage => isDown(m, m2));
      return { p1, m2, demonitorResult, down, mailbox: await peek(ctx) };
    });
    expect(out.demonitorResult).toBe(true);
    expect(out.down).toEqual({ type: 'DOWN', ref: out.m2, pid: out.p1, name: undefined, reason: boom });
    expect(out.mailbox).toEqual([]);
  });

  it('A13 demonitor without flush leaves an already-delivered DOWN; with [flush] it is removed', async () => {
    const rt = runtime();
    const test = await spawnIdle(rt); // "the test": keeps every non-command message queued
    const part1 = await ctlValue(rt, test, (ctx) => {
      const p1 = ctx.spawn((p) => p.exit('boom'));
      return { p1, m1: ctx.monitor(p1) };
    });
    await rt.settle(); // the DOWN is now in test's mailbox, not received
    expect(rt.processInfo(test)?.messageQueueLen).toBe(1);
    expect(await ctlValue(rt, test, (ctx) => ctx.demonitor(part1.m1))).toBe(true);
    const down1: DownMessage = { type: 'DOWN', ref: part1.m1, pid: part1.p1, name: undefined, reason: boom };
    expect(await mailboxOf(rt, test)).toEqual([down1]);
    expect(await ctlValue(rt, test, (ctx) => ctx.receive(0))).toEqual(down1);

    const part2 = await ctlValue(rt, test, (ctx) => {
      const p2 = ctx.spawn((p) => p.exit('boom'));
      return { p2, m2: ctx.monitor(p2) };
    });
    await rt.settle();
    expect(rt.processInfo(test)?.messageQueueLen).toBe(1);
    expect(await ctlValue(rt, test, (ctx) => ctx.demonitor(part2.m2, { flush: true }))).toBe(true);
    expect(await mailboxOf(rt, test)).toEqual([]);
  });

  it('A15 each monitor of the same process gives its own DOWN message', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      const p1 = ctx.spawn(async (p) => {
        await p.receive((m) => m === 'go');
        p.exit('boom');
      });
      const refs = [ctx.monitor(p1), ctx.monitor(p1), ctx.monitor(p1)];
      const monitors = rt.processInfo(ctx.self)?.monitors;
      ctx.send(p1, 'go');
      const downs = [await ctx.receive(), await ctx.receive(), await ctx.receive()];
      return { p1, refs, monitors, downs };
    });
    expect(new Set(seen.refs).size).toBe(3);
    expect(seen.monitors).toEqual([{ pid: seen.p1 }, { pid: seen.p1 }, { pid: seen.p1 }]);
    // Creation order m1, m2, m3 is what OTP 25 does, not a language guarantee.
    expect(seen.downs).toEqual(seen.refs.map((ref) => ({ type: 'DOWN', ref, pid: seen.p1, name: undefined, reason: boom })));
  });

  it('A16 monitoring by registered name: the DOWN identifies the target as {Name, Node}', async () => {
    const rt = runtime();
    const seen = await rt.run(async (ctx) => {
      const p1 = ctx.spawn(async (p) => {
        await p.receive((m) => m === 'go');
        p.exit('boom');
      });
      ctx.register('worker', p1);
      const m1 = ctx.monitor('worker');
      // Erlang's second form, monitor(process, {worker, node()}), has no TS twin (one node): a
      // second monitor by the same name stands in for it.
      const m2 = ctx.monitor('worker');
      ctx.send(p1, 'go');
      const d1 = await ctx.receive((m): m is DownMessage => isDown(m, m1));
      const d2 = await ctx.receive((m): m is DownMessage => isDown(m, m2));
      return { m1, m2, d1, d2 };
    });
    expect(seen.d1).toEqual({ type: 'DOWN', ref: seen.m1, pid: undefined, name: 'worker', reason: boom });
    expect(seen.d2).toEqual({ type: 'DOWN', ref: seen.m2, pid: undefined, name: 'worker', reason: boom });
  });

  it('A18 linking to yourself is a no-op', async () => {
    const rt = runtime();
    const seen = await rt.run((ctx) => {
      const linkSelf = ctx.link(ctx.self);
      const links = rt.processInfo(ctx.self)?.links;
      const unlinkSelf = ctx.unlink(ctx.self);
      return { linkSelf, links, unlinkSelf };
    });
    expect(seen).toEqual({ linkSelf: undefined, links: [], unlinkSelf: undefined });
  });

  it('A19 linking twice creates one link; a single unlink removes it', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    const p2 = await spawnIdle(rt);
    await ctlValue(rt, p1, (ctx) => {
      ctx.link(p2);
      ctx.link(p2);
    });
    expect(rt.processInfo(p1)?.links).toEqual([p2]);
    await ctlValue(rt, p1, (ctx) => ctx.unlink(p2));
    expect(rt.processInfo(p1)?.links).toEqual([]);
    const w = await watch(rt, [p2]);
    ctlAsync(rt, p2, (ctx) => ctx.exit('boom'));
    expect(await w.down(p2)).toEqual(boom);
    await rt.settle();
    expect(rt.isAlive(p1)).toBe(true);
  });

  it('A20 after exit(P, kill), is_process_alive(P) called by the same sender already returns false', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt, { trapExit: true });
    const seen = await rt.run((ctx) => {
      const exitResult = ctx.exit(p1, 'kill');
      return { exitResult, alive: rt.isAlive(p1) };
    });
    expect(seen).toEqual({ exitResult: undefined, alive: false });
  });

  it('A22 spawning a function that does not exist succeeds; the new process dies with undef', async () => {
    const rt = runtime();
    // JS cannot spawn a missing function (a non-function throws InvalidArgumentError at the
    // call, a documented difference); the analogue is a body whose first action calls a
    // function that does not exist.
    const noSuchModule: Record<string, unknown> = {};
    const seen = await rt.run(async (ctx) => {
      expect(() => ctx.spawn(noSuchModule['no_such_fun'] as never)).toThrow(InvalidArgumentError);
      const { pid, ref } = ctx.spawnMonitor(() => (noSuchModule['no_such_fun'] as (n: number) => void)(1));
      const down = await ctx.receive((m): m is DownMessage => isDown(m, ref));
      return { pid, down };
    });
    expect(isPid(seen.pid)).toBe(true);
    expect(seen.down.pid).toBe(seen.pid);
    expect(seen.down.reason).toEqual({ tag: 'error', cause: expect.any(TypeError) });
    const cause = (seen.down.reason as { cause: TypeError }).cause;
    expect(cause.message).toContain('no_such_fun');
    expect(cause.stack).toEqual(expect.any(String));
  });

  it('A23 links and monitors are visible from both sides through process_info', async () => {
    const rt = runtime();
    const seen = await rt.run((ctx) => {
      const p1: Pid = ctx.spawnLink(idle());
      const p2: Pid = ctx.spawn(idle());
      ctx.monitor(p2);
      return {
        self: ctx.self,
        p1,
        p2,
        testLinks: rt.processInfo(ctx.self)?.links,
        p1Links: rt.processInfo(p1)?.links,
        testMonitors: rt.processInfo(ctx.self)?.monitors,
        p2MonitoredBy: rt.processInfo(p2)?.monitoredBy,
        p2Links: rt.processInfo(p2)?.links,
      };
    });
    expect(seen.testLinks).toEqual([seen.p1]);
    expect(seen.p1Links).toEqual([seen.self]);
    expect(seen.testMonitors).toEqual([{ pid: seen.p2 }]);
    expect(seen.p2MonitoredBy).toEqual([seen.self]);
    expect(seen.p2Links).toEqual([]);
  });
});
