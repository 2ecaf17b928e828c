/**
 * remoteCallsPerSec and noconnectionMs between node OS processes through a real nats-server.
 *
 *     npx tsx test/cluster/remote_calls.ts [calls=20000] [concurrency=1,16,64] [runs=5]
 *
 * Node 'a' calls the counter GenServer of node 'b' (`GenServer.call` by `{ name, node }`), with
 * `concurrency` callers at a time; each run prints its rate. Then a third node 'v', linked to
 * and monitored from 'a' and 'b', is killed with SIGKILL: noconnectionMs is the time from the
 * kill until both have seen their link and monitor fire (heartbeat period 1000 ms). The last
 * line is one JSON object with the medians. Everything it started is stopped before it exits.
 */
import { startNatsServer, stopNatsServers } from './support/nats_server.js';
import { connectedTo, killNodes, startNode, type NodeProcess } from './support/node_process.js';

const [calls = 20_000, levels = [1, 16, 64], runs = 5] = [
  Number(globalThis.process.argv[2] ?? 20_000),
  (globalThis.process.argv[3] ?? '1,16,64').split(',').map(Number),
  Number(globalThis.process.argv[4] ?? 5),
] as const;

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

try {
  const server = await startNatsServer();
  const tickMs = 1000;
  const [a, b] = await Promise.all([startNode('a', server, { tickMs }), startNode('b', server, { tickMs })]);
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
  const losses: number[] = [];
  for (let i = 0; i < runs; i++) {
    const from = [a!.events.length, b!.events.length];
    const v = await startNode('v', server, { tickMs });
    await Promise.all([a!.next((e) => e.event === 'nodeup' && e.node === 'v', 'nodeup v', from[0]), b!.next((e) => e.event === 'nodeup' && e.node === 'v', 'nodeup v', from[1])]);
    await Promise.all([a!.request('watch', { node: 'v' }), b!.request('watch', { node: 'v' })]);
    const killedAt = Date.now();
    v.child.kill('SIGKILL');
    const fired = (n: NodeProcess, i: number): Promise<number> =>
      n.next((e) => e.event === 'watched' && e.node === 'v' && (e.msg as { type: string }).type === 'DOWN', 'DOWN of v', from[i]).then((e) => e.at! - killedAt);
    losses.push(Math.max(await fired(a!, 0), await fired(b!, 1)));
    console.log(`noconnection after ${losses.at(-1)} ms`);
    await v.exited;
  }
  console.log(JSON.stringify({ calls, runs, heartbeatMs: tickMs, ...result, noconnectionMs: median(losses) }));
} finally {
  await killNodes();
  await stopNatsServers();
}
