/**
 * Runs every TSDoc `@example` under src/ as a test, so the documentation cannot drift from the code.
 *
 * Each ```ts fence inside an `@example` block is written to `node_modules/.doc-examples/` and
 * imported inside a `test()` named after its source file and symbol. Examples use top-level
 * await and vitest's `expect`; one that throws fails its test with a message that names the
 * source file, line and symbol. An example's `'ts-otp'` import is pointed at a generated module
 * that re-exports `'ts-otp'` (aliased to src/index.ts by vitest.config.ts) and records every
 * Runtime the example makes: an example that leaves live processes, event listeners or fake
 * timers behind fails too, and is cleaned up after.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, test, vi } from 'vitest';
import type { Runtime } from 'ts-otp';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = join(root, 'src');
const outDir = join(root, 'node_modules', '.doc-examples');
/** Captured at load, so an example that installs fake timers cannot stall the runner's guard. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
/** How long an example's runtimes may stay busy after it finished before it counts as a leak. */
const SETTLE_GUARD_MS = 2_000;

/** One ```ts fence found in an `@example` block. */
interface Example {
  /** Source file, relative to the repository, with forward slashes: `src/process/runtime.ts`. */
  readonly file: string;
  /** 1-based line of the opening fence in the source file. */
  readonly line: number;
  /** The documented symbol: `Runtime`, `Runtime.run`, `Context.receive`. */
  readonly symbol: string;
  /** The example's code, comment stars removed. */
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

const topLevelDeclaration =
  /^export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|type|function\*?|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/;
const memberDeclaration =
  /^\s+(?:(?:public|private|protected|static|readonly|async|override|abstract|declare|get|set)\s+)*(#?[A-Za-z_$][\w$]*)/;
/** A declaration at the start of a line: what an indented member documented after it belongs to. */
const container =
  /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|namespace|enum|const|let|var|function)\s+([A-Za-z_$][\w$]*)/gm;

/** The name of what the comment ending at `end` documents, qualified by its class or interface if it is a member. */
function symbolAfter(source: string, start: number, end: number): string {
  const next = source.slice(end).split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('@')) ?? '';
  const top = topLevelDeclaration.exec(next);
  if (top !== null) return top[1]!;
  const member = memberDeclaration.exec(next);
  if (member === null) return `(line ${lineAt(source, end)})`;
  let owner: string | undefined;
  for (const m of source.slice(0, start).matchAll(container)) owner = m[1];
  return owner === undefined ? member[1]! : `${owner}.${member[1]!}`;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** Every ```ts fence inside an `@example` block of a TSDoc comment in `source`. */
function findExamples(file: string, source: string): Example[] {
  const examples: Example[] = [];
  for (const comment of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const start = comment.index;
    const firstLine = lineAt(source, start);
    const lines = comment[0].split('\n').map((l, i) =>
      i === 0 ? l.replace(/^\/\*\*\s?/, '') : l.replace(/^\s*\*\/$/, '').replace(/^\s*\* ?/, ''),
    );
    let inExample = false;
    let fence: { line: number; code: string[] } | null = null;
    let symbol: string | undefined;
    lines.forEach((text, i) => {
      if (fence !== null) {
        if (/^\s*```\s*$/.test(text)) {
          symbol ??= symbolAfter(source, start, start + comment[0].length);
          examples.push({ file, line: fence.line, symbol, code: fence.code.join('\n') + '\n' });
          fence = null;
        } else fence.code.push(text);
        return;
      }
      if (/^@example\b/.test(text.trim())) inExample = true;
      else if (/^@\w/.test(text.trim())) inExample = false;
      else if (inExample && /^\s*```(?:ts|typescript)\s*$/.test(text)) fence = { line: firstLine + i, code: [] };
    });
    if (fence !== null) throw new Error(`${file}:${(fence as { line: number }).line}: unterminated \`\`\`ts fence in an @example`);
  }
  return examples;
}

/** The module examples import instead of 'ts-otp': the same exports, with every Runtime recorded. */
const trackerSource = `// Generated by test/examples.test.ts. Do not edit.
import { defaultRuntime as theDefaultRuntime, Runtime as BaseRuntime } from 'ts-otp';
export * from 'ts-otp';
/** Every runtime an example has made or used since the runner last looked. */
export const created = new Set<BaseRuntime>();
export class Runtime extends BaseRuntime {
  constructor(...args: ConstructorParameters<typeof BaseRuntime>) {
    super(...args);
    created.add(this);
  }
}
export function defaultRuntime(): BaseRuntime {
  const rt = theDefaultRuntime();
  created.add(rt);
  return rt;
}
`;

function rewriteImports(code: string): string {
  return code
    .replace(/(\bfrom\s*)(['"])ts-otp\2/g, "$1'./ts-otp.ts'")
    .replace(/(\bimport\(\s*)(['"])ts-otp\2(\s*\))/g, "$1'./ts-otp.ts'$3");
}

function exampleFileName(example: Example, n: number): string {
  const stem = example.file.replace(/^src\//, '').replace(/\.ts$/, '').replace(/[/\\]/g, '_');
  return `${stem}_${n}.test-example.ts`;
}

/** Writes `example` as a module next to the tracker; returns its path. */
function writeExample(example: Example, name: string): string {
  const path = join(outDir, name);
  const header = `// Generated by test/examples.test.ts from ${example.file}:${example.line} (${example.symbol}). Do not edit.\n`;
  writeFileSync(path, header + rewriteImports(example.code));
  return path;
}

function settledWithin(rt: Runtime, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const guard = realSetTimeout(() => resolve(false), ms);
    void rt.settle().then(() => {
      realClearTimeout(guard);
      resolve(true);
    });
  });
}

/** What the runtimes the example used still hold; then ends it all. */
async function leftovers(created: Set<Runtime>): Promise<string[]> {
  const found: string[] = [];
  if (vi.isFakeTimers()) {
    found.push('fake timers still installed');
    vi.useRealTimers();
  }
  for (const rt of created) {
    const settled = await settledWithin(rt, SETTLE_GUARD_MS);
    const live = rt.processes();
    if (live.length > 0) {
      found.push(`${live.length} live process(es) ${settled ? 'blocked in receive' : `still busy after ${SETTLE_GUARD_MS} ms`}: ${live.join(', ')}`);
    } else if (!settled) {
      found.push(`a runtime with no live process did not settle within ${SETTLE_GUARD_MS} ms`);
    }
    const events = rt.events.eventNames();
    if (events.length > 0) found.push(`listeners on rt.events: ${events.map(String).join(', ')}`);
    rt.killAll();
    rt.events.removeAllListeners();
  }
  created.clear();
  return found;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs one example: imports its module and checks it left nothing behind. Rejects with an error
 * whose message starts with `@example of <symbol> at <file>:<line>`.
 */
async function runExample(example: Example, name: string): Promise<void> {
  const where = `@example of ${example.symbol} at ${example.file}:${example.line}`;
  const path = writeExample(example, name);
  const tracker = (await import(pathToFileURL(join(outDir, 'ts-otp.ts')).href)) as { created: Set<Runtime> };
  let failed = false;
  let failure: unknown;
  try {
    await import(pathToFileURL(path).href);
  } catch (error) {
    failed = true;
    failure = error;
  }
  const left = await leftovers(tracker.created);
  if (failed) {
    if (failure instanceof Error) {
      // Keep the original error (and vitest's diff of expected and actual); name the example first.
      failure.message = `${where} failed: ${failure.message}`;
      throw failure;
    }
    throw new Error(`${where} failed: ${describeError(failure)}`, { cause: failure });
  }
  if (left.length > 0) throw new Error(`${where} left things behind: ${left.join('; ')}`);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'ts-otp.ts'), trackerSource);
const byFile = new Map<string, Example[]>();
for (const path of sourceFiles(srcDir)) {
  const file = relative(root, path).split(sep).join('/');
  const found = findExamples(file, readFileSync(path, 'utf8'));
  if (found.length > 0) byFile.set(file, found);
}

for (const [file, examples] of byFile) {
  describe(file, () => {
    const seen = new Map<string, number>();
    examples.forEach((example, i) => {
      const count = (seen.get(example.symbol) ?? 0) + 1;
      seen.set(example.symbol, count);
      const title = count === 1 ? example.symbol : `${example.symbol} (example ${count})`;
      test(title, () => runExample(example, exampleFileName(example, i + 1)));
    });
  });
}

describe('the example runner', () => {
  it('finds examples in the sources', () => {
    expect([...byFile.values()].flat().length).toBeGreaterThan(0);
  });

  it('names members after their class or interface and top-level exports after themselves', () => {
    const source = [
      '/**',
      ' * A thing.',
      ' *',
      ' * @example',
      ' * ```ts',
      " * import { expect } from 'vitest';",
      ' * expect(1).toBe(1);',
      ' * ```',
      ' */',
      'export class Thing {',
      '  /**',
      '   * Does it.',
      '   * @example',
      '   * ```ts',
      '   *   indented();',
      '   * ```',
      '   * @see elsewhere',
      '   * ```ts',
      '   * notAnExample();',
      '   * ```',
      '   */',
      '  async doIt(): Promise<void> {}',
      '}',
    ].join('\n');
    expect(findExamples('src/thing.ts', source)).toEqual([
      { file: 'src/thing.ts', line: 5, symbol: 'Thing', code: "import { expect } from 'vitest';\nexpect(1).toBe(1);\n" },
      { file: 'src/thing.ts', line: 14, symbol: 'Thing.doIt', code: '  indented();\n' },
    ]);
  });

  it('fails a throwing example with a message naming its source file and symbol', async () => {
    const example: Example = {
      file: 'src/fake/thing.ts',
      line: 12,
      symbol: 'Thing.doIt',
      code: "import { expect } from 'vitest';\nexpect(1 + 1).toBe(3);\n",
    };
    const outcome = runExample(example, 'runner_self_test_failing.test-example.ts');
    await expect(outcome).rejects.toThrow('@example of Thing.doIt at src/fake/thing.ts:12 failed: expected 2 to be 3');
  });

  it('fails an example that leaves live processes behind, naming them, and kills them', async () => {
    const example: Example = {
      file: 'src/fake/leaky.ts',
      line: 3,
      symbol: 'leaky',
      code: "import { Runtime } from 'ts-otp';\nexport const rt = new Runtime();\nexport const pid = rt.spawn((ctx) => ctx.receive());\n",
    };
    const name = 'runner_self_test_leaky.test-example.ts';
    await expect(runExample(example, name)).rejects.toThrow(
      /^@example of leaky at src\/fake\/leaky\.ts:3 left things behind: 1 live process\(es\) blocked in receive: <\d+\.\d+\.0>$/,
    );
    const leaked = (await import(pathToFileURL(join(outDir, name)).href)) as { rt: Runtime; pid: import('ts-otp').Pid };
    expect(leaked.rt.isAlive(leaked.pid)).toBe(false);
  });
});
