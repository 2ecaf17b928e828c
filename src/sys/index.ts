/**
 * Sys: read and change a running behaviour from outside, as Erlang's `sys` module: state,
 * status, suspend and resume, trace and installed functions, statistics.
 *
 * Imported as a namespace: `import { Sys } from 'ts-otp'`, then `Sys.getState(pid)`.
 *
 * @module
 */
export { getState, getStatus, install, remove, replaceState, resume, statistics, suspend, trace } from './sys.js';
export type { Event, StateOf, Statistics, Status } from './types.js';
