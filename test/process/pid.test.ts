import { describe, expect, it } from 'vitest';
import { isPid, isRef, isValidName, Runtime, type Pid } from 'ts-otp';
import { startRecorder, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('pids', () => {
  it('print as <R.N.0>, R being the runtime’s number', async () => {
    const rt = runtime();
    const pid = rt.spawn(() => {});
    const m = /^<(\d+)\.(\d+)\.0>$/.exec(pid);
    expect(m).not.toBeNull();
    expect(rt.rootPid).toBe(`<${m![1]}.0.0>`);
    expect(isPid(pid)).toBe(true);
    await rt.settle();
  });

  it('number processes one after another, across the thousands and back to old ones', async () => {
    const rt = runtime();
    const pids = Array.from({ length: 2100 }, () => rt.spawn((ctx) => ctx.receive()));
    const serial = (pid: Pid): number => Number(/^<\d+\.(\d+)\.0>$/.exec(pid)![1]);
    const first = serial(pids[0]!);
    expect(pids.map(serial)).toEqual(pids.map((_, i) => first + i));
    await rt.settle();
    // A pid made again for an old process (after newer ones) is the same string.
    expect(rt.processes()).toEqual(pids);
    expect(rt.processInfo(pids[5]!)!.pid).toBe(pids[5]);
  });

  it('are unique and never reused, also after their processes exit', async () => {
    const rt = runtime();
    const seen = new Set<Pid>();
    for (let round = 0; round < 3; round++) {
      // 300 per round crosses the kernel's 256-slot table chunks, so freed chunks are covered.
      const pids = Array.from({ length: 300 }, () => rt.spawn(() => {}));
      await rt.settle();
      for (const pid of pids) {
        expect(seen.has(pid)).toBe(false);
        seen.add(pid);
        expect(rt.isAlive(pid)).toBe(false);
      }
    }
    expect(seen.size).toBe(900);
    expect(rt.processes()).toEqual([]);
  });

  it('of exited processes stay dead while later processes live in the same table', async () => {
    const rt = runtime();
    const pids = Array.from({ length: 600 }, (_, i) => rt.spawn(async (ctx) => (i % 3 === 0 ? undefined : ctx.receive())));
    await rt.settle();
    const living = pids.filter((_, i) => i % 3 !== 0);
    expect(rt.processes()).toEqual(living);
    for (const [i, pid] of pids.entries()) expect(rt.isAlive(pid)).toBe(i % 3 !== 0);
    rt.killAll();
    expect(rt.processes()).toEqual([]);
  });

  it('are compared with ===, as plain strings', async () => {
    const rt = runtime();
    const self = await rt.run((ctx) => ctx.self);
    expect(`${self}`).toBe(self);
    expect(typeof self).toBe('string');
  });

  it('of another runtime differ in their first number', async () => {
    const rt = runtime();
    const other = new Runtime();
    const a = rt.spawn(() => {});
    const b = other.spawn(() => {});
    expect(a.split('.')[0]).not.toBe(b.split('.')[0]);
    await Promise.all([rt.settle(), other.settle()]);
  });
});

describe('sending to a dead pid', () => {
  it('drops the message silently, from plain code and from a process', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    expect(() => rt.send(dead, 'lost')).not.toThrow();
    expect(await rt.run((ctx) => ctx.send(dead, 'lost too'))).toBeUndefined();
    expect(rt.isAlive(dead)).toBe(false);
  });

  it('drops the message for the runtime’s root pid, which is never alive', async () => {
    const rt = runtime();
    expect(rt.isAlive(rt.rootPid)).toBe(false);
    expect(() => rt.send(rt.rootPid, 'nobody home')).not.toThrow();
  });

  it('does not deliver to a process spawned later', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    rt.send(dead, 'lost');
    const rec = await startRecorder(rt);
    rt.send(dead, 'lost again');
    await rt.settle();
    expect(rec.messages).toEqual([]);
  });
});

describe('refs', () => {
  it('print as #Ref<R.N> and are unique across monitors and timers', async () => {
    const rt = runtime();
    const refs = await rt.run((ctx) => [
      ctx.monitor('nobody'),
      ctx.monitor(ctx.spawn(() => {})),
      ctx.sendAfter(1000, ctx.self, 'a'),
      ctx.startTimer(1000, ctx.self, 'b'),
      rt.sendAfter(1000, ctx.self, 'c'),
    ]);
    for (const ref of refs) {
      expect(ref).toMatch(/^#Ref<\d+\.\d+>$/);
      expect(isRef(ref)).toBe(true);
    }
    expect(new Set(refs).size).toBe(refs.length);
  });
});

describe('isPid, isRef and isValidName', () => {
  it.each([
    ['<0.1.0>', true, false, false],
    ['<12.345.0>', true, false, false],
    ['<0.1.1>', false, false, false],
    ['<0.1>', false, false, false],
    ['#Ref<0.7>', false, true, false],
    ['#Ref<0.7.1>', false, false, false],
    ['worker', false, false, true],
    ['', false, false, false],
    ['undefined', false, false, false],
    [42, false, false, false],
    [undefined, false, false, false],
  ] as const)('classifies %j: pid %s, ref %s, name %s', (value, pid, ref, name) => {
    expect(isPid(value)).toBe(pid);
    expect(isRef(value)).toBe(ref);
    expect(isValidName(value)).toBe(name);
  });
});
