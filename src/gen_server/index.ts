/**
 * GenServer: typed servers with Erlang's call, cast and terminate semantics.
 *
 * Imported as a namespace: `import { GenServer, Next } from 'ts-otp'`, then `GenServer.start`,
 * `GenServer.call`, `GenServer.Behaviour<P>`.
 *
 * @module
 */
export { call, cast, getState, named, replaceState, reply, start, startLink, statistics, stop, type CallTimeout } from './gen_server.js';
export type {
  ArgOf,
  BaseBehaviour,
  Behaviour,
  CallHandlers,
  CallOf,
  CallOptions,
  CastHandlers,
  CastOf,
  ContinueOf,
  From,
  GenCallMessage,
  GenCastMessage,
  IdleTimeout,
  Protocol,
  ProtocolRequired,
  ReplyOf,
  ServerName,
  ServerPid,
  ServerRef,
  ServerStatistics,
  StartError,
  StartOptions,
  StartResult,
  StateOf,
} from './types.js';
export type { CallResult, Ignore, InitResult, NextAction, NoReply, NoReplyResult, Ok, Reply, Stop } from './next.js';
