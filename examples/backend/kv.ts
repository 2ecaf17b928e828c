/**
 * A key-value store owned by a GenServer: the state is a Map replaced on every write.
 */
import { GenServer, Next } from '../../src/index.js';

export interface KvProtocol {
  state: ReadonlyMap<string, string>;
  call: { readonly type: 'get'; readonly key: string } | { readonly type: 'put'; readonly key: string; readonly value: string } | { readonly type: 'size' };
  reply: { get: string | undefined; put: 'ok'; size: number };
}

export const kv: GenServer.Behaviour<KvProtocol> = {
  init: () => Next.ok(new Map()),
  handleCall: {
    get: ({ key }, _from, map) => Next.reply(map.get(key), map),
    put: ({ key, value }, _from, map) => Next.reply('ok' as const, new Map(map).set(key, value)),
    size: (_req, _from, map) => Next.reply(map.size, map),
  },
};

export const KV = 'kv';
const ref = (rt: import('../../src/index.js').Runtime) => GenServer.named<KvProtocol>(KV, rt);
export const get = (rt: import('../../src/index.js').Runtime, key: string) => GenServer.call(ref(rt), { type: 'get', key });
export const put = (rt: import('../../src/index.js').Runtime, key: string, value: string) => GenServer.call(ref(rt), { type: 'put', key, value });
