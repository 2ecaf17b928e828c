/**
 * Functions that other nodes call by module path (Node.call, Node.cast): each receives the
 * context of the process that runs it on the target node, then the call's arguments.
 */
import type { Context } from '../../src/index.js';
import { Node } from '../../src/index.js';

/** `a + b`, and the node that added them. */
export function add(ctx: Context, a: number, b: number): { sum: number; node: string } {
  return { sum: a + b, node: Node.name(ctx.runtime) };
}

/** Resolves with `value` after `ms` milliseconds (a promise result is awaited on the target). */
export function later(_ctx: Context, value: unknown, ms: number): Promise<unknown> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

/** Never answers: waits for a message that never comes. */
export function hang(ctx: Context): Promise<unknown> {
  return ctx.receive((m) => m === 'never');
}

/** Throws a RangeError. */
export function fail(_ctx: Context, message: string): never {
  throw new RangeError(message);
}

/** Ends the calling process with `reason`, as Erlang's exit/1. */
export function quit(ctx: Context, reason: unknown): never {
  return ctx.exit(reason);
}

/** Sends `msg` to `to` (a cast's effect that a test can see). */
export function tell(ctx: Context, to: string, msg: unknown): void {
  ctx.send(to, msg);
}

/** Returns a function, which cannot be copied back to the caller. */
export function uncopyable(): () => void {
  return () => undefined;
}

/** Tells `watcher` its pid, then waits for ever: a call that a timeout or a lost node ends. */
export async function hangTelling(ctx: Context, watcher: string): Promise<unknown> {
  ctx.send(watcher, { hanging: ctx.self });
  return ctx.receive((m) => m === 'never');
}

/** An error of a class of its own: only its name and message survive the copy. */
export class QuotaError extends Error {
  override name = 'QuotaError';
}

/** Rejects with a QuotaError. */
export function overQuota(): Promise<never> {
  return Promise.reject(new QuotaError('over quota'));
}

/** Throws a value that is not an Error. */
export function throwValue(_ctx: Context, value: unknown): never {
  throw value;
}

/** The pid registered as `name` on this node, or undefined: a pid crosses back renumbered for the caller. */
export function whereis(ctx: Context, name: string): string | undefined {
  return ctx.runtime.whereis(name);
}
