/**
 * The first code of an isolated child, in its own worker node: it loads the behaviour by module
 * path and runs it as a GenServer in this process, whose pid the supervisor already holds.
 *
 * Not part of the public API: the supervisor spawns it by module path (see ../isolated.ts).
 *
 * @module
 */
import { serve as serveLoop } from '../../gen_server/gen_server.js';
import type { Behaviour, Protocol, StartResult } from '../../gen_server/index.js';
import { importModule, notLoaded } from '../../node/internal/modules.js';
import type { Context, Pid } from '../../process/index.js';

/**
 * What the child tells its starter once init has answered, or that the behaviour could not be
 * had (an error class does not survive the copy, so the starter makes the NodeError).
 */
export interface Started {
  readonly type: '$isolated_started';
  readonly result: StartResult<Protocol> | { readonly type: 'unusable'; readonly reason: 'not_loaded' | 'not_a_behaviour'; readonly detail: string };
}

/** Loads `exportName` of `module` and serves it with `arg`; tells `ack` how init went. */
export async function serve(ctx: Context, parent: Pid, ack: Pid, module: string, exportName: string, arg: unknown): Promise<never> {
  const tell = (result: Started['result']): void => {
    try {
      ctx.send(ack, { type: '$isolated_started', result } satisfies Started);
    } catch {
      // A reason that cannot be copied: the starter learns it from the child's exit instead.
    }
  };
  let behaviour: unknown;
  try {
    behaviour = (await importModule(module))[exportName];
  } catch (error) {
    tell({ type: 'unusable', reason: 'not_loaded', detail: notLoaded(module, error) });
    return ctx.exit('normal');
  }
  if (typeof behaviour !== 'object' || behaviour === null || typeof (behaviour as { init?: unknown }).init !== 'function') {
    tell({ type: 'unusable', reason: 'not_a_behaviour', detail: `${module}#${exportName} is ${behaviour === null ? 'null' : typeof behaviour}` });
    return ctx.exit('normal');
  }
  return serveLoop(ctx, behaviour as Behaviour<Protocol>, arg as never, parent, tell);
}
