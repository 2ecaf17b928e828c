/**
 * Casts then a call: 100,000 casts queue up at a GenServer, then one call waits behind them.
 *
 * A client process casts `{ type: 'add', by: 1 }` to a counter 100,000 times in one step (so the
 * casts wait in the server's mailbox), then calls `get`, whose reply comes once every cast has
 * been handled: it must be 100,000. The figure is the time from the first cast to the reply,
 * per cast. Baseline: the baseline's counter task, sent 100,000 requests whose answer nobody
 * waits for, then one that is awaited. Erlang: gen_server:cast 100,000 times to a server held
 * with suspend_process (on one scheduler it would otherwise run between the casts), then
 * resume it and gen_server:call.
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import { GenServer } from 'ts-otp';
import { spawn } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';
import { counterTask, startCounter, type Request } from './gen_server_call.js';

const CASTS = scaled(100_000);

const ignore = (): void => {};

export const castsThenCallWorkload: Workload = {
  name: 'casts-then-call',
  title: `${count(CASTS)} casts then a call, per cast`,
  unit: 'ns/msg',
  better: 'lower',
  runs: 5,
  warmups: 3,
  target: { kind: 'vs-erlang', value: 1 },

  otp: async (rt) => {
    const server = await startCounter(rt);
    const { ms, total } = await rt.run(async () => {
      const t0 = now();
      for (let i = 0; i < CASTS; i++) GenServer.cast(server, { type: 'add', by: 1 });
      const total = await GenServer.call(server, { type: 'get' }, 'infinity');
      return { ms: now() - t0, total };
    });
    check(total === CASTS, 'the call was answered after every cast had been handled');
    return (ms * 1e6) / CASTS;
  },

  baseline: async () => {
    const server = spawn<Request>(counterTask);
    const t0 = now();
    for (let i = 0; i < CASTS; i++) server.send({ by: 1, resolve: ignore });
    const total = await new Promise<number>((resolve) => server.send({ by: 0, resolve }));
    const ms = now() - t0;
    check(total === CASTS, 'the baseline counted every cast before answering');
    return (ms * 1e6) / CASTS;
  },
};
