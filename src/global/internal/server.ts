/**
 * The global name server: one process per node, registered locally as `global_name_server`,
 * keeping this node's copy of the cluster's name table in step with the others'.
 *
 * Not part of the public API. See ../index.ts for the design.
 *
 * @module
 */
import { InvalidArgumentError, NodeError } from '../../errors.js';
import { monitorNodes, name as nodeName, nodes } from '../../node/index.js';
import { addNodeService, isHiddenNode, nodeOfPid, whenStopped } from '../../node/node.js'; // internal to the package: not in Node's surface
import { onPidExit } from '../../process/hooks.js';
import { type Context, type DownMessage, type Pid, type Ref, type Runtime } from '../../process/index.js';

/** The local name of every node's server, as Erlang's. */
export const SERVER = 'global_name_server';

/** A built-in way to settle a name clash; a function travels as `'custom'` (see {@link Entry}). */
export type MethodName = 'random_exit_name' | 'random_notify_name' | 'notify_all_name';

/**
 * Your way to settle a clash of `name` between `pid1` (the other side's process) and `pid2`
 * (the settling node's): the pid that keeps the name, or undefined for neither (Erlang's
 * Resolve fun of `register_name/3`). It runs on the node that registered with it.
 *
 * @example
 * ```ts
 * import { Global, type Pid } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * // Keep the process whose pid prints first: a choice every node would make alike.
 * const lowest: Global.ResolveFunction = (_name, pid1, pid2) => (pid1 < pid2 ? pid1 : pid2);
 * expect(lowest('db', '<5.1.0>' as Pid, '<5.9.0>' as Pid)).toBe('<5.1.0>');
 * ```
 */
export type ResolveFunction = (name: string, pid1: Pid, pid2: Pid) => Pid | undefined;

/** One name of the table. A function's entry has method 'custom' everywhere; only `holder` has the function. */
interface Entry {
  readonly pid: Pid;
  readonly method: MethodName | 'custom';
  /** The node the pid runs on. */
  readonly node: string;
  /** This server's monitor of the pid. */
  readonly ref: Ref;
  /** The user's resolve function, on the node where it was registered. */
  readonly resolve: ResolveFunction | undefined;
  /** The node that registered it with a function and holds it; '' for a built-in method. */
  readonly holder: string;
}

/** What crosses between servers: a name, its pid (renumbered by the receiver) and its method. */
type Wire = [name: string, pid: Pid, method: MethodName | 'custom', holder: string];

/** Messages between servers. */
type Peer =
  | { readonly g: 'reserve'; readonly from: string; readonly id: number; readonly name: string; readonly pid: Pid }
  | { readonly g: 'reserved'; readonly from: string; readonly id: number; readonly answer: 'ok' | 'taken' | 'busy' }
  | { readonly g: 'release'; readonly from: string; readonly id: number; readonly name: string }
  | { readonly g: 'commit'; readonly from: string; readonly id: number; readonly entry: Wire }
  | { readonly g: 'unregister'; readonly from: string; readonly id: number; readonly name: string; readonly pid: Pid }
  | { readonly g: 'ack'; readonly from: string; readonly id: number }
  | { readonly g: 'ping'; readonly from: string; readonly id: number }
  | { readonly g: 'names'; readonly from: string; readonly names: Wire[]; readonly answer: boolean }
  | { readonly g: 'resolved'; readonly from: string; readonly ops: Array<Wire | [name: string]> }
  | { readonly g: 'resolve'; readonly from: string; readonly id: number; readonly name: string; readonly pid1: Pid; readonly pid2: Pid }
  | { readonly g: 'resolved_by'; readonly from: string; readonly id: number; readonly ran: boolean; readonly kept: Pid | null };

/** Requests from this node's callers; they hold their answer's callback (local messages are not copied). */
type Local =
  | { readonly g: 'register'; readonly name: string; readonly pid: Pid; readonly method: MethodName | 'custom'; readonly resolve: ResolveFunction | undefined; readonly done: (yes: boolean) => void }
  | { readonly g: 'unregister_local'; readonly name: string; readonly done: () => void }
  | { readonly g: 'sync'; readonly done: () => void }
  | { readonly g: 'retry'; readonly id: number };

type Message = Peer | Local | DownMessage | { readonly type: 'nodeup' | 'nodedown'; readonly node: string };

/** A registration or unregistration under way: the nodes still to answer. */
interface Round {
  readonly id: number;
  readonly kind: 'reserve' | 'commit' | 'unregister' | 'sync';
  readonly name: string;
  readonly pid: Pid;
  readonly method: MethodName | 'custom';
  readonly resolve: ResolveFunction | undefined;
  readonly done: (yes: boolean) => void;
  waiting: Set<string>;
  /** A 'busy' answer came: retry after a random pause. */
  busy: boolean;
  attempt: number;
}

/** The most a retry of a contended registration waits, in ms. */
const MAX_BACKOFF_MS = 256;

/** One node's name table and server; the table is read without a message (`whereis`). */
export class NameServer {
  readonly table = new Map<string, Entry>();
  /** The name of each registered pid: a process holds one global name at most, as in Erlang. */
  readonly #nameOf = new Map<Pid, string>();
  readonly #byRef = new Map<Ref, string>();
  /** Names reserved by a registration under way, on this node or another: by whom. */
  readonly #reserved = new Map<string, { readonly node: string; readonly id: number }>();
  readonly #rounds = new Map<number, Round>();
  /** Clashes this node settles with a function another node holds: asked of it, by id. */
  readonly #asked = new Map<number, { readonly peer: string; readonly theirs: Wire; readonly mine: Pid; readonly holder: string }>();
  #nextId = 1;
  /** How to answer each caller whose request is not answered yet, should the server end first. */
  readonly #callers = new Set<() => void>();
  #ctx: Context | undefined;
  #pid: Pid | undefined;
  /** Whether the process #pid is alive. */
  #alive = false;
  readonly node: string;

  constructor(readonly rt: Runtime) {
    this.node = nodeName(rt);
  }

  /**
   * Starts the server process (again, with an empty table, if it was killed); returns its pid.
   * `exact` checks that it is alive now, not just that its exit has not been seen yet (the
   * kernel reports an exit a moment later): a request must not go to a dead server.
   */
  ensure(operation: string, exact = false): Pid {
    const pid = this.#pid;
    if (pid !== undefined && this.#alive && (!exact || this.rt.isAlive(pid))) return pid;
    if (states.get(this.rt) !== this) throw new NodeError(operation, '', 'not_a_node');
    this.#reset();
    const started = this.rt.spawn(async (ctx: Context<Message>) => {
      this.#ctx = ctx;
      monitorNodes(ctx);
      for (const peer of this.#peers()) this.#sendNames(ctx, peer, true); // a restart: the peers send theirs back
      for (;;) this.#handle(ctx, await ctx.receive());
    });
    // Registered at once, not when its body first runs: a peer's message may come first.
    this.rt.register(SERVER, started);
    this.#pid = started;
    this.#alive = true;
    // A flag rather than a liveness check at each lookup: whereis is a table read.
    onPidExit(started, () => {
      if (this.#pid === started) this.#alive = false;
    });
    return started;
  }

  #reset(): void {
    for (const fail of [...this.#callers]) fail();
    this.#callers.clear();
    this.table.clear();
    this.#nameOf.clear();
    this.#byRef.clear();
    this.#reserved.clear();
    this.#rounds.clear();
    this.#asked.clear();
  }

  /** Ends the server: its callers waiting on a round get `false`. */
  stop(): void {
    const pid = this.#pid;
    if (pid !== undefined && this.rt.isAlive(pid)) this.rt.exit(pid, 'kill');
    this.#reset();
    this.#ctx = undefined;
    this.#pid = undefined;
    this.#alive = false;
    if (lastServer === this) {
      lastWhere = undefined; // nothing kept of a stopped node
      lastServer = undefined;
    }
  }

  /**
   * Hands a caller's request, made by `make` around its answer callback, to the server; resolves
   * with the answer, or with `failed` if the server ends first (the node stops, the server is killed).
   */
  request<T>(make: (done: (value: T) => void) => Local, failed: T): Promise<T> {
    const pid = this.ensure('request', true);
    return new Promise<T>((resolve) => {
      const fail = (): void => resolve(failed);
      this.#callers.add(fail);
      this.rt.send(
        pid,
        make((value) => {
          this.#callers.delete(fail);
          resolve(value);
        }),
      );
    });
  }

  /** Whether the server is running: lookups may skip {@link serverOf}'s checks. */
  get running(): boolean {
    return this.#alive;
  }

  whereis(name: string): Pid | undefined {
    return this.table.get(name)?.pid;
  }

  // ---- the server's loop ----------------------------------------------------------------

  #handle(ctx: Context, msg: Message): void {
    if ('type' in msg) {
      if (msg.type === 'DOWN') this.#down(msg);
      else if (msg.type === 'nodeup') {
        if (!isHiddenNode(this.rt, msg.node)) this.#sendNames(ctx, msg.node);
      }
      else this.#nodeDown(ctx, msg.node);
      return;
    }
    switch (msg.g) {
      case 'register':
        this.#startRound(ctx, { id: this.#nextId++, kind: 'reserve', name: msg.name, pid: msg.pid, method: msg.method, resolve: msg.resolve, done: msg.done, waiting: new Set(), busy: false, attempt: 0 });
        return;
      case 'retry': {
        const round = this.#rounds.get(msg.id);
        if (round !== undefined) this.#startRound(ctx, round);
        return;
      }
      case 'unregister_local':
        this.#unregisterLocal(ctx, msg.name, msg.done);
        return;
      case 'sync': {
        // Each peer answers after what it had from us before: our names and our word on clashes.
        const id = this.#nextId++;
        const round: Round = { id, kind: 'sync', name: '', pid: '' as Pid, method: 'random_exit_name', resolve: undefined, done: () => msg.done(), waiting: new Set(this.#peers()), busy: false, attempt: 0 };
        this.#rounds.set(id, round);
        for (const peer of round.waiting) this.#to(ctx, peer, { g: 'ping', from: this.node, id });
        if (round.waiting.size === 0) this.#allAnswered(ctx, round);
        return;
      }
      case 'ping':
        this.#to(ctx, msg.from, { g: 'ack', from: this.node, id: msg.id });
        return;
      case 'reserve': {
        const held = this.#reserved.get(msg.name);
        const answer = this.table.has(msg.name) || this.#nameOf.has(msg.pid) ? 'taken' : held !== undefined && !(held.node === msg.from && held.id === msg.id) ? 'busy' : 'ok';
        if (answer === 'ok') this.#reserved.set(msg.name, { node: msg.from, id: msg.id });
        this.#to(ctx, msg.from, { g: 'reserved', from: this.node, id: msg.id, answer });
        return;
      }
      case 'reserved':
        this.#reservedAnswer(ctx, msg.from, msg.id, msg.answer);
        return;
      case 'release':
        this.#release(msg.name, msg.from, msg.id);
        return;
      case 'commit':
        this.#release(msg.entry[0], msg.from, msg.id);
        this.#merge(ctx, msg.from, [msg.entry]);
        this.#to(ctx, msg.from, { g: 'ack', from: this.node, id: msg.id });
        return;
      case 'unregister':
        if (this.table.get(msg.name)?.pid === msg.pid) this.#delete(msg.name);
        this.#to(ctx, msg.from, { g: 'ack', from: this.node, id: msg.id });
        return;
      case 'ack':
        this.#answered(ctx, msg.from, msg.id);
        return;
      case 'names':
        this.#merge(ctx, msg.from, msg.names);
        if (msg.answer) this.#sendNames(ctx, msg.from, false);
        return;
      case 'resolved':
        for (const op of msg.ops) {
          if (op.length === 1) this.#delete(op[0]);
          else this.#insert(op[0], op[1], op[2], undefined, op[3]);
        }
        return;
      case 'resolve': {
        // Another node settles a clash of a name this node registered with a function: run it here.
        const entry = this.table.get(msg.name);
        const fn = entry?.holder === this.node ? entry.resolve : undefined;
        const kept = fn === undefined ? null : (this.#run(fn, msg.name, msg.pid1, msg.pid2) ?? null);
        this.#to(ctx, msg.from, { g: 'resolved_by', from: this.node, id: msg.id, ran: fn !== undefined, kept });
        return;
      }
      case 'resolved_by':
        this.#answer(ctx, msg.id, msg.ran, msg.kept ?? undefined);
        return;
      default:
        return;
    }
  }

  /** The connected nodes that take part in global names: all but isolated children's workers. */
  #peers(): string[] {
    return nodes(this.rt).filter((node) => !isHiddenNode(this.rt, node));
  }

  #to(ctx: Context, node: string, msg: Peer): void {
    ctx.send({ name: SERVER, node }, msg);
  }

  /** Sends this node's table to `peer`; `answer` asks for the peer's in return (a restarted server's first words). */
  #sendNames(ctx: Context, peer: string, answer = false): void {
    const names: Wire[] = [];
    for (const [name, e] of this.table) names.push([name, e.pid, e.method, e.holder]);
    this.#to(ctx, peer, { g: 'names', from: this.node, names, answer });
  }

  // ---- registration: a round of reservations, then a commit ------------------------------

  #startRound(ctx: Context, round: Round): void {
    const { name, pid } = round;
    const held = this.#reserved.get(name);
    if (this.table.has(name) || this.#nameOf.has(pid)) {
      this.#rounds.delete(round.id);
      round.done(false);
      return;
    }
    if (held !== undefined) {
      this.#rounds.set(round.id, round);
      this.#backoff(ctx, round);
      return;
    }
    this.#reserved.set(name, { node: this.node, id: round.id });
    round.waiting = new Set(this.#peers());
    round.busy = false;
    this.#rounds.set(round.id, round);
    for (const peer of round.waiting) this.#to(ctx, peer, { g: 'reserve', from: this.node, id: round.id, name, pid });
    if (round.waiting.size === 0) this.#allAnswered(ctx, round);
  }

  #backoff(ctx: Context, round: Round): void {
    round.attempt++;
    const ms = 1 + Math.floor(Math.random() * Math.min(MAX_BACKOFF_MS, 4 << round.attempt));
    ctx.sendAfter(ms, ctx.self, { g: 'retry', id: round.id } satisfies Local);
  }

  #reservedAnswer(ctx: Context, from: string, id: number, answer: 'ok' | 'taken' | 'busy'): void {
    const round = this.#rounds.get(id);
    if (round === undefined || round.kind !== 'reserve' || !round.waiting.has(from)) {
      if (answer === 'ok' && round === undefined) this.#to(ctx, from, { g: 'release', from: this.node, id, name: '' });
      return;
    }
    if (answer === 'taken') {
      this.#abandon(ctx, round);
      this.#rounds.delete(id);
      round.done(false);
      return;
    }
    if (answer === 'busy') round.busy = true;
    this.#answered(ctx, from, id);
  }

  /** Gives back a round's reservations, here and on every node. */
  #abandon(ctx: Context, round: Round): void {
    this.#release(round.name, this.node, round.id);
    for (const peer of this.#peers()) this.#to(ctx, peer, { g: 'release', from: this.node, id: round.id, name: round.name });
  }

  #release(name: string, node: string, id: number): void {
    if (name === '') {
      for (const [n, held] of this.#reserved) if (held.node === node && held.id === id) this.#reserved.delete(n);
      return;
    }
    const held = this.#reserved.get(name);
    if (held !== undefined && held.node === node && held.id === id) this.#reserved.delete(name);
  }

  #answered(ctx: Context, from: string, id: number): void {
    const round = this.#rounds.get(id);
    if (round === undefined || !round.waiting.delete(from)) return;
    if (round.waiting.size === 0) this.#allAnswered(ctx, round);
  }

  #allAnswered(ctx: Context, round: Round): void {
    if (round.kind === 'reserve') {
      if (round.busy) {
        this.#abandon(ctx, round);
        this.#backoff(ctx, round);
        return;
      }
      // Every node agreed: the name is ours. A name that arrived meanwhile from a node that
      // connected during the round wins: the round gives up.
      this.#release(round.name, this.node, round.id);
      if (this.table.has(round.name) || this.#nameOf.has(round.pid)) {
        this.#abandon(ctx, round);
        this.#rounds.delete(round.id);
        round.done(false);
        return;
      }
      const holder = round.resolve === undefined ? '' : this.node;
      this.#insert(round.name, round.pid, round.method, round.resolve, holder);
      const committed: Round = { ...round, kind: 'commit', waiting: new Set(this.#peers()) };
      this.#rounds.set(round.id, committed);
      const entry: Wire = [round.name, round.pid, round.method, holder];
      for (const peer of committed.waiting) this.#to(ctx, peer, { g: 'commit', from: this.node, id: round.id, entry });
      if (committed.waiting.size === 0) this.#allAnswered(ctx, committed);
      return;
    }
    this.#rounds.delete(round.id);
    round.done(true);
  }

  #unregisterLocal(ctx: Context, name: string, done: () => void): void {
    const entry = this.table.get(name);
    if (entry === undefined) {
      done();
      return;
    }
    this.#delete(name);
    const id = this.#nextId++;
    const round: Round = { id, kind: 'unregister', name, pid: entry.pid, method: entry.method, resolve: undefined, done: () => done(), waiting: new Set(this.#peers()), busy: false, attempt: 0 };
    this.#rounds.set(id, round);
    for (const peer of round.waiting) this.#to(ctx, peer, { g: 'unregister', from: this.node, id, name, pid: entry.pid });
    if (round.waiting.size === 0) this.#allAnswered(ctx, round);
  }

  #nodeDown(ctx: Context, node: string): void {
    // A lost node answers nothing: its part of every round counts as done. Its names went with
    // the DOWN of each of its processes, which came before this nodedown.
    for (const [name, held] of this.#reserved) if (held.node === node) this.#reserved.delete(name);
    for (const round of [...this.#rounds.values()]) this.#answered(ctx, node, round.id);
    for (const [id, asked] of [...this.#asked]) {
      if (asked.peer === node) this.#asked.delete(id); // the peer's names went with it
      else if (asked.holder === node) this.#answer(ctx, id, false, undefined);
    }
  }

  // ---- the table --------------------------------------------------------------------------

  #insert(name: string, pid: Pid, method: MethodName | 'custom', resolve?: ResolveFunction, holder = ''): void {
    const old = this.table.get(name);
    if (old !== undefined) {
      if (old.pid === pid) return;
      this.#delete(name);
    }
    const ctx = this.#ctx!;
    const ref = ctx.monitor(pid);
    this.table.set(name, { pid, method, node: nodeOfPid(this.rt, pid) ?? this.node, ref, resolve, holder });
    this.#nameOf.set(pid, name);
    this.#byRef.set(ref, name);
  }

  #delete(name: string): void {
    const entry = this.table.get(name);
    if (entry === undefined) return;
    this.table.delete(name);
    if (this.#nameOf.get(entry.pid) === name) this.#nameOf.delete(entry.pid);
    this.#byRef.delete(entry.ref);
    this.#ctx!.demonitor(entry.ref, { flush: true });
  }

  #down(msg: DownMessage): void {
    const name = this.#byRef.get(msg.ref);
    if (name !== undefined && this.table.get(name)?.ref === msg.ref) this.#delete(name);
  }

  /**
   * Takes names from `peer` (its table when they connect, or one registration). A name held
   * here by another pid is a clash: the node with the smaller name settles it, with the method
   * of its own entry, and tells the peer the outcome; the other waits for that word.
   */
  #merge(ctx: Context, peer: string, names: readonly Wire[]): void {
    const resolved: Array<Wire | [string]> = [];
    for (const theirs of names) {
      const [name, pid, method, holder] = theirs;
      const mine = this.table.get(name);
      if (mine === undefined) {
        this.#insert(name, pid, method, undefined, holder);
        continue;
      }
      if (mine.pid === pid || !(this.node < peer)) continue;
      if (mine.method === 'custom' && mine.resolve === undefined && this.#peers().includes(mine.holder)) {
        // The function is on the node that registered the name: it decides, then this node settles.
        const id = this.#nextId++;
        this.#asked.set(id, { peer, theirs, mine: mine.pid, holder: mine.holder });
        this.#to(ctx, mine.holder, { g: 'resolve', from: this.node, id, name, pid1: pid, pid2: mine.pid });
        continue;
      }
      const op = this.#settle(theirs, mine, this.#resolve(ctx, name, pid, mine));
      if (op !== undefined) resolved.push(op);
    }
    if (resolved.length > 0) this.#to(ctx, peer, { g: 'resolved', from: this.node, ops: resolved });
  }

  /** Applies the outcome of a clash here; returns what the peer must do, if anything. */
  #settle(theirs: Wire, mine: Entry, kept: Pid | undefined): Wire | [string] | undefined {
    const [name, pid, method, holder] = theirs;
    if (kept === pid) {
      this.#insert(name, pid, method, undefined, holder);
      return undefined;
    }
    if (kept === mine.pid) return [name, mine.pid, mine.method, mine.holder];
    this.#delete(name);
    return [name];
  }

  /** The answer of a function's holder to a clash this node settles (`ran` false: it had none, or is gone). */
  #answer(ctx: Context, id: number, ran: boolean, kept: Pid | undefined): void {
    const asked = this.#asked.get(id);
    if (asked === undefined) return;
    this.#asked.delete(id);
    const [name, pid] = asked.theirs;
    const mine = this.table.get(name);
    if (mine === undefined || mine.pid !== asked.mine) return; // the name changed meanwhile: nothing to settle
    if (!ran) {
      this.rt.logger.warn({ label: 'global.resolve_elsewhere', name }, `global: the resolve function of ${JSON.stringify(name)} is not reachable: settled by random_exit_name`);
      kept = this.#resolve(ctx, name, pid, { ...mine, method: 'random_exit_name' });
    }
    const op = this.#settle(asked.theirs, mine, kept);
    if (op !== undefined) this.#to(ctx, asked.peer, { g: 'resolved', from: this.node, ops: [op] });
  }

  /** Runs the clash's method: the pid that keeps `name`, or undefined for neither. */
  #resolve(ctx: Context, name: string, theirs: Pid, mine: Entry): Pid | undefined {
    const theirNode = nodeOfPid(this.rt, theirs) ?? '';
    // Erlang's minmax: the pid of the node with the smaller name is the "min".
    const [min, max] = mine.node < theirNode ? [mine.pid, theirs] : [theirs, mine.pid];
    switch (mine.method) {
      case 'random_exit_name':
        this.rt.logger.info({ label: 'global.name_conflict', name, pid: max }, `global: Name conflict terminating {${JSON.stringify(name)}, ${max}}`);
        ctx.exit(max, 'kill');
        return min;
      case 'random_notify_name':
        ctx.send(max, { type: 'global_name_conflict', name } satisfies NameConflictMessage);
        return min;
      case 'notify_all_name':
        ctx.send(theirs, { type: 'global_name_conflict', name, other: mine.pid } satisfies NameConflictMessage);
        ctx.send(mine.pid, { type: 'global_name_conflict', name, other: theirs } satisfies NameConflictMessage);
        return undefined;
      case 'custom':
        if (mine.resolve === undefined) {
          // The function's holder is gone: settled as by default.
          this.rt.logger.warn({ label: 'global.resolve_elsewhere', name }, `global: the resolve function of ${JSON.stringify(name)} is not reachable: settled by random_exit_name`);
          return this.#resolve(ctx, name, theirs, { ...mine, method: 'random_exit_name' });
        }
        return this.#run(mine.resolve, name, theirs, mine.pid);
    }
  }

  /** Runs a user's resolve function for a clash of `name` between `pid1` (the other side's) and `pid2`. */
  #run(fn: ResolveFunction, name: string, pid1: Pid, pid2: Pid): Pid | undefined {
    let kept: unknown;
    try {
      kept = fn(name, pid1, pid2);
    } catch (error) {
      this.rt.logger.error({ label: 'global.resolve_failed', name, err: error }, `global: the resolve function of ${JSON.stringify(name)} threw: the name is kept by ${pid1}`);
      return pid1; // as Erlang's badrpc: the other side's pid
    }
    if (kept === pid1 || kept === pid2) return kept as Pid;
    if (kept !== undefined) this.rt.logger.info({ label: 'global.resolve_returned', name, value: String(kept) }, `global: the resolve function of ${JSON.stringify(name)} returned neither pid: the name is dropped`);
    return undefined;
  }
}

/**
 * What a process gets on a name clash when the name was registered with `'random_notify_name'`
 * (`{ type, name }`, Erlang's `{global_name_conflict, Name}`, sent to the loser) or
 * `'notify_all_name'` (`{ type, name, other }`, `{global_name_conflict, Name, OtherPid}`, sent to both).
 *
 * @example
 * ```ts
 * import type { Global } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const msg: Global.NameConflictMessage = { type: 'global_name_conflict', name: 'db' };
 * expect(msg.other).toBeUndefined();
 * ```
 */
export interface NameConflictMessage {
  readonly type: 'global_name_conflict';
  readonly name: string;
  /** The other pid, with `'notify_all_name'`. */
  readonly other?: Pid;
}

const states = new WeakMap<Runtime, NameServer>();

// The context or runtime of the last lookup and its server: a process looking names up in a loop
// pays for the checks once, while its node's server runs.
let lastWhere: unknown = undefined;
let lastServer: NameServer | undefined = undefined;

/** The server for a lookup from `where`: the last one again while it runs, else `find()`'s. */
export function lookupServer(where: unknown, find: () => NameServer): NameServer {
  const server = lastServer;
  if (where === lastWhere && server !== undefined && server.running) return server;
  const found = find();
  lastWhere = where;
  lastServer = found;
  return found;
}

addNodeService((rt) => {
  const server = new NameServer(rt);
  states.set(rt, server);
  server.ensure('Node.start');
  whenStopped(rt, async () => {
    server.stop();
    states.delete(rt);
  });
});

/** The name server of the node `rt`, started if need be; throws for a runtime that is not a node. */
export function serverOf(operation: string, rt: unknown): NameServer {
  const server = states.get(rt as Runtime);
  if (server !== undefined) {
    server.ensure(operation);
    return server;
  }
  if (typeof rt !== 'object' || rt === null || !('kernel' in rt)) throw new InvalidArgumentError(operation, 'runtime', rt, 'a Runtime or a process context');
  throw new NodeError(operation, '', 'not_a_node');
}
