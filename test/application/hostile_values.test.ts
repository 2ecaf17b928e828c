/**
 * Values that fight back, thrown where the Application layer reports them: a prepStop or stop
 * callback that throws one, an uncaught one. The report is written (with the value described)
 * and the stop goes on in order.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Application, Supervisor } from 'ts-otp';
import { loggableError } from '../../src/errors.js';
import { memoryLogger, useRuntime } from '../support/runtime.js';

let log: ReturnType<typeof memoryLogger>;
const runtime = useRuntime(() => {
  log = memoryLogger();
  return { logger: log.logger };
});

const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingMessage = (): Error =>
  Object.defineProperty(new Error('x'), 'message', {
    get(): never {
      throw new Error('message getter');
    },
  });
const withHostileCause = (): Error => new Error('outer', { cause: revoked() });

// prettier-ignore
const hostile: Array<[name: string, make: () => unknown, described: string]> = [
  ['a revoked Proxy',                     revoked,          '[revoked Proxy]'],
  ['an Error whose message getter throws', throwingMessage,  'Error: [throwing getter]'],
  ['an Error whose cause is a revoked Proxy', withHostileCause, 'Error: outer'],
];

describe.each(hostile)('%s', (_name, make, described) => {
  it('is logged by its description', () => {
    expect(loggableError(make())).toBe(described);
  });

  it('thrown by prepStop and stop, is reported, and the application still stops in order', async () => {
    const rt = runtime();
    const order: string[] = [];
    const app: Application.ApplicationSpec = {
      name: 'app1',
      start: (master) => Supervisor.startLink(master, { children: [] }),
      prepStop: () => {
        order.push('prepStop');
        throw make();
      },
      stop: () => {
        order.push('stop');
        throw make();
      },
    };
    await Application.start(app, { runtime: rt });
    expect(await Application.stop('app1', { runtime: rt })).toEqual({ type: 'ok' });
    expect(order).toEqual(['prepStop', 'stop']);
    expect(log.records.filter((r) => r['level'] === 50).map((r) => [r['label'], r['err']])).toEqual([
      ['application.prep_stop_failed', described],
      ['application.stop_failed', described],
    ]);
  });

  it('uncaught, is reported by main, which stops everything and exits 1', async () => {
    const rt = runtime();
    const codes: number[] = [];
    const host = Object.assign(new EventEmitter(), { exit: (code: number) => void codes.push(code) });
    await Application.main({ name: 'app1', start: (master) => Supervisor.startLink(master, { children: [] }) }, { runtime: rt, host });
    host.emit('uncaughtException', make());
    await expect.poll(() => codes).toEqual([1]);
    expect(log.records.find((r) => r['label'] === 'application.uncaught')).toMatchObject({ level: 60, err: described });
    expect(Application.whichApplications({ runtime: rt })).toEqual([]);
  });
});

describe('loggableError', () => {
  it('passes an ordinary error on as it is, for the logger to serialize in full', () => {
    const error = Object.assign(new Error('boom', { cause: new RangeError('inner') }), { code: 'E_BOOM' });
    expect(loggableError(error)).toBe(error);
    expect(loggableError('a string')).toBe('a string');
    expect(loggableError(undefined)).toBeUndefined();
  });
});
