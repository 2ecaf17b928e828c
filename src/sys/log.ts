/**
 * A trace written to the runtime's logger: one `info` line per event, as Erlang's `*DBG*` lines.
 *
 * Not part of the public API.
 *
 * @module
 */
import { inspect } from 'node:util';
import type { Logger } from 'pino';
import type { Event } from './types.js';

const show = (value: unknown): string => inspect(value, { depth: 4, breakLength: Infinity });

/** Logs one trace event of the server `name` (or its pid), with the event itself as data. */
export function logEvent(logger: Logger, name: string | undefined, event: Event): void {
  const who = name ?? event.pid;
  let text: string;
  switch (event.type) {
    case 'in':
      if (event.kind === 'call') text = `*DBG* ${who} got call ${show(event.request)}${event.from === undefined ? '' : ` from ${event.from}`}`;
      else text = `*DBG* ${who} got ${event.kind === 'cast' ? 'cast ' : ''}${show(event.msg)}`;
      break;
    case 'out':
      text = `*DBG* ${who} sent ${show(event.reply)}${event.to === undefined ? '' : ` to ${event.to}`}, new state ${show(event.state)}`;
      break;
    case 'noreply':
      text = `*DBG* ${who} new state ${show(event.state)}`;
      break;
    case 'continue':
      text = `*DBG* ${who} continue ${show(event.arg)}`;
      break;
    default:
      return assertNever(event);
  }
  logger.info({ label: 'sys.trace', pid: event.pid, name, event }, text);
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected trace event ${String(value)}`);
}
