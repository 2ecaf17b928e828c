/**
 * Logs for the example: pino's JSON lines when the output is not a terminal (a log collector,
 * a test), and one readable line per record on a terminal.
 */
import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIP = new Set(['level', 'time', 'hostname', 'msg', 'label']);

/** One record as a line: time, level, label, message, then the other fields as JSON. */
function pretty(line: string): string {
  const r = JSON.parse(line) as Record<string, unknown>;
  const time = new Date(Number(r['time'])).toISOString().slice(11, 23);
  const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !SKIP.has(k) && k !== 'err'));
  const err = r['err'] as { stack?: string } | undefined; // the stack on lines of its own, after the record
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const stack = err?.stack === undefined ? '' : `\n    ${err.stack.split('\n').slice(0, 4).join('\n    ')}`;
  return `${time} ${(LEVELS[Number(r['level'])] ?? '?').padEnd(5)} ${String(r['label'] ?? '')} ${String(r['msg'] ?? '')}${extra}${stack}\n`;
}

export function exampleLogger(level = globalThis.process.env['OTP_LOG_LEVEL'] ?? 'info'): Logger {
  // Synchronous writes: every record is on stdout when its line of code has run, which suits an
  // example that is read alongside its output. (Application.main flushes the logger before it
  // exits, so an asynchronous destination would lose nothing either.)
  // No `pid` in the base: reports carry the ts-otp pid under that key, and JSON with the key
  // twice is refused by some log stores.
  const base = { hostname: hostname() };
  if (!globalThis.process.stdout.isTTY) return pino({ level, base }, pino.destination({ dest: 1, sync: true }));
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line !== '') globalThis.process.stdout.write(pretty(line));
      done();
    },
  });
  return pino({ level, base }, out);
}
