/**
 * The first code of an isolated child, in its own worker node: it loads the behaviour by module
 * path and runs it in this process, whose pid the supervisor already holds: a GenServer
 * behaviour, or a supervisor spec (the supervisor is a GenServer too), whose children then all
 * live in this thread.
 *
 * Not part of the public API: the supervisor spawns it by module path (see ../isolated.ts).
 *
 * @module
 */
import { serve as serveLoop } from '../../gen_server/gen_server.js';
import type { Behaviour, Protocol, StartResult } from '../../gen_server/index.js';
import { importModule, notLoaded } from '../../node/internal/modules.js';
import type { Context, Pid } from '../../process/index.js';
import { argOf } from '../supervisor.js';
import type { ChildType, SupervisorInit, SupervisorSpec } from '../types.js';
import { supervisorBehaviour, type SupArg, type SupProtocol } from './supervisor_server.js';

/**
 * What the child tells its starter once init has answered, or that the behaviour could not be
 * had (an error class does not survive the copy, so the starter makes the NodeError).
 */
export interface Started {
  readonly type: '$isolated_started';
  readonly result: StartResult<Protocol> | { readonly type: 'unusable'; readonly reason: 'not_loaded' | 'not_a_behaviour'; readonly detail: string };
}

/** Loads `exportName` of `module` and serves it with `arg` (a worker) or as a supervisor; tells `ack` how init went. */
export async function serve(ctx: Context, parent: Pid, ack: Pid, module: string, exportName: string, arg: unknown, type: ChildType = 'worker'): Promise<never> {
  const tell = (result: Started['result']): void => {
    try {
      ctx.send(ack, { type: '$isolated_started', result } satisfies Started);
    } catch {
      // A reason that cannot be copied: the starter learns it from the child's exit instead.
    }
  };
  let exported: unknown;
  try {
    exported = (await importModule(module))[exportName];
  } catch (error) {
    tell({ type: 'unusable', reason: 'not_loaded', detail: notLoaded(module, error) });
    return ctx.exit('normal');
  }
  const what = `${module}#${exportName}`;
  if (type === 'supervisor') {
    let supArg: SupArg;
    try {
      if (typeof exported !== 'function' && (typeof exported !== 'object' || exported === null)) throw new Error(`it is ${exported === null ? 'null' : typeof exported}`);
      supArg = argOf('Supervisor.isolated', exported as SupervisorSpec | SupervisorInit, undefined);
    } catch (error) {
      tell({ type: 'unusable', reason: 'not_a_behaviour', detail: `${what} is not a supervisor spec or init function: ${error instanceof Error ? error.message : String(error)}` });
      return ctx.exit('normal');
    }
    return serveLoop(ctx, supervisorBehaviour, supArg, parent, tell as (result: StartResult<SupProtocol>) => void);
  }
  if (typeof exported !== 'object' || exported === null || typeof (exported as { init?: unknown }).init !== 'function') {
    tell({ type: 'unusable', reason: 'not_a_behaviour', detail: `${what} is ${exported === null ? 'null' : typeof exported}` });
    return ctx.exit('normal');
  }
  return serveLoop(ctx, exported as Behaviour<Protocol>, arg as never, parent, tell);
}
