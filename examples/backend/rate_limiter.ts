/**
 * Rate limiting with a process per client, the way an Elixir backend keeps per-entity state: a
 * Registry maps each client's address to its bucket, a GenServer started under a
 * DynamicSupervisor on the client's first request. A bucket refills with time read from the
 * clock at each request, so there is no timer per client; one left idle for `idleMs` ends
 * itself, so a client seen once costs nothing later.
 *
 * rate_limiter (Supervisor, rest_for_one: the buckets go when the registry that names them goes)
 * ├── clients   Registry, unique keys: client address → its bucket
 * └── buckets   DynamicSupervisor: a temporary bucket per client, given the limits at its start
 */
import { CallError, DynamicSupervisor, GenServer, Next, Registry, Supervisor, TIMEOUT, type Context, type Runtime } from '../../src/index.js';

export const LIMITER = 'rate_limiter';
const CLIENTS = 'clients';
const BUCKETS = 'buckets';

export interface LimiterArg {
  /** The burst a client may send at once, and how many requests a second refill it. */
  readonly capacity: number;
  readonly perSecond: number;
  readonly now: () => number;
  /** How long a bucket lives without a request. */
  readonly idleMs: number;
}

interface BucketProtocol {
  arg: LimiterArg;
  state: { readonly arg: LimiterArg; readonly tokens: number; readonly at: number };
  call: { readonly type: 'take' };
  reply: { take: boolean };
}

const bucket: GenServer.Behaviour<BucketProtocol> = {
  init: (arg) => Next.ok({ arg, tokens: arg.capacity, at: arg.now() }, { timeout: arg.idleMs }),
  handleCall: {
    take: (_req, _from, { arg, tokens: before, at }) => {
      const t = arg.now();
      const tokens = Math.min(arg.capacity, before + ((t - at) / 1000) * arg.perSecond);
      const allowed = tokens >= 1;
      return Next.reply(allowed, { arg, tokens: allowed ? tokens - 1 : tokens, at: t }, { timeout: arg.idleMs });
    },
  },
  // Idle for idleMs: a full bucket again by the next request, so nothing is lost by ending.
  handleInfo: (msg, state) => (msg === TIMEOUT ? Next.stop('normal', state) : Next.noreply(state, { timeout: state.arg.idleMs })),
};

const clients = (rt: Runtime) => Registry.named<string, undefined>(CLIENTS, rt);

/** The rate limiter's subtree: the registry of buckets, then their supervisor. */
export function limiterSpec(arg: LimiterArg): Supervisor.ChildSpec {
  return {
    id: LIMITER,
    type: 'supervisor',
    start: (sup: Context) =>
      Supervisor.startLink(
        sup,
        {
          strategy: 'rest_for_one',
          children: [
            Registry.childSpec({ keys: 'unique', name: CLIENTS }),
            {
              id: BUCKETS,
              type: 'supervisor',
              start: (s: Context) => DynamicSupervisor.startLink(s, { name: BUCKETS, extraArguments: [arg] }),
            },
          ],
        },
        { name: LIMITER },
      ),
  };
}

/** Takes a token from the client's bucket, starting the bucket if the client has none. */
export async function take(rt: Runtime, client: string): Promise<boolean> {
  const name = Registry.via(clients(rt), client);
  for (;;) {
    try {
      return await GenServer.call(GenServer.named<BucketProtocol>(name), { type: 'take' });
    } catch (error) {
      // No bucket, or it ended idle as the call went out: start one and ask again. Two first
      // requests at once both try; the second finds the name taken and calls the first's bucket.
      if (!(error instanceof CallError) || (error.reason !== 'noproc' && error.reason !== 'normal')) throw error;
      const started = await DynamicSupervisor.startChild(DynamicSupervisor.named(BUCKETS, rt), {
        id: 'bucket',
        restart: 'temporary',
        start: (sup: Context, arg: LimiterArg) => GenServer.startLink(sup, bucket, arg, { name }),
      });
      if (started.type === 'error' && (started.reason as { tag?: unknown }).tag !== 'already_started') throw new Error(`no bucket for ${client}`, { cause: started.reason });
    }
  }
}

/** How many clients have a bucket now. */
export const clientCount = (rt: Runtime): number => Registry.count(clients(rt));
