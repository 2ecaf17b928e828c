/**
 * Global names between nodes of one thread (the node layer is the same for every transport):
 * registration, lookups, exits, lost nodes, and clashes when a partition heals.
 */
import { describe, expect, it } from 'vitest';
import { GenServer, Global, InvalidArgumentError, Next, Node, NodeError, NoProcError, Runtime, Supervisor, type Context, type DownMessage, type Pid } from 'ts-otp';
import { nodeOfPid } from '../../src/node/node.js';
import { drain, fixture, puppet, useNodes } from '../support/nodes.js';

const node = useNodes();

/** Nodes called `names`, each connected to every other. */
async function mesh(...names: string[]): Promise<Runtime[]> {
  const rts = names.map((n) => node(n));
  for (let i = 0; i < rts.length; i++) for (let j = i + 1; j < rts.length; j++) await Node.connect(rts[i]!, rts[j]!);
  return rts;
}

/** A process that waits for messages and hands them to `got`. */
function sink(rt: Runtime, got: unknown[] = []): Pid {
  return rt.spawn(async (ctx) => {
    for (;;) got.push(await ctx.receive());
  });
}

/** A process as every node can name it: its node and its serial (the runtime number differs by node). */
function who(rt: Runtime, pid: Pid | undefined): string | undefined {
  return pid === undefined ? undefined : `${nodeOfPid(rt, pid)}:${pid.split('.')[1]}`;
}

/** Resolves once `watcher`'s node has seen `peer` go down; call `cut` in between. */
async function nodeDown(watcher: Runtime, peer: string, cut: () => unknown): Promise<void> {
  await watcher.run(async (ctx) => {
    Node.monitorNode(ctx, peer);
    await cut();
    await ctx.receive((m) => (m as { type?: string }).type === 'nodedown');
  });
}

describe('Global names across nodes', () => {
  it('registers a name that every node finds, and sends to it from any node', async () => {
    const [a, b, c] = await mesh('a', 'b', 'c');
    const p = puppet(a!);
    expect(await Global.register(a!, 'db', p.pid)).toBe(true);
    expect(Global.whereis(a!, 'db')).toBe(p.pid);
    // As soon as register resolves, every node has it (Erlang's multi_call waits too).
    for (const rt of [b!, c!]) expect(who(rt, Global.whereis(rt, 'db'))).toBe(who(a!, p.pid));
    expect(Global.registeredNames(c!)).toEqual(['db']);
    expect(who(b!, Global.send(b!, 'db', 'from b'))).toBe(who(a!, p.pid));
    await c!.run((ctx) => Global.send(ctx, 'db', 'from c'));
    await Global.sync(b!); // after the messages, on the same connections
    await Global.sync(c!);
    expect((await p.act(drain)).sort()).toEqual(['from b', 'from c']);
  });

  it('refuses a taken name and a second name for one process, from any node', async () => {
    const [a, b] = await mesh('a', 'b');
    const p = sink(a!);
    expect(await Global.register(a!, 'x', p)).toBe(true);
    expect(await Global.register(b!, 'x', sink(b!))).toBe(false);
    expect(await Global.register(a!, 'x', sink(a!))).toBe(false);
    expect(await Global.register(b!, 'y', Global.whereis(b!, 'x')!)).toBe(false); // p already has a name
    expect(Global.registeredNames(b!)).toEqual(['x']);
  });

  it('of two registrations of one name at the same time, exactly one wins', async () => {
    const [a, b, c] = await mesh('a', 'b', 'c');
    for (let round = 0; round < 5; round++) {
      const name = `race${round}`;
      const [pa, pb, pc] = [sink(a!), sink(b!), sink(c!)];
      const answers = await Promise.all([Global.register(a!, name, pa), Global.register(b!, name, pb), Global.register(c!, name, pc)]);
      expect(answers.filter((x) => x)).toHaveLength(1);
      const i = answers.indexOf(true);
      const winner = who([a!, b!, c!][i]!, [pa, pb, pc][i]);
      for (const rt of [a!, b!, c!]) expect(who(rt, Global.whereis(rt, name))).toBe(winner);
    }
  });

  it('drops the name of a process that exits, on every node', async () => {
    const [a, b] = await mesh('a', 'b');
    const p = puppet(a!);
    expect(await Global.register(a!, 'brief', p.pid)).toBe(true);
    const watch = puppet(a!);
    const ref = await watch.act((ctx) => ctx.monitor(p.pid));
    void p.act((ctx) => ctx.exit('done'));
    await watch.act((ctx) => ctx.receiveRef(ref));
    await Global.sync(a!); // a's server had the DOWN first; b's before a's ping
    expect([Global.whereis(a!, 'brief'), Global.whereis(b!, 'brief')]).toEqual([undefined, undefined]);
  });

  it('drops the names of a lost node on the other nodes', async () => {
    const [a, b, c] = await mesh('a', 'b', 'c');
    await Global.register(b!, 'on-b', puppet(b!).pid);
    await Global.register(a!, 'on-a', puppet(a!).pid);
    expect(Global.registeredNames(c!).sort()).toEqual(['on-a', 'on-b']);
    await nodeDown(a!, 'b', () => nodeDown(c!, 'b', () => Node.stop(b!)));
    await Global.sync(a!);
    await Global.sync(c!);
    expect([Global.registeredNames(a!), Global.registeredNames(c!)]).toEqual([['on-a'], ['on-a']]);
  });

  it('gives a node that connects later the names already registered, and takes its names', async () => {
    const [a, b] = await mesh('a', 'b');
    await Global.register(a!, 'early', puppet(a!).pid);
    const c = node('c');
    await Global.register(c, 'alone', puppet(c).pid);
    await Node.connect(c, a!);
    await Global.sync(c);
    expect(Global.registeredNames(c).sort()).toEqual(['alone', 'early']);
    expect(Global.registeredNames(a!).sort()).toEqual(['alone', 'early']);
    expect(Global.registeredNames(b!)).toEqual(['early']); // b and c are not connected
  });

  it('restarts a killed name server at the next call, which gets the names back from its peers', async () => {
    const [a, b] = await mesh('a', 'b');
    const p = puppet(b!);
    await Global.register(b!, 'kept', p.pid);
    const first = a!.whereis('global_name_server')!;
    a!.exit(first, 'kill');
    await Global.sync(a!); // a new server, whose first words asked b for its names
    expect(a!.whereis('global_name_server')).not.toBe(first);
    expect(Global.whereis(a!, 'kept')).toBe(p.pid);
    expect(await Global.register(a!, 'kept', puppet(a!).pid)).toBe(false); // b still holds it
  });

  it('answers false to callers waiting on a node that stops', async () => {
    const [a] = await mesh('a', 'b');
    const p = puppet(a!);
    const answer = Global.register(a!, 'late', p.pid);
    await Node.stop(a!);
    expect(await answer).toBe(false);
    expect(() => Global.whereis(a!, 'late')).toThrow(NodeError);
  });
});

describe('a clash after a partition heals', () => {
  /** Two nodes that were apart and each registered `name` meanwhile; returns both pids (as their own nodes number them). */
  async function split(resolve?: Global.ResolveMethod): Promise<{ a: Runtime; b: Runtime; pa: Pid; pb: Pid; got: unknown[] }> {
    const [a, b] = await mesh('a', 'b');
    await nodeDown(b!, 'a', () => Node.disconnect(a!, 'b'));
    const got: unknown[] = [];
    const pa = sink(a!, got);
    const pb = sink(b!, got);
    const options = resolve === undefined ? {} : { resolve };
    expect(await Global.register(a!, 'leader', pa, options)).toBe(true);
    expect(await Global.register(b!, 'leader', pb, options)).toBe(true);
    return { a: a!, b: b!, pa, pb, got };
  }

  /** Connects them again; resolves once both name servers are done with the exchange. */
  async function heal(a: Runtime, b: Runtime): Promise<void> {
    await Node.connect(a, b);
    await Global.sync(a);
    await Global.sync(b);
  }

  it('random_exit_name (default): the pid of the node with the smaller name keeps it, the other is killed', async () => {
    const { a, b, pa, pb } = await split();
    const watcher = puppet(b);
    const down = watcher.act((ctx) => {
      const ref = ctx.monitor(pb);
      return ctx.receiveRef(ref);
    });
    await heal(a, b);
    expect(await down).toMatchObject({ type: 'DOWN', pid: pb, reason: 'killed' });
    expect(who(b, Global.whereis(b, 'leader'))).toBe(who(a, pa));
    expect(Global.whereis(a, 'leader')).toBe(pa);
    expect(a.isAlive(pa)).toBe(true);
  });

  it('random_notify_name: the loser is told and keeps running, without the name', async () => {
    const { a, b, pa, pb, got } = await split('random_notify_name');
    await heal(a, b);
    expect(got).toEqual([{ type: 'global_name_conflict', name: 'leader' }]);
    expect(who(b, Global.whereis(b, 'leader'))).toBe(who(a, pa));
    expect(Global.whereis(a, 'leader')).toBe(pa);
    expect(b.isAlive(pb)).toBe(true);
  });

  it('notify_all_name: nobody keeps it, both are told', async () => {
    const { a, b, pa, pb, got } = await split('notify_all_name');
    await heal(a, b);
    expect(got).toHaveLength(2);
    expect(got).toContainEqual({ type: 'global_name_conflict', name: 'leader', other: expect.any(String) });
    expect([Global.whereis(a, 'leader'), Global.whereis(b, 'leader')]).toEqual([undefined, undefined]);
    expect(a.isAlive(pa) && b.isAlive(pb)).toBe(true);
  });

  it('a resolve function runs once, on the node with the smaller name, and its answer holds everywhere', async () => {
    const calls: Array<[string, Pid, Pid]> = [];
    const keepRemote: Global.ResolveFunction = (name, pid1, pid2) => {
      calls.push([name, pid1, pid2]);
      return pid1; // pid1 is the other side's
    };
    const { a, b, pb } = await split(keepRemote);
    await heal(a, b);
    expect(who(a, Global.whereis(a, 'leader'))).toBe(who(b, pb));
    expect(Global.whereis(b, 'leader')).toBe(pb);
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('leader');
  });
});

describe('a clash between a node and a partition of two', () => {
  it('random_exit_name: every node ends with the pid of the smallest node, the other is killed once', async () => {
    const [a, b, c] = await mesh('a', 'b', 'c');
    await nodeDown(b!, 'a', () => nodeDown(c!, 'a', () => (Node.disconnect(a!, 'b'), Node.disconnect(a!, 'c'))));
    const pa = puppet(a!);
    const pb = puppet(b!);
    expect(await Global.register(a!, 'leader', pa.pid)).toBe(true);
    expect(await Global.register(b!, 'leader', pb.pid)).toBe(true); // b and c agree on it
    expect(who(c!, Global.whereis(c!, 'leader'))).toBe(who(b!, pb.pid));
    const watch = puppet(c!);
    const ref = await watch.act((ctx) => ctx.monitor(Global.whereis(ctx, 'leader')!));
    await Node.connect(a!, b!);
    await Node.connect(a!, c!);
    for (const rt of [a!, b!, c!]) await Global.sync(rt);
    expect(await watch.act((ctx) => ctx.receiveRef<DownMessage>(ref))).toMatchObject({ reason: 'killed' });
    for (const rt of [a!, b!, c!]) expect(who(rt, Global.whereis(rt, 'leader'))).toBe(who(a!, pa.pid));
  });
});

describe('a resolve function held by another node', () => {
  it('is asked of the node that registered with it, which runs it; the settling node applies its answer', async () => {
    const [a, b, c] = await mesh('a', 'b', 'c');
    await nodeDown(b!, 'a', () => nodeDown(b!, 'c', () => (Node.disconnect(a!, 'b'), Node.disconnect(c!, 'b'))));
    const calls: unknown[] = [];
    const keepOther: Global.ResolveFunction = (name, pid1, pid2) => {
      calls.push({ name, pid1, pid2 });
      return pid1;
    };
    const pc = puppet(c!);
    const pb = puppet(b!);
    expect(await Global.register(c!, 'leader', pc.pid, { resolve: keepOther })).toBe(true); // a has it too, without the function
    expect(await Global.register(b!, 'leader', pb.pid)).toBe(true);
    await Node.connect(a!, b!); // a settles (a < b) with c's function, asked of c
    await Global.sync(a!);
    await Global.sync(c!); // c has answered a, and a has applied the answer
    await Global.sync(a!);
    expect(calls).toHaveLength(1); // on c, with b's process (as c numbers it) and its own
    const [call] = calls as Array<{ name: string; pid1: Pid; pid2: Pid }>;
    expect([call!.name, who(c!, call!.pid1), call!.pid2]).toEqual(['leader', who(b!, pb.pid), pc.pid]);
    expect(who(a!, Global.whereis(a!, 'leader'))).toBe(who(b!, pb.pid));
    expect(c!.isAlive(pc.pid)).toBe(true); // nobody killed: the function chose
  });
});

describe('Global.via', () => {
  interface Counter {
    state: number;
    call: { readonly type: 'next' };
    reply: { next: number };
  }
  const counter: GenServer.Behaviour<Counter> = { init: () => Next.ok(0), handleCall: { next: (_r, _f, n) => Next.reply(n + 1, n + 1) } };

  it('names a GenServer: start, call and cast from another node, already_started from any node', async () => {
    const [a, b] = await mesh('a', 'b');
    const started = await GenServer.start(counter, undefined, { runtime: a!, name: Global.via('counter', a) });
    expect(started.type).toBe('ok');
    const again = await GenServer.start(counter, undefined, { runtime: b!, name: Global.via('counter', b) });
    expect(again).toMatchObject({ type: 'error', reason: { tag: 'already_started' } });
    const ref = GenServer.named<Counter>(Global.via('counter', b));
    expect(await GenServer.call(ref, { type: 'next' })).toBe(1);
    expect(await GenServer.call(ref, { type: 'next' })).toBe(2);
  });

  it('works with send, whereis and monitor of the kernel', async () => {
    const [a, b] = await mesh('a', 'b');
    const p = puppet(a!);
    await Global.register(a!, 'v', p.pid);
    b!.send(Global.via('v', b), 'hello');
    await Global.sync(b!);
    expect(await p.act(drain)).toEqual(['hello']);
    expect(b!.whereis(Global.via('v', b))).toBe(Global.whereis(b!, 'v'));
    const watcher = puppet(b!);
    const down = await watcher.act((ctx: Context) => {
      const ref = ctx.monitor(Global.via('v', b));
      ctx.exit(Global.whereis(ctx, 'v')!, 'kill'); // after the monitor, on the same connection
      return ctx.receiveRef(ref);
    });
    expect(down).toMatchObject({ type: 'DOWN', reason: 'killed' });
    await Global.sync(a!);
    expect(Global.whereis(b!, 'v')).toBeUndefined();
  });

  it("names a supervisor's child: restarted under the same name, found from the other node", async () => {
    const [a, b] = await mesh('a', 'b');
    const sup = await Supervisor.start({ children: [Supervisor.worker('counter', counter, undefined, { name: Global.via('counter', a) })] }, { runtime: a! });
    expect(sup.type).toBe('ok');
    const first = Global.whereis(b!, 'counter')!;
    expect(await GenServer.call(GenServer.named<Counter>(Global.via('counter', b)), { type: 'next' })).toBe(1);
    const watch = puppet(a!);
    const down = await watch.act((ctx) => {
      const ref = ctx.monitor(Global.whereis(a!, 'counter')!);
      ctx.exit(Global.whereis(a!, 'counter')!, 'kill');
      return ctx.receiveRef<DownMessage>(ref);
    });
    expect(down.reason).toBe('killed');
    await Supervisor.whichChildren(sup.type === 'ok' ? sup.pid : ('' as Pid)); // answered once the restart is done
    const second = Global.whereis(b!, 'counter');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await GenServer.call(GenServer.named<Counter>(Global.via('counter', b)), { type: 'next' })).toBe(1); // a fresh state
  });
});

describe('isolated children', () => {
  it("take no part: a registration does not wait for the worker node of a child busy in a loop", async () => {
    const [a] = await mesh('a');
    const child = Supervisor.isolated({ id: 'c', module: fixture('servers.ts'), export: 'counter', arg: 0 });
    const sup = await Supervisor.start({ children: [child] }, { runtime: a! });
    if (sup.type !== 'ok') throw new Error('no start');
    expect(Node.nodes(a!)).toHaveLength(1); // the child's worker node
    const pid = (await Supervisor.whichChildren(sup.pid))[0]!.pid as Pid;
    void GenServer.call(pid, { type: 'spin' } as never, 'infinity').catch(() => undefined); // its thread never yields
    expect(await Global.register(a!, 'free', puppet(a!).pid)).toBe(true);
    await Global.sync(a!);
    a!.exit(pid, 'kill'); // ends the thread
    await Supervisor.stop(sup.pid);
  });
});

describe('bad input', () => {
  it('names the argument, and a runtime that is not a node', async () => {
    const [a] = await mesh('a');
    expect(() => Global.whereis(a!, '' as string)).toThrow(InvalidArgumentError);
    expect(() => Global.register(a!, 'x', 'not a pid' as Pid)).toThrow(/'pid'/);
    expect(() => Global.register(a!, 'x', sink(a!), { resolve: 'coin' as never })).toThrow(/options.resolve/);
    expect(() => Global.whereis(new Runtime(), 'x')).toThrow(NodeError);
    expect(() => Global.whereis(5 as never, 'x')).toThrow(/'runtime'/);
    expect(() => Global.send(a!, 'nobody', 1)).toThrow(NoProcError);
    expect(() => Global.send(a!, 5 as never, 1)).toThrow(/'name'/);
    expect(() => Global.unregister(a!, '<1.2.0>')).toThrow(/'name'/);
    expect(() => Global.via('undefined', a)).toThrow(/'name'/);
    expect(() => Global.register(a!, 'x', sink(a!), null as never)).toThrow(/'options'/);
    expect(() => Global.register(a!, 'x', '<999.1.0>' as Pid)).toThrow(/'pid'/); // no such node
    expect(() => Global.registeredNames(new Runtime())).toThrow(/not_a_node/);
    expect(() => Global.sync({} as never)).toThrow(/'runtime'/);
    // The runtime is intact: a good call still works, from a context too.
    const p = sink(a!);
    expect(await a!.run((ctx) => Global.register(ctx, 'x', p))).toBe(true);
    expect(Global.whereis(a!, 'x')).toBe(p);
  });
});
