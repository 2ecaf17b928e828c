/**
 * Isolated children: a GenServer, or a whole supervisor and its children, started in a
 * worker-thread node of its own, under its ordinary supervisor.
 *
 * The child is a GenServer behaviour (a worker) or a supervisor spec (`type: 'supervisor'`)
 * exported by a module, loaded by path in the new thread (functions cannot cross threads). Its pid is a pid of that node: calls, casts, links,
 * monitors and exits use the same API as for a local child. What the thread adds: `exit(pid,
 * 'kill')` terminates the thread, so it stops the child even in a busy loop (its links and
 * monitors fire with `'killed'`); a heap limit (`resourceLimits`) that ends the thread ends that
 * child alone, with `{ tag: 'exit', value: 'heap_limit' }`; and the thread runs on another core.
 * The thread ends once the child has exited. Supervisor.remote (./remote.ts) starts the same
 * kind of child on a node that already exists, through the same code, without the thread.
 *
 * @module
 */
import { InvalidArgumentError, NodeError } from '../errors.js';
import * as Node from '../node/index.js';
import { checkModuleExport, OWN_MODULE } from '../node/internal/modules.js';
import { isolate, startIsolatedWorker } from '../node/node.js'; // internal to the package: not in Node's surface
import { takeMatching } from '../process/hooks.js';
import type { Context, DownMessage, ExitReason, Pid } from '../process/index.js';
import type { Started } from './internal/isolated_entry.js';
import type { ChildSpec, ChildStartResult, ChildType, RestartType, Shutdown, SupervisorInit, SupervisorSpec } from './types.js';

/**
 * Options of {@link isolated}: where the behaviour is, its init argument, the thread's heap
 * limits, and the child spec's restart and shutdown.
 *
 * @example
 * ```ts
 * import { Supervisor } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const options: Supervisor.IsolatedOptions = {
 *   id: 'parser',
 *   module: '/srv/app/dist/parser.js',
 *   export: 'parser',
 *   arg: { strict: true },
 *   resourceLimits: { maxOldGenerationSizeMb: 64 },
 *   restart: 'transient',
 * };
 * expect(Supervisor.isolated(options)).toMatchObject({ id: 'parser', restart: 'transient', type: 'worker' });
 * ```
 */
export interface IsolatedOptions {
  /** The child's id in its supervisor. */
  readonly id: string;
  /** An absolute path, a `file:` URL or a package specifier of the module that exports the behaviour. */
  readonly module: string;
  /**
   * The export: a GenServer behaviour for a `'worker'`, a {@link SupervisorSpec} or a
   * {@link SupervisorInit} for a `'supervisor'`; `'default'` by default.
   */
  readonly export?: string;
  /** `'worker'` (the default): the export is a GenServer behaviour. `'supervisor'`: a supervisor spec, whose children all run in the thread. */
  readonly type?: ChildType;
  /** A worker's init argument; copied to the thread like a message. A supervisor takes none. */
  readonly arg?: unknown;
  /** The thread's heap limits (Node's `resourceLimits`), each a positive number of megabytes. */
  readonly resourceLimits?: Node.WorkerOptions['resourceLimits'];
  /** As in {@link ChildSpec}; `'permanent'` by default. */
  readonly restart?: RestartType;
  /** As in {@link ChildSpec}; 5000 ms for a worker and `'infinity'` for a supervisor by default. `'brutal_kill'` terminates the thread. */
  readonly shutdown?: Shutdown;
}

/** A thread is never declared lost for being busy: it is ours, and a long computation is its job. */
const ISOLATED_TICK_MS = 2 ** 30;
const LIMITS = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;
/** Spawned by name, so that each node loads its own copy (see OWN_MODULE). */
const ENTRY = `${OWN_MODULE}supervisor/internal/isolated_entry`;
let serial = 0;

/**
 * A child spec whose child is a GenServer in a worker-thread node of its own. The supervisor's
 * runtime must be a node ({@link Node.start}). Starting the child starts the thread, loads the
 * module there, links the server to the supervisor and waits for its init, as
 * `GenServer.startLink` does; it returns the child's pid, a pid of the new node.
 *
 * Costs: a thread (a V8 isolate: some milliseconds to start and a few MB of memory), and every
 * call, cast and reply is copied by structured clone. A kill terminates the thread: the child's
 * terminate does not run, as for a local kill. A start that fails (a module that does not load,
 * an export that is not a behaviour, an init that fails) returns `{ type: 'error', reason }`.
 *
 * @throws {@link InvalidArgumentError} at the call for a bad id, module, export, heap limit or an
 * argument that cannot be copied.
 * @see {@link IsolatedOptions}
 * @example
 * ```ts
 * import { GenServer, Node, Runtime, Supervisor, type ExitReason } from 'ts-otp';
 * import { resolve } from 'node:path';
 * import { expect } from 'vitest';
 *
 * interface Counter { arg: number; state: number; call: { readonly type: 'get' }; reply: { get: number } }
 * const rt = new Runtime();
 * Node.start(rt, { name: 'app' });
 * const started = await Supervisor.start(
 *   { children: [Supervisor.isolated({ id: 'counter', module: resolve('examples/isolated_counter.ts'), export: 'counter', arg: 41 })] },
 *   { runtime: rt },
 * );
 * if (started.type !== 'ok') throw new Error('no start');
 * const [child] = await Supervisor.whichChildren(started.pid);
 * const pid = child!.pid as GenServer.ServerPid<Counter>;
 * expect(await GenServer.call(pid, { type: 'get' })).toBe(41); // answered in another thread
 * await Supervisor.stop(started.pid);
 * await Node.stop(rt);
 * expect(() => Supervisor.isolated({ id: 'x', module: '/m.js', resourceLimits: { maxOldGenerationSizeMb: 0 } })).toThrow(/maxOldGenerationSizeMb/);
 * ```
 */
export function isolated(options: IsolatedOptions): ChildSpec {
  const op = 'Supervisor.isolated';
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(op, 'options', options, 'an object { id, module, export?, arg?, resourceLimits?, restart?, shutdown? }');
  const { resourceLimits } = options;
  if (resourceLimits !== undefined) {
    if (typeof resourceLimits !== 'object' || resourceLimits === null) throw new InvalidArgumentError(op, 'options.resourceLimits', resourceLimits, 'an object of heap limits in MB');
    for (const key of LIMITS) {
      const value = resourceLimits[key];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
        throw new InvalidArgumentError(op, `options.resourceLimits.${key}`, value, 'a positive number of megabytes');
      }
    }
  }
  return servedSpec(op, options, (sup, served) => startIsolated(sup, served, options.id.replace(/[^A-Za-z0-9_.-]/g, '_'), resourceLimits));
}

/** @internal what a child served by module path is, checked: see {@link servedSpec} */
export interface Served {
  readonly module: string;
  readonly exportName: string;
  readonly type: ChildType;
  readonly arg: unknown;
}

/**
 * @internal the child spec of a behaviour served by module path on another node, options
 * checked at the call of `op` (the part of the options that Supervisor.isolated and
 * Supervisor.remote share); `start` places it.
 */
export function servedSpec(
  op: string,
  options: Pick<IsolatedOptions, 'id' | 'module' | 'export' | 'type' | 'arg' | 'restart' | 'shutdown'>,
  start: (sup: Context, served: Served) => Promise<ChildStartResult>,
): ChildSpec {
  const { id, module, export: exportName = 'default', type = 'worker', arg, restart, shutdown } = options;
  if (typeof id !== 'string' || id === '') throw new InvalidArgumentError(op, 'options.id', id, 'a non-empty string');
  if (type !== 'worker' && type !== 'supervisor') throw new InvalidArgumentError(op, 'options.type', type, "'worker' or 'supervisor'");
  checkModuleExport(op, 'options', module, exportName);
  try {
    structuredClone(arg);
  } catch {
    throw new InvalidArgumentError(op, 'options.arg', arg, 'a value that can be copied to another node (structured clone)');
  }
  const served: Served = { module, exportName, type, arg };
  const spec: ChildSpec = {
    id,
    type,
    start: (sup) => start(sup, served),
    ...(type === 'supervisor' ? { shutdown: 'infinity' } : {}),
  };
  return { ...spec, ...(restart === undefined ? {} : { restart }), ...(shutdown === undefined ? {} : { shutdown }) };
}

async function startIsolated(sup: Context, served: Served, label: string, resourceLimits: IsolatedOptions['resourceLimits']): Promise<ChildStartResult> {
  const rt = sup.runtime;
  let node: string;
  try {
    node = `${Node.name(rt)}-${label}-${++serial}`;
    await startIsolatedWorker(rt, { name: node, tickMs: ISOLATED_TICK_MS, ...(resourceLimits === undefined ? {} : { resourceLimits }) });
  } catch (error) {
    return { type: 'error', reason: { tag: 'error', cause: error } };
  }
  return startServed(sup, node, served, 'Supervisor.isolated', true);
}

/**
 * @internal starts the served behaviour on the connected node `node`, linked to the supervisor
 * `sup`, and waits for its init, as GenServer.startLink does. `own`: the node was started for
 * this child (Supervisor.isolated), so it is made the node's isolated child, and disconnected
 * (its thread ends) when the start fails.
 */
export async function startServed(sup: Context, node: string, served: Served, operation: string, own: boolean): Promise<ChildStartResult> {
  const rt = sup.runtime;
  const inbox = rt.inbox();
  let pid: Pid;
  try {
    pid = await Node.spawnLink(sup, node, { module: ENTRY, export: 'serve', args: [sup.self, inbox.self, served.module, served.exportName, served.arg, served.type] });
  } catch (error) {
    inbox.close();
    if (own) Node.disconnect(rt, node); // its thread ends with the connection
    return { type: 'error', reason: { tag: 'error', cause: error } };
  }
  if (own) isolate(rt, node, pid);
  const ref = inbox.monitor(pid);
  const first = (await inbox.receive()) as Started | DownMessage;
  if (first.type === '$isolated_started' && first.result.type === 'ok') {
    inbox.close();
    return { type: 'ok', pid };
  }
  // Init failed or ignored, or the child ended first: as GenServer.startLink, the start returns
  // why, and the supervisor does not see the child's EXIT (it came before the DOWN).
  const down = first.type === 'DOWN' ? first : ((await inbox.receiveRef(ref)) as DownMessage);
  inbox.close();
  if (own) Node.disconnect(rt, node); // its thread ends with the connection
  takeMatching(sup, (m) => (m as { type?: unknown; from?: unknown }).type === 'EXIT' && (m as { from: unknown }).from === pid);
  if (first.type === 'DOWN') return { type: 'error', reason: down.reason };
  const result = first.result;
  if (result.type === 'unusable') return { type: 'error', reason: { tag: 'error', cause: new NodeError(operation, node, result.reason, result.detail) } };
  return result.type === 'error' ? { type: 'error', reason: result.reason as ExitReason } : { type: 'ignore' };
}
