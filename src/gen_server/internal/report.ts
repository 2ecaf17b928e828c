/**
 * The error a crash report shows: the user's error, with the stack frames inside ts-otp's own
 * files left out, so the frames that remain are the user's (and Node's).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { loggableError } from '../../errors.js';

/** ts-otp's own source folder (src/ or dist/): two levels up from this file. */
const OWN_DIR = ((): string | undefined => {
  try {
    return fileURLToPath(new URL('../../', import.meta.url));
  } catch {
    return undefined; // not loaded from a file: nothing to trim
  }
})();

/** `stack` without the frames in ts-otp's own files; the first line (name and message) stays. */
export function trimStack(stack: string, ownDir: string | undefined = OWN_DIR): string {
  if (ownDir === undefined) return stack;
  const url = `file://${ownDir}`;
  return stack
    .split('\n')
    .filter((line) => !(line.startsWith('    at ') && (line.includes(ownDir) || line.includes(url))))
    .join('\n');
}

/**
 * The error to log as a report's `err`: an Error is copied (same class, message, cause and fields)
 * with its stack trimmed; anything else, or an error that cannot be read, as `loggableError` gives it.
 */
export function reportedError(error: unknown): unknown {
  const safe = loggableError(error);
  if (safe !== error || !(error instanceof Error)) return safe;
  try {
    const stack = error.stack;
    if (typeof stack !== 'string') return error;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as Error, error);
    Object.defineProperty(copy, 'message', { value: error.message, writable: true, configurable: true });
    Object.defineProperty(copy, 'stack', { value: trimStack(stack), writable: true, configurable: true });
    if ('cause' in error) Object.defineProperty(copy, 'cause', { value: error.cause, writable: true, configurable: true });
    return copy;
  } catch {
    return safe;
  }
}
