/**
 * The published package: built with `npm run build`'s settings into a temporary folder, its
 * declarations must type-check for a consumer that does not skip library checks.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);
// Inside node_modules, so the consumer resolves the package's dependencies (pino, eventemitter3).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'ts-otp-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the published declarations', () => {
  it('type-check in a consumer with skipLibCheck off', async () => {
    const out = join(dir, 'dist');
    await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root });
    const consumer = join(dir, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        `import { Application, DynamicSupervisor, GenServer, Next, Runtime, Supervisor } from './dist/index.js';`,
        `interface C { state: number; call: { readonly type: 'get' }; reply: { get: number } }`,
        `const counter: GenServer.Behaviour<C> = { init: () => Next.ok(1), handleCall: { get: (_r, _f, s) => Next.reply(s, s) } };`,
        `const rt = new Runtime();`,
        `export const all = [GenServer.start(counter, undefined, { runtime: rt }), Supervisor.start({ children: [] }, { runtime: rt }), DynamicSupervisor.start({ runtime: rt }), Application.whichApplications({ runtime: rt })];`,
      ].join('\n'),
    );
    const args = [tsc, '--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), consumer];
    const result = await run(process.execPath, args, { cwd: dir }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  }, 120_000);
});
