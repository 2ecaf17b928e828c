/**
 * Conformance, group N (remote calls and remote children, N50-N69): one test per scenario of
 * test/conformance/n_rpc/, each an escript run on two real Erlang/OTP 25 nodes in separate OS
 * processes (`a` runs the scenario, `b` is an `erl -sname` peer), whose trace is stored beside
 * it; `./run.sh` there replays them.
 *
 * Here `a` is this test's runtime, joined through a real nats-server, and each `b` is a node
 * process (test/cluster/fixtures/node_main.ts) joined to the same cluster: the shared `b`, or,
 * for a scenario that kills its `b` with SIGKILL, a node of its own (`k57`...). The functions
 * and the GenServer run on `b` are test/conformance/n_rpc/functions.ts, loaded there by path as
 * each escript loads nr_help.erl. Each test prints ts-otp's outcomes as the escript prints
 * erpc's (see `Names.erpc`) and compares the trace line for line; where a line cannot be the
 * same, the test names Erlang's line and ts-otp's.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenServer, Node, Runtime, Supervisor, TIMEOUT, isPid, type Context, type DownMessage, type Pid } from 'ts-otp';
import { isRemotePid } from '../../src/node/index.js';
import { startNatsServer, type NatsServer } from '../cluster/support/nats_server.js';
import { killNodes, startNode, type NodeProcess } from '../cluster/support/node_process.js';
import { memoryLogger } from '../support/runtime.js';
import type { Where } from './n_rpc/functions.js';
import { tracesIn } from '../support/traces.js';

const dir = new URL('./n_rpc/', import.meta.url);
const module = fileURLToPath(new URL('./n_rpc/functions.ts', import.meta.url));
/** Heartbeat period of every node: a killed node is lost within about two of them. */
const TICK_MS = 500;
/** The nodes killed by a scenario, one each. */
const KILLED = ['k57', 'k62', 'k63', 'k67'] as const;

/** Erlang's trace of scenario `id`, with `differs` (Erlang's line to ts-otp's) applied. */
const trace = tracesIn(dir);

let server: NatsServer;
let a: Runtime;
/** What a logs: its supervisors' reports. */
const reports = memoryLogger();
const peers = new Map<string, NodeProcess>();

beforeAll(async () => {
  server = await startNatsServer();
  a = new Runtime({ logger: reports.logger });
  await Node.join(a, { name: 'a', url: server.url, cluster: 'rpc', token: server.token, tickMs: TICK_MS });
  const up = a.run(async (ctx) => {
    Node.monitorNodes(ctx);
    const want = ['b', ...KILLED];
    while (!want.every((n) => Node.nodes(a).includes(n))) await ctx.receive();
  });
  for (const node of await Promise.all(['b', ...KILLED].map((n) => startNode(n, server, { cluster: 'rpc', tickMs: TICK_MS })))) peers.set(node.name, node);
  await up;
}, 60_000);

afterAll(async () => {
  if (a !== undefined) {
    await Node.stop(a);
    a.killAll();
  }
  await killNodes();
  await server?.stop();
});

// ---- printing ts-otp's outcomes as the escripts print erpc's --------------------------------

/** The names a trace gives pids and nodes, per scenario. */
class Names {
  private readonly pids = new Map<Pid, string>();
  constructor(private readonly peer: string) {}
  name<T extends Pid>(pid: T, as: string): T {
    this.pids.set(pid, as);
    return pid;
  }
  /**
   * `value` as Erlang's `~w` prints the term it stands for: a string is an atom (a node name the
   * scenario's name for it), an array a list, `{ tuple: [...] }` a tuple, an object of one key a
   * tagged pair, an exit reason Erlang's reason, an Error its message (`error(Reason)`) or the
   * name of its class (a language error), an object tagged by its first key (`tag`, `type`: a
   * start result, a message) the tuple of its values.
   */
  term(value: unknown): string {
    if (isPid(value)) return this.pids.get(value) ?? atom('<pid>'); // before strings: a pid is one
    if (typeof value === 'string') return atom(value === this.peer ? 'b' : value);
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.term(v)).join(',')}]`;
    if (value instanceof Error) return atom(value.name === 'Error' ? value.message : value.name);
    if (typeof value === 'object' && value !== null) {
      const r = value as { tag?: unknown; value?: unknown; cause?: unknown };
      if (r.tag === 'exit' && 'value' in r) return this.term(r.value); // exit(Reason)
      if (r.tag === 'error' && 'cause' in r) return `{${this.term(r.cause)},stack}`; // a crash, its stack left out
      if ('tuple' in value && Array.isArray(value.tuple)) return `{${value.tuple.map((v) => this.term(v)).join(',')}}`;
      const entries = Object.entries(value);
      if (entries.length === 1) return `{${entries[0]![0]},${this.term(entries[0]![1])}}`;
      if (entries[0]?.[0] === 'tag' || entries[0]?.[0] === 'type') return `{${entries.map(([, v]) => this.term(v)).join(',')}}`;
    }
    throw new Error(`no Erlang term for ${String(value)}`);
  }
  /**
   * A Node.call's outcome as erpc's: `ok Value`, or the class and reason erpc:call raises:
   * `'exception'` of an Error is error {exception, Reason, Stack}, of another value a throw;
   * `'exit'` is exit {exception, Reason}; `'signal'` exit {signal, Reason}; `'timeout'` and
   * `'noconnection'` error {erpc, _}; a module or export missing is erpc's undef.
   */
  async erpc(what: string, call: Promise<unknown>): Promise<string> {
    try {
      return `${what} ok ${this.term(await call)}`;
    } catch (error) {
      if (!(error instanceof Node.RpcError)) throw error;
      switch (error.reason) {
        case 'exception':
          return error.value instanceof Error ? `${what} error {exception,${this.term(error.value)},stack}` : `${what} throw ${this.term(error.value)}`;
        case 'exit':
          return `${what} exit {exception,${this.term(error.value)}}`;
        case 'signal':
          return `${what} exit {signal,${this.term(error.value)}}`;
        case 'timeout':
        case 'noconnection':
          return `${what} error {erpc,${error.reason}}`;
        case 'not_loaded':
        case 'not_a_function':
          return `${what} error {exception,undef,stack}`;
      }
    }
  }
}

/** An atom as `~w` prints it: quoted unless it is a plain lower-case word. */
function atom(name: string): string {
  return /^[a-z][A-Za-z0-9_@]*$/.test(name) ? name : `'${name}'`;
}

/** Runs `scenario` as a process of node a, with the names of its trace; resolves with the lines it printed. */
function run(peer: string, scenario: (ctx: Context, names: Names, log: (line: string) => void, call: Caller) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const names = new Names(peer);
  return a.run(async (ctx) => {
    const call: Caller = (what, exportName, args, timeoutMs = 'infinity', node = peer) =>
      names.erpc(what, Node.call(ctx, node, { module, export: exportName, args }, timeoutMs));
    await scenario(ctx, names, (line) => lines.push(line), call);
    return lines;
  });
}

/** A Node.call of an export of functions.ts on the scenario's `b` (or `node`), printed as {@link Names.erpc}. */
type Caller = (what: string, exportName: string, args: unknown[], timeoutMs?: number | 'infinity', node?: string) => Promise<string>;

/** Every message in the mailbox, taken, oldest first, waiting `ms` for stragglers (the escripts' flush/1). */
async function flush(ctx: Context, ms: number): Promise<unknown[]> {
  const got: unknown[] = [];
  for (let m = await ctx.receive(ms); m !== TIMEOUT; m = await ctx.receive(ms)) got.push(m);
  return got;
}

/** The scenario's `b` among the nodes a is connected to (a is connected to the other scenarios' nodes too). */
const nodesOf = (names: Names, peer: string): string => names.term(Node.nodes(a).filter((n) => n === peer));

/** Kills node process `name` with SIGKILL and resolves once it has exited. */
async function kill(name: string): Promise<void> {
  const node = peers.get(name)!;
  node.child.kill('SIGKILL');
  expect(await node.exited).toBe('SIGKILL');
}

/**
 * nr_help's supervisor ({@link supervisorSpec}), started by `parent` and unlinked, as the escripts
 * do (supervisor:start_link, then unlink: `parent` stays its parent), and its child.
 */
async function supervisorWithChildOn(parent: Context, node: string, restart: Supervisor.RestartType): Promise<{ sup: Pid; child: GenServer.ServerPid<Where> }> {
  const started = await Supervisor.startLink(parent, supervisorSpec(node, restart));
  if (started.type !== 'ok') throw new Error(`no start: ${JSON.stringify(started)}`);
  parent.unlink(started.pid);
  const [c] = await Supervisor.whichChildren(started.pid);
  return { sup: started.pid, child: c!.pid as GenServer.ServerPid<Where> };
}

/** nr_help's supervisor: one_for_one, intensity 3 in 10 s, its child `c` the GenServer `where` on `node`. */
function supervisorSpec(node: string, restart: Supervisor.RestartType): Supervisor.SupervisorSpec {
  return { strategy: 'one_for_one', intensity: 3, period: 10, children: [Supervisor.remote({ id: 'c', node, module, export: 'where', arg: 0, restart })] };
}

/**
 * How many times `sup` ran its child's start: the first start, which succeeded, and each failed
 * restart, which it reports (`supervisor.start_error`, OTP's start_error report). The escripts
 * count the calls of nr_help:start_remote/1.
 */
const startAttempts = (sup: Pid): number => 1 + reports.records.filter((r) => r['label'] === 'supervisor.start_error' && r['supervisor'] === sup).length;

const downOf = (pid: Pid) => (m: unknown): m is DownMessage => (m as DownMessage).type === 'DOWN' && (m as DownMessage).pid === pid;

describe('N. remote calls and remote children between OS processes, over NATS', () => {
  it('N50 Node.call resolves with the result of the function, run on the other node', async () => {
    const got = await run('b', async (_ctx, _names, log, call) => {
      log(await call('add', 'add', [2, 40]));
      log(await call('node', 'node', []));
      log(await call('list', 'reverse', [[1, 2, 3]]));
    });
    expect(got).toEqual(trace('N50'));
  });

  it("N51 the function throws an Error: 'exception' with it (erpc's error {exception, Reason, Stack})", async () => {
    const got = await run('b', async (_ctx, _names, log, call) => {
      log(await call('crash', 'crash', ['bad']));
      log(await call('badarith', 'divide', [1n, 0n]));
    });
    // JavaScript's arithmetic error is a RangeError (BigInt division by zero), Erlang's badarith.
    expect(got).toEqual(trace('N51', { 'badarith error {exception,badarith,stack}': "badarith error {exception,'RangeError',stack}" }));
  });

  it("N52 the function throws a value that is not an Error: 'exception' with the value (erpc's throw)", async () => {
    const got = await run('b', async (_ctx, _names, log, call) => {
      log(await call('throw', 'throwValue', ['oops']));
      log(await call('throw', 'throwValue', [{ code: 7 }]));
    });
    expect(got).toEqual(trace('N52'));
  });

  it("N53 the function ends its process with ctx.exit(reason), normal included: 'exit' with the reason (erpc's exit {exception, Reason})", async () => {
    const got = await run('b', async (_ctx, _names, log, call) => {
      log(await call('exit', 'quit', ['bye']));
      log(await call('exit', 'quit', ['normal']));
    });
    expect(got).toEqual(trace('N53'));
  });

  it("N54 a call that times out fails with 'timeout'; the function's process runs on and finishes; its late result never reaches the caller", async () => {
    const got = await run('b', async (ctx, names, log, call) => {
      log(await call('slow', 'sleepThen', [ctx.self, 400, 'finished'], 100));
      await ctx.receive((m) => m === 'finished');
      log('recv finished');
      log(`mailbox ${names.term(await flush(ctx, 300))}`);
    });
    expect(got).toEqual(trace('N54'));
  });

  it("N55 a module that does not load or an export that is not there on the other node fails ('not_loaded', 'not_a_function': erpc's undef)", async () => {
    const got = await run('b', async (ctx, names, log, call) => {
      log(await names.erpc('nomod', Node.call(ctx, 'b', { module: fileURLToPath(new URL('./n_rpc/no_such_module.ts', import.meta.url)), export: 'f' })));
      log(await call('nofun', 'noSuchFunction', [1]));
    });
    expect(got).toEqual(trace('N55'));
  });

  it("N56 a call to a node that is not connected fails with 'noconnection', and connects nothing", async () => {
    const got = await run('nowhere', async (_ctx, names, log, call) => {
      log(await call('nowhere', 'add', [1, 1]));
      log(`nodes ${nodesOf(names, 'nowhere')}`);
    });
    expect(got).toEqual(trace('N56'));
  });

  it("N57 the other node killed with SIGKILL during a call to it: the call fails with 'noconnection'", async () => {
    const got = await run('k57', async (ctx, names, log, call) => {
      const long = call('long', 'tellThenHang', [ctx.self]);
      await ctx.receive((m) => m === 'hanging');
      const killed = kill('k57');
      log(await long);
      await killed;
      log('killed');
      log(`nodes ${nodesOf(names, 'k57')}`);
    });
    expect(got).toEqual(trace('N57'));
  });

  it('N58 Node.cast returns at once and nothing comes back: not the result, not a crash, not a missing module or node', async () => {
    const got = await run('b', async (ctx, names, log) => {
      const cast = (node: string, exportName: string, args: unknown[], from = module): void => {
        Node.cast(ctx, node, { module: from, export: exportName, args });
        log('cast ok'); // erpc:cast returns ok; Node.cast returned without throwing
      };
      cast('b', 'tell', [ctx.self, 'hello']);
      await ctx.receive((m) => m === 'hello');
      log('recv hello');
      cast('b', 'crash', ['bad']);
      cast('b', 'quit', ['bye']);
      cast('b', 'f', [], fileURLToPath(new URL('./n_rpc/no_such_module.ts', import.meta.url)));
      cast('nowhere', 'add', [1, 1]);
      log(`mailbox ${names.term(await flush(ctx, 500))}`);
    });
    expect(got).toEqual(trace('N58'));
  });

  it("N59 the function's process ended by an exit signal: 'signal' with the reason (erpc's exit {signal, Reason})", async () => {
    const got = await run('b', async (_ctx, _names, log, call) => {
      log(await call('killed', 'killedBy', ['kill']));
      log(await call('shutdown', 'killedBy', ['shutdown']));
    });
    expect(got).toEqual(trace('N59'));
  });

  it("N60 Node.call to the caller's own node runs the same way", async () => {
    const got = await run('b', async (ctx, names, log, call) => {
      log(await call('add', 'add', [1, 1], 'infinity', 'a'));
      log(await call('crash', 'crash', ['here'], 'infinity', 'a'));
      log(await names.erpc('nomod', Node.call(ctx, 'a', { module: fileURLToPath(new URL('./n_rpc/no_such_module.ts', import.meta.url)), export: 'f' })));
    });
    expect(got).toEqual(trace('N60'));
  });

  it('N61 a supervisor whose child is a GenServer on another node (Supervisor.remote): the child crashes and is restarted on that node', async () => {
    const got = await run('b', async (ctx, names, log) => {
      const { sup, child: c1 } = await supervisorWithChildOn(ctx, 'b', 'permanent');
      names.name(sup, 'sup');
      names.name(c1, 'c1');
      log(`child c1 on ${isRemotePid(c1) ? 'b' : 'a'}`);
      log(`where ${names.term(await GenServer.call(c1, { type: 'where' }))}`);
      ctx.monitor(c1);
      GenServer.cast(c1, { type: 'crash' });
      log(`c1 DOWN ${names.term((await ctx.receive(downOf(c1))).reason)}`);
      const [restarted] = await Supervisor.whichChildren(sup);
      const c2 = names.name(restarted!.pid as GenServer.ServerPid<Where>, 'c2');
      log(`child c2 on ${isRemotePid(c2) ? 'b' : 'a'}`);
      log(`where ${names.term(await GenServer.call(c2, { type: 'where' }))}`);
      log(`sup alive ${a.isAlive(sup)}`);
      await Supervisor.stop(sup);
    });
    expect(got).toEqual(trace('N61'));
  });

  it("N62 a supervisor with a temporary child on another node; that node killed with SIGKILL: the child's exit is noconnection, it is removed, the supervisor lives on", async () => {
    const got = await run('k62', async (ctx, names, log) => {
      const { sup, child } = await supervisorWithChildOn(ctx, 'k62', 'temporary');
      names.name(sup, 'sup');
      names.name(child, 'c');
      ctx.monitor(child);
      ctx.monitor(sup);
      await kill('k62');
      log(`c DOWN ${names.term((await ctx.receive(downOf(child))).reason)}`);
      log(`children ${names.term(await Supervisor.whichChildren(sup))}`);
      const n = await Supervisor.countChildren(sup);
      log(`count [{specs,${n.specs}},{active,${n.active}},{supervisors,${n.supervisors}},{workers,${n.workers}}]`);
      log(`mailbox ${names.term(await flush(ctx, 500))}`);
      await Supervisor.stop(sup);
    });
    expect(got).toEqual(trace('N62'));
  });

  it("N63 a supervisor with a permanent child on another node; that node killed with SIGKILL: the child's exit is noconnection, each restart there fails and counts, the supervisor shuts down at its intensity", async () => {
    const got = await run('k63', async (ctx, names, log) => {
      const { sup, child } = await supervisorWithChildOn(ctx, 'k63', 'permanent');
      names.name(sup, 'sup');
      names.name(child, 'c');
      ctx.monitor(child);
      ctx.monitor(sup);
      await kill('k63');
      log(`c DOWN ${names.term((await ctx.receive(downOf(child))).reason)}`);
      log(`sup DOWN ${names.term((await ctx.receive(downOf(sup))).reason)}`);
      log(`start attempts ${startAttempts(sup)}`);
      log(`mailbox ${names.term(await flush(ctx, 200))}`);
    });
    expect(got).toEqual(trace('N63'));
  });

  it("N64 the caller killed during a call: the function's process runs on and finishes", async () => {
    const got = await run('b', async (ctx, names, log) => {
      const test = ctx.self;
      const caller = names.name(
        ctx.spawn((c) => Node.call(c, 'b', { module, export: 'startedThen', args: [test, 300, 'finished'] })),
        'caller',
      );
      ctx.monitor(caller);
      await ctx.receive((m) => m === 'started'); // the call is running on b (the escript sleeps 100 ms)
      ctx.exit(caller, 'kill');
      log(`caller DOWN ${names.term((await ctx.receive(downOf(caller))).reason)}`);
      await ctx.receive((m) => m === 'finished');
      log('recv finished');
      log(`mailbox ${names.term(await flush(ctx, 300))}`);
    });
    expect(got).toEqual(trace('N64'));
  });

  it('N65 a supervisor started with its child on a node that is not connected: the start fails with noconnection', async () => {
    const got = await run('nowhere', async (ctx, names, log) => {
      ctx.trapExit(true);
      const started = await Supervisor.startLink(ctx, supervisorSpec('nowhere', 'permanent'));
      log(`start ${names.term(started)}`);
      log(`mailbox ${names.term(await flush(ctx, 200))}`);
    });
    expect(got).toEqual(trace('N65'));
  });

  it('N66 a supervisor terminates its child on another node: the child exits shutdown there; restarted, it is on that node again', async () => {
    const got = await run('b', async (ctx, names, log) => {
      const { sup, child: c1 } = await supervisorWithChildOn(ctx, 'b', 'permanent');
      names.name(c1, 'c1');
      ctx.monitor(c1);
      log(`terminate ${(await Supervisor.terminateChild(sup, 'c')).type}`);
      log(`c1 DOWN ${names.term((await ctx.receive(downOf(c1))).reason)}`);
      log(`children ${names.term((await Supervisor.whichChildren(sup)).map((c) => ({ tuple: [c.id, c.pid ?? 'undefined', c.type] })))}`);
      const restarted = await Supervisor.restartChild(sup, 'c');
      if (restarted.type !== 'ok') throw new Error(`no restart: ${JSON.stringify(restarted)}`);
      const c2 = names.name(restarted.pid as GenServer.ServerPid<Where>, 'c2');
      log(`restarted c2 on ${isRemotePid(c2) ? 'b' : 'a'}`);
      log(`where ${names.term(await GenServer.call(c2, { type: 'where' }))}`);
      ctx.monitor(c2);
      ctx.monitor(sup);
      ctx.exit(sup, 'shutdown');
      log(`c2 DOWN ${names.term((await ctx.receive(downOf(c2))).reason)}`);
      log(`sup DOWN ${names.term((await ctx.receive(downOf(sup))).reason)}`);
    });
    // Erlang's which_children also lists the child's modules ([nr_help]); ts-otp's ChildInfo has none.
    expect(got).toEqual(trace('N66', { 'children [{c,undefined,worker,[nr_help]}]': 'children [{c,undefined,worker}]' }));
  });

  it("N67 a supervisor with a transient child on another node; that node killed with SIGKILL: noconnection is abnormal, the restarts fail, the supervisor shuts down", async () => {
    const got = await run('k67', async (ctx, names, log) => {
      const { sup, child } = await supervisorWithChildOn(ctx, 'k67', 'transient');
      names.name(sup, 'sup');
      names.name(child, 'c');
      ctx.monitor(child);
      ctx.monitor(sup);
      await kill('k67');
      log(`c DOWN ${names.term((await ctx.receive(downOf(child))).reason)}`);
      log(`sup DOWN ${names.term((await ctx.receive(downOf(sup))).reason)}`);
      log(`start attempts ${startAttempts(sup)}`);
      log(`mailbox ${names.term(await flush(ctx, 200))}`);
    });
    expect(got).toEqual(trace('N67'));
  });

  it('N68 a caller that traps exits: failed calls (an exception, an exit signal, a timeout) leave nothing in its mailbox', async () => {
    const got = await run('b', async (ctx, names, log, call) => {
      ctx.trapExit(true);
      log(await call('crash', 'crash', ['bad']));
      log(await call('killed', 'killedBy', ['kill']));
      log(await call('slow', 'sleep', [300], 50));
      log(await call('add', 'add', [1, 2]));
      log(`mailbox ${names.term(await flush(ctx, 500))}`);
    });
    expect(got).toEqual(trace('N68'));
  });

  it('N69 a supervisor killed: its child on another node, linked to it, dies with it (killed)', async () => {
    const got = await run('b', async (ctx, names, log) => {
      const { sup, child } = await supervisorWithChildOn(ctx, 'b', 'permanent');
      names.name(sup, 'sup');
      names.name(child, 'c');
      ctx.monitor(child);
      ctx.monitor(sup);
      ctx.exit(sup, 'kill');
      log(`sup DOWN ${names.term((await ctx.receive(downOf(sup))).reason)}`);
      log(`c DOWN ${names.term((await ctx.receive(downOf(child))).reason)}`);
      log(`c alive ${names.term(await Node.call(ctx, 'b', { module, export: 'isAlive', args: [child] }))}`);
    });
    expect(got).toEqual(trace('N69'));
  });
});
