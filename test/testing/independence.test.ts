/**
 * The kit sits on top: nothing else under src/ imports it, and it imports no test framework at
 * run time (node:test users must not need vitest).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(sep).join('/'));
/** Module specifiers of the import and export statements that load code at run time (type-only ones left out). */
const runtimeImports = (file: string): string[] =>
  [...readFileSync(join(src, file), 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);

describe('src/testing', () => {
  it('is imported by nothing else under src/', () => {
    const importers = files.filter((f) => !f.startsWith('testing/') && runtimeImports(f).concat(
      [...readFileSync(join(src, f), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!),
    ).some((spec) => /(^|\/)testing(\/|$)/.test(spec) || spec === 'ts-otp/testing'));
    expect(importers).toEqual([]);
  });

  it('loads no test framework at run time', () => {
    const kit = files.filter((f) => f.startsWith('testing/'));
    expect(kit.length).toBeGreaterThan(3);
    const frameworks = kit.flatMap((f) => runtimeImports(f).filter((spec) => /^(vitest|node:test|jest|@jest\/|mocha)/.test(spec)).map((spec) => `${f}: ${spec}`));
    expect(frameworks).toEqual([]);
    expect(relative(src, join(src, 'testing'))).toBe('testing');
  });
});
