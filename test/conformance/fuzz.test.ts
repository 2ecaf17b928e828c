/**
 * Differential conformance: random link/monitor/exit scenarios must give Erlang's exact traces.
 *
 * Each case of `fuzz/cases.jsonl` (or of the JSON-lines file named by the environment variable
 * `OTP_FUZZ_CASES`) was run on real Erlang/OTP 25 by `fuzz/erlang/driver.escript`; the
 * interpreter runs it on ts-otp and the two traces must be equal, string by string. A failure
 * prints the steps, both traces side by side and the first differing line. `npm run fuzz` makes
 * fresh sets; see `fuzz/erlang/README.md` for the language and the trace grammar.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useRuntime } from '../support/runtime.js';
import { firstDifference, mismatchReport, parseCases, runScenario } from './fuzz/interpreter.js';

const source = globalThis.process.env['OTP_FUZZ_CASES'] || fileURLToPath(new URL('./fuzz/cases.jsonl', import.meta.url));
const cases = parseCases(readFileSync(source, 'utf8'), source);
const runtime = useRuntime();

describe(`differential fuzz (${cases.length} cases from ${source})`, () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s gives the same trace as Erlang', async (_id, c) => {
    const actual = await runScenario(c, { runtime: runtime() });
    if (firstDifference(c.trace, actual) !== -1) expect.fail(`\n${mismatchReport(c, actual)}`);
  });
});
