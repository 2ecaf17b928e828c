/**
 * The package build behind `npm run build`, and so behind `prepare`: a git-URL install and
 * `npm pack` run it, and so does `npm install` in this repository.
 *
 * Compiles src/ into a fresh dist/, so a deleted source leaves no stale module in the tarball.
 * Then copies the declarations into dist/cjs-types/, whose own package.json marks them CommonJS:
 * the export map's `require` condition sends TypeScript there, because a CommonJS consumer under
 * `module: node16` may not import ESM declarations. At run time `require('ts-otp')` loads the one
 * ESM build (Node 20.19+ and 22.12+ require ES modules), so there is never a second copy of the
 * runtime. Plain JavaScript, so it needs nothing but Node and the TypeScript compiler.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const cjs = join(dist, 'cjs-types');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });

for (const rel of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  const from = join(dist, rel);
  const to = join(cjs, rel);
  if (rel.endsWith('.d.ts')) {
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(from));
  } else if (rel.endsWith('.d.ts.map')) {
    // The map's sources are relative to it; one folder deeper they need one more '../'.
    const map = JSON.parse(readFileSync(from, 'utf8'));
    map.sources = map.sources.map((s) => relative(dirname(to), resolve(dirname(from), s)).split(sep).join('/'));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, JSON.stringify(map));
  }
}
writeFileSync(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');

// The observer's page (HTML, CSS and browser JavaScript) is served from beside its module.
cpSync(join(root, 'src', 'observer', 'assets'), join(dist, 'observer', 'assets'), { recursive: true });
