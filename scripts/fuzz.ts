/**
 * Differential fuzzing against real Erlang: `npm run fuzz -- --seed 7 --n 600`.
 *
 * Generates a fresh set of link/monitor/exit scenarios with `gen.py`, records Erlang/OTP's traces
 * with `driver.escript` (three runs in three VMs, the third in reverse order with reversed pid
 * order; only the scenarios whose three traces agree are kept, as `run.sh` does), runs every kept
 * case through the ts-otp interpreter of `test/conformance/fuzz/` and reports the mismatches.
 * Everything generated goes to a temporary directory, deleted unless there were mismatches or
 * `--keep` is given.
 *
 * Options:
 *   --seed S       generator seed (default: a new one, printed)
 *   --n N          scenarios to generate (default 600)
 *   --cases FILE   run an existing JSON-lines case file instead (needs neither python3 nor escript)
 *   --show K       print the first K mismatch reports in full (default 3)
 *   --minimize     shrink each kind of mismatch to a minimal case, re-asking Erlang for each candidate
 *   --keep         keep the temporary directory
 *   --oracle DIR   where gen.py, driver.escript and assemble.py are (default test/conformance/fuzz/erlang)
 *
 * Exit status: 0 no mismatch, 1 mismatches, 2 usage error or missing tools.
 *
 * @module
 */
import { accessSync, constants, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstDifference, mismatchReport, parseCases, runScenario, type FuzzCase, type Scenario, type Step } from '../test/conformance/fuzz/interpreter.js';

interface Options {
  seed: string;
  n: number;
  cases: string | undefined;
  show: number;
  minimize: boolean;
  keep: boolean;
  oracle: string;
}

const USAGE = 'usage: npm run fuzz -- [--seed S] [--n N] [--cases FILE] [--show K] [--minimize] [--keep] [--oracle DIR]';

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    seed: String(Date.now() % 1_000_000),
    n: 600,
    cases: undefined,
    show: 3,
    minimize: false,
    keep: false,
    oracle: fileURLToPath(new URL('../test/conformance/fuzz/erlang/', import.meta.url)),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    const count = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) usage(`${arg} needs a whole number`);
      return v;
    };
    switch (arg) {
      case '--seed':
        options.seed = value();
        break;
      case '--n':
        options.n = count();
        break;
      case '--cases':
        options.cases = value();
        break;
      case '--show':
        options.show = count();
        break;
      case '--minimize':
        options.minimize = true;
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--oracle':
        options.oracle = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        globalThis.process.exit(0);
        break;
      default:
        usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}

function usage(problem: string): never {
  console.error(`fuzz: ${problem}\n${USAGE}`);
  globalThis.process.exit(2);
}

/** The full path of `command` on PATH, or undefined. */
function which(command: string): string | undefined {
  for (const dir of (globalThis.process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs a tool with its stdout going to `out`; exits with a clear message if it fails. */
function tool(command: string, args: readonly string[], out: string): void {
  const fd = openSync(out, 'w');
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    if (result.error !== undefined || result.status !== 0) {
      console.error(`fuzz: ${command} ${args.join(' ')} failed (${result.error?.message ?? `exit status ${result.status}`})\n${result.stderr ?? ''}`);
      globalThis.process.exit(2);
    }
  } finally {
    closeSync(fd);
  }
}

/** Which of python3 and escript are missing; prints a clear message. */
function missingTools(): boolean {
  const missing = ['python3', 'escript'].filter((t) => which(t) === undefined);
  if (missing.length === 0) return false;
  console.error(
    `fuzz: ${missing.join(' and ')} not found on PATH: cannot generate new cases with Erlang's traces.\n` +
      '  Install them (Debian: apt-get install -y python3 erlang-base; Erlang/OTP 25), or run an existing\n' +
      '  set without them: npm run fuzz -- --cases test/conformance/fuzz/cases.jsonl',
  );
  return true;
}

/** Records Erlang's traces for the scenarios in `scenarios` and keeps the stable ones, as run.sh does. */
function recordOnErlang(oracle: string, dir: string, scenarios: string, label: string): FuzzCase[] {
  const driver = join(oracle, 'driver.escript');
  const runs = [
    { file: join(dir, `${label}.run1.jsonl`), flags: [] },
    { file: join(dir, `${label}.run2.jsonl`), flags: [] },
    { file: join(dir, `${label}.run3.jsonl`), flags: ['--reverse', '--spawn-reverse'] },
  ];
  for (const run of runs) tool('escript', [driver, ...run.flags, scenarios], run.file);
  const outDir = mkdtempSync(join(dir, `${label}.assembled.`));
  tool('python3', [join(oracle, 'assemble.py'), scenarios, ...runs.map((r) => r.file), '--out', outDir], join(dir, `${label}.assemble.log`));
  return parseCases(readFileSync(join(outDir, 'cases.jsonl'), 'utf8'), join(outDir, 'cases.jsonl'));
}

interface Mismatch {
  readonly c: FuzzCase;
  readonly actual: string[];
}

async function runAll(cases: readonly FuzzCase[]): Promise<Mismatch[]> {
  const bad: Mismatch[] = [];
  for (const c of cases) {
    const actual = await runScenario(c);
    if (firstDifference(c.trace, actual) !== -1) bad.push({ c, actual });
  }
  return bad;
}

/** A rough kind for a mismatch: the first differing pair of lines with names and steps blanked out. */
function kindOf(m: Mismatch): string {
  const at = firstDifference(m.c.trace, m.actual);
  const blank = (line: string | undefined): string => (line ?? '(end)').replace(/\bs\d+\b/g, 'sK').replace(/\ba\d+\b/g, 'aI').replace(/\bm\d+\b/g, 'mR').replace(/\bhello\d+\b/g, 'helloN');
  const [e, a] = [blank(m.c.trace[at]), blank(m.actual[at])];
  return e === a ? `${e} (another actor or step)` : `expected ${e} / got ${a}`;
}

/**
 * Smaller scenarios: every run of steps of length n/2, n/4, ..., 1 removed, and the actors no step
 * names dropped. All of them go to Erlang in one batch; the smallest that still mismatches wins.
 */
function shrinkCandidates(s: Scenario): Scenario[] {
  const out: Scenario[] = [];
  const n = s.steps.length;
  for (let size = Math.max(1, Math.floor(n / 2)); size >= 1; size = size === 1 ? 0 : Math.max(1, Math.floor(size / 2))) {
    for (let from = 0; from + size <= n; from += size === 1 ? 1 : Math.max(1, Math.floor(size / 2))) {
      out.push({ ...s, id: `${s.id}-${out.length}`, steps: s.steps.filter((_, j) => j < from || j >= from + size) });
    }
  }
  const used = new Set<number>();
  for (const step of s.steps) {
    used.add(step.a);
    if ('b' in step) used.add(step.b);
  }
  if (used.size < s.actors && used.size >= 1) {
    const order = [...used].sort((x, y) => x - y);
    const to = new Map(order.map((old, i) => [old, i]));
    const steps = s.steps.map((step) => ({ ...step, a: to.get(step.a)!, ...('b' in step ? { b: to.get(step.b)! } : {}) }) as Step);
    out.push({ id: `${s.id}-${out.length}`, actors: order.length, steps });
  }
  return out;
}

/** Shrinks a mismatching case while it still mismatches Erlang's (stable) trace. */
async function minimize(oracle: string, dir: string, start: FuzzCase): Promise<FuzzCase> {
  let best = start;
  for (let round = 0; ; round++) {
    const candidates = shrinkCandidates(best);
    if (candidates.length === 0) return best;
    const file = join(dir, `shrink.${start.id}.${round}.jsonl`);
    writeFileSync(file, candidates.map((c) => JSON.stringify({ id: c.id, actors: c.actors, steps: c.steps })).join('\n') + '\n');
    const recorded = recordOnErlang(oracle, dir, file, `shrink.${start.id}.${round}`);
    let next: FuzzCase | undefined;
    for (const c of recorded) {
      if (next !== undefined && c.steps.length + c.actors >= next.steps.length + next.actors) continue;
      if (firstDifference(c.trace, await runScenario(c)) !== -1) next = c;
    }
    if (next === undefined) return best;
    best = { ...next, id: start.id };
  }
}

async function main(): Promise<void> {
  const options = parseArgs(globalThis.process.argv.slice(2));
  let cases: FuzzCase[];
  let dir: string | undefined;
  if (options.cases !== undefined) {
    cases = parseCases(readFileSync(options.cases, 'utf8'), options.cases);
    console.log(`fuzz: ${cases.length} cases from ${options.cases}`);
  } else {
    if (missingTools()) globalThis.process.exit(2);
    dir = mkdtempSync(join(tmpdir(), 'ts-otp-fuzz-'));
    const scenarios = join(dir, 'scenarios.jsonl');
    tool('python3', [join(options.oracle, 'gen.py'), '--seed', options.seed, '--n', String(options.n)], scenarios);
    cases = recordOnErlang(options.oracle, dir, scenarios, 'erlang');
    const dropped = options.n - cases.length;
    console.log(`fuzz: seed ${options.seed}, ${options.n} scenarios generated, ${cases.length} kept` + (dropped > 0 ? `, ${dropped} dropped (Erlang's trace varied between runs)` : '') + ` (${dir})`);
  }

  const started = Date.now();
  const bad = await runAll(cases);
  console.log(`fuzz: ran ${cases.length} cases on ts-otp in ${Date.now() - started} ms: ${bad.length} mismatch${bad.length === 1 ? '' : 'es'}`);
  if (bad.length === 0) {
    if (dir !== undefined && !options.keep) rmSync(dir, { recursive: true, force: true });
    return;
  }

  const kinds = new Map<string, Mismatch[]>();
  for (const m of bad) kinds.set(kindOf(m), [...(kinds.get(kindOf(m)) ?? []), m]);
  console.log(`\nfuzz: ${kinds.size} kind${kinds.size === 1 ? '' : 's'} of first difference:`);
  for (const [kind, ms] of kinds) console.log(`  ${String(ms.length).padStart(4)}  ${kind}   (e.g. ${ms.slice(0, 5).map((m) => m.c.id).join(' ')})`);

  for (const m of bad.slice(0, options.show)) console.log(`\n${mismatchReport(m.c, m.actual)}`);

  dir ??= mkdtempSync(join(tmpdir(), 'ts-otp-fuzz-'));
  const saved = join(dir, 'mismatches.jsonl');
  writeFileSync(saved, bad.map((m) => JSON.stringify({ id: m.c.id, actors: m.c.actors, steps: m.c.steps, trace: m.c.trace })).join('\n') + '\n');

  if (options.minimize) {
    if (options.cases !== undefined && missingTools()) globalThis.process.exit(2);
    const minimal: FuzzCase[] = [];
    for (const [kind, ms] of kinds) {
      const smallest = ms.reduce((x, y) => (y.c.steps.length < x.c.steps.length ? y : x));
      const small = await minimize(options.oracle, dir, smallest.c);
      const same = minimal.find((c) => c.actors === small.actors && JSON.stringify(c.steps) === JSON.stringify(small.steps));
      if (same !== undefined) {
        console.log(`\nfuzz: minimal case for "${kind}": the same as ${same.id}'s`);
        continue;
      }
      minimal.push(small);
      console.log(`\nfuzz: minimal case for "${kind}":\n${mismatchReport(small, await runScenario(small))}`);
    }
    writeFileSync(join(dir, 'minimal.jsonl'), minimal.map((c) => JSON.stringify(c)).join('\n') + '\n');
    console.log(`\nfuzz: minimal cases in ${join(dir, 'minimal.jsonl')}`);
  }

  console.log(`\nfuzz: mismatching cases saved; re-run them with\n  OTP_FUZZ_CASES=${saved} npx vitest run test/conformance/fuzz.test.ts`);
  globalThis.process.exitCode = 1;
}

await main();
