/**
 * The example backend's rate limiter: a bucket process per client, found through a Registry,
 * started on the client's first request and ended when idle; time is the manual clock's.
 */
import { describe, expect, it } from 'vitest';
import { Registry, Supervisor } from 'ts-otp';
import { clientCount, limiterSpec, take } from '../../examples/backend/rate_limiter.js';
import { manualClock, useRuntime, type ManualClock } from '../support/runtime.js';

let clock: ManualClock;
const runtime = useRuntime(() => {
  clock = manualClock();
  return { clock };
});

async function startLimiter() {
  const rt = runtime();
  const started = await Supervisor.start({ children: [limiterSpec({ capacity: 3, perSecond: 1, now: clock.now, idleMs: 1000 })] }, { runtime: rt });
  expect(started.type).toBe('ok');
  return rt;
}

describe('the example backend rate limiter', () => {
  it('keeps a bucket process per client, registered under its address', async () => {
    const rt = await startLimiter();
    const alice = [];
    for (let i = 0; i < 4; i++) alice.push(await take(rt, 'alice'));
    expect(alice).toEqual([true, true, true, false]); // a burst of three, then refused
    expect(await take(rt, 'bob')).toBe(true); // a bucket of its own
    expect(clientCount(rt)).toBe(2);
    const [entry] = Registry.lookup(Registry.named<string, undefined>('clients', rt), 'alice');
    expect(rt.isAlive(entry!.pid)).toBe(true);
  });

  it('refills with time, and a bucket idle for idleMs ends, to start full at the next request', async () => {
    const rt = await startLimiter();
    for (let i = 0; i < 3; i++) await take(rt, 'alice');
    clock.advance(500);
    expect(await take(rt, 'alice')).toBe(false); // half a token
    clock.advance(600);
    expect(await take(rt, 'alice')).toBe(true); // 1.1 tokens, and the idle timer restarted at each request
    const [first] = Registry.lookup(Registry.named<string, undefined>('clients', rt), 'alice');
    clock.advance(1000);
    await rt.settle();
    expect(clientCount(rt)).toBe(0);
    expect(rt.isAlive(first!.pid)).toBe(false);
    expect(await take(rt, 'alice')).toBe(true);
    expect(clientCount(rt)).toBe(1);
  });

  it('gives the first requests of a client, sent at once, one bucket', async () => {
    const rt = await startLimiter();
    const answers = await Promise.all([take(rt, 'carol'), take(rt, 'carol'), take(rt, 'carol'), take(rt, 'carol')]);
    expect(answers.filter((a) => a)).toHaveLength(3);
    expect(clientCount(rt)).toBe(1);
  });
});
