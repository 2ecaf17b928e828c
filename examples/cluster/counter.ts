/**
 * A counter GenServer that knows its node, loaded by module path on another node
 * (Supervisor.remote), and a supervisor of two of them for `type: 'supervisor'`.
 */
import { GenServer, Next, Node, type Supervisor } from '../../src/index.js';

export interface NodeCounter {
  arg: number;
  state: { readonly n: number; readonly node: string };
  call: { readonly type: 'add'; readonly by: number } | { readonly type: 'get' } | { readonly type: 'where' };
  reply: { add: number; get: number; where: string };
  cast: never;
}

export const counter: GenServer.Behaviour<NodeCounter> = {
  init: (n, ctx) => Next.ok({ n, node: Node.name(ctx.runtime) }),
  handleCall: {
    add: ({ by }, _from, s) => Next.reply(s.n + by, { ...s, n: s.n + by }),
    get: (_req, _from, s) => Next.reply(s.n, s),
    where: (_req, _from, s) => Next.reply(s.node, s),
  },
};

/** Two counters (10 and 20) under a supervisor, all on the node that runs it. */
export const counters: Supervisor.SupervisorSpec = {
  strategy: 'one_for_one',
  children: [
    { id: 'ten', start: (sup) => GenServer.startLink(sup, counter, 10) },
    { id: 'twenty', start: (sup) => GenServer.startLink(sup, counter, 20) },
  ],
};
