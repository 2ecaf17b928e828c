/**
 * `npm run bench [-- <filter>...] [--no-erlang] [--runs=N]`: the kernel's benchmarks, against plain Node and Erlang.
 *
 * Runs every workload whose name contains one of the filters (all of them without a filter),
 * each in a Node process of its own so that one workload's heap and JIT state cannot colour the
 * next, and prints each run's figures as they come, then a table: workload, ts-otp's median, the
 * baseline's median, the ratio ts-otp / baseline, the target and whether it is met. When
 * `escript` is on the PATH, the same workloads are then run in Erlang/OTP on one scheduler
 * (bench/erlang/bench.escript), and the toolkit's in Elixir (bench/elixir/*.exs) when `elixir`
 * is, and shown in an extra column; `--no-erlang` skips both. Exits with
 * status 1 if a target is missed or a workload fails.
 *
 * A target is one of: `max-ratio` / `min-ratio` (ts-otp / baseline at most / at least a value),
 * `max` / `min` (ts-otp's own figure at most / at least a value), or `vs-erlang` (ts-otp's figure at least as good
 * as Erlang's times a factor, 1 meaning at least as fast). A `vs-erlang` target is checked only
 * when Erlang ran; without it the row says "no Erlang" and does not fail the run.
 *
 * `BENCH_SCALE=0.01 npm run bench -- flood` runs the overload workloads (flood-then-drain,
 * casts-then-call, the unrelated-queue ones, down-fan-in, dynsup-temporary-exit, and the large
 * supervisor and operation count of the child-ops-flatness ones) at a hundredth of their size,
 * Erlang's too; the others ignore it. By default everything runs at full size.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, measure, SCALE, summarize, table, type Result, type Runs, type Workload } from './harness.js';
import { agentGetWorkload, agentUpdateWorkload } from './workloads/agent.js';
import { castsThenCallWorkload } from './workloads/casts_then_call.js';
import { downFanInWorkload } from './workloads/down_fan_in.js';
import { dynsupTemporaryExitWorkload } from './workloads/dynsup_temporary_exit.js';
import { exitFanoutWorkload } from './workloads/exit_fanout.js';
import {
  floodThenDrain100kWorkload,
  floodThenDrain10kWorkload,
  floodThenDrain1mWorkload,
  floodThenDrainFlatnessWorkload,
} from './workloads/flood_then_drain.js';
import { callFromPlainCodeWorkload, callFromProcessWorkload } from './workloads/gen_server_call.js';
import { idleMemoryWorkload } from './workloads/idle_memory.js';
import { callObserverMountedWorkload, callObserverPageWorkload, observerPageCpuWorkload } from './workloads/observer.js';
import { isolatedCallWorkload, isolatedKillWorkload, isolatedMemoryWorkload, isolatedStartWorkload } from './workloads/isolation.js';
import { isolationScalingWorkload } from './workloads/isolation_scaling.js';
import { pingPongWorkload } from './workloads/ping_pong.js';
import { registryWorkload } from './workloads/registry.js';
import { globalWorkload } from './workloads/global.js';
import { ringWorkload } from './workloads/ring.js';
import { spawnWorkload } from './workloads/spawn.js';
import { stateMachineCallWorkload, stateMachineCastWorkload } from './workloads/state_machine.js';
import { sysTracedCallWorkload } from './workloads/sys.js';
import { callWithUnrelatedQueueWorkload, downWithUnrelatedQueueWorkload } from './workloads/unrelated_queue.js';
import { oneForAllWorkload, restartWorkload, startStopWorkload } from './workloads/supervisor.js';
import { taskAsyncAwaitWorkload, taskAsyncStreamWorkload } from './workloads/task.js';
import { dynamicSupervisorScaleWorkload, supervisorScaleWorkload } from './workloads/supervisor_scale.js';

const workloads: readonly Workload[] = [
  spawnWorkload,
  idleMemoryWorkload,
  ringWorkload,
  pingPongWorkload,
  exitFanoutWorkload,
  callFromProcessWorkload,
  callFromPlainCodeWorkload,
  restartWorkload,
  startStopWorkload,
  oneForAllWorkload,
  floodThenDrain10kWorkload,
  floodThenDrain100kWorkload,
  floodThenDrain1mWorkload,
  floodThenDrainFlatnessWorkload,
  castsThenCallWorkload,
  callWithUnrelatedQueueWorkload,
  downWithUnrelatedQueueWorkload,
  downFanInWorkload,
  dynsupTemporaryExitWorkload,
  supervisorScaleWorkload,
  dynamicSupervisorScaleWorkload,
  isolatedCallWorkload,
  isolatedKillWorkload,
  isolatedStartWorkload,
  isolatedMemoryWorkload,
  taskAsyncAwaitWorkload,
  taskAsyncStreamWorkload,
  agentGetWorkload,
  agentUpdateWorkload,
  isolationScalingWorkload,
  stateMachineCallWorkload,
  stateMachineCastWorkload,
  registryWorkload,
  globalWorkload,
  callObserverMountedWorkload,
  callObserverPageWorkload,
  observerPageCpuWorkload,
  sysTracedCallWorkload,
];
const USAGE = 'usage: npm run bench -- [filter...] [--no-erlang] [--runs=N]';
const RESULT = 'RESULT ';

interface Options {
  readonly filters: readonly string[];
  readonly erlang: boolean;
  readonly runs: number | undefined;
  /** Set in a child process: the one workload to measure. */
  readonly child: string | undefined;
}

function parseArgs(args: readonly string[]): Options {
  const filters: string[] = [];
  let erlang = true;
  let runs: number | undefined;
  let child: string | undefined;
  for (const arg of args) {
    if (arg === '--no-erlang') erlang = false;
    else if (arg === '--erlang') erlang = true;
    else if (arg.startsWith('--runs=')) {
      runs = Number(arg.slice('--runs='.length));
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, got ${arg}; ${USAGE}`);
    } else if (arg.startsWith('--child=')) child = arg.slice('--child='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; ${USAGE}`);
    else filters.push(arg);
  }
  return { filters, erlang, runs, child };
}

/** In a child process: measures one workload and prints its runs as one JSON line. */
async function runChild(name: string, runs: number | undefined): Promise<void> {
  const workload = workloads.find((w) => w.name === name);
  if (workload === undefined) throw new Error(`no workload named ${name}`);
  console.log(RESULT + JSON.stringify(await measure(workload, runs)));
}

/** Measures a workload in a fresh Node process (same flags: tsx's loader, --expose-gc). */
function runInChild(workload: Workload, runs: number | undefined): Runs | undefined {
  const args = [...globalThis.process.execArgv, fileURLToPath(import.meta.url), `--child=${workload.name}`];
  if (runs !== undefined) args.push(`--runs=${runs}`);
  const out = spawnSync(globalThis.process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.split('\n').find((l) => l.startsWith(RESULT));
  if (out.status !== 0 || line === undefined) {
    console.log(`  ${workload.name}: FAILED (status ${out.status ?? out.signal})\n${out.stderr}${out.stdout}`);
    return undefined;
  }
  const measured = JSON.parse(line.slice(RESULT.length)) as Runs;
  const list = (values: readonly number[]): string => values.map((v) => format(v, workload.unit)).join(', ');
  console.log(`  ${workload.name}: ts-otp [${list(measured.otp)}]  baseline [${list(measured.baseline)}]`);
  return measured;
}

/**
 * Runs `command` for the given workloads; figures by workload name, or undefined when the command
 * is not installed or fails. Output lines are `name median run...` (see bench/erlang/bench.escript).
 */
function runTwin(label: string, command: string, args: readonly string[], names: readonly string[]): Map<string, number> | undefined {
  const out = spawnSync(command, [...args, ...names], { encoding: 'utf8', timeout: 600_000 });
  if (out.error !== undefined) {
    console.log(`${label}: not run (${(out.error as NodeJS.ErrnoException).code ?? out.error.message})`);
    return undefined;
  }
  if (out.status !== 0) {
    console.log(`${label}: ${command} failed with status ${out.status}\n${out.stderr}${out.stdout}`);
    return undefined;
  }
  const figures = new Map<string, number>();
  for (const line of out.stdout.split('\n')) {
    const [name, value, ...rest] = line.trim().split(/\s+/);
    if (name === 'otp_release') console.log(`Erlang/OTP ${value}, schedulers online: ${rest[1] ?? '?'}`);
    else if (name !== undefined && value !== undefined) {
      figures.set(name, Number(value));
      console.log(`  ${name} (${label}): [${rest.join(', ')}]`);
    }
  }
  return figures;
}

/**
 * The workloads' twins: bench/erlang/bench.escript, then each bench/elixir/*.exs (the toolkit's,
 * compared with Elixir's own Task, Agent, Registry...), all on one scheduler. A workload has at
 * most one twin; its figure goes in the table's Erlang/Elixir column.
 */
function runTwins(names: readonly string[]): Map<string, number> | undefined {
  const escript = fileURLToPath(new URL('./erlang/bench.escript', import.meta.url));
  const figures = runTwin('Erlang', 'escript', [escript], names);
  const elixirDir = fileURLToPath(new URL('./elixir/', import.meta.url));
  const scripts = readdirSync(elixirDir).filter((f) => f.endsWith('.exs') && f !== 'bench_helper.exs').sort();
  let all = figures;
  for (const script of scripts) {
    const more = runTwin('Elixir', 'elixir', ['--erl', '+S 1:1 +P 4194304', join(elixirDir, script)], names);
    if (more === undefined) continue;
    all ??= new Map();
    for (const [name, value] of more) all.set(name, value);
  }
  return all;
}

async function main(): Promise<void> {
  const options = parseArgs(globalThis.process.argv.slice(2));
  if (options.child !== undefined) return runChild(options.child, options.runs);
  const selected = workloads.filter((w) => options.filters.length === 0 || options.filters.some((f) => w.name.includes(f)));
  if (selected.length === 0) throw new Error(`no workload matches ${options.filters.join(', ')}; workloads: ${workloads.map((w) => w.name).join(', ')}`);
  console.log(`Node ${globalThis.process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  if (SCALE !== 1) console.log(`BENCH_SCALE=${SCALE}: the overload workloads run at that fraction of their size`);
  const measured: Array<[Workload, Runs]> = [];
  let failed = false;
  for (const workload of selected) {
    const runs = runInChild(workload, options.runs);
    if (runs === undefined) failed = true;
    else measured.push([workload, runs]);
  }
  const figures = options.erlang ? runTwins(selected.map((w) => w.name)) : undefined;
  const results: Result[] = measured.map(([workload, runs]) => summarize(workload, runs, figures?.get(workload.name)));
  console.log(`\nmedian of each side's runs after the warm-ups; ratio = median of ts-otp / baseline over back-to-back pairs\n`);
  console.log(table(results));
  if (failed || results.some((r) => r.pass === false)) globalThis.process.exitCode = 1;
}

await main();
