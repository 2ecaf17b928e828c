/**
 * Recorded traces of conformance scenarios: the Erlang side's output, kept beside each group's
 * scripts as `<id>_<what>.trace`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * A reader of the traces in `dir`: the trace of scenario `id`, one line per event, with
 * `differs` (Erlang's line to ts-otp's) applied; each replaced line must be in the trace.
 */
export function tracesIn(dir: URL): (id: string, differs?: Record<string, string>) => string[] {
  return (id, differs = {}) => {
    const file = readdirSync(dir).find((f) => f.startsWith(`${id}_`) && f.endsWith('.trace'))!;
    const lines = readFileSync(new URL(file, dir), 'utf8').trimEnd().split('\n');
    for (const line of Object.keys(differs)) expect(lines, `${id}'s trace has the line replaced`).toContain(line);
    return lines.map((line) => differs[line] ?? line);
  };
}
