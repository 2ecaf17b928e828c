/**
 * Random kills in random supervision trees, for as long as you like:
 * `npm run chaos -- --seed=1 --rounds=10000`.
 *
 * Runs the rounds of test/support/chaos.ts with seeds `seed`, `seed + 1`, ... and keeps going
 * after a failure, so the rate of failures shows. Each failure prints its seed; rerun one with
 * `--seed=S --rounds=1`.
 *
 * Options:
 *   --seed=N        first seed (default: a new one, printed)
 *   --rounds=M      how many rounds (default 1000)
 *   --timeout=MS    a round that takes longer has hung (default 5000)
 *   --show=K        print the first K failures in full (default 5)
 *
 * Exit status: 0 every round held, 1 some failed, 2 usage error.
 *
 * @module
 */
import { ChaosFailure, chaosRound, type RoundResult } from '../test/support/chaos.js';

interface Options {
  seed: number;
  rounds: number;
  timeout: number;
  show: number;
}

const USAGE = 'usage: npm run chaos -- [--seed=N] [--rounds=M] [--timeout=MS] [--show=K]';

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { seed: Date.now() % 1_000_000, rounds: 1000, timeout: 5000, show: 5 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const raw = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (!['--seed', '--rounds', '--timeout', '--show'].includes(key)) usage(`unknown option ${arg}`);
    const value = Number(raw);
    if (raw === undefined || !Number.isSafeInteger(value) || value < 0) usage(`${key} needs an integer >= 0, not ${String(raw)}`);
    options[key.slice(2) as keyof Options] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  console.log(`chaos: seeds ${options.seed}..${options.seed + options.rounds - 1}, round timeout ${options.timeout} ms`);
  const started = Date.now();
  const outcomes: Record<RoundResult['outcome'], number> = { intact: 0, shutdown: 0, start_failed: 0 };
  const failures: ChaosFailure[] = [];
  let kills = 0;
  let killedStarts = 0;
  let processes = 0;
  for (let r = 0; r < options.rounds; r++) {
    const seed = options.seed + r;
    try {
      const result = await chaosRound(seed, { timeoutMs: options.timeout });
      outcomes[result.outcome]++;
      kills += result.kills;
      killedStarts += result.killedStarts;
      processes += result.processes;
    } catch (error) {
      if (!(error instanceof ChaosFailure)) throw error;
      failures.push(error);
      if (failures.length <= options.show) console.log(`FAIL ${error.message}`);
      else console.log(`FAIL seed ${seed}`);
    }
    if ((r + 1) % 1000 === 0) console.log(`  ${r + 1} rounds, ${failures.length} failed`);
  }
  const seconds = (Date.now() - started) / 1000;
  const rate = ((100 * failures.length) / Math.max(1, options.rounds)).toFixed(1);
  console.log(
    `${options.rounds} rounds in ${seconds.toFixed(1)} s: ${outcomes.intact} intact, ${outcomes.shutdown} shut down, ` +
      `${outcomes.start_failed} failed to start, ${failures.length} failed (${rate}%); ` +
      `${kills} kills, ${killedStarts} starts ended by a kill, ${processes} processes checked`,
  );
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
