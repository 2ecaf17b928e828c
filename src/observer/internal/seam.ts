/**
 * The observer's one seam onto a process's insides: its status, and a trace of its messages.
 *
 * OTP's observer reads both through `sys` (`sys:get_status`, `sys:trace`). ts-otp has no `Sys`
 * module yet, so this file does the same jobs with what exists, and it is the only file to change
 * when `Sys` lands:
 *
 * - status: `GenServer.getState`, shown through the behaviour's `formatStatus` when it has one
 *   (the raw state never leaves this file otherwise), for GenServers and supervisors; any other
 *   process has no status.
 * - trace: the server's behaviour is wrapped, for as long as the trace is on, so each call, cast
 *   and info message reaches `sink` before its handler runs. The server reads its handlers from
 *   its behaviour at each message, so nothing else changes; switching the trace off puts the
 *   behaviour back. Plain processes cannot be traced this way: `traceOn` says so.
 *
 * @module
 */
import { GenServer, type Pid } from '../../index.js';
import { processData } from '../../process/hooks.js';

/** A process's status as the observer shows it; `state` has been through `formatStatus`. */
export type Status = { readonly kind: 'gen_server'; readonly state: unknown } | { readonly kind: 'none' };

/** One traced message: what kind, and the message as the handler got it. */
export interface TracedMessage {
  readonly kind: 'call' | 'cast' | 'info';
  readonly msg: unknown;
}

/** What the seam needs of a GenServer's internal server object. */
interface ServerObject {
  behaviour: {
    readonly formatStatus?: (state: unknown) => unknown;
    readonly handleCall?: object;
    readonly handleCast?: object;
    readonly handleInfo?: Function;
  };
}

function serverOf(pid: Pid): ServerObject | undefined {
  const data = processData(pid);
  return typeof data === 'object' && data !== null && 'behaviour' in data && typeof data.behaviour === 'object' ? (data as ServerObject) : undefined;
}

/** Whether `pid` is a live GenServer (supervisors included): the behaviour column of the table. */
export function isServer(pid: Pid): boolean {
  return serverOf(pid) !== undefined;
}

/** The status of `pid`, asked between two of its messages; `'none'` for a process that is not a server. */
export async function statusOf(pid: Pid, timeoutMs: number): Promise<Status> {
  const server = serverOf(pid);
  if (server === undefined) return { kind: 'none' };
  const state = await GenServer.getState(pid as GenServer.ServerPid<{ state: unknown }>, timeoutMs);
  const format = server.behaviour.formatStatus;
  if (format === undefined) return { kind: 'gen_server', state };
  try {
    return { kind: 'gen_server', state: format(state) };
  } catch (error) {
    return { kind: 'gen_server', state: `formatStatus threw: ${String(error)}` };
  }
}

/**
 * Starts tracing the messages `pid` handles into `sink`; returns the function that stops it, or
 * undefined when `pid` cannot be traced (not a live server).
 */
export function traceOn(pid: Pid, sink: (m: TracedMessage) => void): (() => void) | undefined {
  const server = serverOf(pid);
  if (server === undefined) return undefined;
  const original = server.behaviour;
  const wrap = (kind: TracedMessage['kind'], fn: Function): Function =>
    function traced(this: unknown, ...args: unknown[]): unknown {
      sink({ kind, msg: args[0] });
      return fn.apply(this, args);
    };
  // Made once per trace, not per message: each handler map is wrapped as a whole.
  const handlers = (kind: 'call' | 'cast', map: object | undefined): object | undefined =>
    map === undefined ? undefined : Object.fromEntries(Object.entries(map).map(([k, f]) => [k, typeof f === 'function' ? wrap(kind, f) : f]));
  const traced = Object.create(original) as Record<string, unknown>;
  traced['handleCall'] = handlers('call', original.handleCall);
  traced['handleCast'] = handlers('cast', original.handleCast);
  traced['handleInfo'] = original.handleInfo === undefined ? undefined : wrap('info', original.handleInfo);
  server.behaviour = traced as ServerObject['behaviour'];
  return () => {
    if (server.behaviour === traced) server.behaviour = original;
  };
}
