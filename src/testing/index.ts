/**
 * The test kit, `ts-otp/testing`: ExUnit's helpers for ts-otp's processes, for vitest and node:test.
 *
 * - {@link otpTest}: a runtime per test, an inbox that plays the test process,
 *   {@link OtpTest.startSupervised} under a per-test supervisor, and a cleanup that stops it all in
 *   order (given to vitest's `onTestFinished` or node:test's `t.after`).
 * - {@link assertReceive} / {@link refuteReceive}: ExUnit's `assert_receive` / `refute_receive`,
 *   with a predicate or a partial object and a timeout; a failure lists the mailbox.
 * - {@link VirtualClock}: time that moves when the test says, driving the runtime's timers,
 *   receive and call timeouts, and supervisor windows in order.
 * - {@link assertNoLeaks} / {@link findLeaks}: no process, timer or listener left (nor a node or
 *   its threads).
 * - {@link otpMatchers}: `toReceive` for `expect.extend`.
 *
 * Nothing here imports a test framework. Nothing in `ts-otp` imports this module.
 *
 * @module ts-otp/testing
 */
export { VirtualClock } from './clock.js';
export { otpTest, SupervisedError, type ChildOverrides, type OtpTest, type OtpTestOptions, type StartedPid } from './harness.js';
export { assertNoLeaks, findLeaks, LeakError, type LeakedProcess, type Leaks } from './leaks.js';
export { otpMatchers, type MatcherResult, type MatcherState, type OtpMatchers } from './matchers.js';
export {
  assertReceive,
  DEFAULT_RECEIVE_TIMEOUT,
  matchesPattern,
  ReceiveAssertionError,
  refuteReceive,
  type Matched,
  type Pattern,
  type Received,
  type Receiver,
  type Shape,
} from './receive.js';
