/**
 * A fresh runtime per test, ended after it: no test leaves a process or timer behind.
 *
 * @module
 */
import { afterEach, beforeEach } from 'vitest';
import { Runtime, type RuntimeOptions } from 'ts-otp';

/** Makes a new Runtime before each test and kills everything in it after; call at file level. */
export function useRuntime(options?: () => RuntimeOptions): () => Runtime {
  let rt: Runtime | undefined;
  beforeEach(() => {
    rt = new Runtime(options?.());
  });
  afterEach(() => {
    rt?.killAll();
    rt?.events.removeAllListeners();
    rt = undefined;
  });
  return () => {
    if (rt === undefined) throw new Error('useRuntime: no runtime outside a test');
    return rt;
  };
}
