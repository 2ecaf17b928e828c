/**
 * The observer's one seam onto a process's insides: its status, and a trace of its messages,
 * both through `Sys`, as OTP's observer reads them through `sys`:
 *
 * - status: `Sys.getStatus`, whose state has been through the behaviour's `formatStatus` (the
 *   raw state never reaches the page otherwise), for every behaviour (they all run the GenServer
 *   loop); any other process has no status.
 * - trace: a function installed with `Sys.install` passes each message the server takes in to
 *   `sink`; switching it off is `Sys.remove`. Installed beside a user's `Sys.trace` and other
 *   tools' functions, it displaces none of them. Plain processes cannot be traced: `traceOn` says
 *   so.
 *
 * @module
 */
import { Sys, type Pid } from '../../index.js';
import { processData } from '../../process/hooks.js';

/** A process's status as the observer shows it; `state` has been through `formatStatus`. */
export type Status = { readonly kind: 'gen_server'; readonly state: unknown } | { readonly kind: 'none' };

/** One traced message: what kind, and the message as the handler got it. */
export interface TracedMessage {
  readonly kind: 'call' | 'cast' | 'info';
  readonly msg: unknown;
}

/** Whether `pid` is a live GenServer (supervisors and every other behaviour included): the behaviour column of the table. */
export function isServer(pid: Pid): boolean {
  const data = processData(pid);
  return typeof data === 'object' && data !== null && 'behaviour' in data && typeof data.behaviour === 'object';
}

/** The status of `pid`, asked between two of its messages; `'none'` for a process that is not a server. */
export async function statusOf(pid: Pid, timeoutMs: number): Promise<Status> {
  if (!isServer(pid)) return { kind: 'none' };
  const status = await Sys.getStatus(pid, timeoutMs);
  return { kind: 'gen_server', state: status.state };
}

const ignore = (): void => {};

/**
 * Starts tracing the messages `pid` handles into `sink`; returns the function that stops it, or
 * undefined when `pid` cannot be traced (not a live server). The trace starts once the server
 * takes the request, after the messages already queued: what is sent from now on is traced.
 */
export function traceOn(pid: Pid, sink: (m: TracedMessage) => void): (() => void) | undefined {
  if (!isServer(pid)) return undefined;
  const traced = (event: Sys.Event): void => {
    if (event.type === 'in') sink({ kind: event.kind, msg: event.kind === 'call' ? event.request : event.msg });
  };
  // A server that exits before it takes the request has nothing to trace.
  Sys.install(pid, traced).catch(ignore);
  return () => {
    Sys.remove(pid, traced).catch(ignore);
  };
}
