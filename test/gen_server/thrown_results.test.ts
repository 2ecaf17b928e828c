import { describe, expect, it } from 'vitest';
import { GenServer, Next, type ExitReason } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { memoryLogger, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

interface Thrower {
  arg: 'plain' | 'throw_ok' | 'throw_stop';
  state: string;
  call:
    | { readonly type: 'throwReply' }
    | { readonly type: 'throwReplyAsync' }
    | { readonly type: 'throwError' }
    | { readonly type: 'throwString' }
    | { readonly type: 'get' };
  reply: { throwReply: string; throwReplyAsync: string; throwError: never; throwString: never; get: string };
  cast: { readonly type: 'throwNoreply' } | { readonly type: 'throwReplyFromCast' };
}

function thrower(terminated: ExitReason[]): GenServer.Behaviour<Thrower> {
  return {
    init: (how) => {
      if (how === 'throw_ok') throw Next.ok('thrown state');
      if (how === 'throw_stop') throw Next.stop('no');
      return Next.ok('s0');
    },
    handleCall: {
      throwReply: (_req, _from, s) => {
        throw Next.reply('thrown', `${s}+call`);
      },
      throwReplyAsync: async (_req, _from, s) => {
        await Promise.resolve();
        throw Next.reply('thrown later', `${s}+async`);
      },
      throwError: () => {
        throw new RangeError('a real crash');
      },
      throwString: () => {
        throw 'not a result'; // eslint-disable-line no-throw-literal
      },
      get: (_req, _from, s) => Next.reply(s, s),
    },
    handleCast: {
      throwNoreply: (_msg, s) => {
        throw Next.noreply(`${s}+cast`);
      },
      // A reply is not a result handleCast may give, thrown or returned.
      throwReplyFromCast: (_msg, s) => {
        throw Next.reply('x', s) as never;
      },
    },
    terminate: (reason) => {
      terminated.push(reason);
    },
  };
}

describe('a Next result thrown from a callback', () => {
  it('is the result of handleCall and handleCast, sync or async (Erlang: a throw is the return value)', async () => {
    // Erlang/OTP 25: throw({reply, thrown, S}) from handle_call replies `thrown`; throw({noreply, S2}) from handle_cast sets the state.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(thrower([]), 'plain', { runtime: rt }));
    expect(await GenServer.call(pid, { type: 'throwReply' })).toBe('thrown');
    expect(await GenServer.call(pid, { type: 'throwReplyAsync' })).toBe('thrown later');
    GenServer.cast(pid, { type: 'throwNoreply' });
    expect(await GenServer.call(pid, { type: 'get' })).toBe('s0+call+async+cast');
    expect(log.records).toEqual([]);
  });

  it('is the result of init: thrown ok starts, thrown stop fails the start (Erlang)', async () => {
    // Erlang/OTP 25: init throwing {ok, thrown_state} starts the server.
    const rt = runtime();
    const pid = pidOf(await GenServer.start(thrower([]), 'throw_ok', { runtime: rt }));
    expect(await GenServer.getState(pid)).toBe('thrown state');
    expect(await GenServer.start(thrower([]), 'throw_stop', { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'exit', value: 'no' } });
  });

  it('that the callback may not return is a bad return value, as a returned one', async () => {
    const rt = runtime();
    const terminated: ExitReason[] = [];
    const pid = pidOf(await GenServer.start(thrower(terminated), 'plain', { runtime: rt }));
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'throwReplyFromCast' });
    expect(await w.down(pid)).toMatchObject({ tag: 'exit', value: { bad_return_value: { next: 'reply', reply: 'x' } } });
    expect(terminated).toHaveLength(1);
  });
});

describe('any other thrown value', () => {
  it.each([
    ['an Error', 'throwError', { tag: 'error', cause: expect.any(RangeError) }],
    ['a string', 'throwString', { tag: 'error', cause: 'not a result' }],
  ] as const)('%s is a crash: terminate runs with { tag: error }, reported', async (_what, type, reason) => {
    // Erlang differs for a non-result throw (it is a bad_return_value there); ts-otp keeps a thrown value a crash.
    const rt = runtime();
    const terminated: ExitReason[] = [];
    const pid = pidOf(await GenServer.start(thrower(terminated), 'plain', { runtime: rt }));
    const error = await rejection(GenServer.call(pid, { type }));
    expect(error.reason).toMatchObject(reason);
    expect(terminated).toEqual([error.reason]);
    await rt.settle();
    expect(log.records.map((r) => r['label'])).toEqual(['gen_server.terminate']);
  });
});
