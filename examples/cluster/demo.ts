/**
 * The cluster demo, `npm run demo:cluster`: three node OS processes joined through a NATS server
 * into one cluster, running one supervision tree spread across them, then one node is killed.
 *
 *     npm run demo:cluster                 # 20,000 calls a run, 3 runs
 *     DEMO_CALLS=2000 DEMO_RUNS=1 npm run demo:cluster   # a shorter run
 *
 * 1. Starts `nats-server` on a free 127.0.0.1 port and nodes n1, n2, n3 (examples/cluster/node.ts
 *    under tsx), heartbeat period 1000 ms.
 * 2. On n1, a root supervisor: a counter on n1, a counter on n2 and a supervisor of two counters
 *    on n3 (Supervisor.remote), each linked to the root across the cluster.
 * 3. remoteCallsPerSec: n1 calls its child on n2 (GenServer.call), 64 callers at a time.
 * 4. Links and monitors: a process on n1 and one on n2 each link to and monitor a process on n3
 *    (found there with Node.call) and watch n3. A numbered stream of messages runs from n1 to n2.
 * 5. n3 is killed with SIGKILL. noconnectionMs: from the kill until the links and monitors on n1
 *    and n2 have all fired. Then the stream stops; lostMessages: sent minus received on n2 (and
 *    the order is checked).
 *
 * Progress goes to stderr; the last line on stdout is one JSON object with the figures.
 * Everything it started is stopped when it ends, fails, or is interrupted (Ctrl-C).
 */
import { fileURLToPath } from 'node:url';
import { startNatsServer, stopNatsServers } from '../../test/cluster/support/nats_server.js';
import { connectedTo, killNodes, startNode, type NodeEvent, type NodeProcess } from '../../test/cluster/support/node_process.js';

const env = globalThis.process.env;
const CALLS = Number(env['DEMO_CALLS'] ?? 20_000);
const RUNS = Number(env['DEMO_RUNS'] ?? 3);
const CONCURRENCY = 64;
const HEARTBEAT_MS = 1000;
const nodeMain = fileURLToPath(new URL('./node.ts', import.meta.url));

const say = (line: string): void => void globalThis.process.stderr.write(`[demo] ${line}\n`);
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

let stopping: Promise<void> | null = null;
function stopAll(): Promise<void> {
  stopping ??= Promise.all([killNodes(), stopNatsServers()]).then(() => undefined);
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  globalThis.process.once(signal, () => {
    say(`${signal}: stopping everything`);
    void stopAll().then(() => globalThis.process.exit(130));
  });
}

/** The 'watched' event, from event index `from` on, of a message of `type` (EXIT, DOWN). */
const watched = (type: string) => (e: NodeEvent) => e.event === 'watched' && (e.msg as { type?: string }).type === type;

async function main(): Promise<Record<string, unknown>> {
  const server = await startNatsServer();
  say(`nats-server on ${server.url}`);
  const names = ['n1', 'n2', 'n3'];
  const [n1, n2, n3] = (await Promise.all(names.map((n) => startNode(n, server, { tickMs: HEARTBEAT_MS, main: nodeMain, cluster: 'demo' })))) as [NodeProcess, NodeProcess, NodeProcess];
  await Promise.all([connectedTo(n1, ['n2', 'n3']), connectedTo(n2, ['n1', 'n3']), connectedTo(n3, ['n1', 'n2'])]);
  say('n1, n2, n3 joined one cluster');

  const children = await n1.request<Record<string, string>>('tree', { worker: 'n2', pool: 'n3' });
  say(`root supervisor on n1; children: local on n1, worker on n2 (${await n1.request('call', { pid: children['worker'], msg: { type: 'where' } })}), pool on n3`);
  say(`Node.call(n3, add(2, 40)) -> ${JSON.stringify(await n1.request('rpc', { node: 'n3', export: 'add', args: [2, 40] }))}`);

  await n1.request('calls', { pid: children['worker'], count: Math.min(CALLS, 2000), concurrency: CONCURRENCY }); // warm-up
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, answered } = await n1.request<{ ms: number; answered: number }>('calls', { pid: children['worker'], count: CALLS, concurrency: CONCURRENCY });
    if (answered !== CALLS) throw new Error(`${answered} of ${CALLS} calls answered`);
    rates.push(Math.round((CALLS / ms) * 1000));
    say(`${CALLS} calls n1 -> n2, ${CONCURRENCY} callers: ${rates.at(-1)} calls/s`);
  }

  // Links and monitors to n3 from both survivors (besides the root supervisor's link to the pool).
  const from = [n1.events.length, n2.events.length] as const;
  await Promise.all([n1.request('watch', { node: 'n3' }), n2.request('watch', { node: 'n3' })]);
  await n1.request('stream', { to: 'n2' });
  say('watching n3 from n1 and n2; a numbered stream runs n1 -> n2; SIGKILL n3');

  const killedAt = Date.now();
  n3.child.kill('SIGKILL');
  const fired = async (node: NodeProcess, start: number): Promise<number> => {
    const [exit, down] = await Promise.all([node.next(watched('EXIT'), 'EXIT from n3', start), node.next(watched('DOWN'), 'DOWN from n3', start)]);
    for (const e of [exit, down]) if ((e.msg as { reason?: unknown }).reason !== 'noconnection') throw new Error(`${node.name}: ${JSON.stringify(e.msg)}`);
    return Math.max(exit.at!, down.at!) - killedAt;
  };
  const seen = await Promise.all([fired(n1, from[0]), fired(n2, from[1])]);
  const noconnectionMs = Math.max(...seen);
  say(`links and monitors to n3 fired: n1 after ${seen[0]} ms, n2 after ${seen[1]} ms`);
  await n3.exited;

  const streamFrom = n2.events.length;
  const sent = await n1.request<number>('streamStop', {});
  const report = await n2.next((e) => e.event === 'stream', 'the end of the stream', streamFrom);
  const received = report['received'] as number;
  say(`stream n1 -> n2: ${sent} sent, ${received} received, ${report['outOfOrder'] as number} out of order`);
  const after = await n1.request<{ id: string; pid: string | null }[]>('children', {});
  say(`root's children after the loss: ${after.map((c) => c.id).join(', ')} (the temporary pool on n3 is gone)`);

  return {
    nodes: names.length,
    heartbeatMs: HEARTBEAT_MS,
    calls: CALLS,
    runs: RUNS,
    concurrency: CONCURRENCY,
    remoteCallsPerSec: median(rates),
    noconnectionMs,
    messagesSent: sent,
    lostMessages: sent - received,
    outOfOrder: report['outOfOrder'],
    childrenAfterLoss: after.map((c) => c.id),
  };
}

let code = 0;
try {
  const result = await main();
  globalThis.process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await stopAll();
}
globalThis.process.exit(code);
