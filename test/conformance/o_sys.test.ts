/**
 * Conformance, group O (sys): one test per scenario of test/conformance/o_sys/, each an escript
 * run on Erlang/OTP 25 whose trace is stored beside it; `./run.sh` there replays them all.
 *
 * Erlang's `srv` (o.hrl) is test/sys/helpers.ts's srv; `machine` is a StateMachine of the same
 * shape. Erlang's terms in ts-otp's: `ok` from sys is `undefined`; `{State, Data}` of a gen_statem
 * is `{ state, data }`; `no_statistics` is `undefined`; an exit of the caller with
 * `{timeout | noproc, {sys, F, Args}}` is a CallError with that reason. Timeouts run on a manual
 * clock. The differences (O02, O13) are in docs/guides/differences.md.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, Next, StateMachine, Supervisor, Sys, TIMEOUT, type DownMessage, type Pid } from 'ts-otp';
import { pidOf, rejection } from '../support/gen_server.js';
import { manualClock, useRuntime } from '../support/runtime.js';
import { srv, startSrv } from '../sys/helpers.js';

const clock = manualClock();
const runtime = useRuntime(() => ({ clock }));

describe('N. sys', () => {
  it('O01 get_state reads the state between messages; replace_state installs the fun\'s result and returns it', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 1, {}, 'srv');
    GenServer.cast(pid, { type: 'set', value: 2 });
    expect(await Sys.getState(pid)).toBe(2);
    expect(await Sys.replaceState(pid, (s) => (s as number) * 10)).toBe(20);
    expect(await GenServer.call(pid, { type: 'get' })).toBe(20);
    expect(await Sys.getState(GenServer.named<{ state: number }>('srv', rt))).toBe(20);
  });

  it('O02 a replace_state fun that crashes: the caller gets the error, the server keeps its state and goes on', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 5);
    const boom = new Error('bad');
    await expect(Sys.replaceState(pid, () => { throw boom; })).rejects.toBe(boom); // Erlang: error {callback_failed, ..., {error, bad}}
    expect(rt.isAlive(pid)).toBe(true);
    expect(await Sys.getState(pid)).toBe(5);
    expect(await GenServer.call(pid, { type: 'get' })).toBe(5);
  });

  it('O03 get_status: module, running, parent (itself when not linked, the starter when linked), state through format_status', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 'secret', { hide: true });
    expect(await Sys.getStatus(pid)).toEqual({
      pid, name: undefined, module: 'gen_server', status: 'running', parent: pid, ancestors: [], initialCall: 'init', trace: false, statistics: false, state: { hidden: 'secret' },
    });
    const got = await rt.run(async (ctx) => {
      const log: unknown[] = [];
      const linked = pidOf(await GenServer.startLink(ctx, srv({}, log), { state: 'plain', log }));
      return { test: ctx.self, status: await Sys.getStatus(linked) };
    });
    expect(got.status).toMatchObject({ module: 'gen_server', status: 'running', parent: got.test, ancestors: [got.test], state: 'plain' });
  });

  it('O04 a format_status that crashes: get_status still answers and shows the crash in place of the state; the server goes on', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 'secret', { crashFormat: true });
    expect((await Sys.getStatus(pid)).state).toBe('formatStatus threw: Error: format failed');
    expect(rt.isAlive(pid)).toBe(true);
    expect(await GenServer.call(pid, { type: 'get' })).toBe('secret');
  });

  it('O05 a suspended server answers system requests only: a call times out, get_state and get_status are answered', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 1);
    expect(await Sys.suspend(pid)).toBeUndefined();
    const call = GenServer.call(pid, { type: 'get' }, { timeout: 100 });
    await rt.settle();
    clock.advance(100);
    expect((await rejection(call)).reason).toBe('timeout');
    expect(await Sys.getState(pid)).toBe(1);
    expect((await Sys.getStatus(pid)).status).toBe('suspended');
    expect(await Sys.suspend(pid)).toBeUndefined();
    expect(await Sys.resume(pid)).toBeUndefined();
    expect((await Sys.getStatus(pid)).status).toBe('running');
    expect(await Sys.resume(pid)).toBeUndefined();
    expect(await GenServer.call(pid, { type: 'get' })).toBe(1);
  });

  it('O06 messages sent while suspended wait, in order, and are handled after resume; replace_state while suspended applies at once', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 0);
    await Sys.suspend(pid);
    rt.send(pid, 'a');
    GenServer.cast(pid, { type: 'set', value: 1 });
    rt.send(pid, 'b');
    GenServer.cast(pid, { type: 'set', value: 2 });
    expect(await Sys.getState(pid)).toBe(0);
    expect(await Sys.replaceState(pid, () => 100)).toBe(100);
    expect(rt.processInfo(pid)?.messageQueueLen).toBe(4);
    await Sys.resume(pid);
    expect(await Sys.getState(pid)).toBe(2);
    expect(log).toEqual([{ info: 'a' }, { info: 'b' }]);
  });

  it('O07 a suspended server that does not trap exits dies of an exit signal at once; terminate does not run', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1);
    await Sys.suspend(pid);
    const down = await rt.run(async (ctx) => {
      const ref = ctx.monitor(pid);
      ctx.exit(pid, 'boom');
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(down).toEqual({ tag: 'exit', value: 'boom' });
    expect(log).toEqual([]);
    expect((await rejection(Sys.getState(pid))).reason).toBe('noproc');
  });

  it('O08 a suspended server that traps exits keeps the EXIT queued behind earlier messages; it gets it after resume', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1, { trapExit: true });
    await Sys.suspend(pid);
    const test = await rt.run(async (ctx) => {
      ctx.send(pid, 'a');
      ctx.exit(pid, 'boom');
      ctx.send(pid, 'b');
      return ctx.self;
    });
    expect(await Sys.getState(pid)).toBe(1);
    expect(rt.isAlive(pid)).toBe(true);
    expect(log).toEqual([]);
    await Sys.resume(pid);
    expect(await Sys.getState(pid)).toBe(1);
    expect(log).toEqual([{ info: 'a' }, { info: { type: 'EXIT', from: test, reason: { tag: 'exit', value: 'boom' } } }, { info: 'b' }]);
  });

  it("O09 the parent's EXIT ends a suspended server that traps exits: terminate runs with the parent's reason", async () => {
    const rt = runtime();
    const log: unknown[] = [];
    const { srvPid, parent } = await new Promise<{ srvPid: Pid; parent: Pid }>((resolve) => {
      rt.spawn(async (ctx) => {
        const p = pidOf(await GenServer.startLink(ctx, srv({ trapExit: true }, log), { state: 1, log }));
        resolve({ srvPid: p, parent: ctx.self });
        await ctx.receive();
        ctx.exit('going');
      });
    });
    await Sys.suspend(srvPid);
    rt.send(srvPid, 'a');
    const down = await rt.run(async (ctx) => {
      const ref = ctx.monitor(srvPid);
      ctx.send(parent, 'go');
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(down).toEqual({ tag: 'exit', value: 'going' });
    expect(log).toEqual([{ terminate: { tag: 'exit', value: 'going' } }]);
  });

  it('O10 stop reaches a suspended server (a system message): terminate runs, queued messages are never handled', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1);
    await Sys.suspend(pid);
    rt.send(pid, 'a');
    expect(await GenServer.stop(pid)).toBeUndefined();
    expect(rt.isAlive(pid)).toBe(false);
    expect(log).toEqual([{ terminate: 'normal' }]);
  });

  it('O11 trace events: a call is in then out (reply, to, new state), a cast and a plain message are in then noreply; none once off', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 0);
    const events: Sys.Event[] = [];
    await Sys.trace(pid, (e) => events.push(e));
    const test = await rt.run(async (ctx) => {
      await GenServer.call(pid, { type: 'set', value: 1 }, { caller: ctx });
      return ctx.self;
    });
    GenServer.cast(pid, { type: 'set', value: 2 });
    rt.send(pid, 'hello');
    await Sys.getState(pid);
    void GenServer.call(pid, { type: 'later', value: 3 }).catch(() => {}); // never answered: noreply
    await Sys.getState(pid);
    await Sys.trace(pid, false);
    GenServer.cast(pid, { type: 'set', value: 4 });
    expect(await Sys.getState(pid)).toBe(4);
    expect(events).toEqual([
      { type: 'in', pid, kind: 'call', request: { type: 'set', value: 1 }, from: test },
      { type: 'out', pid, reply: 'ok', to: test, state: 1 },
      { type: 'in', pid, kind: 'cast', msg: { type: 'set', value: 2 } },
      { type: 'noreply', pid, state: 2 },
      { type: 'in', pid, kind: 'info', msg: 'hello' },
      { type: 'noreply', pid, state: 2 },
      { type: 'in', pid, kind: 'call', request: { type: 'later', value: 3 }, from: undefined },
      { type: 'noreply', pid, state: 3 },
    ]);
    expect(log).toEqual([{ info: 'hello' }]);
  });

  it('O12 statistics: off gives no_statistics; on counts calls, casts and infos in, replies out, system requests in neither; off again', async () => {
    const rt = runtime();
    const { pid } = await startSrv(rt, 0);
    expect(await Sys.statistics(pid, 'get')).toBeUndefined();
    expect(await Sys.statistics(pid, true)).toBeUndefined();
    await GenServer.call(pid, { type: 'get' });
    GenServer.cast(pid, { type: 'set', value: 1 });
    rt.send(pid, 'hello');
    await Sys.getState(pid);
    await Sys.getStatus(pid);
    expect(await Sys.statistics(pid, 'get')).toEqual({ startTime: clock.now(), currentTime: clock.now(), messagesIn: 3, messagesOut: 1 });
    expect(await Sys.statistics(pid, true)).toBeUndefined();
    expect(await Sys.statistics(pid, 'get')).toMatchObject({ messagesIn: 3, messagesOut: 1 });
    expect(await Sys.statistics(pid, false)).toBeUndefined();
    expect(await Sys.statistics(pid, 'get')).toBeUndefined();
  });

  it('O13 sys on a live process that is not a behaviour: ts-otp fails at once with noproc (Erlang waits out the timeout)', async () => {
    const rt = runtime();
    const plain = rt.spawn((ctx) => ctx.receive());
    const error = await rejection(Sys.getState(plain, 100));
    expect(error).toBeInstanceOf(CallError);
    expect(error.reason).toBe('noproc');
    expect(error.message).toContain('is not a GenServer');
    expect((await rejection(Sys.suspend(plain, 100))).reason).toBe('noproc');
    expect(rt.processInfo(plain)?.messageQueueLen).toBe(0); // nothing was sent
  });

  it('O14 sys on a dead pid or an unregistered name exits with noproc', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1);
    await GenServer.stop(pid);
    expect(log).toEqual([{ terminate: 'normal' }]);
    expect((await rejection(Sys.getState(pid))).reason).toBe('noproc');
    expect((await rejection(Sys.suspend(pid))).reason).toBe('noproc');
    expect((await rejection(Sys.statistics(pid, 'get'))).reason).toBe('noproc');
    expect((await rejection(Sys.getStatus(GenServer.named<{ state: null }>('nobody', rt)))).reason).toBe('noproc');
  });

  it('O15 a system request leaves the idle timeout armed, restarted from the request: it still fires', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 1, { timeout: 300 });
    await rt.settle();
    clock.advance(200);
    await Sys.getState(pid);
    await rt.settle();
    clock.advance(200);
    await rt.settle();
    expect(log).toEqual([]); // 400 ms, no timeout yet
    clock.advance(200);
    await rt.settle();
    expect(log).toEqual([{ info: expect.any(Symbol) }]); // TIMEOUT, Erlang's `timeout`
  });

  it('O16 on a state machine: get_state is { state, data }, replace_state takes and gives it, get_status names gen_statem', async () => {
    const rt = runtime();
    interface Machine { state: 'on' | 'off'; data: number; call: { readonly type: 'get' }; reply: { get: readonly ['on' | 'off', number] }; cast: { readonly type: 'go'; readonly to: 'on' | 'off' } }
    const { Step, Action } = StateMachine;
    const pid = pidOf(
      await StateMachine.start<Machine>(
        {
          init: () => Step.ok('off', 0),
          handleEvent: (event, state, data) => {
            if (event.type === 'call') return Step.keepStateAndData([Action.reply(event.from, [state, data] as const)]);
            if (event.type === 'cast') return Step.nextState(event.content.to, data + 1);
            return Step.keepStateAndData();
          },
        },
        undefined,
        { runtime: rt },
      ),
    );
    StateMachine.cast(pid, { type: 'go', to: 'on' });
    expect(await Sys.getState(pid)).toEqual({ state: 'on', data: 1 });
    expect(await Sys.replaceState(pid, ({ state, data }) => ({ state, data: data * 10 + 5 }))).toEqual({ state: 'on', data: 15 });
    expect(await StateMachine.call(pid, { type: 'get' })).toEqual(['on', 15]);
    expect(await Sys.getStatus(pid)).toMatchObject({ module: 'gen_statem', status: 'running' });
    expect(await Sys.suspend(pid)).toBeUndefined();
    StateMachine.cast(pid, { type: 'go', to: 'off' });
    expect(await Sys.getState(pid)).toEqual({ state: 'on', data: 15 });
    await Sys.resume(pid);
    expect(await Sys.getState(pid)).toEqual({ state: 'off', data: 16 });
  });

  it("O17 a suspended supervisor: get_status names gen_server; a child's exit waits in its mailbox and is restarted after resume", async () => {
    const rt = runtime();
    const child = Supervisor.worker<{ state: number }>('c', { init: () => Next.ok(1) }, undefined);
    const sup = pidOf(await Supervisor.start({ strategy: 'one_for_one', children: [child] }, { runtime: rt, name: 'sup' }));
    expect(await Sys.getStatus(sup)).toMatchObject({ module: 'gen_server', status: 'running' });
    const [first] = await Supervisor.whichChildren(sup);
    const c = first!.pid as Pid;
    await Sys.suspend(sup);
    const down = await rt.run(async (ctx) => {
      const ref = ctx.monitor(c);
      ctx.exit(c, 'kill');
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(down).toBe('killed');
    expect(rt.processInfo(sup)?.messageQueueLen).toBe(1);
    const which = GenServer.call(GenServer.named<{ state: unknown; call: { readonly type: 'which_children' }; reply: { which_children: unknown } }>('sup', rt), { type: 'which_children' }, { timeout: 100 });
    await rt.settle();
    clock.advance(100);
    expect((await rejection(which)).reason).toBe('timeout');
    await Sys.resume(sup);
    const [again] = await Supervisor.whichChildren(sup);
    expect(again!.pid).not.toBe(c);
    expect(rt.isAlive(again!.pid as Pid)).toBe(true);
  });

  it('O18 trace events of a continue (out, then a continue event, then noreply with its state) and of an idle timeout (in timeout, then noreply)', async () => {
    const rt = runtime();
    const { pid, log } = await startSrv(rt, 0, { timeout: 200 });
    const events: Sys.Event[] = [];
    await Sys.trace(pid, (e) => events.push(e));
    expect(await GenServer.call(pid, { type: 'continue', value: 1 })).toBe(0);
    await rt.settle();
    clock.advance(300); // the timeout fires at 200 ms, and would again at 400
    await rt.settle();
    expect(await Sys.getState(pid)).toBe(1);
    expect(events).toEqual([
      { type: 'in', pid, kind: 'call', request: { type: 'continue', value: 1 }, from: undefined },
      { type: 'out', pid, reply: 0, to: undefined, state: 0 },
      { type: 'continue', pid, arg: 1 },
      { type: 'noreply', pid, state: 1 },
      { type: 'in', pid, kind: 'info', msg: TIMEOUT },
      { type: 'noreply', pid, state: 1 },
    ]);
    expect(log).toEqual([{ continue: 1 }, { info: TIMEOUT }]);
  });
});
