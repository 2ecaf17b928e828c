/**
 * The error a crash report shows: the user's error, with the stack frames inside ts-otp's own
 * files left out, so the frames that remain are the user's (and Node's). Used by the kernel's
 * `process.crashed` report and by GenServer's crash report (through hooks.ts).
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loggableError } from '../../errors.js';

/**
 * ts-otp's own folders: the one this file was loaded from (src/ or dist/, two levels up) and,
 * for stacks mapped back to the sources, the package's src/ and dist/ beside it.
 */
const OWN_DIRS = ((): readonly string[] => {
  try {
    const here = fileURLToPath(new URL('../../', import.meta.url));
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    return [...new Set([here, `${root}src${sep}`, `${root}dist${sep}`])];
  } catch {
    return []; // not loaded from a file: nothing to trim
  }
})();

/** `stack` without the frames in ts-otp's own files; the first line (name and message) stays. */
export function trimStack(stack: string, ownDirs: readonly string[] = OWN_DIRS): string {
  if (ownDirs.length === 0) return stack;
  const own = (line: string): boolean => line.startsWith('    at ') && ownDirs.some((dir) => line.includes(dir) || line.includes(`file://${dir}`));
  return stack
    .split('\n')
    .filter((line) => !own(line))
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
