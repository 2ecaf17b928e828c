/**
 * The observer's cost: GenServer.call from plain code, to a supervised counter, for 3 s, with
 * the observer mounted on the runtime, against the same loop on a runtime without one.
 *
 * - `call-observer-mounted`: `Observer.handler` made over the runtime and its tree, no page open
 *   (the observer follows the runtime's exits and nothing else).
 * - `call-observer-page`: `Observer.start` over the runtime, and a page open on it: a child
 *   process that does what an open page does, at the page's pace (the event stream, with the
 *   tree refreshed every second, and the process table asked for every 2 s, as the page's
 *   Processes view does). The page is a process of its own, as a browser is, so its own work is
 *   not on the clock; the server's side (the refreshes, the table, the stream) is.
 *
 * The "baseline" here is not plain Node but the same ts-otp loop with no observer, on a runtime of
 * its own, so the ratio is what the observer costs; the harness alternates the two (A/B). The
 * issue's target: with the page open and no trace on, calls lose under 5%. There is no Erlang
 * twin: the figure compares ts-otp with itself.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { pino } from 'pino';
import { GenServer, Next, Runtime, Supervisor } from 'ts-otp';
import { Observer } from 'ts-otp/observer';
import { check, now, type Workload } from '../harness.js';

const DURATION_MS = 3000;

interface Counter {
  state: number;
  call: { readonly type: 'add'; readonly by: number };
  reply: { add: number };
}

const counter: GenServer.Behaviour<Counter> = {
  init: () => Next.ok(0),
  handleCall: { add: ({ by }, _from, n) => Next.reply(n + by, n + by) },
};

/** A supervisor named 'bench_sup' with the counter as its child; resolves with the counter. */
async function supervisedCounter(rt: Runtime): Promise<GenServer.ServerPid<Counter>> {
  const started = await Supervisor.start({ children: [Supervisor.worker('counter', counter, undefined, { name: 'counter' })] }, { runtime: rt, name: 'bench_sup' });
  check(started.type === 'ok', 'the supervisor started');
  return rt.whereis('counter') as GenServer.ServerPid<Counter>;
}

/** Calls for DURATION_MS; calls per second. */
async function timedCalls(pid: GenServer.ServerPid<Counter>): Promise<number> {
  const t0 = now();
  let calls = 0;
  let last = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < 1024; i++) last = await GenServer.call(pid, { type: 'add', by: 1 });
    calls += 1024;
    elapsed = now() - t0;
  } while (elapsed < DURATION_MS);
  check(last === calls, 'every call was counted');
  return (calls / elapsed) * 1000;
}

// The open page, as a script for a child Node process: argv is [api base, token].
const PAGE = `
const [api, token] = process.argv.slice(1);
const headers = { 'x-observer-token': token };
const res = await fetch(api + '/events', { headers });
if (res.status !== 200) throw new Error('events: ' + res.status);
const reader = res.body.getReader();
let opened = false;
setInterval(() => fetch(api + '/processes?limit=50', { headers }).then((r) => r.arrayBuffer()), 2000);
for (;;) {
  const { done } = await reader.read();
  if (done) break;
  if (!opened) { opened = true; process.stdout.write('open\\n'); }
}
`;

async function openPage(url: string, token: string): Promise<ChildProcess> {
  const api = url.replace(/\/\?token=.*$/, '/api');
  const page = spawn(process.execPath, ['--input-type=module', '-e', PAGE, api, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(page.stdout!, 'data')) as [Buffer];
  check(chunk.toString().startsWith('open'), 'the page opened its event stream');
  return page;
}

async function closePage(page: ChildProcess): Promise<void> {
  const exited = once(page, 'exit');
  page.kill();
  await exited;
}

const silent = pino({ level: 'silent' });
let plain: Runtime | undefined;

/** The loop on a runtime without an observer: the "off" side of each pair. */
async function observerOff(): Promise<number> {
  plain ??= new Runtime({ logger: silent });
  try {
    return await timedCalls(await supervisedCounter(plain));
  } finally {
    plain.killAll();
  }
}

export const callObserverMountedWorkload: Workload = {
  name: 'call-observer-mounted',
  title: 'GenServer.call 3 s, observer mounted, no page (vs none)',
  unit: 'calls/s',
  better: 'higher',
  runs: 7,
  target: { kind: 'min-ratio', value: 0.95 },
  otp: async (rt) => {
    const pid = await supervisedCounter(rt);
    const observe = Observer.handler({ runtime: rt, supervisors: [Supervisor.named('bench_sup', rt)] });
    try {
      return await timedCalls(pid);
    } finally {
      observe.close();
    }
  },
  baseline: observerOff,
};

export const callObserverPageWorkload: Workload = {
  name: 'call-observer-page',
  title: 'GenServer.call 3 s, observer page open (vs no observer)',
  unit: 'calls/s',
  better: 'higher',
  runs: 7,
  target: { kind: 'min-ratio', value: 0.95 },
  otp: async (rt) => {
    const pid = await supervisedCounter(rt);
    const running = await Observer.start({ runtime: rt, supervisors: [Supervisor.named('bench_sup', rt)] });
    const page = await openPage(running.url, running.token);
    try {
      return await timedCalls(pid);
    } finally {
      await closePage(page);
      await running.close();
    }
  },
  baseline: observerOff,
};
