import { describe, expect, it, onTestFinished } from 'vitest';
import { GenServer, Supervisor, type Pid } from 'ts-otp';
import { otpTest, type OtpTest, type VirtualClock } from 'ts-otp/testing';
import { pidOf } from '../support/gen_server.js';
import { childPid, crash, Trace, wspec } from '../support/supervisor.js';

/** A test on a virtual clock whose inbox, trapping exits, start_links the supervisor. */
async function startSup(spec: Supervisor.SupervisorSpec): Promise<{ t: OtpTest & { readonly clock: VirtualClock }; sup: Pid }> {
  const t = otpTest({ onFinished: onTestFinished, clock: 'virtual' });
  t.inbox.trapExit(true);
  return { t, sup: pidOf(await Supervisor.startLink(t.inbox, spec)) };
}

/** Crashes child `id` and waits until it has been started for the `nth` time. */
async function crashAndWait(trace: Trace, sup: Pid, id: string, nth: number): Promise<void> {
  crash(await childPid(sup, id), 'boom');
  await trace.until(`start ${id}`, nth);
}

describe('restart intensity', () => {
  it.each([0, 1, 3])('with intensity %i, allows that many restarts within the period and gives up on the next', async (intensity) => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity, period: 5, children: [wspec(trace, 'a'), wspec(trace, 'b')] });
    for (let n = 1; n <= intensity; n++) await crashAndWait(trace, sup, 'b', n + 1);
    expect(t.runtime.isAlive(sup)).toBe(true);
    crash(await childPid(sup, 'b'), 'boom');
    await t.assertReceive({ type: 'EXIT', from: sup, reason: 'shutdown' });
    expect(trace.count('start b')).toBe(intensity + 1);
    expect(trace.lines.slice(-2)).toEqual(['stop b boom', 'stop a shutdown']); // the rest are stopped before it exits
  });

  it('does not count restarts older than the period', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 2, period: 5, children: [wspec(trace, 'a')] });
    await crashAndWait(trace, sup, 'a', 2); // t = 0 s
    await crashAndWait(trace, sup, 'a', 3); // t = 0 s
    await t.clock.advance(6000);
    await crashAndWait(trace, sup, 'a', 4); // t = 6 s: the two at 0 s have left the window
    await crashAndWait(trace, sup, 'a', 5); // t = 6 s
    expect(t.runtime.isAlive(sup)).toBe(true);
  });

  it('counts in whole seconds and inclusively: with period 1, restarts 1.5 s apart are in the same period', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 1, period: 1, children: [wspec(trace, 'a')] });
    await crashAndWait(trace, sup, 'a', 2); // at 0 s
    await t.clock.advance(1500); // second 1: 1 >= 1 - 1, so the restart at second 0 still counts
    crash(await childPid(sup, 'a'), 'boom');
    await t.assertReceive({ type: 'EXIT', from: sup, reason: 'shutdown' });
  });

  it('keeps a restart exactly period seconds old in the window, and drops it a second later', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 1, period: 2, children: [wspec(trace, 'a')] });
    await crashAndWait(trace, sup, 'a', 2); // at 0 s
    await t.clock.advance(3000); // second 3: 0 < 3 - 2
    await crashAndWait(trace, sup, 'a', 3);
    expect(t.runtime.isAlive(sup)).toBe(true);
    await t.clock.advance(2000); // second 5: the restart at second 3 is still in the window (3 >= 5 - 2)
    crash(await childPid(sup, 'a'), 'boom');
    await t.assertReceive({ type: 'EXIT', from: sup, reason: 'shutdown' });
  });

  it('counts a failed restart attempt as a restart and tries again at once', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 3, period: 5, children: [wspec(trace, 'a', { init: { failAfter: 1 } })] });
    crash(await childPid(sup, 'a'), 'boom');
    await t.assertReceive({ type: 'EXIT', from: sup, reason: 'shutdown' });
    // The crash and two failed attempts are three restarts; the third failure is the fourth, one too many.
    expect(trace.lines).toEqual(['start a', 'stop a boom', 'start a', 'start a', 'start a']);
  });

  it('counts restarts of every child together', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 2, period: 5, children: [wspec(trace, 'a'), wspec(trace, 'b'), wspec(trace, 'c')] });
    await crashAndWait(trace, sup, 'a', 2);
    await crashAndWait(trace, sup, 'b', 2);
    crash(await childPid(sup, 'c'), 'boom');
    await t.assertReceive({ type: 'EXIT', from: sup, reason: 'shutdown' });
  });

  it('does not count exits that are not restarted', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 0, children: [] });
    for (let k = 0; k < 5; k++) {
      const started = await Supervisor.startChild(sup, wspec(trace, `t${k}`, {}, { restart: k % 2 === 0 ? 'temporary' : 'transient' }));
      crash(started.type === 'ok' ? started.pid : undefined, k % 2 === 0 ? 'boom' : 'normal');
      await trace.until(`stop t${k} ${k % 2 === 0 ? 'boom' : 'normal'}`);
    }
    await t.runtime.settle();
    expect(t.runtime.isAlive(sup)).toBe(true);
  });

  it('never trips when restarts are spread out, and keeps at most intensity + 1 restart times', async () => {
    const trace = new Trace();
    const intensity = 10;
    const { t, sup } = await startSup({ intensity, period: 1, children: [wspec(trace, 'a')] });
    // 5 restarts a second: the window (this second and the one before) holds exactly 10, the limit.
    for (let n = 2; n <= 1001; n++) {
      await t.clock.advance(200);
      await crashAndWait(trace, sup, 'a', n);
    }
    expect(t.runtime.isAlive(sup)).toBe(true);
    const state = (await GenServer.getState(sup)) as { restarts: readonly number[] };
    expect(state.restarts.length).toBeLessThanOrEqual(intensity + 1);
  });

  it('keeps its bookkeeping bounded for a high intensity too', async () => {
    const trace = new Trace();
    const { t, sup } = await startSup({ intensity: 100_000, period: 2, children: [wspec(trace, 'a')] });
    let largest = 0;
    for (let n = 2; n <= 2001; n++) {
      await t.clock.advance(100); // 10 a second over 200 s
      await crashAndWait(trace, sup, 'a', n);
      largest = Math.max(largest, ((await GenServer.getState(sup)) as { restarts: readonly number[] }).restarts.length);
    }
    expect(t.runtime.isAlive(sup)).toBe(true);
    expect(largest).toBeLessThanOrEqual(30); // the restarts of seconds now-2 .. now, not all 2000
  });
});
