import { describe, expect, it } from 'vitest';
import { chaosRound, type RoundResult } from '../support/chaos.js';

// Seeded random kills in random supervision trees (see test/support/chaos.ts for the property).
// `npm run chaos -- --seed=N --rounds=M` runs more rounds and seeds.
const CHUNKS = 8;
const PER_CHUNK = 150;
const results: RoundResult[] = [];

describe('a supervision tree under random kills', () => {
  it.each(Array.from({ length: CHUNKS }, (_, i) => i))('matches its spec, or has shut down after its intensity report, never hangs: rounds of chunk %i', async (chunk) => {
    for (let seed = 1 + chunk * PER_CHUNK; seed <= (chunk + 1) * PER_CHUNK; seed++) results.push(await chaosRound(seed));
  });

  it('reaches every outcome, and kills children as they start', () => {
    expect(results).toHaveLength(CHUNKS * PER_CHUNK);
    const outcomes = new Set(results.map((r) => r.outcome));
    expect(outcomes).toEqual(new Set(['intact', 'shutdown', 'start_failed']));
    expect(results.reduce((n, r) => n + r.killedStarts, 0)).toBeGreaterThan(0);
  });
});
