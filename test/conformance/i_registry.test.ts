/**
 * Conformance, group I (Registry): one test per scenario of test/conformance/i_registry/, each an
 * Elixir 1.14 script whose trace is stored beside it; `./run.sh` there replays them all. The
 * README there lists where ts-otp differs, and why.
 */
import { describe, expect, it } from 'vitest';
import { CallError, GenServer, InvalidArgumentError, Next, NoProcError, Registry, type Context, type DownMessage } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { ctlValue, mailboxOf, spawnIdle } from '../support/probes.js';

const runtime = useRuntime();

interface Counter { arg: number; state: number; call: { readonly type: 'get' } | { readonly type: 'hang' }; reply: { get: number; hang: never }; cast: { readonly type: 'add' } }
const counter: GenServer.Behaviour<Counter> = {
  init: (n) => Next.ok(n),
  handleCall: { get: (_r, _f, n) => Next.reply(n, n), hang: (_r, _f, n) => Next.noreply(n) },
  handleCast: { add: (_m, n) => Next.noreply(n + 1) },
};

async function start<K extends Registry.RegistryKey, V>(keys: Registry.RegistryKeys, extra: Partial<Registry.RegistryOptions> = {}) {
  const rt = runtime();
  const started = await Registry.start<K, V>({ keys, name: 'R', runtime: rt, ...extra });
  if (started.type !== 'ok') throw new Error('no registry');
  return { rt, registry: started.pid, r: Registry.named<K, V>('R', rt) };
}

describe('I. Registry', () => {
  it('I01 a unique key is refused while held, naming the holder, the caller itself included', async () => {
    const { rt, registry, r } = await start<string, number>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    expect(await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'k', 1))).toEqual({ type: 'ok', owner: registry });
    expect(await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'k', 2))).toEqual({ type: 'error', reason: { tag: 'already_registered', pid: a } });
    expect(await ctlValue(rt, b, (ctx) => Registry.register(ctx, r, 'k', 3))).toEqual({ type: 'error', reason: { tag: 'already_registered', pid: a } });
    expect(Registry.lookup(r, 'k')).toEqual([{ pid: a, value: 1 }]);
    expect(Registry.keys(r, a)).toEqual(['k']);
    expect(Registry.count(r)).toBe(1);
  });

  it('I02 a duplicate registry keeps every entry in registration order; keys lists newest first', async () => {
    const { rt, r } = await start<string, string>('duplicate');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 't', 'a1'));
    await ctlValue(rt, b, (ctx) => Registry.register(ctx, r, 't', 'b1'));
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 't', 'a2'));
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'u', 'a3'));
    expect(Registry.lookup(r, 't')).toEqual([{ pid: a, value: 'a1' }, { pid: b, value: 'b1' }, { pid: a, value: 'a2' }]);
    expect(Registry.keys(r, a)).toEqual(['u', 't', 't']);
    expect(Registry.values(r, 't', a)).toEqual(['a1', 'a2']);
    expect(Registry.count(r)).toBe(4);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, r, 't'));
    expect(Registry.lookup(r, 't')).toEqual([{ pid: b, value: 'b1' }]);
    expect(Registry.keys(r, a)).toEqual(['u']);
  });

  it.each([
    ['crash', (ctx: Context) => { void ctx; throw new Error('boom'); }, 'error'],
    ['normal', () => 'done', 'normal'],
    ['killed', null, 'killed'],
  ] as const)('I03 a process that exits (%s) loses its entries', async (label, body, reason) => {
    const { rt, r } = await start<string, null>('unique');
    const down = await rt.run(async (ctx) => {
      const p = ctx.spawn(async (c) => {
        Registry.register(c, r, label, null);
        c.send(ctx.self, 'registered');
        await c.receive();
        return body === null ? undefined : body(c);
      });
      await ctx.receive((m) => m === 'registered');
      const before = Registry.lookup(r, label);
      const ref = ctx.monitor(p);
      if (body === null) ctx.exit(p, 'kill');
      else ctx.send(p, 'go');
      const msg = (await ctx.receiveRef(ref)) as DownMessage;
      return { p, before, reason: typeof msg.reason === 'string' ? msg.reason : msg.reason.tag };
    });
    expect(down.before).toEqual([{ pid: down.p, value: null }]);
    expect(down.reason).toBe(reason);
    expect(Registry.lookup(r, label)).toEqual([]);
    expect(Registry.keys(r, down.p)).toEqual([]);
    expect(Registry.count(r)).toBe(0);
  });

  it('I04 unregister removes only the caller\'s entries; the link goes with the last one', async () => {
    const { rt, registry, r } = await start<string, number>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { Registry.register(ctx, r, 'x', 1); Registry.register(ctx, r, 'y', 2); });
    expect(await ctlValue(rt, b, (ctx) => Registry.unregister(ctx, r, 'x'))).toBeUndefined();
    expect(Registry.lookup(r, 'x')).toEqual([{ pid: a, value: 1 }]);
    expect(rt.processInfo(a)?.links).toEqual([registry]);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, r, 'x'));
    expect(rt.processInfo(a)?.links).toEqual([registry]);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, r, 'y'));
    expect(rt.processInfo(a)?.links).toEqual([]);
    expect(Registry.count(r)).toBe(0);
  });

  it('I05 a via name names a GenServer for start, call, cast and stop; a second start is already_started', async () => {
    const { rt, r } = await start<string, null>('unique');
    const name = Registry.via(r, 'c1');
    const started = await GenServer.start(counter, 5, { runtime: rt, name });
    if (started.type !== 'ok') throw new Error('no start');
    const server = started.pid;
    expect(Registry.lookup(r, 'c1')).toEqual([{ pid: server, value: undefined }]);
    expect(rt.whereis(name)).toBe(server);
    const ref = GenServer.named<Counter>(name);
    GenServer.cast(ref, { type: 'add' });
    expect(await GenServer.call(ref, { type: 'get' })).toBe(6);
    expect(await GenServer.start(counter, 0, { runtime: rt, name })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: server } });
    expect(await GenServer.stop(ref)).toBeUndefined();
    expect(Registry.lookup(r, 'c1')).toEqual([]);
    expect(rt.whereis(name)).toBeUndefined();
  });

  it('I06 a via name with a value registers that value; a failing init frees the key', async () => {
    const { rt, r } = await start<string, string>('unique');
    const started = await GenServer.start(counter, 0, { runtime: rt, name: Registry.via(r, 'v', 'meta') });
    if (started.type !== 'ok') throw new Error('no start');
    expect(Registry.lookup(r, 'v')).toEqual([{ pid: started.pid, value: 'meta' }]);
    expect(await GenServer.start({ init: () => Next.stop('no_config') }, undefined, { runtime: rt, name: Registry.via(r, 'bad') })).toEqual({
      type: 'error',
      reason: { tag: 'exit', value: 'no_config' },
    });
    expect(Registry.lookup(r, 'bad')).toEqual([]);
    expect(Registry.count(r)).toBe(1);
  });

  it('I07 a via name nobody holds: cast is ignored, call and stop fail with noproc, send throws', async () => {
    const { rt, r } = await start<string, null>('unique');
    const name = Registry.via(r, 'nobody');
    const ref = GenServer.named<Counter>(name);
    expect(rt.whereis(name)).toBeUndefined();
    expect(GenServer.cast(ref, { type: 'add' })).toBeUndefined();
    expect(await GenServer.call(ref, { type: 'get' }).catch((e: CallError) => e.reason)).toBe('noproc');
    expect(() => rt.send(name, 'hi')).toThrow(NoProcError); // Elixir: ArgumentError (badarg)
    expect(await GenServer.stop(ref).catch((e: CallError) => e.exitReason)).toBe('noproc');
  });

  it('I08 a call through a via name that gets no answer times out; the server and its key stay', async () => {
    const { rt, r } = await start<string, null>('unique');
    const name = Registry.via(r, 'slow');
    const started = await GenServer.start(counter, 0, { runtime: rt, name });
    if (started.type !== 'ok') throw new Error('no start');
    expect(await GenServer.call(GenServer.named<Counter>(name), { type: 'hang' }, 50).catch((e: CallError) => e.reason)).toBe('timeout');
    expect(rt.isAlive(started.pid)).toBe(true);
    expect(Registry.lookup(r, 'slow')).toEqual([{ pid: started.pid, value: undefined }]);
  });

  it('I09 a killed registry takes its registered processes with it; a trapping one gets EXIT', async () => {
    const { rt, registry, r } = await start<string, null>('unique');
    const plain = await spawnIdle(rt);
    const trapping = await spawnIdle(rt, { trapExit: true });
    await ctlValue(rt, plain, (ctx) => Registry.register(ctx, r, 'p', null));
    await ctlValue(rt, trapping, (ctx) => Registry.register(ctx, r, 't', null));
    const reason = await rt.run(async (ctx) => {
      const ref = ctx.monitor(plain);
      ctx.exit(registry, 'kill');
      return ((await ctx.receiveRef(ref)) as DownMessage).reason;
    });
    expect(reason).toBe('killed');
    expect((await mailboxOf(rt, trapping)).map((m) => (m as { reason: unknown }).reason)).toEqual(['killed']);
    expect(() => Registry.lookup(r, 't')).toThrow(InvalidArgumentError);
  });

  it('I10 listeners hear of register and unregister (even of a key not held), never of an exit', async () => {
    const rt = runtime();
    const audit = await spawnIdle(rt);
    rt.register('audit', audit);
    const { r } = await start<string, number>('unique', { listeners: ['audit'] });
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'k', 7));
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, r, 'k'));
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, r, 'never'));
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'j', 8));
    rt.exit(a, 'kill');
    expect(await mailboxOf(rt, audit)).toEqual([
      { type: 'register', registry: 'R', key: 'k', pid: a, value: 7 },
      { type: 'unregister', registry: 'R', key: 'k', pid: a },
      { type: 'unregister', registry: 'R', key: 'never', pid: a },
      { type: 'register', registry: 'R', key: 'j', pid: a, value: 8 },
    ]);
  });

  it('I11 metadata given at start is read, stored and deleted', async () => {
    const { r } = await start('unique', { meta: { region: 'eu' } });
    expect(Registry.meta(r, 'region')).toEqual({ type: 'ok', value: 'eu' });
    expect(Registry.meta(r, 'tier')).toBe('error');
    expect(Registry.putMeta(r, 'tier', 2)).toBeUndefined();
    expect(Registry.meta(r, 'tier')).toEqual({ type: 'ok', value: 2 });
    expect(Registry.deleteMeta(r, 'tier')).toBeUndefined();
    expect(Registry.meta(r, 'tier')).toBe('error');
  });

  it('I12 dispatch calls back once with every entry under a key, never for an empty key', async () => {
    const { rt, r } = await start<string, string>('duplicate');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'news', 'x'));
    await ctlValue(rt, b, (ctx) => Registry.register(ctx, r, 'news', 'y'));
    const calls: unknown[] = [];
    expect(Registry.dispatch(r, 'news', (entries) => calls.push(entries))).toBeUndefined();
    expect(Registry.dispatch(r, 'sports', (entries) => calls.push(entries))).toBeUndefined();
    expect(calls).toEqual([[{ pid: a, value: 'x' }, { pid: b, value: 'y' }]]);
  });

  it('I13 updateValue changes only the caller\'s own entry', async () => {
    const { rt, r } = await start<string, number>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, r, 'n', 1));
    expect(await ctlValue(rt, b, (ctx) => Registry.updateValue(ctx, r, 'n', (v) => v + 1))).toBe('error');
    expect(await ctlValue(rt, a, (ctx) => Registry.updateValue(ctx, r, 'n', (v) => v + 10))).toEqual({ new: 11, old: 1 });
    expect(await ctlValue(rt, a, (ctx) => Registry.updateValue(ctx, r, 'zz', (v) => v + 1))).toBe('error');
    expect(Registry.lookup(r, 'n')).toEqual([{ pid: a, value: 11 }]);
  });

  it('I14 match, countMatch and unregisterMatch select entries under a key by value', async () => {
    const { rt, r } = await start<string, number>('duplicate');
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { for (const n of [1, 2, 3]) Registry.register(ctx, r, 'n', n); });
    expect(Registry.match(r, 'n', (v) => v > 1)).toEqual([{ pid: a, value: 2 }, { pid: a, value: 3 }]);
    expect(Registry.countMatch(r, 'n', (v) => v > 1)).toBe(2);
    await ctlValue(rt, a, (ctx) => Registry.unregisterMatch(ctx, r, 'n', (v) => v !== 2));
    expect(Registry.lookup(r, 'n')).toEqual([{ pid: a, value: 2 }]);
  });

  it('I15 a registry that is not running: each call throws at once and the caller goes on', async () => {
    const rt = runtime();
    const nope = Registry.named<string, number>('Nope', rt);
    expect(() => Registry.lookup(nope, 'k')).toThrow(InvalidArgumentError);
    expect(await rt.run((ctx) => { try { Registry.register(ctx, nope, 'k', 1); } catch (e) { return e instanceof InvalidArgumentError; } return false; })).toBe(true);
    expect(() => Registry.count(nope)).toThrow(InvalidArgumentError);
    expect(() => GenServer.call(GenServer.named<Counter>(Registry.via(nope, 'k')), { type: 'get' })).toThrow(InvalidArgumentError);
    expect(await rt.run(() => 'still alive')).toBe('still alive');
  });

  it('I16 a via name on a duplicate registry is refused, and so is updateValue', async () => {
    const { rt, r } = await start<string, number>('duplicate');
    expect(() => rt.whereis(Registry.via(r, 'k'))).toThrow(InvalidArgumentError);
    expect(await rt.run((ctx) => { try { Registry.updateValue(ctx, r, 'k', (v) => v); } catch (e) { return e instanceof InvalidArgumentError; } return false; })).toBe(true);
  });
});
