/**
 * A CPU-bound GenServer for isolated children (Supervisor.isolated), loaded by module path in a
 * worker thread of its own: each call runs `rounds` rounds of an integer hash and replies with
 * the digest, the thread it ran in and how long that thread's event loop was busy with it, so a
 * caller can tell the work was done there. Used by the isolation-scaling bench and its test.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { Next, type GenServer } from '../../src/index.js';

/** The cruncher's protocol: one call, `crunch`. */
export interface Cruncher {
  state: null;
  call: { readonly type: 'crunch'; readonly seed: number; readonly rounds: number };
  reply: { crunch: Crunched };
}

/** A crunch's reply. */
export interface Crunched {
  readonly digest: number;
  /** worker_threads' id of the thread that ran it. */
  readonly threadId: number;
  /** Milliseconds that thread's event loop was active during the call (its CPU, for a busy loop). */
  readonly activeMs: number;
}

/** `rounds` rounds of a 32-bit integer mix from `seed`: pure CPU, no allocation. */
export function crunch(seed: number, rounds: number): number {
  let h = seed | 0;
  for (let i = 0; i < rounds; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    h = (h ^ (h >>> 15)) + i;
  }
  return h >>> 0;
}

export const cruncher: GenServer.Behaviour<Cruncher> = {
  init: () => Next.ok(null),
  handleCall: {
    crunch: ({ seed, rounds }, _from, s) => {
      const before = performance.eventLoopUtilization();
      const digest = crunch(seed, rounds);
      const activeMs = performance.eventLoopUtilization(before).active;
      return Next.reply({ digest, threadId, activeMs }, s);
    },
  },
};
