/**
 * CPU-bound work spread over isolated children runs in their threads, both at once: each reply
 * names the thread that did the work and how long that thread was busy with it. Speed itself is
 * asserted by the isolation-scaling bench, never here.
 */
import { describe, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { GenServer, Supervisor, type Pid } from 'ts-otp';
import { crunch, type Cruncher, type Crunched } from '../../bench/workloads/cruncher.js';
import { useNodes } from '../support/nodes.js';

const node = useNodes();
const MODULE = new URL('../../bench/workloads/cruncher.ts', import.meta.url).pathname;
const ROUNDS = 2_000_000;

describe('isolated children doing CPU-bound work', () => {
  it('compute correct results in two threads of their own, each busy with its share', async () => {
    const rt = node('main');
    const sup = await Supervisor.start(
      { children: [Supervisor.isolated({ id: 'a', module: MODULE, export: 'cruncher' }), Supervisor.isolated({ id: 'b', module: MODULE, export: 'cruncher' })] },
      { runtime: rt },
    );
    if (sup.type !== 'ok') throw new Error('no start');
    const [a, b] = (await Supervisor.whichChildren(sup.pid)).map((c) => c.pid as Pid as GenServer.ServerPid<Cruncher>);
    const seeds = [1, 2, 3, 4];
    // Both children get their calls at once: each works through its own two.
    const replies: Crunched[] = await Promise.all(seeds.map((seed, i) => GenServer.call(i % 2 === 0 ? a! : b!, { type: 'crunch', seed, rounds: ROUNDS }, 'infinity')));
    expect(replies.map((r) => r.digest)).toEqual(seeds.map((seed) => crunch(seed, ROUNDS)));
    const threadsOfA = new Set([replies[0]!.threadId, replies[2]!.threadId]);
    const threadsOfB = new Set([replies[1]!.threadId, replies[3]!.threadId]);
    expect(threadsOfA.size).toBe(1);
    expect(threadsOfB.size).toBe(1);
    const [ta] = threadsOfA;
    const [tb] = threadsOfB;
    expect(ta).not.toBe(tb);
    expect([ta, tb]).not.toContain(threadId); // not this thread
    for (const r of replies) expect(r.activeMs).toBeGreaterThan(0); // each thread's loop was busy crunching
    await Supervisor.stop(sup.pid);
  });
});
