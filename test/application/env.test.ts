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
