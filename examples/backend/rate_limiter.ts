/**
 * A token-bucket rate limiter per client, owned by a GenServer. Buckets refill with time read
 * from the runtime's clock at each request, so there is no timer per client.
 */
import { GenServer, Next, type Runtime } from '../../src/index.js';

export interface LimiterArg {
  readonly capacity: number;
  readonly perSecond: number;
  readonly now: () => number;
}

interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

export interface LimiterProtocol {
  arg: LimiterArg;
  state: { readonly arg: LimiterArg; readonly buckets: ReadonlyMap<string, Bucket> };
  call: { readonly type: 'take'; readonly client: string };
  reply: { take: boolean };
}

export const limiter: GenServer.Behaviour<LimiterProtocol> = {
  init: (arg) => Next.ok({ arg, buckets: new Map() }),
  handleCall: {
    take: ({ client }, _from, state) => {
      const { capacity, perSecond, now } = state.arg;
      const t = now();
      const old = state.buckets.get(client) ?? { tokens: capacity, at: t };
      const tokens = Math.min(capacity, old.tokens + ((t - old.at) / 1000) * perSecond);
      const allowed = tokens >= 1;
      const buckets = new Map(state.buckets).set(client, { tokens: allowed ? tokens - 1 : tokens, at: t });
      return Next.reply(allowed, { ...state, buckets });
    },
  },
};

export const LIMITER = 'rate_limiter';
export const take = (rt: Runtime, client: string): Promise<boolean> => GenServer.call(GenServer.named<LimiterProtocol>(LIMITER, rt), { type: 'take', client });
