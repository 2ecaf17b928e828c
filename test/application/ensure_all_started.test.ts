/**
 * ensureAllStarted when an application on the way fails: as OTP 25's `ensure_all_started`
 * (checked with escript, appc depending on appb depending on appa, appc's start returning
 * `{error, boom}`): it returns appc's error, and stops what it started, the most recently started
 * first (appb's prep_stop and stop, then appa's); an application running before the call keeps
 * running. A missing dependency (no .app file) after appa had started also stops appa.
 */
import { describe, expect, it } from 'vitest';
import { Application, Supervisor } from 'ts-otp';
import { memoryLogger, useRuntime } from '../support/runtime.js';

const runtime = useRuntime(() => ({ logger: memoryLogger().logger }));

function app(name: string, log: string[], dependencies: string[] = [], fails = false): Application.ApplicationSpec {
  return {
    name,
    dependencies,
    start: (master) => {
      log.push(`start ${name}`);
      return fails ? { type: 'error', reason: 'boom' } : Supervisor.startLink(master, { children: [] });
    },
    prepStop: (state) => (log.push(`prep_stop ${name}`), state),
    stop: () => void log.push(`stop ${name}`),
  };
}

const running = (rt: ReturnType<typeof runtime>): string[] => Application.whichApplications({ runtime: rt }).map((a) => a.name);

describe('ensureAllStarted', () => {
  it('stops the applications it started, most recent first, when a later one fails, and returns its error', async () => {
    const rt = runtime();
    const log: string[] = [];
    for (const spec of [app('appa', log), app('appb', log, ['appa']), app('appc', log, ['appb'], true)]) Application.load(spec, { runtime: rt });
    expect(await Application.ensureAllStarted('appc', { runtime: rt })).toEqual({
      type: 'error',
      reason: { tag: 'start_failed', name: 'appc', reason: 'boom' },
    });
    expect(log).toEqual(['start appa', 'start appb', 'start appc', 'prep_stop appb', 'stop appb', 'prep_stop appa', 'stop appa']);
    expect(running(rt)).toEqual([]);
  });

  it('leaves running the applications that ran before the call', async () => {
    const rt = runtime();
    const log: string[] = [];
    for (const spec of [app('appa', log), app('appb', log, ['appa']), app('appc', log, ['appb'], true)]) Application.load(spec, { runtime: rt });
    expect(await Application.start('appa', { runtime: rt })).toEqual({ type: 'ok' });
    expect(await Application.ensureAllStarted('appc', { runtime: rt })).toMatchObject({ type: 'error' });
    expect(log).toEqual(['start appa', 'start appb', 'start appc', 'prep_stop appb', 'stop appb']);
    expect(running(rt)).toEqual(['appa']);
  });

  it('stops what it started when a later dependency is not loaded', async () => {
    const rt = runtime();
    const log: string[] = [];
    for (const spec of [app('appa', log), app('appd', log, ['appa', 'missing'])]) Application.load(spec, { runtime: rt });
    expect(await Application.ensureAllStarted('appd', { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'not_loaded', name: 'missing' } });
    expect(log).toEqual(['start appa', 'prep_stop appa', 'stop appa']);
    expect(running(rt)).toEqual([]);
  });
});
