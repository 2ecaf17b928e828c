/**
 * Sys: 1,000,000 sequential GenServer calls from a process to a server traced by a function
 * (`Sys.trace(pid, fn)`), against Elixir's `:sys.install(pid, {fun, acc})` on one scheduler,
 * whose fun gets the same `in` and `out` events.
 *
 * The trace function counts the events it gets (two per call); the figure is calls per second,
 * timed around the loop. Untraced calls are the `call-process` workload: a server without trace
 * pays one field check per message. Baseline: the counter of the call workloads with a trace
 * callback of its own, called with an event object for each request and each reply.
 *
 * @module
 */
import { GenServer, Sys } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';
import { startCounter, type Request } from './gen_server_call.js';

const CALLS = 1_000_000;

interface TracedRequest extends Request {
  readonly trace: (event: object) => void;
}

/** The baseline's counter, which tells its trace callback each request and each reply. */
async function tracedCounter(mailbox: Mailbox<TracedRequest>): Promise<void> {
  let n = 0;
  for (;;) {
    const req = await mailbox.receive();
    req.trace({ type: 'in', kind: 'call', request: req });
    n += req.by;
    req.resolve(n);
    req.trace({ type: 'out', reply: n, state: n });
  }
}

async function baseline(): Promise<number> {
  let events = 0;
  const trace = (): void => {
    events++;
  };
  const server = spawn(tracedCounter);
  const t0 = now();
  let last = 0;
  for (let i = 0; i < CALLS; i++) last = await new Promise<number>((resolve) => server.send({ by: 1, resolve, trace }));
  const ms = now() - t0;
  check(last === CALLS && events >= 2 * CALLS - 1, 'every baseline call was counted and traced');
  return (CALLS / ms) * 1000;
}

export const sysTracedCallWorkload: Workload = {
  name: 'sys-traced-call',
  title: 'GenServer.call to a server traced by a function, 1M',
  unit: 'calls/s',
  better: 'higher',
  runs: 5,
  target: { kind: 'vs-erlang', value: 0.5 }, // at least twice Elixir's (see meets in harness.ts)
  otp: async (rt) => {
    const pid = await startCounter(rt);
    let events = 0;
    await Sys.trace(pid, () => {
      events++;
    });
    return rt.run(async () => {
      const t0 = now();
      let last = 0;
      for (let i = 0; i < CALLS; i++) last = await GenServer.call(pid, { type: 'add', by: 1 });
      const ms = now() - t0;
      check(last === CALLS && events === 2 * CALLS, 'every call was counted and traced');
      return (CALLS / ms) * 1000;
    });
  },
  baseline,
};
