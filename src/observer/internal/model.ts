/**
 * What the observer knows of a runtime: the supervision trees with restart counts and last exit
 * reasons, the timeline of crashes and restarts, and the process table.
 *
 * Restart counts are the observer's own bookkeeping, since a supervisor keeps only its restart
 * intensity window: a child is known by its place in the tree (the ids on the path to it), and a
 * new pid at a known place is a restart. The pid's exit, seen through `rt.events`, gives the last
 * exit reason. A DynamicSupervisor's children have no stable place beyond their pid, so they show
 * no restart count. Only what happens while the observer is mounted is counted.
 *
 * @module
 */
import { formatReason, isExpectedExit, isVia, Supervisor, type DynamicSupervisor, type ExitReason, type Pid, type Runtime } from '../../index.js';
import { isServer } from './seam.js';

/**
 * A tree root as the options give it: a Supervisor or a DynamicSupervisor, by pid or by name.
 * A root's label on the page is its name, or its pid.
 *
 * @example
 * ```ts
 * import { DynamicSupervisor, Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
 * const roots: Observer.RootRef[] = [DynamicSupervisor.named('jobs', rt)];
 * const running = await Observer.start({ runtime: rt, supervisors: roots });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const trees: Observer.ObservedTree[] = await (await fetch(`${api}/tree`, { headers: { 'x-observer-token': running.token } })).json();
 * expect(trees).toEqual([{ label: 'jobs', pid: rt.whereis('jobs'), children: [] }]);
 * await running.close();
 * rt.killAll();
 * ```
 */
export type RootRef = Supervisor.SupervisorRef | DynamicSupervisor.DynamicSupervisorRef;

/**
 * A child in the observed tree, as `api/tree` and the page's event stream send it.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const idle: Supervisor.ChildSpec['start'] = (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
 * await Supervisor.start({ children: [{ id: 'worker', start: idle }] }, { runtime: rt, name: 'root' });
 * const running = await Observer.start({ runtime: rt, supervisors: [Supervisor.named('root', rt)] });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const tree = async (): Promise<Observer.ObservedTree[]> => (await fetch(`${api}/tree`, { headers: { 'x-observer-token': running.token } })).json();
 * const [before] = await tree();
 * const old = before!.children[0]!.pid!;
 * rt.exit(old, 'kill');
 * await Supervisor.whichChildren(Supervisor.named('root', rt)); // answered once it has restarted the child
 * const [after] = await tree();
 * const worker: Observer.ObservedNode = after!.children[0]!;
 * expect(worker).toMatchObject({ id: 'worker', type: 'worker', restarts: 1, lastExit: 'killed', restartable: true });
 * expect(worker.pid).not.toBe(old);
 * await running.close();
 * rt.killAll();
 * ```
 */
export interface ObservedNode {
  readonly id: string | undefined;
  readonly pid: Pid | undefined;
  readonly type: Supervisor.ChildType;
  readonly kind: Supervisor.SupervisorKind | undefined;
  /** Restarts seen at this place in the tree while the observer ran; undefined under a DynamicSupervisor. */
  readonly restarts: number | undefined;
  /** How the last process at this place ended, as `formatReason` writes it. */
  readonly lastExit: string | undefined;
  /** Whether the child can be restarted by id (a Supervisor's child, not a DynamicSupervisor's). */
  readonly restartable: boolean;
  readonly children: readonly ObservedNode[] | undefined;
}

/**
 * One observed tree: a root supervisor (by its label) and its children.
 *
 * @example
 * ```ts
 * import { Runtime, Supervisor } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const running = await Observer.start({ runtime: rt, supervisors: [Supervisor.named('root', rt)] });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const headers = { 'x-observer-token': running.token };
 * const down: Observer.ObservedTree[] = await (await fetch(`${api}/tree`, { headers })).json();
 * expect(down).toEqual([{ label: 'root', children: [] }]); // not started yet: no pid
 * await Supervisor.start({ children: [] }, { runtime: rt, name: 'root' });
 * const up: Observer.ObservedTree[] = await (await fetch(`${api}/tree`, { headers })).json();
 * expect(up).toEqual([{ label: 'root', pid: rt.whereis('root'), children: [] }]);
 * await running.close();
 * rt.killAll();
 * ```
 */
export interface ObservedTree {
  readonly label: string;
  /** Undefined while the root is down. */
  readonly pid: Pid | undefined;
  readonly children: readonly ObservedNode[];
}

/**
 * An entry of the timeline, as `api/timeline` and the event stream send it: a crash (an exit
 * that is not `normal`, `shutdown` or `{ shutdown }`), or a restart seen at a place in a tree.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const running = await Observer.start({ runtime: rt });
 * const pid = rt.spawn(() => {
 *   throw new Error('boom');
 * });
 * await rt.settle();
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const timeline: Observer.TimelineEvent[] = await (await fetch(`${api}/timeline`, { headers: { 'x-observer-token': running.token } })).json();
 * expect(timeline).toMatchObject([{ kind: 'crash', pid, reason: expect.stringContaining('boom') }]);
 * await running.close();
 * rt.killAll();
 * ```
 */
export interface TimelineEvent {
  readonly at: number;
  readonly kind: 'crash' | 'restart';
  readonly pid: Pid;
  /** The child's place in a tree ('backend_sup/kv'), when it has one. */
  readonly place: string | undefined;
  readonly reason: string | undefined;
}

/**
 * A row of the process table.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const pid = rt.spawn((ctx) => ctx.receive());
 * rt.register('waiter', pid);
 * const running = await Observer.start({ runtime: rt });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const page: Observer.ProcessPage = await (await fetch(`${api}/processes?filter=waiter`, { headers: { 'x-observer-token': running.token } })).json();
 * const row: Observer.ProcessRow = page.rows[0]!;
 * expect(row).toEqual({ pid, name: 'waiter', behaviour: 'process', status: 'waiting', messageQueueLen: 0, links: 0, monitors: 0 });
 * await running.close();
 * rt.killAll();
 * ```
 */
export interface ProcessRow {
  readonly pid: Pid;
  readonly name: string | undefined;
  /** A supervisor is known as one only in the trees the observer draws; elsewhere it is a 'gen_server'. */
  readonly behaviour: 'supervisor' | 'dynamic_supervisor' | 'gen_server' | 'process';
  readonly status: string;
  readonly messageQueueLen: number;
  /** How many processes it is linked to. */
  readonly links: number;
  /** The monitors it holds plus those held on it. */
  readonly monitors: number;
}

/**
 * The sort keys of the process table: `api/processes?sort=<key>&dir=desc`.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * const busy = rt.spawn((ctx) => ctx.receive((m) => m === 'never'));
 * rt.send(busy, 'one');
 * rt.send(busy, 'two');
 * rt.spawn((ctx) => ctx.receive());
 * await rt.settle();
 * const running = await Observer.start({ runtime: rt });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const sort: Observer.SortKey = 'messageQueueLen';
 * const page: Observer.ProcessPage = await (await fetch(`${api}/processes?sort=${sort}&dir=desc`, { headers: { 'x-observer-token': running.token } })).json();
 * expect(page.rows.map((r) => r.messageQueueLen)).toEqual([2, 0]);
 * await running.close();
 * rt.killAll();
 * ```
 */
export type SortKey = 'pid' | 'name' | 'behaviour' | 'status' | 'messageQueueLen' | 'links' | 'monitors';
export const SORT_KEYS: readonly SortKey[] = ['pid', 'name', 'behaviour', 'status', 'messageQueueLen', 'links', 'monitors'];

/**
 * A page of the process table, as `api/processes` sends it: `total` processes, `matched` by the
 * filter, `rows` from `offset` (at most `limit`, 50 by default).
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { Observer } from 'ts-otp/observer';
 * import { expect } from 'vitest';
 *
 * const rt = new Runtime();
 * for (let i = 0; i < 120; i++) rt.spawn((ctx) => ctx.receive());
 * const running = await Observer.start({ runtime: rt });
 * const api = running.url.replace(/\/\?token=.*$/, '/api');
 * const page: Observer.ProcessPage = await (await fetch(`${api}/processes?offset=100`, { headers: { 'x-observer-token': running.token } })).json();
 * expect(page).toMatchObject({ total: 120, matched: 120, offset: 100 });
 * expect(page.rows).toHaveLength(20);
 * await running.close();
 * rt.killAll();
 * ```
 */
export interface ProcessPage {
  readonly total: number;
  readonly matched: number;
  readonly offset: number;
  readonly rows: readonly ProcessRow[];
}

interface Place {
  pid: Pid | undefined;
  restarts: number;
  lastExit: string | undefined;
}

const TIMELINE_MAX = 1000;
/** Text columns sort as people read them (made once: `localeCompare` makes one per call). */
const collator = new Intl.Collator();

export class Model {
  readonly #places = new Map<string, Place>();
  /** Pid to place, for the pids of the last snapshot. */
  readonly #placeOf = new Map<Pid, string>();
  /** Pid to supervisor kind, for the pids of the last snapshot. */
  readonly #supervisors = new Map<Pid, Supervisor.SupervisorKind>();
  readonly #timeline: TimelineEvent[] = [];
  #trees: ObservedTree[] = [];
  #listening = false;
  readonly #onExit = (pid: Pid, reason: ExitReason): void => this.#exited(pid, reason);

  constructor(
    readonly rt: Runtime,
    readonly roots: ReadonlyArray<{ readonly label: string; readonly ref: RootRef }>,
    /** Called after an exit of a process in a tree, so the owner can refresh soon. */
    readonly onTreeExit: () => void,
  ) {}

  /** Starts following exits; the runtime pays for an emit per exit only from here on. */
  attach(): void {
    if (this.#listening) return;
    this.#listening = true;
    this.rt.events.on('exit', this.#onExit);
  }

  detach(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.rt.events.off('exit', this.#onExit);
  }

  #exited(pid: Pid, reason: ExitReason): void {
    const place = this.#placeOf.get(pid);
    if (!isExpectedExit(reason)) this.#record({ at: Date.now(), kind: 'crash', pid, place: place?.slice(1), reason: formatReason(reason) });
    if (place === undefined) return;
    const p = this.#places.get(place);
    if (p !== undefined) p.lastExit = formatReason(reason);
    this.onTreeExit();
  }

  #record(event: TimelineEvent): void {
    if (this.#timeline.length >= TIMELINE_MAX) this.#timeline.shift();
    this.#timeline.push(event);
  }

  /** The timeline, oldest first; only events after `since` (ms) when given. */
  timeline(since = -Infinity): TimelineEvent[] {
    return this.#timeline.filter((e) => e.at > since);
  }

  /** The trees of the last refresh. */
  get trees(): readonly ObservedTree[] {
    return this.#trees;
  }

  /** Asks every root for its tree and updates restart counts; resolves with the new trees. */
  async refresh(): Promise<readonly ObservedTree[]> {
    const trees = await Promise.all(
      this.roots.map(async ({ label, ref }) => {
        const name = typeof ref === 'string' ? undefined : ref.name;
        // A root on another node ({ name, node }) has no pid here.
        const pid = typeof ref === 'string' ? ref : typeof name === 'string' || isVia(name) ? this.rt.whereis(name) : undefined;
        let nodes: readonly Supervisor.TreeNode[] = [];
        try {
          nodes = await Supervisor.tree(ref);
        } catch {
          // the root is down: shown as a tree without children
        }
        return { label, pid, nodes };
      }),
    );
    this.#placeOf.clear();
    this.#supervisors.clear();
    const now = Date.now();
    const observe = (place: string, n: Supervisor.TreeNode, underDynamic: boolean): ObservedNode => {
      const key = `${place}/${n.id ?? n.pid ?? '?'}`;
      let p = this.#places.get(key);
      if (p === undefined) {
        p = { pid: n.pid, restarts: 0, lastExit: undefined };
        this.#places.set(key, p);
      } else if (n.pid !== undefined && n.pid !== p.pid) {
        p.pid = n.pid;
        p.restarts++;
        this.#record({ at: now, kind: 'restart', pid: n.pid, place: key.slice(1), reason: p.lastExit });
      } else if (n.pid === undefined) {
        p.pid = undefined;
      }
      if (n.pid !== undefined) {
        this.#placeOf.set(n.pid, key);
        if (n.kind !== undefined) this.#supervisors.set(n.pid, n.kind);
      }
      return {
        id: n.id,
        pid: n.pid,
        type: n.type,
        kind: n.kind,
        restarts: underDynamic ? undefined : p.restarts,
        lastExit: p.lastExit,
        restartable: !underDynamic && n.id !== undefined,
        children: n.children?.map((c) => observe(key, c, n.kind === 'dynamic')),
      };
    };
    this.#trees = trees.map(({ label, pid, nodes }) => {
      if (pid !== undefined) {
        this.#placeOf.set(pid, `/${label}`);
        this.#supervisors.set(pid, nodes.some((n) => n.id === undefined) ? 'dynamic' : 'supervisor');
      }
      // A root's own kind is not in its tree: a child without an id can only be a DynamicSupervisor's.
      return { label, pid, children: nodes.map((n) => observe(`/${label}`, n, n.id === undefined)) };
    });
    return this.#trees;
  }

  /** Where a pid sits in the trees of the last refresh: its supervisor's ref and its id. */
  placeOf(pid: Pid): { readonly supervisor: Pid; readonly id: string; readonly restartable: boolean } | undefined {
    let found: { supervisor: Pid; id: string; restartable: boolean } | undefined;
    const walk = (sup: Pid | undefined, nodes: readonly ObservedNode[]): void => {
      for (const n of nodes) {
        if (n.pid === pid && sup !== undefined && n.id !== undefined) found = { supervisor: sup, id: n.id, restartable: n.restartable };
        if (n.children !== undefined) walk(n.pid, n.children);
      }
    };
    for (const t of this.#trees) walk(t.pid, t.children);
    return found;
  }

  /** One row per live process. */
  #row(pid: Pid): ProcessRow | undefined {
    const info = this.rt.processInfo(pid);
    if (info === undefined) return undefined;
    const kind = this.#supervisors.get(pid);
    return {
      pid,
      name: info.registeredName,
      behaviour: kind === 'supervisor' ? 'supervisor' : kind === 'dynamic' ? 'dynamic_supervisor' : isServer(pid) ? 'gen_server' : 'process',
      status: info.status,
      messageQueueLen: info.messageQueueLen,
      links: info.links.length,
      monitors: info.monitors.length + info.monitoredBy.length,
    };
  }

  /**
   * A page of the process table: rows whose pid, name or behaviour contain `filter`, sorted by
   * `sort`, `limit` of them from `offset`. The table is built per request and not kept, so a
   * runtime with no page open pays nothing for it. Pid order is age order (`rt.processes()` is
   * oldest first), which also breaks ties; the default view (by pid, no filter) builds the rows
   * of its page only, so it costs little with 100k processes.
   */
  processes(query: { readonly filter: string; readonly sort: SortKey; readonly descending: boolean; readonly offset: number; readonly limit: number }): ProcessPage {
    const pids = this.rt.processes();
    const { sort: key, descending, offset, limit } = query;
    const needle = query.filter.toLowerCase();
    const page = (rows: readonly ProcessRow[], matched: number): ProcessPage => ({ total: pids.length, matched, offset, rows });
    if (key === 'pid' && needle === '') {
      const n = pids.length;
      const chosen = descending ? pids.slice(Math.max(0, n - offset - limit), Math.max(0, n - offset)).reverse() : pids.slice(offset, offset + limit);
      return page(chosen.flatMap((pid) => this.#row(pid) ?? []), n);
    }
    const rows: ProcessRow[] = [];
    for (const pid of pids) {
      const row = this.#row(pid);
      if (row === undefined) continue;
      if (needle !== '' && !`${row.pid} ${row.name ?? ''} ${row.behaviour}`.toLowerCase().includes(needle)) continue;
      rows.push(row);
    }
    if (key === 'pid') {
      if (descending) rows.reverse();
    } else {
      // The sort is stable, so rows with equal keys stay in age order.
      const sign = descending ? -1 : 1;
      rows.sort((a, b) => {
        const x = a[key];
        const y = b[key];
        return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x ?? ''), String(y ?? '')));
      });
    }
    return page(rows.slice(offset, offset + limit), rows.length);
  }
}
