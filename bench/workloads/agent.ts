/**
 * Agent: 1,000,000 sequential `Agent.get` and `Agent.update` calls from a process, against
 * Elixir's Agent on one scheduler.
 *
 * The functions are made once, outside the loop, as an Elixir caller's captured funs are: each
 * call then costs its request object and the caller's promise, and the agent, running a
 * synchronous function, no promise. The figure is calls per second, timed around the loop.
 * Baseline: the plainest Node holder of a state: the client pushes `{ fun, resolve }` onto the
 * holder's array mailbox and awaits the promise; the holder applies `fun` and resolves it.
 *
 * @module
 */
import { Agent, type Runtime } from 'ts-otp';
import { spawn, type Mailbox } from '../baseline.js';
import { check, now, type Workload } from '../harness.js';

const CALLS = 1_000_000;

const read = (n: number): number => n;
const increment = (n: number): number => n + 1;

async function startAgent(rt: Runtime): Promise<Agent.AgentPid<number>> {
  const started = await Agent.start(() => 0, { runtime: rt });
  if (started.type !== 'ok') throw new Error('the agent did not start');
  return started.pid;
}

/** Times `CALLS` calls of `one` from a process of `rt`; returns calls per second. */
async function callsPerSecond(rt: Runtime, one: (agent: Agent.AgentPid<number>) => Promise<unknown>, expected: number): Promise<number> {
  const agent = await startAgent(rt);
  return rt.run(async () => {
    const t0 = now();
    for (let i = 0; i < CALLS; i++) await one(agent);
    const ms = now() - t0;
    check((await Agent.get(agent, read)) === expected, 'the agent holds the state the calls made');
    return (CALLS / ms) * 1000;
  });
}

interface Request {
  readonly fun: (n: number) => number;
  readonly update: boolean;
  readonly resolve: (n: number | undefined) => void;
}

/** The baseline's holder: applies each request's function, as a read or as the new state. */
async function holder(mailbox: Mailbox<Request>): Promise<void> {
  let state = 0;
  for (;;) {
    const req = await mailbox.receive();
    const value = req.fun(state);
    if (req.update) {
      state = value;
      req.resolve(undefined);
    } else req.resolve(value);
  }
}

async function baseline(fun: (n: number) => number, update: boolean, expected: number): Promise<number> {
  const server = spawn(holder);
  const t0 = now();
  for (let i = 0; i < CALLS; i++) await new Promise<number | undefined>((resolve) => server.send({ fun, update, resolve }));
  const ms = now() - t0;
  const last = await new Promise<number | undefined>((resolve) => server.send({ fun: read, update: false, resolve }));
  check(last === expected, 'the baseline holds the state the calls made');
  return (CALLS / ms) * 1000;
}

export const agentGetWorkload: Workload = {
  name: 'agent-get',
  title: 'Agent.get from a process, 1M',
  unit: 'calls/s',
  better: 'higher',
  runs: 5,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 }, // at least twice Elixir's Agent.get (see meets in harness.ts)
  otp: (rt) => callsPerSecond(rt, (agent) => Agent.get(agent, read), 0),
  baseline: () => baseline(read, false, 0),
};

export const agentUpdateWorkload: Workload = {
  name: 'agent-update',
  title: 'Agent.update from a process, 1M',
  unit: 'calls/s',
  better: 'higher',
  runs: 5,
  warmups: 2,
  target: { kind: 'vs-erlang', value: 0.5 }, // at least twice Elixir's Agent.update
  otp: (rt) => callsPerSecond(rt, (agent) => Agent.update(agent, increment), CALLS),
  baseline: () => baseline(increment, true, CALLS),
};
