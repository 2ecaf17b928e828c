import { describe, expect, it } from 'vitest';
import { CallError, formatReason, GenServer, Next, Runtime, StopError, type CallFailure, type Pid } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const pid = '<7.42.0>' as Pid;

describe('CallError', () => {
  it.each([
    ['noproc', pid, undefined, 'call to <7.42.0> failed: the process is not alive (noproc)'],
    ['noproc', 'kv', 'runtime 7', 'call to "kv" failed: no process is registered as "kv" in runtime 7 (noproc)'],
    ['timeout', pid, undefined, 'call to <7.42.0> failed: no reply within 5000 ms (timeout)'],
    ['calling_self', pid, undefined, 'call to <7.42.0> failed: a process called itself, and would wait for ever for its own reply (calling_self)'],
    ['killed', pid, undefined, 'call to <7.42.0> failed: it exited before replying, with reason killed'],
  ] as const)('says %s in words, keeping the tag as data', (reason, server, lookedUpIn, message) => {
    const error = new CallError(server, reason, { type: 'get' }, undefined, lookedUpIn === undefined ? undefined : { lookedUpIn });
    expect(error.message).toBe(message);
    expect(error.reason).toBe(reason);
    expect(error.lookedUpIn).toBe(lookedUpIn);
  });

  it('names the timeout the caller passed', () => {
    expect(new CallError(pid, 'timeout', 'x', 250).message).toBe('call to <7.42.0> failed: no reply within 250 ms (timeout)');
  });

  it('carries reasons formatReason takes, every one', () => {
    const reasons: CallFailure[] = ['noproc', 'timeout', 'calling_self', 'normal', { tag: 'error', cause: new TypeError('bad') }, { tag: 'exit', value: { deep: [1] } }];
    expect(reasons.map((r) => formatReason(new CallError(pid, r, 'x').reason))).toEqual([
      'noproc',
      'timeout',
      'calling_self',
      'normal',
      'error (TypeError: bad)',
      '{"deep":[1]}',
    ]);
  });

  it('of a name not found names the runtime looked up in, the default one too', async () => {
    const rt = runtime();
    const here = await rejection(GenServer.call(GenServer.named<{ state: null; call: { readonly type: 'x' }; reply: { x: 1 } }>('nobody', rt), { type: 'x' }));
    const id = rt.rootPid.slice(1, rt.rootPid.indexOf('.'));
    expect(here.message).toBe(`call to "nobody" failed: no process is registered as "nobody" in runtime ${id} (noproc)`);
    const dflt = await rejection(GenServer.getState(GenServer.named<{ state: null }>('nobody', undefined)));
    expect(dflt.lookedUpIn).toBe('the default runtime');
  });
});

describe('a stop or a state request to a live process that is not a GenServer', () => {
  it("fails at once with 'noproc', and says the process is alive but not a GenServer", async () => {
    const rt = runtime();
    const plain = rt.spawn((ctx) => ctx.receive((m) => m === 'never')) as GenServer.ServerPid<{ state: null }>;
    const stop = await rejection(GenServer.stop(plain));
    const state = await rejection(GenServer.getState(plain));
    expect([stop.reason, state.reason]).toEqual(['noproc', 'noproc']);
    expect(stop.message).toBe(`stop of ${plain} failed: the process is alive but is not a GenServer, so it cannot answer this (noproc)`);
    expect(rt.isAlive(plain)).toBe(true);
    expect(rt.processInfo(plain)?.messageQueueLen).toBe(0);
  });
});

describe('StopError', () => {
  it('is exported, a CallError, and says stop', async () => {
    const rt: Runtime = runtime();
    const server = pidOf(await GenServer.start<{ state: null }>({ init: () => Next.ok(null) }, undefined, { runtime: rt }));
    await GenServer.stop(server);
    const error = await rejection(GenServer.stop(server));
    expect(error).toBeInstanceOf(StopError);
    expect(error).toBeInstanceOf(CallError);
    expect(error.name).toBe('StopError');
    expect(error.message).toBe(`stop of ${server} failed: the process is not alive (noproc)`);
    expect(error.exitReason).toBe('noproc');
  });
});
