/**
 * remoteCallsPerSec: GenServer calls between two node OS processes through a real nats-server.
 *
 *     npx tsx test/cluster/remote_calls.ts [calls=20000] [concurrency=1,16,64] [runs=5]
 *
 * Node 'a' calls the counter GenServer of node 'b' (`GenServer.call` by `{ name, node }`), with
 * `concurrency` callers at a time; each run prints its rate, and the last line is one JSON object
 * with the median of each concurrency. Everything it started is stopped before it exits.
 */
import { startNatsServer, stopNatsServers } from './support/nats_server.js';
import { connectedTo, killNodes, startNode } from './support/node_process.js';

const [calls = 20_000, levels = [1, 16, 64], runs = 5] = [
  Number(globalThis.process.argv[2] ?? 20_000),
  (globalThis.process.argv[3] ?? '1,16,64').split(',').map(Number),
  Number(globalThis.process.argv[4] ?? 5),
] as const;

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

try {
  const server = await startNatsServer();
  const [a, b] = await Promise.all([startNode('a', server, { tickMs: 5000 }), startNode('b', server, { tickMs: 5000 })]);
  await Promise.all([connectedTo(a!, ['b']), connectedTo(b!, ['a'])]);
  await a!.request('calls', { node: 'b', count: 2000, concurrency: 16 }); // warm-up
  const result: Record<string, number> = {};
  for (const concurrency of levels) {
    const rates: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { ms, sum } = await a!.request<{ ms: number; sum: number }>('calls', { node: 'b', count: calls, concurrency });
      if (sum !== calls) throw new Error(`${sum} of ${calls} calls answered`);
      rates.push(Math.round((calls / ms) * 1000));
      console.log(`concurrency ${concurrency}: ${rates.at(-1)} calls/s`);
    }
    result[`remoteCallsPerSec_c${concurrency}`] = median(rates);
  }
  console.log(JSON.stringify({ calls, runs, ...result }));
} finally {
  await killNodes();
  await stopNatsServers();
}
