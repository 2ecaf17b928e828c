/**
 * The backend as an application: its tree and its env.
 *
 * backend_sup (one_for_one)
 * ├── kv            GenServer: the key-value store
 * ├── rate_limiter  Supervisor: a Registry of per-client buckets, and their DynamicSupervisor
 * ├── jobs          TaskSupervisor: background jobs, some of which fail
 * ├── flaky         GenServer: crashes every few seconds and is restarted
 * └── http          GenServer: the node:http server (with the observer page at /observer), stopped first, draining its connections
 */
import { Application, Supervisor, TaskSupervisor } from '../../src/index.js';
import { flaky } from './flaky.js';
import { http, ROOT } from './http.js';
import { JOBS } from './jobs.js';
import { KV, kv } from './kv.js';
import { limiterSpec } from './rate_limiter.js';

export interface BackendEnv {
  port: number;
  host: string;
  /** Requests per second per client, and the burst allowed. */
  rate: number;
  burst: number;
  /** How long a client's bucket process lives without a request. */
  clientIdleMs: number;
  flakyCrashAfterMs: number;
  /** When the server stops: how long requests in flight may take, and how long idle keep-alive connections stay open for a request on its way. */
  graceMs: number;
  lingerMs: number;
  /** The token of the observer page at /observer; a random one, printed at start, when empty. */
  observerToken: string;
}

export const backend: Application.ApplicationSpec<BackendEnv> = {
  name: 'backend',
  description: 'the ts-otp example backend',
  version: '0.1.0',
  env: { port: 3000, host: '127.0.0.1', rate: 50, burst: 100, clientIdleMs: 60_000, flakyCrashAfterMs: 5000, graceMs: 2000, lingerMs: 250, observerToken: '' },
  start: (master, env) =>
    Supervisor.startLink(
      master,
      {
        strategy: 'one_for_one',
        intensity: 10,
        period: 10,
        children: [
          Supervisor.worker(KV, kv, undefined, { name: KV }),
          limiterSpec({ capacity: env.burst, perSecond: env.rate, now: () => Date.now(), idleMs: env.clientIdleMs }),
          TaskSupervisor.childSpec({ name: JOBS, maxChildren: 1000 }),
          Supervisor.worker('flaky', flaky, { crashAfterMs: env.flakyCrashAfterMs }),
          Supervisor.worker('http', http, { port: env.port, host: env.host, graceMs: env.graceMs, lingerMs: env.lingerMs, observerToken: env.observerToken }, { shutdown: env.graceMs + 1000 }),
        ],
      },
      { name: ROOT },
    ),
};
