/**
 * A GenServer meant to run isolated (Supervisor.isolated): it is loaded by module path in its own
 * worker thread. Besides counting, it can misbehave on request: 'spin' loops for ever without
 * yielding, 'leak' allocates without bound. Only its thread suffers.
 */
import { Next, type GenServer } from '../src/index.js';

export interface IsolatedCounter {
  arg: number;
  state: number;
  call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
  reply: { get: number; add: number };
  cast: { readonly type: 'spin' } | { readonly type: 'leak' };
}

const hoard: unknown[] = [];

export const counter: GenServer.Behaviour<IsolatedCounter> = {
  init: (start) => Next.ok(start),
  handleCall: {
    get: (_req, _from, n) => Next.reply(n, n),
    add: ({ by }, _from, n) => Next.reply(n + by, n + by),
  },
  handleCast: {
    spin: (_msg, n) => {
      while (n >= 0) n = n + 0; // never ends: only a kill of its thread stops it
      return Next.noreply(n);
    },
    leak: (_msg, n) => {
      for (;;) hoard.push(new Array(4096).fill(n));
    },
  },
};
