import { describe, expect, it } from 'vitest';
import { TIMEOUT, type DownMessage } from 'ts-otp';
import { Mailbox } from '../../src/process/internal/mailbox.js';
import { Rng } from '../support/chaos.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('the mailbox queue', () => {
  it.each([1, 2, 3, 4, 5])('matches an array model over a random run of pushes and takes (seed %i)', (seed) => {
    const rng = new Rng(seed); // seeded, so a failing sequence can be replayed
    const next = (): number => rng.next();
    const box = new Mailbox();
    const model: Array<{ n: number; ref?: string }> = [];
    let n = 0;
    for (let step = 0; step < 20_000; step++) {
      const r = next();
      if (r < (model.length > 2000 ? 0.1 : 0.45) || model.length === 0) {
        // Bursts, so the queue grows deep enough to compact in the middle of a run.
        const burst = 1 + Math.floor(next() * 40);
        for (let k = 0; k < burst; k++) {
          const msg = next() < 0.2 ? { n: n++, ref: `r${Math.floor(next() * 50)}` } : { n: n++ };
          box.push(msg);
          model.push(msg);
        }
      } else if (r < 0.7) {
        expect(box.shift()).toBe(model.shift());
      } else if (r < 0.9) {
        const mod = 2 + Math.floor(next() * 7);
        const match = (m: unknown): boolean => (m as { n: number }).n % mod === 0;
        const i = box.find(match, 0);
        const j = model.findIndex(match);
        if (j < 0) expect(i).toBe(-1);
        else expect(box.takeAt(i)).toBe(model.splice(j, 1)[0]);
      } else {
        const ref = `r${Math.floor(next() * 50)}`;
        const i = box.findRef(ref);
        const j = model.findIndex((m) => m.ref === ref);
        if (j < 0) expect(i).toBe(-1);
        else expect(box.takeAt(i)).toBe(model.splice(j, 1)[0]);
      }
      if (box.size !== model.length) throw new Error(`size ${box.size}, model ${model.length} at step ${step}`);
    }
    const rest: unknown[] = [];
    while (box.size > 0) rest.push(box.shift());
    expect(rest).toEqual(model);
  });

  it('keeps a waiting receive\'s scan position on the same message through a compaction', () => {
    const box = new Mailbox();
    for (let i = 0; i < 1000; i++) box.push(i);
    box.scan = 900; // 0-899 were tried
    for (let i = 0; i < 600; i++) box.shift(); // compacts: the dead prefix outgrows the rest
    expect(box.q.length).toBeLessThan(1000);
    expect(box.q[box.scan]).toBe(900);
  });

  it('keeps the mark on the first message queued after it through a compaction', () => {
    const box = new Mailbox();
    for (let i = 0; i < 500; i++) box.push(i);
    box.mark('#Ref<1.7>');
    box.push({ ref: '#Ref<1.7>' });
    for (let i = 0; i < 400; i += 2) box.takeAt(box.find((m) => m === i, 0)); // holes
    for (let i = 1; i < 400; i += 2) box.shift();
    expect(box.q.length).toBeLessThan(500);
    expect(box.q[box.markPos]).toEqual({ ref: '#Ref<1.7>' });
    expect(box.takeAt(box.findRef('#Ref<1.7>'))).toEqual({ ref: '#Ref<1.7>' });
  });

  it('gives back a drained flood\'s slots', () => {
    const box = new Mailbox();
    for (let i = 0; i < 100_000; i++) box.push(i);
    let inOrder = 0;
    for (let i = 0; i < 100_000; i++) if (box.shift() === i) inOrder++;
    expect(inOrder).toBe(100_000);
    expect(box.q.length).toBe(0);
  });
});

describe('a deep mailbox', () => {
  it('keeps 200k messages in order through selective receives', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      for (let i = 0; i < 200_000; i++) ctx.send(ctx.self, i);
      const picked: unknown[] = [];
      for (let i = 199_999; i >= 0; i -= 20_000) picked.push(await ctx.receive((m) => m === i));
      let count = 0;
      let last = -1;
      for (;;) {
        const m = await ctx.receive(0);
        if (m === TIMEOUT) break;
        if (typeof m !== 'number' || m <= last || m % 20_000 === 19_999) throw new Error(`out of order: ${String(m)} after ${last}`);
        last = m;
        count++;
      }
      return { picked, count };
    });
    expect(got.picked).toEqual([199_999, 179_999, 159_999, 139_999, 119_999, 99_999, 79_999, 59_999, 39_999, 19_999]);
    expect(got.count).toBe(200_000 - 10);
  });

  it('does not try a message again when a waiting selective receive wakes for a new one', async () => {
    const rt = runtime();
    let tries = 0;
    const got = rt.run(async (ctx) => {
      for (let i = 0; i < 100; i++) ctx.send(ctx.self, i);
      return ctx.receive((m) => {
        tries++;
        return m === 'wanted';
      });
    });
    await rt.settle();
    expect(tries).toBe(100);
    const [pid] = rt.processes();
    for (let i = 0; i < 10; i++) {
      rt.send(pid!, `other${i}`);
      await rt.settle();
    }
    expect(tries).toBe(110);
    rt.send(pid!, 'wanted');
    expect(await got).toBe('wanted');
    expect(tries).toBe(111);
  });

  it('skips what was queued before a monitor when receiving its DOWN (the receive marker)', async () => {
    const rt = runtime();
    let looked = 0;
    const watched = { get ref(): undefined { looked++; return undefined; } };
    const got = await rt.run(async (ctx) => {
      for (let i = 0; i < 1000; i++) ctx.send(ctx.self, watched);
      const child = ctx.spawn(() => undefined);
      const ref = ctx.monitor(child);
      const down = (await ctx.receiveRef(ref)) as DownMessage;
      ctx.demonitor(ctx.monitor('nobody'), { flush: true }); // the noproc DOWN, flushed from the mark
      return { down, len: rt.processInfo(ctx.self)!.messageQueueLen };
    });
    expect(got.down).toMatchObject({ type: 'DOWN', reason: 'normal' });
    expect(got.len).toBe(1000);
    expect(looked).toBe(0);
  });

  it('scans the whole queue for a ref it did not mark last', async () => {
    const rt = runtime();
    const got = await rt.run(async (ctx) => {
      const a = ctx.spawn((c) => c.receive());
      const first = ctx.monitor(a);
      ctx.send(ctx.self, 'noise');
      ctx.monitor(ctx.spawn(() => undefined)); // the mark moves to the second monitor
      ctx.exit(a, 'kill');
      const down = (await ctx.receiveRef(first)) as DownMessage;
      return down.reason;
    });
    expect(got).toBe('killed');
  });
});
