/**
 * Test helpers for GenServer tests: the pid of a start that must succeed, and the CallError a
 * call must fail with.
 *
 * @module
 */
import { CallError, type GenServer } from 'ts-otp';

/** The pid of a successful start; throws (failing the test) for ignore or an error. */
export function pidOf<P extends GenServer.Protocol>(result: GenServer.StartResult<P>): GenServer.ServerPid<P> {
  if (result.type !== 'ok') throw new Error(`start failed: ${JSON.stringify(result)}`);
  return result.pid;
}

/** The CallError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<CallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject with a CallError');
}
