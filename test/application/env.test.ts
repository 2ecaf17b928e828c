import { afterEach, describe, expect, it, vi } from 'vitest';
import { Application, InvalidArgumentError } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
afterEach(() => {
  vi.unstubAllEnvs();
});

const web: Application.ApplicationSpec<{ port: number; host: string; 'max-conns': number }> = {
  name: 'web-api',
  env: { port: 8080, host: 'localhost', 'max-conns': 10 },
  start: () => ({ type: 'error', reason: 'not started in these tests' }),
};

describe('application env', () => {
  it('layers defaults, then the load config, then environment variables, then putEnv', () => {
    const rt = runtime();
    vi.stubEnv('OTP_WEB_API_PORT', '9100'); // JSON: a number
    vi.stubEnv('OTP_WEB_API_MAX_CONNS', '25');
    vi.stubEnv('OTP_WEB_API_HOST', '0.0.0.0'); // not JSON: the string itself
    Application.load(web, { runtime: rt, config: { port: 9000, 'max-conns': 20 } });
    expect(Application.getAllEnv(web, { runtime: rt })).toEqual({ host: '0.0.0.0', 'max-conns': 25, port: 9100 });
    Application.putEnv('web-api', 'port', 9200, { runtime: rt });
    expect(Application.getEnv(web, 'port', { runtime: rt })).toBe(9200);
  });

  it('names environment variables OTP_<APP>_<KEY>, upper-cased, other characters as _', () => {
    expect(Application.envVarName('web-api', 'max-conns')).toBe('OTP_WEB_API_MAX_CONNS');
  });

  it('keeps env separate per runtime', () => {
    const a = runtime();
    Application.load(web, { runtime: a });
    Application.putEnv('web-api', 'port', 1, { runtime: a });
    expect(Application.getEnv('web-api', 'port')).toBeUndefined(); // the default runtime knows no web-api
  });

  it('refuses a bad spec at the call, naming the field', () => {
    const rt = runtime();
    expect(() => Application.load({ name: 'x', start: 'no' as never }, { runtime: rt })).toThrow(InvalidArgumentError);
    expect(() => Application.load({ name: 'x', start: () => ({ type: 'ignore' }), dependencies: [42 as never] }, { runtime: rt })).toThrow(
      expect.objectContaining({ argument: 'spec.dependencies', value: [42] }),
    );
    expect(() => Application.load({ name: '', start: () => ({ type: 'ignore' }) }, { runtime: rt })).toThrow(InvalidArgumentError);
  });
});

describe('an application master killed from outside', () => {
  it('fails a start still waiting and stops counting the application as running', async () => {
    const rt = runtime();
    const slow: Application.ApplicationSpec = { name: 'slow', start: () => new Promise(() => {}) }; // never finishes starting
    const started = Application.start(slow, { runtime: rt });
    await vi.waitFor(() => expect(rt.processes().length).toBe(1));
    rt.killAll();
    expect(await started).toEqual({ type: 'error', reason: { tag: 'start_failed', name: 'slow', reason: 'killed' } });
    expect(Application.whichApplications({ runtime: rt })).toEqual([]);
  });
});

describe('stopping an application twice at once', () => {
  it('makes the second wait for the first and then say not_started, as OTP 25 (checked with escript)', async () => {
    const rt = runtime();
    let stops = 0;
    const app: Application.ApplicationSpec = {
      name: 'twice',
      start: (master) => ({ type: 'ok', pid: master.spawnLink((ctx) => ctx.receive()) }),
      stop: () => void stops++,
    };
    await Application.start(app, { runtime: rt });
    const [a, b] = await Promise.all([Application.stop('twice', { runtime: rt }), Application.stop('twice', { runtime: rt })]);
    expect([a, b]).toEqual([{ type: 'ok' }, { type: 'error', reason: { tag: 'not_started', name: 'twice' } }]);
    expect(stops).toBe(1);
  });
});

describe('a stop asked while the tree dies on its own', () => {
  it('resolves ok once the application has stopped, its stop run once, as OTP 25 (checked with escript)', async () => {
    const rt = runtime();
    let stops = 0;
    let top: import('ts-otp').Pid | undefined;
    const app: Application.ApplicationSpec = {
      name: 'dying',
      start: (master) => {
        top = master.spawnLink((ctx) => ctx.receive());
        return { type: 'ok', pid: top };
      },
      prepStop: async (s) => s,
      stop: () => void stops++,
    };
    await Application.start(app, { runtime: rt });
    rt.exit(top!, 'boom'); // the master is now running prepStop for the dead tree
    await Promise.resolve();
    expect(await Application.stop('dying', { runtime: rt })).toEqual({ type: 'ok' });
    expect(stops).toBe(1);
    expect(Application.whichApplications({ runtime: rt })).toEqual([]);
  });
});
