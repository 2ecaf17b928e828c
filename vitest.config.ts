import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Specific entries first, and whole names only: a string 'ts-otp' would also take 'ts-otp/testing' as a prefix.
    alias: [
      { find: /^ts-otp\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^ts-otp\/observer$/, replacement: fileURLToPath(new URL('./src/observer/index.ts', import.meta.url)) },
      { find: /^ts-otp$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'] },
    env: { OTP_LOG_LEVEL: 'silent' },
    testTimeout: 20_000,
  },
});
