/**
 * Type tests: a GenServer's protocol decides what compiles.
 *
 * The reply type of a call follows from its request; a missing handler, a handler for a message
 * the protocol does not have, a wrong reply type and an unknown request are compile errors.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { GenServer, Next, type CallError, type Context, type formatReason, type Pid, type Runtime, type StopError } from 'ts-otp';

interface Counter {
  arg: number;
  state: { readonly count: number };
  call: { readonly type: 'get' } | { readonly type: 'add'; readonly by: number };
  reply: { get: number; add: number };
  cast: { readonly type: 'reset' };
}

const counter: GenServer.Behaviour<Counter> = {
  init: (start) => Next.ok({ count: start }),
  handleCall: {
    get: (_msg, _from, state) => Next.reply(state.count, state),
    add: ({ by }, _from, { count }) => Next.reply(count + by, { count: count + by }),
  },
  handleCast: { reset: () => Next.noreply({ count: 0 }) },
};

declare const pid: GenServer.ServerPid<Counter>;
declare const rt: Runtime;
declare const ctx: Context;

describe('GenServer types', () => {
  it('gives each call the reply type of its request', () => {
    expectTypeOf(GenServer.call(pid, { type: 'get' })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(GenServer.call(GenServer.named<Counter>('counter', rt), { type: 'add', by: 2 })).toEqualTypeOf<Promise<number>>();
  });

  it('types start from the behaviour: its argument and the pid it returns', async () => {
    const result = await GenServer.start(counter, 1);
    if (result.type === 'ok') expectTypeOf(result.pid).toEqualTypeOf<GenServer.ServerPid<Counter>>();
    if (result.type === 'ok') expectTypeOf(result.pid).toMatchTypeOf<Pid>();
    // @ts-expect-error the start argument is a number
    void GenServer.start(counter, 'one');
  });

  it('rejects an unknown request, a misshapen one and a wrong cast', () => {
    // @ts-expect-error no call of type 'remove'
    void GenServer.call(pid, { type: 'remove' });
    // @ts-expect-error 'add' needs `by`
    void GenServer.call(pid, { type: 'add' });
    // @ts-expect-error no cast of type 'get'
    GenServer.cast(pid, { type: 'get' });
  });

  it('rejects a wrong reply type', () => {
    const bad: GenServer.Behaviour<Counter> = {
      init: (start) => Next.ok({ count: start }),
      handleCall: {
        // @ts-expect-error 'get' replies with a number, not a string
        get: (_msg, _from, state) => Next.reply('many', state),
        add: ({ by }, _from, { count }) => Next.reply(count + by, { count: count + by }),
      },
      handleCast: { reset: () => Next.noreply({ count: 0 }) },
    };
    void bad;
  });

  it('rejects a missing handler and a handler for a message the protocol lacks', () => {
    const missing: GenServer.Behaviour<Counter> = {
      init: (start) => Next.ok({ count: start }),
      // @ts-expect-error handleCall lacks 'add'
      handleCall: { get: (_msg, _from, state) => Next.reply(state.count, state) },
      handleCast: { reset: () => Next.noreply({ count: 0 }) },
    };
    const extra: GenServer.Behaviour<{ state: null }> = {
      init: () => Next.ok(null),
      // @ts-expect-error a protocol without calls has no handleCall
      handleCall: { get: () => Next.reply(1, null) },
    };
    void missing;
    void extra;
  });

  it('rejects a reply from a cast handler and a state of the wrong type', () => {
    const bad: GenServer.Behaviour<Counter> = {
      init: (start) => Next.ok({ count: start }),
      handleCall: {
        get: (_msg, _from, state) => Next.reply(state.count, state),
        add: ({ by }, _from, { count }) => Next.reply(count + by, { count: count + by }),
      },
      // @ts-expect-error a cast cannot reply
      handleCast: { reset: (_msg, state) => Next.reply(0, state) },
    };
    // @ts-expect-error the state is { count }, not a number
    const wrongState: GenServer.Behaviour<Counter> = { ...counter, init: () => Next.ok(0) };
    void bad;
    void wrongState;
  });

  it('lets handlers be async and gives them the context', () => {
    const slow: GenServer.Behaviour<Counter> = {
      ...counter,
      handleCall: {
        get: async (_msg, _from, state, ctx) => {
          expectTypeOf(ctx).toEqualTypeOf<Context>();
          return Next.reply(state.count, state);
        },
        add: async ({ by }, _from, { count }) => Next.reply(count + by, { count: count + by }),
      },
    };
    void slow;
  });

  it('types a deferred reply by its call', () => {
    type From = Parameters<GenServer.Behaviour<Counter>['handleCall']['get']>[1];
    expectTypeOf<From>().toEqualTypeOf<GenServer.From<number>>();
    const from = {} as From;
    GenServer.reply(from, 3);
    // @ts-expect-error the reply to 'get' is a number
    GenServer.reply(from, 'three');
  });
});

describe('GenServer reply types with fields', () => {
  interface Store {
    state: ReadonlyMap<string, string>;
    call: { readonly type: 'get'; readonly key: string } | { readonly type: 'size' };
    reply: { get: string | undefined; size: number };
  }
  it('narrows the reply to the request even when the request carries fields', () => {
    const store = {} as GenServer.ServerPid<Store>;
    expectTypeOf(GenServer.call(store, { type: 'get', key: 'k' })).toEqualTypeOf<Promise<string | undefined>>();
    expectTypeOf(GenServer.call(store, { type: 'size' })).toEqualTypeOf<Promise<number>>();
  });
});

describe('GenServer.named', () => {
  it('needs the protocol: without it the name does not compile, so requests cannot silently type as never', () => {
    // @ts-expect-error GenServer.named needs the protocol
    void GenServer.named('counter', rt);
    expectTypeOf(GenServer.named<Counter>('counter', rt)).toEqualTypeOf<GenServer.ServerName<Counter>>();
  });

  it('needs the runtime: undefined says "the default runtime" out loud', () => {
    // @ts-expect-error the runtime argument is required
    void GenServer.named<Counter>('counter');
    expectTypeOf(GenServer.named<Counter>('counter', undefined)).toEqualTypeOf<GenServer.ServerName<Counter>>();
  });

  it('takes its protocol from where the reference goes', () => {
    const ref: GenServer.ServerRef<Counter> = GenServer.named('counter', rt);
    expectTypeOf(GenServer.call(ref, { type: 'get' })).toEqualTypeOf<Promise<number>>();
  });
});

describe('GenServer.call options and messages', () => {
  it('takes a timeout or { timeout, caller }', () => {
    expectTypeOf(GenServer.call(pid, { type: 'get' }, 100)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(GenServer.call(pid, { type: 'get' }, { caller: ctx, timeout: 'infinity' })).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error a caller is a context, not a pid
    void GenServer.call(pid, { type: 'get' }, { caller: ctx.self });
  });

  it("types a hand-written process's $gen_call by the protocol", () => {
    type Msg = GenServer.GenCallMessage<Counter['call'], number>;
    const msg = {} as Msg;
    GenServer.reply(msg.from, 1);
    // @ts-expect-error the reply is a number
    GenServer.reply(msg.from, 'one');
    expectTypeOf(msg.type).toEqualTypeOf<'$gen_call'>();
  });
});

describe('errors', () => {
  it("formatReason takes every reason a CallError carries, and a failed start's", () => {
    expectTypeOf<CallError['reason']>().toMatchTypeOf<Parameters<typeof formatReason>[0]>();
    expectTypeOf<GenServer.StartError>().toMatchTypeOf<Parameters<typeof formatReason>[0]>();
    expectTypeOf<StopError>().toMatchTypeOf<CallError>();
  });
});
