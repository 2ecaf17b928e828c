/**
 * The process that runs a remote call (Node.call, Node.cast) on the target node: it loads the
 * function by module path, runs it, and sends the outcome to the caller's inbox.
 *
 * Not part of the public API: ../rpc.ts spawns it by name ({@link OWN_MODULE}), on any node.
 *
 * @module
 */
import { ProcessExit } from '../../errors.js';
import type { Context, Pid } from '../../process/index.js';
import { catchExits, endProcess } from '../../process/hooks.js';
import { loadFunction } from './modules.js';

/** What the call process sends its caller: the result, what the function threw, or why there was no function. */
export type Outcome =
  | { readonly type: '$rpc'; readonly tag: 'ok'; readonly value: unknown }
  | { readonly type: '$rpc'; readonly tag: 'exception'; readonly value: unknown; readonly name: string | undefined; readonly message: string | undefined }
  | { readonly type: '$rpc'; readonly tag: 'exit'; readonly value: unknown }
  | { readonly type: '$rpc'; readonly tag: 'not_loaded' | 'not_a_function'; readonly detail: string };

/**
 * Runs `exportName` of `module` with `args` and, unless `replyTo` is null (a cast), sends the
 * {@link Outcome} to it. The function's own exit (ctx.exit) is told as `'exit'` before it ends
 * this process; anything else it throws or rejects with is an exception.
 */
export async function run(ctx: Context, replyTo: Pid | null, module: string, exportName: string, args: readonly unknown[]): Promise<void> {
  const loaded = await loadFunction(module, exportName);
  if (!('fn' in loaded)) {
    if (replyTo !== null) ctx.send(replyTo, { type: '$rpc', tag: loaded.reason, detail: loaded.detail } satisfies Outcome);
    return;
  }
  let outcome: Outcome;
  // Its own ctx.exit(reason) only throws while the function runs, so that it is told apart from
  // an exit signal from elsewhere (erpc's {exception, Reason} of class exit, and {signal, Reason}).
  const exits = catchExits(ctx);
  exits.on = true;
  try {
    outcome = { type: '$rpc', tag: 'ok', value: await loaded.fn(ctx, ...args) };
  } catch (error) {
    exits.on = false;
    if (error instanceof ProcessExit && error.pid === ctx.self) {
      if (replyTo !== null) trySend(ctx, replyTo, { type: '$rpc', tag: 'exit', value: error.reason });
      endProcess(ctx, error.reason);
      return;
    }
    if (replyTo === null) return; // a cast: failures are not reported (erpc:cast)
    const isError = error instanceof Error;
    outcome = { type: '$rpc', tag: 'exception', value: error, name: isError ? error.name : undefined, message: isError ? error.message : undefined };
  }
  exits.on = false;
  if (replyTo === null) return;
  trySend(ctx, replyTo, outcome);
}

/** Sends `outcome`; one that cannot be copied back (a result, a thrown value, a reason) becomes the CloneError it raised. */
function trySend(ctx: Context, replyTo: Pid, outcome: Outcome): void {
  try {
    ctx.send(replyTo, outcome);
  } catch (error) {
    const e = error as Error;
    ctx.send(replyTo, { type: '$rpc', tag: 'exception', value: e, name: e.name, message: e.message } satisfies Outcome);
  }
}
