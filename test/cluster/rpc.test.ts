/**
 * Node.call and Node.cast (Erlang's erpc:call and erpc:cast) between in-thread nodes: results,
 * each failure class, timeouts, a node lost during a call, a caller that exits, calls to the
 * caller's own node, and bad input.
 *
 * The outcomes follow erpc on Erlang/OTP 25, asked from two nodes (`erl -sname`, `peer`):
 *   erpc:call(B, erlang, '+', [2, 40])        -> 42
 *   erpc:call(B, erlang, error, [bad])        -> error:{exception, bad, [...]}     ('exception')
 *   erpc:call(B, erlang, throw, [v])          -> throw:v                           ('exception')
 *   erpc:call(B, M, quit, [bye]) (exit(bye))  -> exit:{exception, bye}             ('exit')
 *   erpc:call(B, M, quit, [normal])           -> exit:{exception, normal}          ('exit')
 *   erpc:call(B, nomod, f, [])                -> error:{exception, undef, [...]}   ('not_loaded')
 *   erpc:call(B, M, hang, [Self], 50)         -> error:{erpc, timeout}; the process still alive 1 s later
 *   erpc:call('nowhere@nohost', ...)          -> error:{erpc, noconnection}
 *   erpc:cast(B, erlang, error, [x])          -> ok (failures ignored)
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CloneError, InvalidArgumentError, Node, TIMEOUT, type DownMessage, type Pid } from 'ts-otp';
import { VirtualClock } from 'ts-otp/testing';
import { bad, thrown } from '../support/bad_input.js';
import { connectedPair, useNodes } from '../support/nodes.js';

const node = useNodes();
const module = resolve('examples/cluster/functions.ts');

describe('Node.call', () => {
  it('runs the export on the named node with the arguments and resolves with its result, a promise awaited', async () => {
    const { a } = await connectedPair(node);
    const [sum, later] = await a.run((ctx) =>
      Promise.all([Node.call(ctx, 'b', { module, export: 'add', args: [2, 40] }, 5_000), Node.call(ctx, 'b', { module, export: 'later', args: [{ deep: [1] }, 5] })]),
    );
    expect(sum).toEqual({ sum: 42, node: 'b' });
    expect(later).toEqual({ deep: [1] });
  });

  it("runs on the caller's own node the same way", async () => {
    const { a } = await connectedPair(node);
    const got = await a.run((ctx) =>
      Promise.all([
        Node.call(ctx, 'a', { module, export: 'add', args: [1, 1] }),
        Node.call(ctx, 'a', { module, export: 'fail', args: ['here'] }).catch((e: unknown) => e),
        Node.call(ctx, 'a', { module: '/no/such.js' }).catch((e: unknown) => e),
      ]),
    );
    expect(got[0]).toEqual({ sum: 2, node: 'a' });
    expect(got[1]).toMatchObject({ name: 'RpcError', node: 'a', reason: 'exception', value: { name: 'RangeError', message: 'here' } });
    expect(got[2]).toMatchObject({ reason: 'not_loaded' });
  });

  it("rejects with 'exception' and what the function threw: an Error's name and message cross, other values as copied", async () => {
    const { a } = await connectedPair(node);
    const [range, quota, value] = await a.run((ctx) =>
      Promise.all([
        Node.call(ctx, 'b', { module, export: 'fail', args: ['bad'] }).catch((e: unknown) => e),
        Node.call(ctx, 'b', { module, export: 'overQuota' }).catch((e: unknown) => e),
        Node.call(ctx, 'b', { module, export: 'throwValue', args: [{ code: 7 }] }).catch((e: unknown) => e),
      ]),
    );
    expect(range).toBeInstanceOf(Node.RpcError);
    expect((range as Node.RpcError).value).toBeInstanceOf(RangeError);
    expect(range).toMatchObject({ reason: 'exception', message: expect.stringContaining('exception: RangeError: bad') as unknown });
    expect((range as Error).cause).toBe((range as Node.RpcError).value);
    expect((quota as Node.RpcError).value).toMatchObject({ name: 'QuotaError', message: 'over quota' });
    expect(value).toMatchObject({ reason: 'exception', value: { code: 7 } });
  });

  it("rejects with 'exit' and the reason when the function's process exits without answering", async () => {
    const { a } = await connectedPair(node);
    const [bye, normal] = await a.run((ctx) =>
      Promise.all([
        Node.call(ctx, 'b', { module, export: 'quit', args: ['bye'] }).catch((e: unknown) => e),
        Node.call(ctx, 'b', { module, export: 'quit', args: ['normal'] }).catch((e: unknown) => e),
      ]),
    );
    expect(bye).toMatchObject({ reason: 'exit', value: { tag: 'exit', value: 'bye' } });
    expect(normal).toMatchObject({ reason: 'exit', value: 'normal' });
  });

  it("rejects with 'timeout' (on the runtime's clock) and leaves the function's process running, as erpc does (OTP 25)", async () => {
    const clock = new VirtualClock();
    const a = node('a', { clock });
    const b = node('b');
    await Node.connect(a, b);
    const watcher = b.inbox<{ hanging: Pid } | DownMessage>();
    const failed = a.run((ctx) => Node.call(ctx, 'b', { module, export: 'hangTelling', args: [watcher.self] }, 5_000).catch((e: unknown) => e));
    const { hanging } = (await watcher.receive()) as { hanging: Pid };
    await clock.advance(5_000);
    expect(await failed).toMatchObject({ name: 'RpcError', reason: 'timeout' });
    expect(b.isAlive(hanging)).toBe(true);
    const ref = watcher.monitor(hanging);
    b.exit(hanging, 'kill');
    expect(((await watcher.receiveRef(ref)) as DownMessage).reason).toBe('killed');
    watcher.close();
  });

  it('a caller that exits during the call stops waiting; the call runs on', async () => {
    const { a, b } = await connectedPair(node);
    const watcher = b.inbox<{ hanging: Pid }>();
    const caller = a.spawn((ctx) => Node.call(ctx, 'b', { module, export: 'hangTelling', args: [watcher.self] }));
    const { hanging } = (await watcher.receive()) as { hanging: Pid };
    const before = a.processes().length;
    a.exit(caller, 'kill');
    await expect.poll(() => a.processes().length).toBe(before - 2); // the caller and its inbox
    expect(b.isAlive(hanging)).toBe(true);
    b.exit(hanging, 'kill');
    watcher.close();
  });

  it("rejects with 'signal' when the function's process is ended by an exit signal", async () => {
    const { a, b } = await connectedPair(node);
    const watcher = b.inbox<{ hanging: Pid }>();
    const failed = a.run((ctx) => Node.call(ctx, 'b', { module, export: 'hangTelling', args: [watcher.self] }).catch((e: unknown) => e));
    b.exit(((await watcher.receive()) as { hanging: Pid }).hanging, 'stop');
    expect(await failed).toMatchObject({ reason: 'signal', value: { tag: 'exit', value: 'stop' } });
    watcher.close();
  });

  it("rejects with 'noconnection' for a node not connected, and for one lost during the call", async () => {
    const { a, b } = await connectedPair(node);
    const watcher = b.inbox<{ hanging: Pid }>();
    const [absent, lost] = await a.run(async (ctx) => {
      const absent = Node.call(ctx, 'nowhere', { module, export: 'add', args: [1, 2] }).catch((e: unknown) => e);
      const lost = Node.call(ctx, 'b', { module, export: 'hangTelling', args: [watcher.self] }).catch((e: unknown) => e);
      await watcher.receive();
      Node.disconnect(a, 'b');
      return Promise.all([absent, lost]);
    });
    expect(absent).toMatchObject({ reason: 'noconnection', node: 'nowhere' });
    expect(lost).toMatchObject({ reason: 'noconnection', node: 'b' });
    watcher.close();
  });

  it("rejects with 'not_loaded' and 'not_a_function', the node intact", async () => {
    const { a } = await connectedPair(node);
    const [missing, notFn] = await a.run((ctx) =>
      Promise.all([
        Node.call(ctx, 'b', { module: '/no/such/module.js' }).catch((e: unknown) => e),
        Node.call(ctx, 'b', { module, export: 'QuotaErrorX' }).catch((e: unknown) => e),
      ]),
    );
    expect(missing).toMatchObject({ reason: 'not_loaded', value: expect.stringContaining('/no/such/module.js') as unknown });
    expect(notFn).toMatchObject({ reason: 'not_a_function', value: `${module}#QuotaErrorX is missing` });
    expect(Node.nodes(a)).toEqual(['b']);
  });

  it("a result that cannot be copied back rejects with 'exception' carrying the CloneError's name and message", async () => {
    const { a } = await connectedPair(node);
    const failed = await a.run((ctx) => Node.call(ctx, 'b', { module, export: 'uncopyable' }).catch((e: unknown) => e));
    expect(failed).toMatchObject({ reason: 'exception', value: { name: 'CloneError', message: expect.stringContaining('function') as unknown } });
  });

  it("leaves nothing in the caller's mailbox, whatever the outcome", async () => {
    const clock = new VirtualClock();
    const a = node('a', { clock });
    const b = node('b');
    await Node.connect(a, b);
    const watcher = b.inbox<{ hanging: Pid }>();
    const left = await a.run(async (ctx) => {
      await Node.call(ctx, 'b', { module, export: 'add', args: [1, 2] });
      await Node.call(ctx, 'b', { module, export: 'fail', args: ['x'] }).catch(() => undefined);
      await Node.call(ctx, 'b', { module, export: 'quit', args: ['bye'] }).catch(() => undefined);
      const late = Node.call(ctx, 'b', { module, export: 'hangTelling', args: [watcher.self] }, 10).catch(() => undefined);
      await watcher.receive(); // the call runs
      await clock.advance(10);
      await late;
      return ctx.receive(0);
    });
    expect(left).toBe(TIMEOUT); // no reply, EXIT, DOWN or timer message leaked
    watcher.close();
  });

  it('throws typed errors at the call for bad input, the runtime intact', async () => {
    const { a } = await connectedPair(node);
    await a.run((ctx) => {
      expect(thrown(() => Node.call(bad({}), 'b', { module }))).toMatchObject({ name: 'InvalidArgumentError', argument: 'ctx' });
      expect(thrown(() => Node.call(ctx, bad(7), { module }))).toMatchObject({ name: 'InvalidArgumentError', argument: 'node' });
      expect(thrown(() => Node.call(ctx, 'b', bad(null)))).toMatchObject({ name: 'InvalidArgumentError', argument: 'spec' });
      expect(thrown(() => Node.call(ctx, 'b', { module: './relative.js' }))).toMatchObject({ argument: 'spec.module' });
      expect(thrown(() => Node.call(ctx, 'b', { module, args: bad('x') }))).toMatchObject({ argument: 'spec.args' });
      expect(thrown(() => Node.call(ctx, 'b', { module }, -1))).toBeInstanceOf(InvalidArgumentError);
      expect(thrown(() => Node.call(ctx, 'b', { module }, bad('soon')))).toMatchObject({ argument: 'timeoutMs', value: 'soon' });
      expect(thrown(() => Node.call(ctx, 'b', { module, export: 'add', args: [() => 1] }))).toBeInstanceOf(CloneError);
    });
    expect(await a.run((ctx) => Node.call(ctx, 'b', { module, export: 'add', args: [1, 1] }))).toEqual({ sum: 2, node: 'b' });
  });
});

describe('Node.cast', () => {
  it('runs the export on the node and returns at once; failures and an absent node are ignored', async () => {
    const { a } = await connectedPair(node);
    const got = await a.run(async (ctx) => {
      expect(Node.cast(ctx, 'nowhere', { module, export: 'tell', args: [ctx.self, 'lost'] })).toBeUndefined();
      Node.cast(ctx, 'b', { module, export: 'fail', args: ['ignored'] });
      Node.cast(ctx, 'b', { module: '/no/such/module.js' });
      Node.cast(ctx, 'b', { module, export: 'tell', args: [ctx.self, 'done'] });
      return ctx.receive();
    });
    expect(got).toBe('done');
    expect(Node.nodes(a)).toEqual(['b']);
  });

  it('throws typed errors at the call for bad input', async () => {
    const { a } = await connectedPair(node);
    await a.run((ctx) => {
      expect(thrown(() => Node.cast(ctx, bad(''), { module }))).toMatchObject({ name: 'InvalidArgumentError', argument: 'node' });
      expect(thrown(() => Node.cast(ctx, 'b', { module, export: bad(3) }))).toMatchObject({ argument: 'spec.export' });
      expect(thrown(() => Node.cast(ctx, 'b', { module, args: [Symbol('x')] }))).toBeInstanceOf(CloneError);
    });
  });
});
