import { describe, expect, it } from 'vitest';
import { GenServer, InvalidArgumentError, Next, NoProcError, Registry, Supervisor, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { awaitDown, ctlValue, spawnIdle } from '../support/probes.js';

const runtime = useRuntime();

async function registry<K extends Registry.RegistryKey, V>(keys: Registry.RegistryKeys, name = 'reg', extra: Partial<Registry.RegistryOptions> = {}) {
  const rt = runtime();
  const started = await Registry.start<K, V>({ keys, name, runtime: rt, ...extra });
  if (started.type !== 'ok') throw new Error('registry did not start');
  return { rt, pid: started.pid, ref: Registry.named<K, V>(name, rt) };
}

describe('Registry with unique keys', () => {
  it('refuses a key already held, naming the holder, the caller included', async () => {
    const { rt, pid, ref } = await registry<string, number>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    expect(await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'k', 1))).toEqual({ type: 'ok', owner: pid });
    expect(await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'k', 2))).toEqual({ type: 'error', reason: { tag: 'already_registered', pid: a } });
    expect(await ctlValue(rt, b, (ctx) => Registry.register(ctx, ref, 'k', 3))).toEqual({ type: 'error', reason: { tag: 'already_registered', pid: a } });
    expect(Registry.lookup(ref, 'k')).toEqual([{ pid: a, value: 1 }]);
  });

  it('drops an entry the moment its process exits, before a monitor of it fires', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'k', null));
    const seen = await rt.run(async (ctx) => {
      const m = ctx.monitor(a);
      ctx.exit(a, 'kill');
      const atOnce = Registry.lookup(ref, 'k');
      await ctx.receiveRef(m);
      return atOnce;
    });
    expect(seen).toEqual([]);
    expect(Registry.count(ref)).toBe(0);
    expect(Registry.keys(ref, a)).toEqual([]);
  });

  it('lets a process unregister only its own entries', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'k', null));
    await ctlValue(rt, b, (ctx) => Registry.unregister(ctx, ref, 'k'));
    expect(Registry.lookup(ref, 'k')).toEqual([{ pid: a, value: null }]);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, ref, 'k'));
    expect(Registry.lookup(ref, 'k')).toEqual([]);
  });

  it('links a registering process to the registry, and unlinks it when it has no entry left', async () => {
    const { rt, pid, ref } = await registry<string, null>('unique');
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { Registry.register(ctx, ref, 'x', null); Registry.register(ctx, ref, 'y', null); });
    expect(rt.processInfo(a)?.links).toEqual([pid]);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, ref, 'x'));
    expect(rt.processInfo(a)?.links).toEqual([pid]);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, ref, 'y'));
    expect(rt.processInfo(a)?.links).toEqual([]);
  });

  it('updates only the caller\'s own value', async () => {
    const { rt, ref } = await registry<string, number>('unique');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'n', 1));
    expect(await ctlValue(rt, b, (ctx) => Registry.updateValue(ctx, ref, 'n', (v) => v + 1))).toBe('error');
    expect(await ctlValue(rt, a, (ctx) => Registry.updateValue(ctx, ref, 'n', (v) => v + 10))).toEqual({ new: 11, old: 1 });
    expect(Registry.values(ref, 'n', a)).toEqual([11]);
  });
});

describe('Registry with duplicate keys', () => {
  it('keeps every registration, in order, the same key twice from one process included', async () => {
    const { rt, ref } = await registry<string, string>('duplicate');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { Registry.register(ctx, ref, 't', 'a1'); Registry.register(ctx, ref, 't', 'a2'); });
    await ctlValue(rt, b, (ctx) => Registry.register(ctx, ref, 't', 'b1'));
    expect(Registry.lookup(ref, 't')).toEqual([{ pid: a, value: 'a1' }, { pid: a, value: 'a2' }, { pid: b, value: 'b1' }]);
    expect(Registry.keys(ref, a)).toEqual(['t', 't']);
    expect(Registry.count(ref)).toBe(3);
    expect(Registry.match(ref, 't', (v) => v.startsWith('a')).map((e) => e.value)).toEqual(['a1', 'a2']);
    expect(Registry.countMatch(ref, 't', (v) => v.endsWith('1'))).toBe(2);
    await ctlValue(rt, a, (ctx) => Registry.unregister(ctx, ref, 't'));
    expect(Registry.lookup(ref, 't')).toEqual([{ pid: b, value: 'b1' }]);
  });

  it('dispatches to every process under a key, and not at all to an empty key', async () => {
    const { rt, ref } = await registry<string, null>('duplicate');
    const subs = [await spawnIdle(rt), await spawnIdle(rt)];
    for (const s of subs) await ctlValue(rt, s, (ctx) => Registry.register(ctx, ref, 'news', null));
    const calls: Pid[][] = [];
    Registry.dispatch(ref, 'news', (entries) => calls.push(entries.map((e) => e.pid)));
    Registry.dispatch(ref, 'sports', (entries) => calls.push(entries.map((e) => e.pid)));
    expect(calls).toEqual([subs]);
  });

  it('drops a dead process\'s entries under every key, leaving the others', async () => {
    const { rt, ref } = await registry<string, number>('duplicate');
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { Registry.register(ctx, ref, 'x', 1); Registry.register(ctx, ref, 'y', 2); });
    await ctlValue(rt, b, (ctx) => Registry.register(ctx, ref, 'x', 3));
    rt.exit(a, 'kill');
    expect(Registry.lookup(ref, 'x')).toEqual([{ pid: b, value: 3 }]);
    expect(Registry.lookup(ref, 'y')).toEqual([]);
    expect(Registry.count(ref)).toBe(1);
  });

  it('refuses updateValue and via names', async () => {
    const { rt, ref } = await registry<string, number>('duplicate');
    const a = await spawnIdle(rt);
    await expect(ctlValue(rt, a, (ctx) => Registry.updateValue(ctx, ref, 'n', (v) => v))).rejects.toThrow();
    expect(() => rt.whereis(Registry.via(ref, 'n'))).toThrow(InvalidArgumentError);
  });
});

describe('Registry listeners and meta', () => {
  it('tells listeners of register and unregister, but not of an exit', async () => {
    const rt = runtime();
    const listener = await spawnIdle(rt);
    rt.register('audit', listener);
    const { ref } = await registry<string, number>('unique', 'reg', { listeners: ['audit'] });
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => { Registry.register(ctx, ref, 'k', 7); Registry.unregister(ctx, ref, 'k'); Registry.register(ctx, ref, 'j', 8); });
    rt.exit(a, 'kill');
    await rt.settle();
    const { mailboxOf } = await import('../support/probes.js');
    expect(await mailboxOf(rt, listener)).toEqual([
      { type: 'register', registry: 'reg', key: 'k', pid: a, value: 7 },
      { type: 'unregister', registry: 'reg', key: 'k', pid: a },
      { type: 'register', registry: 'reg', key: 'j', pid: a, value: 8 },
    ]);
  });
});

describe('Registry as a process', () => {
  it('takes its registered processes down with it, and its entries', async () => {
    const { rt, pid, ref } = await registry<string, null>('unique');
    const plain = await spawnIdle(rt);
    const trapping = await spawnIdle(rt, { trapExit: true });
    await ctlValue(rt, plain, (ctx) => Registry.register(ctx, ref, 'p', null));
    await ctlValue(rt, trapping, (ctx) => Registry.register(ctx, ref, 't', null));
    const down = awaitDown(rt, plain);
    await rt.settle(); // its monitor is in place
    rt.exit(pid, 'kill');
    expect(await down).toBe('killed');
    const { mailboxOf } = await import('../support/probes.js');
    expect(await mailboxOf(rt, trapping)).toEqual([{ type: 'EXIT', from: pid, reason: 'killed' } satisfies ExitMessage]);
    expect(() => Registry.lookup(ref, 't')).toThrow(InvalidArgumentError);
  });

  it('is found again by name after its supervisor restarts it', async () => {
    const rt = runtime();
    await Supervisor.start({ children: [Registry.childSpec({ keys: 'unique', name: 'reg' })] }, { runtime: rt });
    const ref = Registry.named<string, null>('reg', rt);
    const before = rt.whereis('reg')!;
    expect(Registry.count(ref)).toBe(0);
    const down = awaitDown(rt, before);
    rt.exit(before, 'kill');
    await down;
    await rt.settle();
    expect(rt.whereis('reg')).not.toBe(before);
    const a = await spawnIdle(rt);
    expect(await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'k', null))).toEqual({ type: 'ok', owner: rt.whereis('reg') });
  });
});

describe('Registry.via', () => {
  interface Counter { arg: number; state: number; call: { readonly type: 'get' }; reply: { get: number }; cast: { readonly type: 'add' } }
  const counter: GenServer.Behaviour<Counter> = {
    init: (n) => Next.ok(n),
    handleCall: { get: (_r, _f, n) => Next.reply(n, n) },
    handleCast: { add: (_m, n) => Next.noreply(n + 1) },
  };

  it('names a GenServer for start, call, cast and stop', async () => {
    const { rt, ref } = await registry<string, string>('unique');
    const name = Registry.via(ref, 'c1', 'meta');
    const started = await GenServer.start(counter, 5, { runtime: rt, name });
    if (started.type !== 'ok') throw new Error('no start');
    expect(Registry.lookup(ref, 'c1')).toEqual([{ pid: started.pid, value: 'meta' }]);
    GenServer.cast(GenServer.named<Counter>(name), { type: 'add' });
    expect(await GenServer.call(GenServer.named<Counter>(name), { type: 'get' })).toBe(6);
    expect(await GenServer.start(counter, 0, { runtime: rt, name })).toEqual({ type: 'error', reason: { tag: 'already_started', pid: started.pid } });
    await GenServer.stop(GenServer.named<Counter>(name));
    expect(Registry.lookup(ref, 'c1')).toEqual([]);
    const missing = await GenServer.call(GenServer.named<Counter>(name), { type: 'get' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ reason: 'noproc', message: 'call to {"via":"Registry","registry":"reg","key":"c1"} failed: no process is registered as {"via":"Registry","registry":"reg","key":"c1"} (noproc)' });
  });

  it('gives the key back when init fails', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    const name = Registry.via(ref, 'bad');
    expect(await GenServer.start({ init: () => Next.stop('no') }, undefined, { runtime: rt, name })).toMatchObject({ type: 'error' });
    expect(Registry.lookup(ref, 'bad')).toEqual([]);
  });

  it('is accepted by send, whereis and monitor', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    const a = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => Registry.register(ctx, ref, 'a', null));
    const name = Registry.via(ref, 'a');
    expect(rt.whereis(name)).toBe(a);
    rt.send(name, 'hello');
    const { mailboxOf } = await import('../support/probes.js');
    expect(await mailboxOf(rt, a)).toEqual(['hello']);
    const down = await rt.run(async (ctx) => {
      const m = ctx.monitor(name);
      ctx.exit(a, 'bye');
      return (await ctx.receiveRef(m)) as DownMessage;
    });
    expect(down).toMatchObject({ pid: a, reason: { tag: 'exit', value: 'bye' } });
    expect(() => rt.send(name, 'late')).toThrow(NoProcError);
    const none = await rt.run(async (ctx) => (await ctx.receiveRef(ctx.monitor(name))) as DownMessage);
    expect(none).toMatchObject({ pid: undefined, name: undefined, reason: 'noproc' });
  });

  it('names supervisor and dynamic supervisor children', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    const name = Registry.via(ref, 'worker');
    await Supervisor.start({ children: [Supervisor.worker('w', counter, 1, { name })] }, { runtime: rt });
    const first = rt.whereis(name)!;
    expect(await GenServer.call(GenServer.named<Counter>(name), { type: 'get' })).toBe(1);
    const down = awaitDown(rt, first);
    rt.exit(first, 'boom');
    await down;
    await rt.settle();
    const second = rt.whereis(name);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });
});

describe('Registry bad input', () => {
  it('throws a typed error naming the argument for a registry that is not running', async () => {
    const rt = runtime();
    const ghost = Registry.named<string, null>('ghost', rt);
    expect(() => Registry.lookup(ghost, 'k')).toThrow(InvalidArgumentError);
    expect(() => Registry.count(ghost)).toThrow(/argument 'registry' must be a running registry/);
    expect(() => GenServer.call(GenServer.named<{ state: null; call: { readonly type: 'x' }; reply: { x: null } }>(Registry.via(ghost, 'k')), { type: 'x' })).toThrow(InvalidArgumentError);
    expect(() => rt.send(Registry.via(ghost, 'k'), 'm')).toThrow(InvalidArgumentError);
    expect(await rt.run(() => 'runtime intact')).toBe('runtime intact');
  });

  it('refuses bad options, keys, contexts and functions', async () => {
    const { rt, ref } = await registry<string, null>('unique');
    expect(() => Registry.start({ keys: 'many' as never, name: 'x', runtime: rt })).toThrow(/options.keys/);
    expect(() => Registry.start({ keys: 'unique', name: '' , runtime: rt })).toThrow(/options.name/);
    expect(() => Registry.start({ keys: 'unique', name: 'x', partitions: 0, runtime: rt })).toThrow(/options.partitions/);
    expect(() => Registry.lookup(ref, { id: 1 } as never)).toThrow(/argument 'key'/);
    expect(() => Registry.register({} as never, ref, 'k', null)).toThrow(/argument 'ctx'/);
    expect(() => Registry.dispatch(ref, 'k', 5 as never)).toThrow(/argument 'fn'/);
    expect(() => Registry.meta(ref, 5 as never)).toThrow(/argument 'key'/);
    expect(() => Registry.keys(ref, 'worker' as never)).toThrow(/argument 'pid'/);
    expect(() => Registry.values(ref, 'k', 42 as never)).toThrow(/argument 'pid'/);
    expect(() => Registry.updateValue({} as never, ref, 'k', (v) => v)).toThrow(/argument 'ctx'/);
    expect(() => Registry.unregisterMatch({} as never, ref, 'k', () => true)).toThrow(/argument 'ctx'/);
    expect(() => Registry.named('' as never, rt)).toThrow(/argument 'name'/);
    expect(() => Registry.via(ref, null as never)).toThrow(/argument 'key'/);
  });
});
