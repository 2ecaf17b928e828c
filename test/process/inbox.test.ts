import { describe, expect, it } from 'vitest';
import { ProcessExit, TIMEOUT, type DownMessage, type Pid } from 'ts-otp';
import { hasSettled, manualClock, recordExits, startPuppet, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

describe('an inbox', () => {
  it('is a live process with a pid, a mailbox and no body', async () => {
    const rt = runtime();
    const inbox = rt.inbox();
    expect(rt.isAlive(inbox.self)).toBe(true);
    expect(rt.processes()).toEqual([inbox.self]);
    rt.send(inbox.self, 'hello');
    expect(rt.processInfo(inbox.self)?.messageQueueLen).toBe(1);
    expect(await inbox.receive()).toBe('hello');
    inbox.close();
  });

  it('lets plain code ask a process and wait for the answer', async () => {
    const rt = runtime();
    const inbox = rt.inbox<string>();
    const echo = rt.spawn(async (ctx) => {
      const { from, text } = (await ctx.receive()) as { from: Pid; text: string };
      ctx.send(from, text.toUpperCase());
    });
    inbox.send(echo, { from: inbox.self, text: 'hi' });
    expect(await inbox.receive()).toBe('HI');
    inbox.close();
  });

  it('receives selectively, with timeouts, and by ref', async () => {
    const rt = runtime();
    const inbox = rt.inbox();
    inbox.send(inbox.self, 'a');
    inbox.send(inbox.self, 'b');
    expect(await inbox.receive((m) => m === 'b')).toBe('b');
    const late = inbox.receive((m) => m === 'never', 50);
    await rt.settle(); // the timeout starts when this step ends
    clock.advance(50);
    expect(await late).toBe(TIMEOUT);
    const ref = inbox.monitor('nobody');
    expect(((await inbox.receiveRef(ref)) as DownMessage).reason).toBe('noproc');
    expect(await inbox.receive(0)).toBe('a');
    inbox.close();
  });

  it('never keeps settle waiting, even while it waits in receive', async () => {
    const rt = runtime();
    const inbox = rt.inbox();
    await rt.settle();
    const pending = inbox.receive();
    await rt.settle();
    rt.send(inbox.self, 'x');
    expect(await pending).toBe('x');
    await rt.settle();
    inbox.close();
  });

  it('can be linked and monitored, and watched processes report to it', async () => {
    const rt = runtime();
    const inbox = rt.inbox();
    inbox.trapExit(true);
    const worker = await startPuppet(rt);
    inbox.link(worker.pid);
    const ref = inbox.monitor(worker.pid);
    rt.exit(worker.pid, 'boom');
    const reason = { tag: 'exit', value: 'boom' };
    expect(await inbox.receive()).toEqual({ type: 'EXIT', from: worker.pid, reason });
    expect(await inbox.receiveRef(ref)).toEqual({ type: 'DOWN', ref, pid: worker.pid, name: undefined, reason });
    inbox.close();
  });

  it('dies like any process when a linked process crashes and it does not trap exits', async () => {
    const rt = runtime();
    const inbox = rt.inbox();
    const worker = await startPuppet(rt);
    inbox.link(worker.pid);
    const pending = inbox.receive();
    rt.exit(worker.pid, 'boom');
    expect(rt.isAlive(inbox.self)).toBe(false);
    await rt.settle();
    expect(await hasSettled(pending)).toBe(false);
  });

  describe('close', () => {
    it("ends it with 'normal' by default, firing its links and monitors, without throwing", async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const inbox = rt.inbox();
      const watcher = await startPuppet(rt, { trapExit: true });
      const ref = await watcher.act((ctx) => {
        ctx.link(inbox.self);
        return ctx.monitor(inbox.self);
      });
      expect(() => inbox.close()).not.toThrow();
      expect(rt.isAlive(inbox.self)).toBe(false);
      await rt.settle();
      expect(exits.get(inbox.self)).toBe('normal');
      expect(await watcher.mailbox()).toEqual([
        { type: 'EXIT', from: inbox.self, reason: 'normal' },
        { type: 'DOWN', ref, pid: inbox.self, name: undefined, reason: 'normal' },
      ]);
    });

    it('ends it with the reason given, which links treat as any exit reason', async () => {
      const rt = runtime();
      const inbox = rt.inbox();
      const partner = await startPuppet(rt);
      inbox.link(partner.pid);
      inbox.close('shutdown');
      expect(rt.isAlive(partner.pid)).toBe(false);
    });

    it('a second time does nothing', async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const inbox = rt.inbox();
      inbox.close('shutdown');
      inbox.close('boom');
      await rt.settle();
      expect([...exits]).toEqual([[inbox.self, 'shutdown']]);
    });

    it('leaves a pending receive unsettled and later operations without effect', async () => {
      const rt = runtime();
      const inbox = rt.inbox();
      const other = await startPuppet(rt);
      const pending = inbox.receive();
      inbox.close();
      inbox.send(other.pid, 'from the grave');
      inbox.link(other.pid);
      await rt.settle();
      expect(await hasSettled(pending)).toBe(false);
      expect(await hasSettled(inbox.receive(0))).toBe(false);
      expect(await other.mailbox()).toEqual([]);
      expect(rt.processInfo(other.pid)?.links).toEqual([]);
      expect(() => inbox.exit('again')).toThrow(ProcessExit);
    });
  });

  it("is announced by the 'spawn' event as well as the 'exit' event, like any process", async () => {
    const rt = runtime();
    const spawned: Pid[] = [];
    const exited: Pid[] = [];
    rt.events.on('spawn', (pid) => spawned.push(pid));
    rt.events.on('exit', (pid) => exited.push(pid));
    const inbox = rt.inbox();
    inbox.close();
    await rt.settle();
    expect(exited).toEqual([inbox.self]);
    expect(spawned).toEqual([inbox.self]);
  });
});
