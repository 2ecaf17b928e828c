import { describe, expect, it } from 'vitest';
import { GenServer, Next, type ExitReason } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, manualClock, memoryLogger, startPuppet, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger, clock: manualClock() }; // calls' default deadlines set no host timer
});

interface Vault {
  state: { readonly secret: string; readonly count: number };
  call: { readonly type: 'crash' } | { readonly type: 'bad' };
  reply: { crash: never; bad: never };
  cast: { readonly type: 'stop'; readonly reason: unknown } | { readonly type: 'crash' };
}

const vault: GenServer.Behaviour<Vault> = {
  init: () => Next.ok({ secret: 'hunter2', count: 3 }),
  handleCall: {
    crash: () => {
      throw new RangeError('Division by zero');
    },
    bad: () => 'garbage' as never,
  },
  handleCast: {
    stop: ({ reason }, s) => Next.stop(reason, s),
    crash: () => {
      throw new TypeError('cast went wrong');
    },
  },
  handleInfo: (msg, s) => {
    if (msg === 'explode') throw new Error('info went wrong');
    return Next.noreply(s);
  },
  formatStatus: (s) => ({ secret: '***', count: s.count }),
};

const errors = (): Array<Record<string, unknown>> => log.records.filter((r) => r['level'] === 50);

describe('the crash report', () => {
  it("is one error record labelled 'gen_server.terminate' with pid, name, last message, formatted state and reason", async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt, name: 'vault' }));
    const w = await watch(rt, [pid]);
    await rejection(GenServer.call(pid, { type: 'crash' }));
    await w.down(pid);
    await rt.settle();
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({
      level: 50,
      label: 'gen_server.terminate',
      pid,
      name: 'vault',
      lastMessage: { call: { type: 'crash' } },
      state: { secret: '***', count: 3 },
      reason: 'error (RangeError: Division by zero)',
      err: { type: 'RangeError', message: 'Division by zero', stack: expect.stringContaining('RangeError') },
    });
    expect(JSON.stringify(log.records)).not.toContain('hunter2');
  });

  it.each([
    ['a cast', (pid: GenServer.ServerPid<Vault>) => GenServer.cast(pid, { type: 'crash' }), { cast: { type: 'crash' } }, 'error (TypeError: cast went wrong)'],
    ['an info', (pid: GenServer.ServerPid<Vault>) => runtime().send(pid, 'explode'), 'explode', 'error (Error: info went wrong)'],
    ['a stop result', (pid: GenServer.ServerPid<Vault>) => GenServer.cast(pid, { type: 'stop', reason: 'boom' }), { cast: { type: 'stop', reason: 'boom' } }, '"boom"'],
  ] as const)('names the message for %s', async (_what, send, lastMessage, reason) => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    send(pid);
    await w.down(pid);
    await rt.settle();
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ label: 'gen_server.terminate', pid, lastMessage, reason, state: { secret: '***' } });
  });

  it('names the continue argument for a crash in handleContinue', async () => {
    const rt = runtime();
    const pid = pidOf(
      await GenServer.start<{ state: number; continue: string }>(
        {
          init: () => Next.ok(0, { continue: 'warm up' }),
          handleContinue: () => {
            throw new Error('cold');
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    await rt.settle();
    expect(rt.isAlive(pid)).toBe(false);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ label: 'gen_server.terminate', pid, lastMessage: { continue: 'warm up' }, state: 0 });
  });

  it('is written for a bad return value', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
    await rejection(GenServer.call(pid, { type: 'bad' }));
    await rt.settle();
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ label: 'gen_server.terminate', reason: '{"bad_return_value":"garbage"}' });
  });

  it('shows the raw state when there is no formatStatus, and survives a formatStatus that throws', async () => {
    const rt = runtime();
    const { formatStatus: _unused, ...unformatted } = vault;
    const plain = pidOf(await GenServer.start<Vault>(unformatted as GenServer.Behaviour<Vault>, undefined, { runtime: rt }));
    GenServer.cast(plain, { type: 'crash' });
    await rt.settle();
    const broken = pidOf(
      await GenServer.start(
        {
          ...vault,
          formatStatus: () => {
            throw new Error('no status');
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    GenServer.cast(broken, { type: 'crash' });
    await rt.settle();
    expect(errors().map((r) => [r['pid'], r['state']])).toEqual([
      [plain, { secret: 'hunter2', count: 3 }],
      [broken, 'formatStatus threw: Error: no status'],
    ]);
  });

  it('marks a crash in terminate', async () => {
    const rt = runtime();
    const pid = pidOf(
      await GenServer.start(
        {
          ...vault,
          terminate: () => {
            throw new Error('cleanup failed');
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    await rejection(GenServer.stop(pid));
    await rt.settle();
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ label: 'gen_server.terminate', inTerminate: true, reason: 'error (Error: cleanup failed)' });
  });

  it("is written once for a crash in init, labelled 'gen_server.init_failed'", async () => {
    const rt = runtime();
    const started = await GenServer.start<{ state: null }>(
      {
        init: () => {
          throw new Error('no config');
        },
      },
      undefined,
      { runtime: rt },
    );
    expect(started).toMatchObject({ type: 'error', reason: { tag: 'error' } });
    await rt.settle();
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ level: 50, label: 'gen_server.init_failed', err: { message: 'no config' } });
  });
});

describe('the crash report, as informative as Elixir 1.14 / OTP 25', () => {
  // Elixir 1.14: "GenServer :crashy terminating ** (ArgumentError) bad <stack> Last message (from
  // #PID<0.96.0>): :crash State: ... Client #PID<0.96.0> is alive"; OTP's crash report adds
  // initial call, ancestors, message_queue_len and links.
  it('names the client of a failing call, the ancestors, the initial call, the queue and the links', async () => {
    const rt = runtime();
    const inner = deferred<GenServer.ServerPid<Vault>>();
    // A named server that starts the vault linked: the vault's ancestors are that name, then the plain starter.
    const starter = await startPuppet(rt);
    const outer = pidOf(
      await starter.act((ctx) =>
        GenServer.startLink<{ state: null }>(
          ctx,
          {
            init: async (_arg, self) => {
              inner.resolve(pidOf(await GenServer.startLink(self, { ...vault, init: function openVault() { return Next.ok({ secret: 's', count: 1 }); } }, undefined)));
              return Next.ok(null);
            },
          },
          undefined,
          { name: 'vault_keeper' },
        ),
      ),
    );
    const pid = await inner.promise;
    rt.send(pid, 'queued 1'); // waiting when the call crashes it
    const w = await watch(rt, [pid]);
    const client = await rt.run(async (ctx) => {
      await GenServer.call(pid, { type: 'crash' }, { caller: ctx }).catch(() => undefined);
      return ctx.self;
    });
    await w.down(pid);
    await rt.settle();
    const report = errors().find((r) => r['pid'] === pid);
    expect(report).toMatchObject({
      label: 'gen_server.terminate',
      client,
      lastMessage: { call: { type: 'crash' } },
      ancestors: ['vault_keeper', starter.pid],
      initialCall: 'openVault',
      links: [outer],
    });
    expect(report?.['messageQueueLen']).toBeTypeOf('number');
  });

  it('names a registered plain parent in the ancestors, as proc_lib does for any parent', async () => {
    // OTP 25: a server started by a plain process registered as plain_parent reports
    // ancestors [plain_parent] (checked with escript).
    const rt = runtime();
    const starter = await startPuppet(rt);
    await starter.act((ctx) => ctx.register('plain_parent'));
    const pid = pidOf(await starter.act((ctx) => GenServer.startLink(ctx, vault, undefined)));
    await starter.act((ctx) => ctx.trapExit(true));
    await rejection(GenServer.call(pid, { type: 'crash' }));
    await rt.settle();
    expect(errors().find((r) => r['pid'] === pid)).toMatchObject({ ancestors: ['plain_parent'] });
  });

  it("leaves ts-otp's own frames out of the error's stack and keeps the user's", async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
    await rejection(GenServer.call(pid, { type: 'crash' }));
    await rt.settle();
    const stack = (errors()[0]?.['err'] as { stack: string }).stack;
    expect(stack).toMatch(/^RangeError: Division by zero/);
    expect(stack).toContain('reports.test.ts'); // the handler that threw
    expect(stack).not.toMatch(/\/src\/(gen_server|process)\//);
  });

  it('has no client for a call from plain code', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
    await rejection(GenServer.call(pid, { type: 'crash' }));
    await rt.settle();
    expect(errors()[0]?.['client']).toBeUndefined();
    expect(errors()[0]).toMatchObject({ ancestors: [], links: [], messageQueueLen: 0, initialCall: 'init' });
  });
});

describe('expected exits', () => {
  it.each([['normal'], ['shutdown'], [{ tag: 'shutdown', detail: 'drained' }]] as Array<[ExitReason]>)(
    'log nothing at error: %j from a stop result, from GenServer.stop, and from the parent',
    async (reason) => {
      const rt = runtime();
      const a = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
      const w = await watch(rt, [a]);
      GenServer.cast(a, { type: 'stop', reason });
      expect(await w.down(a)).toEqual(reason);
      const b = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
      await GenServer.stop(b, reason);
      const parent = await startPuppet(rt, { trapExit: true });
      const c = pidOf(
        await parent.act((ctx) =>
          GenServer.startLink(
            ctx,
            {
              ...vault,
              init: (_arg, srv) => {
                srv.trapExit(true);
                return Next.ok({ secret: 's', count: 0 });
              },
            },
            undefined,
          ),
        ),
      );
      const wc = await watch(rt, [c]);
      await parent.act((ctx) => ctx.exit(c, reason));
      expect(await wc.down(c)).toEqual(reason);
      await rt.settle();
      expect(errors()).toEqual([]);
    },
  );

  it('a kill logs nothing either', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(vault, undefined, { runtime: rt }));
    rt.exit(pid, 'kill');
    await rt.settle();
    expect(log.records).toEqual([]);
  });
});

describe('the init report', () => {
  it("is one error record labelled 'gen_server.init_failed' when init stops with an unexpected reason, none for 'normal'", async () => {
    const rt = runtime();
    expect(await GenServer.start<{ state: null }>({ init: () => Next.stop('bad_config') }, undefined, { runtime: rt })).toEqual({
      type: 'error',
      reason: { tag: 'exit', value: 'bad_config' },
    });
    await rt.settle();
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ label: 'gen_server.init_failed' });
    await GenServer.start<{ state: null }>({ init: () => Next.stop('normal') }, undefined, { runtime: rt });
    await rt.settle();
    expect(errors()).toHaveLength(1);
  });
});
