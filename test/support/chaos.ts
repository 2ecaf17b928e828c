/**
 * Random kills in random supervision trees: one seeded round at a time, for
 * test/supervisor/chaos.test.ts and `npm run chaos`.
 *
 * A round builds a random tree from its seed (Supervisors of the three strategies, DynamicSupervisors,
 * GenServer workers whose init is synchronous or waits microtasks or a macrotask, nested up to
 * three levels), starts it, and sends exit signals (mostly `'kill'`) to random processes of the
 * tree other than the top, each at a random moment: at once, after some microtasks, after a
 * setImmediate, or after a sleep of a few milliseconds. Half the rounds with a Supervisor on top
 * start killing while the tree is still starting. Real time is used only to pick those moments;
 * what the round checks waits on the runtime (`settle`) and on calls.
 *
 * Then one of these must hold, or the round fails naming its seed:
 * - the tree matches its spec: every supervisor answers, lists its children in start order
 *   (newest first for a Supervisor), counts them consistently, and every child it lists is alive,
 *   linked to it and answers; every permanent and transient child runs (a transient supervisor may
 *   have stopped itself), a temporary one runs or is gone; no other process is left. Stopping the
 *   top then stops every process;
 * - the top has exited with `'shutdown'` after its `supervisor.shutdown` report (restart
 *   intensity), or its start failed with `failed_to_start_child`, and no process is left.
 * A round that does not finish within its time limit fails too: that is a hang.
 *
 * No vitest here: scripts/chaos.ts runs it under plain Node.
 *
 * @module
 */
import { pino } from 'pino';
import { DynamicSupervisor, GenServer, Next, Runtime, Supervisor, type ExitReason, type Pid } from 'ts-otp';

/** A small, fast seeded generator (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Restart = 'permanent' | 'transient' | 'temporary';

interface WorkerNode {
  readonly kind: 'worker';
  readonly id: string;
  readonly restart: Restart;
  readonly trap: boolean;
  readonly init: 'sync' | 'microtasks' | 'immediate';
  readonly asyncTerminate: boolean;
  readonly shutdown: 'brutal_kill' | number | 'infinity';
}

interface SupNode {
  readonly kind: 'sup';
  readonly id: string;
  readonly restart: Restart;
  readonly strategy: 'one_for_one' | 'one_for_all' | 'rest_for_one';
  readonly intensity: number;
  readonly children: readonly TreeNode[];
}

interface DynNode {
  readonly kind: 'dyn';
  readonly id: string;
  readonly restart: Restart;
  readonly intensity: number;
  /** Workers, and at most one nested Supervisor (permanent), so a listed child is told by its type. */
  readonly children: readonly (WorkerNode | SupNode)[];
}

type TreeNode = WorkerNode | SupNode | DynNode;

/** Generates a tree of at most 24 processes, nested up to depth 3. */
function genTree(rng: Rng, top: boolean): SupNode | DynNode {
  const budget = { left: rng.int(3, 24), next: 0 };
  const id = (prefix: string): string => `${prefix}${budget.next++}`;
  const worker = (restart: Restart): WorkerNode => ({
    kind: 'worker',
    id: id('w'),
    restart,
    trap: rng.chance(0.5),
    init: rng.pick(['sync', 'sync', 'microtasks', 'immediate'] as const),
    asyncTerminate: rng.chance(0.3),
    shutdown: rng.pick(['brutal_kill', 100, 'infinity'] as const),
  });
  const restartOf = (): Restart => rng.pick(['permanent', 'permanent', 'transient', 'temporary'] as const);
  const sup = (depth: number, restart: Restart): SupNode => {
    budget.left--;
    const children: TreeNode[] = [];
    for (let n = rng.int(depth === 0 ? 1 : 0, 5); n > 0 && budget.left > 0; n--) children.push(child(depth + 1));
    return { kind: 'sup', id: id('s'), restart, strategy: rng.pick(['one_for_one', 'one_for_all', 'rest_for_one'] as const), intensity: rng.int(1, 4), children };
  };
  const dyn = (depth: number, restart: Restart): DynNode => {
    budget.left--;
    const children: (WorkerNode | SupNode)[] = [];
    let nestedSup = false;
    for (let n = rng.int(depth === 0 ? 1 : 0, 5); n > 0 && budget.left > 0; n--) {
      if (!nestedSup && depth < 3 && rng.chance(0.2)) {
        nestedSup = true;
        children.push(sup(depth + 1, 'permanent'));
      } else {
        budget.left--;
        children.push(worker(restartOf()));
      }
    }
    return { kind: 'dyn', id: id('d'), restart, intensity: rng.int(1, 4), children };
  };
  const child = (depth: number): TreeNode => {
    const roll = rng.next();
    if (depth < 3 && roll < 0.2) return sup(depth, restartOf());
    if (depth < 3 && roll < 0.3) return dyn(depth, restartOf());
    budget.left--;
    return worker(restartOf());
  };
  return top && rng.chance(0.2) ? dyn(0, 'permanent') : sup(0, 'permanent');
}

interface WorkerProtocol extends GenServer.Protocol {
  arg: WorkerNode;
  state: string;
}

async function slowInit(node: WorkerNode): Promise<GenServer.InitResult<string>> {
  if (node.init === 'microtasks') for (let i = 0; i < 3; i++) await Promise.resolve();
  else await new Promise((resolve) => setImmediate(resolve));
  return Next.ok(node.id);
}

const syncTerminate: GenServer.Behaviour<WorkerProtocol> = {
  init: (node, ctx) => {
    if (node.trap) ctx.trapExit(true);
    return node.init === 'sync' ? Next.ok(node.id) : slowInit(node);
  },
};

const asyncTerminate: GenServer.Behaviour<WorkerProtocol> = {
  ...syncTerminate,
  terminate: async () => {
    await Promise.resolve();
  },
};

function workerStart(node: WorkerNode): Supervisor.ChildSpec['start'] {
  const behaviour = node.asyncTerminate ? asyncTerminate : syncTerminate;
  return (sup) => GenServer.startLink(sup, behaviour, node);
}

function supSpec(node: SupNode): Supervisor.SupervisorSpec {
  return { strategy: node.strategy, intensity: node.intensity, children: node.children.map(childSpec) };
}

/**
 * Starts a DynamicSupervisor linked to `sup` and adds its children. A child that fails to start
 * (killed as it starts) fails this start too: the half-built supervisor is killed, and its parent
 * deals with the failed start as with any other.
 */
function dynStart(node: DynNode): Supervisor.ChildSpec['start'] {
  return async (sup) => {
    const started = await DynamicSupervisor.startLink(sup, { intensity: node.intensity });
    if (started.type !== 'ok') return started;
    for (const c of node.children) {
      let result: DynamicSupervisor.DynamicStartChildResult;
      try {
        result = await DynamicSupervisor.startChild(started.pid, dynChildSpec(c));
      } catch (error) {
        result = { type: 'error', reason: error };
      }
      if (result.type !== 'ok') {
        sup.exit(started.pid, 'kill');
        return { type: 'error', reason: result.type === 'error' ? result.reason : 'ignore' };
      }
    }
    return started;
  };
}

function childSpec(node: TreeNode): Supervisor.ChildSpec {
  switch (node.kind) {
    case 'worker':
      return { id: node.id, restart: node.restart, shutdown: node.shutdown, start: workerStart(node) };
    case 'sup':
      return Supervisor.supervisor(node.id, supSpec(node), { restart: node.restart });
    case 'dyn':
      return { id: node.id, type: 'supervisor', restart: node.restart, shutdown: 'infinity', start: dynStart(node) };
  }
}

function dynChildSpec(node: WorkerNode | SupNode): DynamicSupervisor.DynamicChildSpec {
  if (node.kind === 'worker') return { restart: node.restart, shutdown: node.shutdown, start: workerStart(node) };
  return { type: 'supervisor', restart: 'permanent', shutdown: 'infinity', start: (sup) => Supervisor.startLink(sup, supSpec(node)) };
}

/** A round that broke the property: its seed, and what went wrong. */
export class ChaosFailure extends Error {
  override name = 'ChaosFailure' as const;
  constructor(
    readonly seed: number,
    readonly detail: string,
  ) {
    super(`chaos round with seed ${seed}: ${detail} (rerun: npm run chaos -- --seed=${seed} --rounds=1)`);
  }
}

/** How a round ended. */
export interface RoundResult {
  readonly seed: number;
  /** The tree matched its spec and stopped cleanly; the top shut down after its intensity report; its start failed. */
  readonly outcome: 'intact' | 'shutdown' | 'start_failed';
  readonly processes: number;
  readonly kills: number;
  /** Starts that failed because the child was ended while it started (start_error reports with an exit signal's reason). */
  readonly killedStarts: number;
}

export interface RoundOptions {
  /** A round that takes longer has hung (default 5000 ms). */
  readonly timeoutMs?: number;
}

type Moment = 'now' | 'microtasks' | 'immediate' | 'sleep';

async function wait(rng: Rng, moment: Moment): Promise<void> {
  switch (moment) {
    case 'now':
      return;
    case 'microtasks':
      for (let n = rng.int(1, 8); n > 0; n--) await Promise.resolve();
      return;
    case 'immediate':
      await new Promise((resolve) => setImmediate(resolve));
      return;
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, rng.int(0, 3)));
      return;
  }
}

/** Checks a running tree against its spec; returns how many processes it holds. */
class Checker {
  constructor(
    readonly rt: Runtime,
    readonly seed: number,
  ) {}

  fail(path: string, detail: string): never {
    throw new ChaosFailure(this.seed, `${path}: ${detail}`);
  }

  /** A listed child: alive, linked to its supervisor. */
  #live(path: string, sup: Pid, pid: Pid): void {
    if (!this.rt.isAlive(pid)) this.fail(path, `listed child ${pid} is not alive`);
    if (!(this.rt.processInfo(pid)?.links ?? []).includes(sup)) this.fail(path, `child ${pid} is not linked to its supervisor ${sup}`);
  }

  async #node(path: string, node: TreeNode, pid: Pid, sup: Pid): Promise<number> {
    this.#live(path, sup, pid);
    switch (node.kind) {
      case 'worker': {
        const label = await GenServer.getState<WorkerProtocol>(pid);
        if (label !== node.id) this.fail(path, `worker ${pid} says it is ${label}`);
        return 1;
      }
      case 'sup':
        return this.sup(path, node, pid);
      case 'dyn':
        return this.dyn(path, node, pid);
    }
  }

  async sup(path: string, node: SupNode, pid: Pid): Promise<number> {
    const list = await Supervisor.whichChildren(pid);
    const counts = await Supervisor.countChildren(pid);
    const ids = list.map((c) => c.id);
    const expectedOrder = node.children.map((c) => c.id).filter((id) => ids.includes(id)).reverse();
    if (ids.join() !== expectedOrder.join()) this.fail(path, `whichChildren lists [${ids.join()}], expected [${expectedOrder.join()}] (newest first)`);
    const active = list.filter((c) => c.pid !== undefined).length;
    const supervisors = list.filter((c) => c.type === 'supervisor').length;
    const want = { specs: list.length, active, supervisors, workers: list.length - supervisors };
    if (JSON.stringify(counts) !== JSON.stringify(want)) this.fail(path, `countChildren ${JSON.stringify(counts)} but whichChildren gives ${JSON.stringify(want)}`);
    let total = 1;
    for (const spec of node.children) {
      const entry = list.find((c) => c.id === spec.id);
      const where = `${path}/${spec.id}`;
      if (entry === undefined) {
        if (spec.restart !== 'temporary') this.fail(where, `the ${spec.restart} child's spec is gone`);
        continue;
      }
      if (entry.pid === undefined) {
        // Only a transient supervisor that gave up (exit 'shutdown', expected) stays down.
        if (!(spec.restart === 'transient' && spec.kind !== 'worker')) this.fail(where, `the ${spec.restart} ${spec.kind} child is not running`);
        continue;
      }
      total += await this.#node(where, spec, entry.pid, pid);
    }
    return total;
  }

  async dyn(path: string, node: DynNode, pid: Pid): Promise<number> {
    const list = await DynamicSupervisor.whichChildren(pid);
    const counts = await DynamicSupervisor.countChildren(pid);
    const supervisors = list.filter((c) => c.type === 'supervisor').length;
    const want = { specs: list.length, active: list.length, supervisors, workers: list.length - supervisors };
    if (JSON.stringify(counts) !== JSON.stringify(want)) this.fail(path, `countChildren ${JSON.stringify(counts)} but whichChildren gives ${JSON.stringify(want)}`);
    const seen = new Map<string, number>();
    let total = 1;
    for (const entry of list) {
      let spec: WorkerNode | SupNode | undefined;
      if (entry.type === 'supervisor') spec = node.children.find((c) => c.kind === 'sup');
      else {
        this.#live(`${path}/?`, pid, entry.pid);
        const label = await GenServer.getState<WorkerProtocol>(entry.pid);
        spec = node.children.find((c) => c.id === label);
      }
      if (spec === undefined) this.fail(path, `lists a child ${entry.pid} (${entry.type}) of no spec`);
      seen.set(spec.id, (seen.get(spec.id) ?? 0) + 1);
      total += await this.#node(`${path}/${spec.id}`, spec, entry.pid, pid);
    }
    for (const spec of node.children) {
      const n = seen.get(spec.id) ?? 0;
      if (n > 1 || (n === 0 && spec.restart !== 'temporary')) this.fail(`${path}/${spec.id}`, `runs ${n} times`);
    }
    return total;
  }
}

function describeProcesses(rt: Runtime): string {
  return rt
    .processes()
    .map((pid) => {
      const info = rt.processInfo(pid);
      return `${pid} ${info?.status ?? '?'} links=[${(info?.links ?? []).join(',')}] queue=${info?.messageQueueLen ?? '?'}`;
    })
    .join('; ');
}

/**
 * Runs one round with `seed`; resolves with how it ended, or rejects with a {@link ChaosFailure}
 * naming the seed. Everything the round started is gone when it settles.
 */
export async function chaosRound(seed: number, options: RoundOptions = {}): Promise<RoundResult> {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'error', base: null },
    {
      write(chunk: string): void {
        for (const line of chunk.split('\n')) if (line.includes('"supervisor.')) records.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  const rt = new Runtime({ logger });
  const timeoutMs = options.timeoutMs ?? 5000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stage = { now: 'starting' };
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ChaosFailure(seed, `no end within ${timeoutMs} ms while ${stage.now}; processes: ${describeProcesses(rt)}`)), timeoutMs);
  });
  const body = runRound(rt, seed, records, stage);
  body.catch(() => {}); // after a hang, whatever it does once killed is of no interest
  try {
    return await Promise.race([body, hang]);
  } finally {
    clearTimeout(timer);
    rt.killAll();
    rt.events.removeAllListeners();
  }
}

async function runRound(rt: Runtime, seed: number, records: Array<Record<string, unknown>>, stage: { now: string }): Promise<RoundResult> {
  const rng = new Rng(seed);
  const tree = genTree(rng, true);
  const exits = new Map<Pid, ExitReason>();
  rt.events.on('exit', (pid, reason) => exits.set(pid, reason));
  const killsEarly = tree.kind === 'sup' && rng.chance(0.5);
  const kills = rng.int(1, 6);
  let top: Pid | undefined;

  const killer = async (): Promise<void> => {
    for (let k = 0; k < kills; k++) {
      await wait(rng, rng.pick(['now', 'microtasks', 'microtasks', 'immediate', 'sleep'] as const));
      const targets = rt.processes().filter((p) => p !== top);
      if (targets.length === 0) continue;
      rt.exit(rng.pick(targets), rng.chance(0.85) ? 'kill' : 'boom');
    }
  };

  let started: Supervisor.SupervisorStartResult | DynamicSupervisor.DynamicSupervisorStartResult;
  let chaos: Promise<void>;
  if (tree.kind === 'sup') {
    const starting = Supervisor.start(supSpec(tree), { runtime: rt });
    // Never the top itself: it is the first process the start spawns.
    top = rt.processes()[0];
    chaos = killsEarly ? killer() : Promise.resolve();
    started = await starting;
    if (!killsEarly) chaos = killer();
  } else {
    started = await DynamicSupervisor.start({ runtime: rt, intensity: tree.intensity });
    if (started.type !== 'ok') throw new ChaosFailure(seed, `the top DynamicSupervisor did not start: ${JSON.stringify(started)}`);
    top = started.pid;
    for (const c of tree.children) {
      const child = await DynamicSupervisor.startChild(top, dynChildSpec(c));
      if (child.type !== 'ok') throw new ChaosFailure(seed, `a child of the top did not start before any kill: ${JSON.stringify(child)}`);
    }
    chaos = killer();
  }
  stage.now = 'killing';
  await chaos;
  stage.now = 'settling after the kills';
  await rt.settle();

  const killedStarts = records.filter((r) => r['label'] === 'supervisor.start_error' && /killed|boom/.test(String(r['reason']))).length;
  const result = (outcome: RoundResult['outcome'], processes: number): RoundResult => ({ seed, outcome, processes, kills, killedStarts });
  const nothingLeft = (why: string): void => {
    if (rt.processes().length > 0) throw new ChaosFailure(seed, `${why}, yet processes are left: ${describeProcesses(rt)}`);
  };

  if (started.type !== 'ok') {
    const reason = started.type === 'error' ? (started.reason as { tag?: unknown; detail?: { tag?: unknown } }) : undefined;
    if (reason?.tag !== 'shutdown' || reason.detail?.tag !== 'failed_to_start_child') throw new ChaosFailure(seed, `the top's start returned ${JSON.stringify(started)}`);
    nothingLeft('the top failed to start');
    return result('start_failed', 0);
  }
  top = started.pid;
  if (!rt.isAlive(top)) {
    const reason = exits.get(top);
    if (reason !== 'shutdown') throw new ChaosFailure(seed, `the top exited with ${JSON.stringify(reason)}, not shutdown`);
    if (!records.some((r) => r['label'] === 'supervisor.shutdown' && r['supervisor'] === top)) {
      throw new ChaosFailure(seed, 'the top exited with shutdown without its reached_max_restart_intensity report');
    }
    nothingLeft('the top has shut down');
    return result('shutdown', 0);
  }

  stage.now = 'checking the tree';
  const checker = new Checker(rt, seed);
  const count = tree.kind === 'sup' ? await checker.sup('top', tree, top) : await checker.dyn('top', tree, top);
  const live = rt.processes().length;
  if (live !== count) throw new ChaosFailure(seed, `the tree holds ${count} processes but ${live} are alive: ${describeProcesses(rt)}`);
  stage.now = 'stopping the tree';
  await GenServer.stop(top, 'shutdown');
  await rt.settle();
  nothingLeft('the tree was stopped');
  return result('intact', count);
}
