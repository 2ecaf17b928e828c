/**
 * Matchers for vitest's `expect.extend` (and Jest's): `toReceive` on an inbox or process context.
 *
 * Plain functions in the shape `expect.extend` takes; this module imports no test framework.
 * Declare their types once in a setup file, next to the `expect.extend` call:
 *
 * ```ts
 * import { expect } from 'vitest';
 * import { otpMatchers, type OtpMatchers } from 'ts-otp/testing';
 * expect.extend(otpMatchers);
 * declare module 'vitest' {
 *   interface Assertion<T> extends OtpMatchers<T> {}
 * }
 * ```
 *
 * @module
 */
import type { Context } from '../index.js';
import { assertReceive, DEFAULT_RECEIVE_TIMEOUT, ReceiveAssertionError, refuteReceive } from './receive.js';

/**
 * The types of {@link otpMatchers}, to merge into vitest's `Assertion` interface.
 *
 * @example
 * ```ts
 * import type { OtpMatchers } from 'ts-otp/testing';
 *
 * type Mine = OtpMatchers<void>;
 * const names: Array<keyof Mine> = ['toReceive'];
 * void names;
 * ```
 */
export interface OtpMatchers<R = unknown> {
  /**
   * `await expect(inbox).toReceive(pattern, timeout?)`: {@link assertReceive}; with `.not`,
   * {@link refuteReceive}. Timeout 100 ms by default.
   */
  toReceive(pattern: unknown, timeout?: number): Promise<R>;
}

/** What a matcher returns to `expect.extend`. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** The part of the matcher context (`this`) that these matchers read. */
export interface MatcherState {
  readonly isNot: boolean;
}

/**
 * Matchers for `expect.extend`: `toReceive`. With `.not` it waits the timeout and fails when a
 * matching message arrives, as `refuteReceive`.
 *
 * @example
 * ```ts
 * import { Runtime } from 'ts-otp';
 * import { otpMatchers, type OtpMatchers } from 'ts-otp/testing';
 * import { expect } from 'vitest';
 *
 * expect.extend(otpMatchers);
 * const want = expect as unknown as (actual: unknown) => OtpMatchers & { not: OtpMatchers };
 *
 * const inbox = new Runtime().inbox();
 * inbox.send(inbox.self, { type: 'ready', n: 1 });
 * await want(inbox).toReceive({ type: 'ready' });
 * await want(inbox).not.toReceive({ type: 'ready' }, 0);
 * await expect(want(inbox).toReceive('never', 0)).rejects.toThrow(/mailbox is empty/);
 * inbox.close();
 * ```
 */
export const otpMatchers = {
  async toReceive(this: MatcherState, received: unknown, pattern: unknown, timeout: number = DEFAULT_RECEIVE_TIMEOUT): Promise<MatcherResult> {
    const inbox = received as Context<unknown>;
    try {
      if (this.isNot) await refuteReceive(inbox, pattern, timeout);
      else await assertReceive(inbox, pattern, timeout);
    } catch (error) {
      if (!(error instanceof ReceiveAssertionError)) throw error;
      const text = error.message;
      return { pass: this.isNot, message: () => text }; // with .not, pass true is the failure
    }
    return { pass: !this.isNot, message: () => 'expected the message not to arrive' };
  },
};
