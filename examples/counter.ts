/**
 * An example GenServer: a counter that owns its count, with client functions so callers never
 * build messages themselves.
 */
import { formatReason, GenServer, Next, type Runtime } from '../src/index.js';

export interface CounterProtocol {
  arg: number;
  state: { readonly count: number };
  call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
  reply: { get: number; add: number };
  cast: { readonly type: 'reset' };
}

export const counter: GenServer.Behaviour<CounterProtocol> = {
  init: (start) => Next.ok({ count: start }),
  handleCall: {
    get: (_msg, _from, state) => Next.reply(state.count, state),
    add: ({ by }, _from, { count }) => Next.reply(count + by, { count: count + by }),
  },
  handleCast: { reset: () => Next.noreply({ count: 0 }) },
};

export type Counter = GenServer.ServerPid<CounterProtocol>;

/** Starts a counter at `start` in `runtime`. */
export async function startCounter(runtime: Runtime, start: number): Promise<Counter> {
  const result = await GenServer.start(counter, start, { runtime });
  if (result.type !== 'ok') throw new Error(`the counter did not start: ${result.type === 'error' ? formatReason(result.reason) : result.type}`);
  return result.pid;
}

export const get = (ref: Counter): Promise<number> => GenServer.call(ref, { type: 'get' });
export const add = (ref: Counter, by: number): Promise<number> => GenServer.call(ref, { type: 'add', by });
export const reset = (ref: Counter): void => GenServer.cast(ref, { type: 'reset' });
