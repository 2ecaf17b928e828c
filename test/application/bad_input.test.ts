/**
 * Bad input to the Application API: an InvalidArgumentError at the call (a rejection for the
 * async functions) naming the function, the argument and the value; never a TypeError from inside,
 * and nothing loaded, started or changed.
 */
import { describe, expect, it } from 'vitest';
import { Application, InvalidArgumentError, Runtime } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

const bad = <T = never>(value: unknown): T => value as T;
const spec: Application.ApplicationSpec = { name: 'app1', start: () => ({ type: 'ignore' }) };
const host = { on: () => undefined, off: () => undefined, exit: () => undefined };

// prettier-ignore
const calls: Array<[call: string, f: (rt: Runtime) => unknown, operation: string, argument: string, value: unknown]> = [
  ['envVarName(42, key)',               () => Application.envVarName(bad(42), 'port'),                           'Application.envVarName',       'app',             42],
  ['envVarName(undefined, key)',        () => Application.envVarName(bad(undefined), 'port'),                    'Application.envVarName',       'app',             undefined],
  ["envVarName('', key)",               () => Application.envVarName('', 'port'),                                'Application.envVarName',       'app',             ''],
  ['envVarName(app, null)',             () => Application.envVarName('web', bad(null)),                          'Application.envVarName',       'key',             null],
  ['load(spec, 5)',                     () => Application.load(spec, bad(5)),                                     'Application.load',             'options',         5],
  ['load(spec, { runtime: 5 })',        () => Application.load(spec, { runtime: bad(5) }),                        'Application.load',             'options.runtime', 5],
  ["load(spec, { config: 'port=1' })",  (rt) => Application.load(spec, { runtime: rt, config: bad('port=1') }),  'Application.load',             'options.config',  'port=1'],
  ['load(spec, { config: null })',      (rt) => Application.load(spec, { runtime: rt, config: bad(null) }),      'Application.load',             'options.config',  null],
  ['start(42)',                         (rt) => Application.start(bad(42), { runtime: rt }),                      'Application.start',            'app',             42],
  ['start(spec, { runtime: {} })',      () => Application.start(spec, { runtime: bad({}) }),                      'Application.start',            'options.runtime', {}],
  ['ensureAllStarted(null)',            (rt) => Application.ensureAllStarted(bad(null), { runtime: rt }),          'Application.ensureAllStarted', 'app',             null],
  ['stop(42)',                          (rt) => Application.stop(bad(42), { runtime: rt }),                       'Application.stop',             'name',            42],
  ['stopAll({ runtime: 5 })',           () => Application.stopAll({ runtime: bad(5) }),                           'Application.stopAll',          'options.runtime', 5],
  ['whichApplications({ runtime: null })', () => Application.whichApplications({ runtime: bad(null) }),          'Application.whichApplications', 'options.runtime', null],
  ['isLoaded(undefined)',               (rt) => Application.isLoaded(bad(undefined), { runtime: rt }),            'Application.isLoaded',         'name',            undefined],
  ['getEnv(42, key)',                   (rt) => Application.getEnv(bad<string>(42), 'port', { runtime: rt }),             'Application.getEnv',           'app',             42],
  ['getEnv(app, 42)',                   (rt) => Application.getEnv('app1', bad(42), { runtime: rt }),             'Application.getEnv',           'key',             42],
  ['getAllEnv(null)',                   (rt) => Application.getAllEnv(bad(null), { runtime: rt }),                'Application.getAllEnv',        'app',             null],
  ['putEnv(app, key, v, { runtime: 5 })', () => Application.putEnv('app1', 'port', 1, { runtime: bad(5) }),      'Application.putEnv',           'options.runtime', 5],
  ['unsetEnv(app, 42)',                 (rt) => Application.unsetEnv('app1', bad(42), { runtime: rt }),           'Application.unsetEnv',         'key',             42],
  ['onHalt(5)',                         (rt) => Application.onHalt(bad(5), { runtime: rt }),                      'Application.onHalt',           'halt',            5],
  ['main(42)',                          (rt) => Application.main(bad(42), { runtime: rt, host }),                 'Application.main',             'app',             42],
  ['main(spec, { runtime: 5 })',        () => Application.main(spec, { runtime: bad(5), host }),                  'Application.main',             'options.runtime', 5],
  ['main(spec, { host: 5 })',           (rt) => Application.main(spec, { runtime: rt, host: bad(5) }),            'Application.main',             'options.host',    5],
  ["main(spec, { signals: 'SIGTERM' })", (rt) => Application.main(spec, { runtime: rt, host, signals: bad('SIGTERM') }), 'Application.main',     'options.signals', 'SIGTERM'],
  ["main(spec, { type: 'forever' })",   (rt) => Application.main(spec, { runtime: rt, host, type: bad('forever') }), 'Application.main',          'options.type',    'forever'],
];

describe('bad input to Application', () => {
  it.each(calls)('%s is an InvalidArgumentError naming the argument and the value', async (_call, f, operation, argument, value) => {
    const rt = runtime();
    let e: unknown;
    try {
      await f(rt);
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toMatchObject({ operation, argument, value });
    expect((e as Error).message).toContain(`${operation}: argument '${argument}'`);
    expect(Application.isLoaded('app1', { runtime: rt })).toBe(false);
    expect(Application.getAllEnv('app1', { runtime: rt })).toEqual({});
    expect(rt.processes()).toEqual([]);
  });
});
