/**
 * The benchmark harness: runs a workload's ts-otp and baseline versions, keeps the median, checks the target.
 *
 * Each workload is measured the same way: warm-up runs of each version (one, or the workload's
 * `warmups`, so V8 has compiled the hot paths: a server runs warm), then `runs` alternating runs of ts-otp and baseline, with a full GC before each
 * run so garbage from the previous one is not collected on the clock. The figure reported is the
 * median of those runs. The ratio is always ts-otp / baseline (the median of each pair's ratio,
 * see summarize); whether a high or a low ratio is
 * good depends on the unit (time and bytes: lower is better; operations per second: higher).
 *
 * Targets are ratios to the baseline, an absolute figure, or a ratio to Erlang's figure for the
 * same workload (`vs-erlang`), which can only be checked when Erlang ran: without it the verdict
 * is left open rather than failed.
 *
 * The overload workloads (deep mailboxes, fan-in, mass exits) take their sizes through
 * `scaled(n)`: the environment variable BENCH_SCALE (default 1) multiplies them, so that they can
 * be tried small (`BENCH_SCALE=0.01`) on a kernel whose cost still grows with a queue's length.
 * bench/erlang/bench.escript reads the same variable.
 *
 * All ts-otp runs of a workload share one `Runtime`, emptied with `killAll()` after each run, as a
 * long-lived application uses one. bench/run.ts runs each workload in a Node process of its own:
 * after the spawn workload has churned through millions of objects, a later workload in the same
 * process measured up to 1.8x slower (exit fan-out), which is the heap's history, not the kernel.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { pino } from 'pino';
import { Runtime } from 'ts-otp';

/** What a workload promises, checked against its measured figures. */
export type Target =
  | { readonly kind: 'max-ratio'; readonly value: number } // ts-otp / baseline at most this
  | { readonly kind: 'min-ratio'; readonly value: number } // ts-otp / baseline at least this
  | { readonly kind: 'max'; readonly value: number } // ts-otp's own figure at most this
  | { readonly kind: 'min'; readonly value: number } // ts-otp's own figure at least this
  // ts-otp no worse than Erlang's figure times `value` (1: at least as fast); open without Erlang
  | { readonly kind: 'vs-erlang'; readonly value: number };

/** One benchmark, in its ts-otp form and its plain-Node form. Both return the figure in `unit`. */
export interface Workload {
  /** Short name, matched by the command-line filter: `npm run bench -- ring`. */
  readonly name: string;
  /** What it does, for the table. */
  readonly title: string;
  readonly unit: 'ms' | 'B/proc' | 'MB/child' | 'hops/s' | 'round trips/s' | 'calls/s' | 'restarts/s' | 'ns/msg' | 'µs/call' | 'µs/monitor' | 'x';
  readonly better: 'lower' | 'higher';
  /** Measured runs per version, after the warm-up. */
  readonly runs: number;
  /**
   * Warm-up runs per version; 1 by default. A workload whose run is short next to V8's tiering
   * (the optimising compiler kicks in after tens of thousands of calls) needs more, or its first
   * measured runs time the compiler.
   */
  readonly warmups?: number;
  readonly target: Target;
  /** One run on `rt`, which holds no process when the run starts; the harness calls `rt.killAll()` after it. */
  otp(rt: Runtime): Promise<number>;
  baseline(): Promise<number>;
}

/** The measured runs of one workload, as a child process reports them. */
export interface Runs {
  readonly name: string;
  readonly otp: readonly number[];
  readonly baseline: readonly number[];
}

/** The outcome of one workload. */
export interface Result {
  readonly workload: Workload;
  readonly otp: number;
  readonly baseline: number;
  readonly ratio: number;
  /** The same workload in Erlang/OTP, when it was measured. */
  readonly erlang: number | undefined;
  /** Whether the target is met; undefined when it cannot be told (a `vs-erlang` target without Erlang's figure). */
  readonly pass: boolean | undefined;
}

/** Full collection; the harness refuses to run without `--expose-gc`, since figures depend on it. */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run the benchmarks with node --expose-gc (npm run bench does)');
  collect();
  collect(); // a second pass frees what the first one's finalizers released
}

/** Young-generation collection only: a run starts without the last one's short-lived garbage. */
function minorGc(): void {
  (globalThis as unknown as { gc: (options: object) => void }).gc({ type: 'minor' });
}

/** Bytes of live JS heap. */
export function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** The sizes' multiplier, from BENCH_SCALE; see the module's summary. */
export const SCALE = parseScale(globalThis.process.env['BENCH_SCALE']);

function parseScale(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE wants a positive number, got ${JSON.stringify(text)}`);
  return scale;
}

/** `n` times BENCH_SCALE, rounded, at least 1: the size an overload workload runs at. */
export function scaled(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

/** A count for a title: 1M, 100k, 250. */
export function count(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

/** Milliseconds, with sub-millisecond resolution. */
export function now(): number {
  return performance.now();
}

/** Throws when a run did not do what it claims, so a broken kernel cannot pass as a fast one. */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark check failed: ${what}`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function meets(workload: Workload, otp: number, ratio: number, erlang: number | undefined): boolean | undefined {
  const target = workload.target;
  switch (target.kind) {
    case 'max-ratio':
      return ratio <= target.value;
    case 'min-ratio':
      return ratio >= target.value;
    case 'max':
      return otp <= target.value;
    case 'min':
      return otp >= target.value;
    case 'vs-erlang':
      if (erlang === undefined) return undefined;
      return workload.better === 'lower' ? otp <= erlang * target.value : otp * target.value >= erlang;
    default:
      return assertNever(target);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${String(x)}`);
}

const silent = pino({ level: 'silent' });

/** Runs one workload: warm-up, then alternating measured runs, on one runtime per workload. */
export async function measure(workload: Workload, runs: number = workload.runs): Promise<Runs> {
  const rt = new Runtime({ logger: silent });
  const otpRun = async (): Promise<number> => {
    try {
      return await workload.otp(rt);
    } finally {
      rt.killAll();
    }
  };
  // A full collection once, then only the young generation's between runs. A full collection
  // after a run whose processes are all gone collects the hidden classes of the kernel's objects,
  // and V8 then deoptimizes every function that embedded them: each run would start from cold
  // kernel code, which no server ever does (docs/benchmarks.md, "How it measures").
  gc();
  for (let i = 0; i < (workload.warmups ?? 1); i++) {
    minorGc();
    await otpRun();
    minorGc();
    await workload.baseline();
  }
  const otp: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    minorGc();
    otp.push(await otpRun());
    minorGc();
    baseline.push(await workload.baseline());
  }
  return { name: workload.name, otp, baseline };
}

/**
 * Medians, ratio and verdict of a workload's runs. The ratio is the median of the ratios of
 * each ts-otp run to the baseline run right after it: the pairs ran back to back, so a machine
 * that speeds up or slows down during the workload (this one is shared) moves both sides of a
 * pair alike.
 */
export function summarize(workload: Workload, runs: Runs, erlang: number | undefined): Result {
  const otp = median(runs.otp);
  const baseline = median(runs.baseline);
  const ratio = median(runs.otp.map((o, i) => o / runs.baseline[i]!));
  return { workload, otp, baseline, ratio, erlang, pass: meets(workload, otp, ratio, erlang) };
}

/** A figure in its unit, rounded for reading: 1.23M hops/s, 412 ms, 598 B/proc. */
export function format(value: number, unit: Workload['unit']): string {
  switch (unit) {
    case 'ms':
      return `${value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
    case 'B/proc':
      return `${Math.round(value)} B/proc`;
    case 'MB/child':
      return `${value.toFixed(1)} MB/child`;
    case 'hops/s':
    case 'round trips/s':
    case 'calls/s':
    case 'restarts/s':
      return `${value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : `${(value / 1e3).toFixed(0)}k`} ${unit}`;
    case 'ns/msg':
    case 'µs/call':
    case 'µs/monitor':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
    case 'x':
      return `${value.toFixed(2)}x`;
    default:
      return assertNever(unit);
  }
}

export function describeTarget(target: Target, unit: Workload['unit']): string {
  switch (target.kind) {
    case 'max-ratio':
      return `ratio <= ${target.value}`;
    case 'min-ratio':
      return `ratio >= ${target.value}`;
    case 'max':
      return `<= ${format(target.value, unit)}`;
    case 'min':
      return `>= ${format(target.value, unit)}`;
    case 'vs-erlang':
      if (target.value === 1) return 'as fast as Erlang';
      return target.value < 1 ? `${1 / target.value}x Erlang or better` : `within ${target.value}x of Erlang`;
    default:
      return assertNever(target);
  }
}

/** The results as an aligned text table; the Erlang column only when some figure was measured. */
export function table(results: readonly Result[]): string {
  const withErlang = results.some((r) => r.erlang !== undefined);
  const header = ['workload', 'ts-otp', 'baseline', 'ratio', 'target', 'result', ...(withErlang ? ['Erlang/Elixir (+S 1:1)'] : [])];
  const rows = results.map((r) => [
    r.workload.title,
    format(r.otp, r.workload.unit),
    format(r.baseline, r.workload.unit),
    `${r.ratio.toFixed(2)}x`,
    describeTarget(r.workload.target, r.workload.unit),
    r.pass === undefined ? 'no Erlang' : r.pass ? 'pass' : 'FAIL',
    ...(withErlang ? [r.erlang === undefined ? '-' : format(r.erlang, r.workload.unit)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
