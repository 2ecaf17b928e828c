/**
 * Helpers of the bad-input tests: what a call threw at once, and a value passed where its type
 * forbids it.
 */

/**
 * Calls `f` and returns what it threw synchronously (undefined if nothing). A promise it returns
 * is let go: a rejection is not a throw, so the test's assertion on the result fails.
 */
export function thrown(f: () => unknown): unknown {
  try {
    const result = f();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `value` passed where its type does not allow it: bad input, on purpose. */
export const bad = <T = never>(value: unknown): T => value as T;
