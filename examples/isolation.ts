/**
 * Isolated children: GenServers in worker threads of their own, under an ordinary supervisor.
 *
 * Run with `npx tsx examples/isolation.ts`. It shows a child in an endless loop killed at once
 * and restarted, a child that allocates without bound ending alone over its heap limit while the
 * main thread keeps answering, and the price of a call across threads. It prints, last, one JSON
 * line with the figures, and exits by itself.
 */
import { GenServer, Node, Runtime, Supervisor, type DownMessage, type Pid } from '../src/index.js';
import { counter, type IsolatedCounter } from './isolated_counter.js';

type Counter = GenServer.ServerPid<IsolatedCounter>;
const module = new URL('./isolated_counter.ts', import.meta.url).href;

const rt = new Runtime();
Node.start(rt, { name: 'main' });

const startedAt = performance.now();
const sup = await Supervisor.start(
  {
    intensity: 5,
    children: [
      Supervisor.isolated({ id: 'busy', module, export: 'counter', arg: 1 }),
      Supervisor.isolated({ id: 'leaky', module, export: 'counter', arg: 2, resourceLimits: { maxOldGenerationSizeMb: 32 } }),
    ],
  },
  { runtime: rt },
);
if (sup.type !== 'ok') throw new Error(`the supervisor did not start: ${JSON.stringify(sup)}`);
const startMs = (performance.now() - startedAt) / 2;
console.log(`two isolated children started, ${startMs.toFixed(1)} ms each`);

const child = async (id: string): Promise<Counter> => (await Supervisor.whichChildren(sup.pid)).find((c) => c.id === id)!.pid as Counter;

/** Resolves with the DOWN of `pid`, seen from an inbox of the main runtime. */
function down(pid: Pid): Promise<DownMessage> {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  return inbox.receiveRef<DownMessage>(ref).finally(() => inbox.close());
}

// 1. A kill preempts an endless loop: the thread is terminated, the supervisor restarts the child.
const busy = await child('busy');
GenServer.cast(busy, { type: 'spin' });
await new Promise((resolve) => setTimeout(resolve, 50)); // let it enter the loop
const killed = down(busy);
const killAt = performance.now();
rt.exit(busy, 'kill');
const killReason = (await killed).reason;
const busyKillMs = performance.now() - killAt;
const again = await child('busy');
const restartedAfterKill = killReason === 'killed' && again !== busy && (await GenServer.call(again, { type: 'get' })) === 1;
console.log(`busy child killed in ${busyKillMs.toFixed(1)} ms (${String(killReason)}), restarted: ${restartedAfterKill}`);

// 2. A leak ends its own thread only, while the main thread keeps answering.
const local = await GenServer.start(counter, 7, { runtime: rt }); // the same behaviour, in this thread
if (local.type !== 'ok') throw new Error('no local server');
const leaky = await child('leaky');
const leaked = down(leaky);
GenServer.cast(leaky, { type: 'leak' });
let answeredMeanwhile = 0;
let leakReason: unknown;
void leaked.then((d) => (leakReason = d.reason));
while (leakReason === undefined) {
  if ((await GenServer.call(local.pid, { type: 'get' })) === 7) answeredMeanwhile++;
  await new Promise((resolve) => setImmediate(resolve));
}
const leakyAgain = await child('leaky');
const oomContained =
  JSON.stringify(leakReason) === JSON.stringify({ tag: 'exit', value: 'heap_limit' }) &&
  answeredMeanwhile > 0 &&
  leakyAgain !== leaky &&
  (await GenServer.call(leakyAgain, { type: 'get' })) === 2 &&
  (await GenServer.call(again, { type: 'get' })) === 1;
console.log(`leaky child ended with ${JSON.stringify(leakReason)}; the main thread answered ${answeredMeanwhile} calls meanwhile; contained: ${oomContained}`);

// 3. What a call costs across threads, against one in the same thread: 64 callers at a time.
async function callsPerSec(pid: Counter, ms: number): Promise<number> {
  let calls = 0;
  const until = performance.now() + ms;
  const caller = async (): Promise<void> => {
    while (performance.now() < until) {
      await GenServer.call(pid, { type: 'add', by: 0 });
      calls++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 64 }, caller));
  return Math.round(calls / ((performance.now() - t0) / 1000));
}
await callsPerSec(again, 200); // warm-up
const crossThreadCallsPerSec = await callsPerSec(again, 1000);
const inThreadCallsPerSec = await callsPerSec(local.pid, 1000);
console.log(`calls/s: ${crossThreadCallsPerSec} to an isolated child, ${inThreadCallsPerSec} to a local one`);

await Supervisor.stop(sup.pid);
await GenServer.stop(local.pid);
await Node.stop(rt);
console.log(JSON.stringify({ busyKillMs: Math.round(busyKillMs * 10) / 10, restartedAfterKill, oomContained, crossThreadCallsPerSec, inThreadCallsPerSec, startMs: Math.round(startMs * 10) / 10 }));
