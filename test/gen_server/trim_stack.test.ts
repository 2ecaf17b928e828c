import { describe, expect, it } from 'vitest';
import { trimStack } from '../../src/process/internal/report.js';

describe('trimStack', () => {
  const stack = [
    'RangeError: bad',
    '    at handler (/app/server.ts:10:5)',
    '    at Server.#run (/app/node_modules/ts-otp/dist/gen_server/internal/server.js:400:20)',
    '    at file:///app/node_modules/ts-otp/src/gen_server/internal/server.ts:401:3',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at main (file:///app/main.ts:3:1)',
  ].join('\n');

  it("leaves out the frames in ts-otp's folders, plain paths and file URLs, and keeps the rest", () => {
    expect(trimStack(stack, ['/app/node_modules/ts-otp/dist/', '/app/node_modules/ts-otp/src/']).split('\n')).toEqual([
      'RangeError: bad',
      '    at handler (/app/server.ts:10:5)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at main (file:///app/main.ts:3:1)',
    ]);
  });

  it('keeps a message line that names one of the folders, and everything when there is no folder', () => {
    const named = 'Error: cannot read /app/node_modules/ts-otp/dist/x.js\n    at f (/app/a.ts:1:1)';
    expect(trimStack(named, ['/app/node_modules/ts-otp/dist/'])).toBe(named);
    expect(trimStack(stack, [])).toBe(stack);
  });
});
