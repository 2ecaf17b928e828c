import { describe, expect, it, onTestFinished } from 'vitest';
import { otpMatchers, otpTest, type OtpMatchers } from 'ts-otp/testing';

expect.extend(otpMatchers);
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends OtpMatchers<T> {}
}

describe('otpMatchers', () => {
  it('toReceive takes a matching message', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    t.runtime.sendAfter(20, t.inbox.self, { type: 'tick', n: 1 });
    await expect(t.inbox).toReceive({ type: 'tick' });
    expect(t.clock.now()).toBe(20);
  });

  it('toReceive fails with the mailbox listed', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    t.runtime.send(t.inbox.self, 'noise');
    await expect(expect(t.inbox).toReceive('signal', 10)).rejects.toThrow("Showing 1 of 1 message in the mailbox (oldest first):\n  1. 'noise'");
  });

  it('.not.toReceive waits the timeout and fails when a match arrives', async () => {
    const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
    await expect(t.inbox).not.toReceive('x');
    expect(t.clock.now()).toBe(100);
    t.runtime.sendAfter(50, t.inbox.self, 'x');
    await expect(expect(t.inbox).not.toReceive('x')).rejects.toThrow("Unexpectedly received message 'x'");
  });

  it('passes bad input errors through', async () => {
    const t = otpTest({ onFinished: onTestFinished });
    await expect(expect(t.inbox).toReceive('x', -1)).rejects.toThrow(/argument 'timeout'/);
  });
});
