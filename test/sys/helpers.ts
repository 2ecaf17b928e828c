/**
 * The server of the Sys tests and of conformance group O: the twin of `o.hrl`'s `srv`. Its state
 * is any value; what it does with plain messages and terminate goes to `log`, in order.
 *
 * @module
 */
import { GenServer, Next, type Runtime } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';

export interface SrvOptions {
  /** Traps exits. */
  readonly trapExit?: boolean;
  /** An idle timeout after init and after each message. */
  readonly timeout?: number;
  /** formatStatus shows `{ hidden: state }`. */
  readonly hide?: boolean;
  /** formatStatus throws. */
  readonly crashFormat?: boolean;
}

export interface Srv {
  arg: { readonly state: unknown; readonly options?: SrvOptions; readonly log: unknown[] };
  state: unknown;
  call: { readonly type: 'get' } | { readonly type: 'set'; readonly value: unknown } | { readonly type: 'later'; readonly value: unknown } | { readonly type: 'continue'; readonly value: unknown };
  reply: { get: unknown; set: 'ok'; later: never; continue: unknown };
  continue: unknown;
  cast: { readonly type: 'set'; readonly value: unknown };
}

/** The behaviour: the options and log live in the closure made at start. */
export function srv(options: SrvOptions, log: unknown[]): GenServer.Behaviour<Srv> {
  const idle: GenServer.NextAction | undefined = options.timeout === undefined ? undefined : { timeout: options.timeout };
  return {
    init: ({ state }, ctx) => {
      if (options.trapExit === true) ctx.trapExit(true);
      return Next.ok(state, idle);
    },
    handleCall: {
      get: (_r, _f, s) => Next.reply(s, s, idle),
      set: ({ value }) => Next.reply('ok' as const, value, idle),
      later: ({ value }) => Next.noreply(value, idle),
      continue: ({ value }, _f, s) => Next.reply(s, s, { continue: value }),
    },
    handleContinue: (value) => {
      log.push({ continue: value });
      return Next.noreply(value, idle);
    },
    handleCast: { set: ({ value }) => Next.noreply(value, idle) },
    handleInfo: (msg, s) => {
      log.push({ info: msg });
      return Next.noreply(s, idle);
    },
    terminate: (reason) => {
      log.push({ terminate: reason });
    },
    formatStatus: (s) => {
      if (options.crashFormat === true) throw new Error('format failed');
      return options.hide === true ? { hidden: s } : s;
    },
  };
}

/** Starts a srv, not linked, and returns its pid and its log. */
export async function startSrv(rt: Runtime, state: unknown, options: SrvOptions = {}, name?: string): Promise<{ pid: GenServer.ServerPid<Srv>; log: unknown[] }> {
  const log: unknown[] = [];
  const pid = pidOf(await GenServer.start(srv(options, log), { state, options, log }, name === undefined ? { runtime: rt } : { runtime: rt, name }));
  return { pid, log };
}
