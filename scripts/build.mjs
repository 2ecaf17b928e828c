/**
 * The package build behind `npm run build`, and so behind `prepare`: a git-URL install and
 * `npm pack` run it, and so does `npm install` in this repository.
 *
 * Compiles src/ into a fresh dist/, so a deleted source leaves no stale module in the tarball.
 * Plain JavaScript, so it needs nothing but Node and the TypeScript compiler.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
