/**
 * The isolation example (`npx tsx examples/isolation.ts`) runs to the end and prints, last, the
 * JSON line of its figures. Speeds are for `npm run bench`; here only what happened is checked.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the isolation example', () => {
  it('kills a busy child, contains a leak, measures calls, and prints its figures last', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/isolation.ts'], { cwd: root, timeout: 60_000 });
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ restartedAfterKill: true, oomContained: true });
    for (const key of ['busyKillMs', 'crossThreadCallsPerSec', 'inThreadCallsPerSec', 'startMs']) {
      expect(typeof last[key]).toBe('number');
      expect(last[key]).toBeGreaterThan(0);
    }
  }, 70_000);
});
