/**
 * The tour (`npm run tour`) runs to the end and says what the guides say it shows.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the tour', () => {
  it('shows a trapped crash, a linked death and the counter server, then exits by itself', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/tour.ts'], { cwd: root, timeout: 30_000 });
    expect(stdout).toContain('2 squared is 4');
    expect(stdout).toMatch(/trapped EXIT from <\d+\.\d+\.0>: error \(RangeError: cannot square -1\)/);
    expect(stdout).toContain('died with the crash of its linked child: error (Error: linked crash)');
    expect(stdout).toContain('counted 6 after three concurrent calls');
    expect(stdout).toContain('after a reset cast it holds 0');
    expect(stdout).toContain('all processes have exited: true');
  });
});
