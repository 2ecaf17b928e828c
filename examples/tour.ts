/**
 * A tour: processes, messages, a link, a crash and a trapped exit, then a GenServer.
 *
 * Run with `npm run tour`. It prints what happens and exits by itself.
 */
import { pino } from 'pino';
import { GenServer, Runtime, formatReason, type Context, type ExitMessage, type Pid } from '../src/index.js';
import { add, get, reset, startCounter } from './counter.js';

type WorkerMsg = { readonly type: 'job'; readonly n: number; readonly replyTo: Pid };

/** Squares numbers until it is given a negative one, which it cannot handle: it crashes. */
async function worker(ctx: Context<WorkerMsg>): Promise<void> {
  for (;;) {
    const job = await ctx.receive();
    if (job.n < 0) throw new RangeError(`cannot square ${job.n}`);
    ctx.send(job.replyTo, job.n * job.n);
  }
}

// Crash reports go to pino; this tour prints its own lines instead.
const rt = new Runtime({ logger: pino({ level: 'silent' }) });

await rt.run(async (ctx: Context<number | ExitMessage>) => {
  console.log(`supervisor-ish process ${ctx.self} traps exits and spawns a linked worker`);
  ctx.trapExit(true);
  const pid = ctx.spawnLink(worker);

  for (const n of [2, 3, 4]) {
    ctx.send(pid, { type: 'job', n, replyTo: ctx.self });
    console.log(`  ${n} squared is ${String(await ctx.receive())}`);
  }

  console.log('  sending -1: the worker will crash');
  ctx.send(pid, { type: 'job', n: -1, replyTo: ctx.self });
  const exit = await ctx.receive();
  if (typeof exit === 'object' && exit.type === 'EXIT') {
    console.log(`  trapped EXIT from ${exit.from}: ${formatReason(exit.reason)}`);
  }

  const again = ctx.spawnLink(worker);
  ctx.send(again, { type: 'job', n: 7, replyTo: ctx.self });
  console.log(`  started a new worker ${again}; 7 squared is ${String(await ctx.receive())}`);
  ctx.exit(again, 'shutdown');
  const stopped = await ctx.receive();
  if (typeof stopped === 'object') console.log(`  stopped it: ${formatReason(stopped.reason)}`);
});

// Without trapping, a linked crash takes the caller down too.
const victim = rt.spawn(async (ctx) => {
  ctx.spawnLink(() => {
    throw new Error('linked crash');
  });
  await ctx.receive();
});
const down = await rt.run(async (ctx) => {
  ctx.monitor(victim);
  return ctx.receive();
});
console.log(`a process that did not trap exits died with the crash of its linked child: ${formatReason((down as ExitMessage).reason)}`);

// A GenServer owns state; plain code (an HTTP handler, say) calls it and awaits the reply.
const hits = await startCounter(rt, 0);
await Promise.all([add(hits, 1), add(hits, 2), add(hits, 3)]);
console.log(`the counter server ${hits} counted ${await get(hits)} after three concurrent calls`);
reset(hits);
console.log(`after a reset cast it holds ${await get(hits)}`);
await GenServer.stop(hits);
console.log('all processes have exited:', rt.processes().length === 0);
