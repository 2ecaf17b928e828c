import { describe, expect, it } from 'vitest';
import { GenServer, Next, type Pid, type Ref } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { watch } from '../support/probes.js';
import { deferred, hasSettled, manualClock, memoryLogger, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger, clock: manualClock() }; // calls' default deadlines set no host timer
});

interface Journal {
  state: readonly string[];
  call: { readonly type: 'read' };
  reply: { read: readonly string[] };
  cast: { readonly type: 'slow'; readonly gate: Promise<void> } | { readonly type: 'note'; readonly text: string };
}

/** Every handler appends to the state; `slow` awaits its gate in between, `events` sees starts and ends. */
function journal(events: string[]): GenServer.Behaviour<Journal> {
  return {
    init: () => Next.ok([]),
    handleCall: {
      read: async (_req, _from, s) => {
        events.push('read');
        await Promise.resolve();
        return Next.reply(s, s);
      },
    },
    handleCast: {
      slow: async ({ gate }, s) => {
        events.push('slow begins');
        await gate;
        events.push('slow ends');
        return Next.noreply([...s, 'slow']);
      },
      note: async ({ text }, s) => {
        events.push(`note ${text}`);
        await Promise.resolve();
        return Next.noreply([...s, text]);
      },
    },
    handleInfo: async (msg, s) => {
      events.push(`info ${String(msg)}`);
      return Next.noreply([...s, String(msg)]);
    },
  };
}

describe('casts and infos', () => {
  it('cast returns at once, before the server has handled it', async () => {
    const rt = runtime();
    const events: string[] = [];
    const pid = pidOf(await GenServer.start(journal(events), undefined, { runtime: rt }));
    expect(GenServer.cast(pid, { type: 'note', text: 'a' })).toBeUndefined();
    expect(events).toEqual([]);
    expect(await GenServer.call(pid, { type: 'read' })).toEqual(['a']);
  });

  it('async handlers still run one at a time, in arrival order', async () => {
    const rt = runtime();
    const events: string[] = [];
    const pid = pidOf(await GenServer.start(journal(events), undefined, { runtime: rt }));
    const gate = deferred();
    GenServer.cast(pid, { type: 'slow', gate: gate.promise });
    GenServer.cast(pid, { type: 'note', text: 'b' });
    rt.send(pid, 'tick');
    const read = GenServer.call(pid, { type: 'read' });
    GenServer.cast(pid, { type: 'note', text: 'c' });
    await Promise.resolve();
    await Promise.resolve();
    expect(events).toEqual(['slow begins']);
    expect(await hasSettled(read)).toBe(false);
    expect(GenServer.statistics(pid)).toEqual({ messagesHandled: 1, messageQueueLen: 4 }); // the rest wait in the mailbox
    gate.resolve();
    expect(await read).toEqual(['slow', 'b', 'tick']);
    await rt.settle();
    expect(events).toEqual(['slow begins', 'slow ends', 'note b', 'info tick', 'read', 'note c']);
    expect(await GenServer.getState(pid)).toEqual(['slow', 'b', 'tick', 'c']);
  });

  it('a rejecting async handler crashes the server with the error', async () => {
    const rt = runtime();
    const failure = new Error('lost');
    const pid = pidOf(
      await GenServer.start<{ state: null; cast: { readonly type: 'fail' } }>(
        {
          init: () => Next.ok(null),
          handleCast: {
            fail: async () => {
              await Promise.resolve();
              throw failure;
            },
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'fail' });
    expect(await w.down(pid)).toEqual({ tag: 'error', cause: failure });
  });

  it('a cast without a handler for its type crashes the server', async () => {
    const rt = runtime();
    const pid = pidOf(await GenServer.start(journal([]), undefined, { runtime: rt }));
    const w = await watch(rt, [pid]);
    GenServer.cast(pid, { type: 'unknown' } as never);
    const reason = await w.down(pid);
    expect(reason).toMatchObject({ tag: 'error', cause: expect.any(TypeError) });
    expect(String((reason as { cause: Error }).cause.message)).toContain('no handleCast for "unknown"');
  });

  it('EXITs from processes other than the parent, and DOWNs, reach handleInfo', async () => {
    const rt = runtime();
    const seen: unknown[] = [];
    const handled = deferred();
    let linked: Pid | undefined;
    let watched: Pid | undefined;
    let ref: Ref | undefined;
    const pid = pidOf(
      await GenServer.start<{ state: null }>(
        {
          init: (_arg, ctx) => {
            ctx.trapExit(true);
            linked = ctx.spawnLink((c) => c.receive());
            watched = ctx.spawn((c) => c.receive());
            ref = ctx.monitor(watched);
            return Next.ok(null);
          },
          handleInfo: (msg, s) => {
            seen.push(msg);
            if (seen.length === 2) handled.resolve();
            return Next.noreply(s);
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    rt.exit(linked!, 'boom');
    rt.exit(watched!, 'kill');
    await handled.promise;
    expect(seen).toEqual([
      { type: 'EXIT', from: linked, reason: { tag: 'exit', value: 'boom' } },
      { type: 'DOWN', ref, pid: watched, name: undefined, reason: 'killed' },
    ]);
    expect(rt.isAlive(pid)).toBe(true);
  });
});

describe('a message the server has no handleInfo for', () => {
  it('is logged at warn and dropped; the server goes on', async () => {
    const rt = runtime();
    interface Quiet {
      state: number;
      call: { readonly type: 'get' };
      reply: { get: number };
    }
    const pid = pidOf(
      await GenServer.start<Quiet>({ init: () => Next.ok(5), handleCall: { get: (_r, _f, n) => Next.reply(n, n) } }, undefined, {
        runtime: rt,
        name: 'quiet',
      }),
    );
    rt.send(pid, { stray: true });
    expect(await GenServer.call(pid, { type: 'get' })).toBe(5);
    expect(rt.isAlive(pid)).toBe(true);
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ level: 40, label: 'gen_server.unexpected_message', pid, name: 'quiet', message: { stray: true } });
  });
});
