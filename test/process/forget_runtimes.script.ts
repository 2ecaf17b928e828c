/**
 * Run by test/process/runtime.test.ts as `node --expose-gc --import tsx` this file: makes and drops
 * many runtimes, collects garbage until the runtime table is back to its size (or gives up), and
 * prints the sizes as JSON. One runtime is kept alive: it must still be found from its pid.
 */
import { Runtime, runtimeOf } from '../../src/index.js';
import { knownRuntimes } from '../../src/process/runtime.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const count = Number(globalThis.process.argv[2] ?? 1000);

const kept = new Runtime();
const keptPid = kept.spawn((ctx) => ctx.receive());
const before = knownRuntimes();
for (let i = 0; i < count; i++) new Runtime().spawn(() => {});
const made = knownRuntimes();
// Finalizers run in tasks after a collection, so each round collects and then yields once.
let rounds = 0;
while (knownRuntimes() > before && rounds < 50) {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  rounds++;
}
console.log(JSON.stringify({ before, made, after: knownRuntimes(), keptFound: runtimeOf(keptPid) === kept }));
kept.killAll();
