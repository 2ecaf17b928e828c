/**
 * Conformance, group G (application): one test per catalog entry, asserting what OTP 25 did.
 *
 * Applications are declared as specs whose start callback start_links a top supervisor of
 * logging workers (init logs `start <id>`, terminate logs `stop <id> <reason>`; workers trap exits
 * unless a test says otherwise), and whose prepStop and stop log `app_prep_stop` / `app_stop`.
 * Where the node would halt (G08, G09), the runtime's halt hook records the status instead.
 * Erlang shapes as ts-otp writes them: `{error, {not_started, app1}}` is
 * `{ type: 'error', reason: { tag: 'not_started', name: 'app1' } }`; the start callback's error
 * wrapped with its MFA is `{ tag: 'start_failed', name, reason }`; an unknown application (no
 * .app file) is `{ tag: 'not_loaded', name }`.
 */
import { describe, expect, it } from 'vitest';
import { Application, GenServer, Next, Supervisor, formatReason, type DownMessage, type Pid, type Runtime } from 'ts-otp';
import { manualClock, memoryLogger, useRuntime } from '../support/runtime.js';

const runtime = useRuntime(() => ({ clock: manualClock(), logger: memoryLogger().logger }));

interface Worker {
  arg: { readonly id: string; readonly trap: boolean; readonly log: string[] };
  state: { readonly id: string; readonly log: string[] };
}

const worker: GenServer.Behaviour<Worker> = {
  init: ({ id, trap, log }, ctx) => {
    if (trap) ctx.trapExit(true);
    log.push(`start ${id}`);
    return Next.ok({ id, log });
  },
  terminate: (reason, { id, log }) => {
    log.push(`stop ${id} ${formatReason(reason)}`);
  },
};

interface AppOptions {
  readonly dependencies?: string[];
  readonly children?: ReadonlyArray<string | { readonly id: string; readonly trap: boolean }>;
  readonly env?: Record<string, unknown>;
  readonly version?: string;
}

/** An application whose top supervisor runs logging workers; `tops` gets each top pid. */
function app(name: string, log: string[], options: AppOptions = {}, tops?: Map<string, Pid>): Application.ApplicationSpec {
  return {
    name,
    ...(options.version === undefined ? {} : { version: options.version }),
    dependencies: options.dependencies ?? [],
    env: options.env ?? {},
    start: async (master) => {
      log.push(`app_start ${name} normal`);
      const children = (options.children ?? []).map((c) => {
        const { id, trap } = typeof c === 'string' ? { id: c, trap: true } : c;
        return Supervisor.worker(id, worker, { id, trap, log }, { shutdown: 1000 });
      });
      const started = await Supervisor.startLink(master, { children });
      if (started.type === 'ok') tops?.set(name, started.pid);
      return started;
    },
    prepStop: (state) => {
      log.push(`app_prep_stop ${name}`);
      return state;
    },
    stop: () => {
      log.push(`app_stop ${name}`);
    },
  };
}

/** Resolves when `pid` has exited, with its reason; the monitor is set up before this returns. */
async function down(rt: Runtime, pid: Pid): Promise<DownMessage['reason']> {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  const msg = (await inbox.receiveRef(ref)) as DownMessage;
  inbox.close();
  return msg.reason;
}

/** Resolves once the runtime's halt hook is called, with the status. */
function halted(rt: Runtime): Promise<number> {
  return new Promise((resolve) => Application.onHalt(resolve, { runtime: rt }));
}

describe('G. application', () => {
  it('G01 start runs start (top supervisor and children); stop runs prepStop, stops the tree, then stop', async () => {
    const rt = runtime();
    const log: string[] = [];
    expect(Application.load(app('app1', log, { children: ['a', 'b'] }), { runtime: rt })).toEqual({ type: 'ok' });
    log.push(`start ${JSON.stringify(await Application.start('app1', { runtime: rt }))}`);
    log.push(`running ${Application.whichApplications({ runtime: rt }).some((a) => a.name === 'app1')}`);
    log.push(`stop ${JSON.stringify(await Application.stop('app1', { runtime: rt }))}`);
    log.push(`running ${Application.whichApplications({ runtime: rt }).some((a) => a.name === 'app1')}`);
    log.push(`loaded ${Application.isLoaded('app1', { runtime: rt })}`);
    expect(log).toEqual([
      'app_start app1 normal',
      'start a',
      'start b',
      'start {"type":"ok"}',
      'running true',
      'app_prep_stop app1',
      'stop b shutdown',
      'stop a shutdown',
      'app_stop app1',
      'stop {"type":"ok"}',
      'running false',
      'loaded true',
    ]);
  });

  it('G02 starting an application whose dependency is not started fails with not_started and runs nothing', async () => {
    const rt = runtime();
    const log: string[] = [];
    Application.load(app('app1', log), { runtime: rt });
    Application.load(app('app2', log, { dependencies: ['app1'] }), { runtime: rt });
    expect(await Application.start('app2', { runtime: rt })).toEqual({ type: 'error', reason: { tag: 'not_started', name: 'app1' } });
    expect(log).toEqual([]);
    expect(await Application.start('app1', { runtime: rt })).toEqual({ type: 'ok' });
    expect(await Application.start('app2', { runtime: rt })).toEqual({ type: 'ok' });
    expect(log).toEqual(['app_start app1 normal', 'app_start app2 normal']);
  });

  it('G03 ensureAllStarted starts dependencies first and returns what it started', async () => {
    const rt = runtime();
    const log: string[] = [];
    Application.load(app('app1', log), { runtime: rt });
    Application.load(app('app2', log, { dependencies: ['app1'] }), { runtime: rt });
    Application.load(app('app3', log, { dependencies: ['app2'] }), { runtime: rt });
    expect(await Application.ensureAllStarted('app3', { runtime: rt })).toEqual({ type: 'ok', started: ['app1', 'app2', 'app3'] });
    expect(await Application.ensureAllStarted('app3', { runtime: rt })).toEqual({ type: 'ok', started: [] });
    expect(log).toEqual(['app_start app1 normal', 'app_start app2 normal', 'app_start app3 normal']);
  });

  it('G05 env: getEnv, putEnv, unsetEnv, getAllEnv, defaults, putEnv before load, version', () => {
    const rt = runtime();
    const log: string[] = [];
    const o = { runtime: rt };
    expect(Application.getEnv('app1', 'k', o)).toBeUndefined(); // before load
    Application.load(app('app1', log, { env: { k: 1, j: 'x' }, version: '1.0' }), o);
    expect(Application.getEnv('app1', 'k', o)).toBe(1);
    Application.putEnv('app1', 'k', 2, o);
    expect(Application.getEnv('app1', 'k', o)).toBe(2);
    expect(Application.getEnv('app1', 'missing', { ...o, fallback: 'dflt' })).toBe('dflt');
    expect(Application.getAllEnv('app1', o)).toEqual({ j: 'x', k: 2 });
    Application.unsetEnv('app1', 'k', o);
    expect(Application.getEnv('app1', 'k', o)).toBeUndefined();
    Application.putEnv('app9', 'k', 'v', o); // never loaded
    expect(Application.getEnv('app9', 'k', o)).toBe('v');
    expect(log).toEqual([]);
  });

  it("G06 a temporary application's dead top supervisor stops only that application; prepStop and stop still run", async () => {
    const rt = runtime();
    const log: string[] = [];
    const tops = new Map<string, Pid>();
    const codes: number[] = [];
    Application.onHalt((code) => codes.push(code), { runtime: rt });
    Application.load(app('app1', log, { children: [{ id: 'a', trap: false }] }, tops), { runtime: rt });
    Application.load(app('app2', log, { children: ['b'] }, tops), { runtime: rt });
    await Application.start('app1', { runtime: rt, type: 'temporary' });
    await Application.start('app2', { runtime: rt, type: 'temporary' });
    const top = tops.get('app1')!;
    const gone = down(rt, top);
    rt.exit(top, 'kill');
    expect(await gone).toBe('killed');
    await rt.settle();
    expect(log).toEqual(['app_start app1 normal', 'start a', 'app_start app2 normal', 'start b', 'app_prep_stop app1', 'app_stop app1']);
    expect(Application.whichApplications({ runtime: rt }).map((a) => a.name)).toEqual(['app2']);
    expect(codes).toEqual([]); // the node keeps running
  });

  it("G08 a permanent application's dead top supervisor stops every other application, last started first, then halts with status 1", async () => {
    const rt = runtime();
    const log: string[] = [];
    const tops = new Map<string, Pid>();
    const halt = halted(rt);
    Application.load(app('app2', log, { children: ['b'] }, tops), { runtime: rt });
    Application.load(app('app1', log, { children: [{ id: 'a', trap: false }] }, tops), { runtime: rt });
    await Application.start('app2', { runtime: rt, type: 'temporary' });
    await Application.start('app1', { runtime: rt, type: 'permanent' });
    rt.exit(tops.get('app1')!, 'kill');
    expect(await halt).toBe(1);
    expect(log).toEqual([
      'app_start app2 normal',
      'start b',
      'app_start app1 normal',
      'start a',
      'app_prep_stop app1',
      'app_stop app1',
      'app_prep_stop app2',
      'stop b shutdown',
      'app_stop app2',
    ]);
    expect(Application.whichApplications({ runtime: rt })).toEqual([]);
  });

  it('G09 a transient application whose top process exits abnormally halts with status 1; a normal exit does not', async () => {
    const rt = runtime();
    const log: string[] = [];
    const codes: number[] = [];
    Application.onHalt((code) => codes.push(code), { runtime: rt });
    const plain = (name: string, reason: unknown): Application.ApplicationSpec => ({
      name,
      start: (master) => {
        log.push(`app_start ${name} normal`);
        return { type: 'ok', pid: master.spawnLink(async (ctx) => (reason === 'normal' ? undefined : ctx.exit(await ctx.receive()))) };
      },
      prepStop: (s) => (log.push(`app_prep_stop ${name}`), s),
      stop: () => void log.push(`app_stop ${name}`),
    });
    const halt = halted(rt);
    await Application.start(plain('calm', 'normal'), { runtime: rt, type: 'transient' });
    await rt.settle();
    expect(codes).toEqual([]);
    await Application.start(plain('app1', 'boom'), { runtime: rt, type: 'transient' });
    const top = rt.processes().at(-1)!;
    rt.send(top, 'boom');
    expect(await halt).toBe(1);
    expect(log).toEqual(['app_start calm normal', 'app_prep_stop calm', 'app_stop calm', 'app_start app1 normal', 'app_prep_stop app1', 'app_stop app1']);
  });

  it('G10 start and stop errors: already started, not started, unknown, a failing start (wrapped), loaded twice', async () => {
    const rt = runtime();
    const log: string[] = [];
    const o = { runtime: rt };
    await Application.start(app('app1', log), o);
    expect(await Application.start('app1', o)).toEqual({ type: 'error', reason: { tag: 'already_started', name: 'app1' } });
    Application.load(app('app2', log), o);
    expect(await Application.stop('app2', o)).toEqual({ type: 'error', reason: { tag: 'not_started', name: 'app2' } });
    expect(await Application.start('nope', o)).toEqual({ type: 'error', reason: { tag: 'not_loaded', name: 'nope' } });
    const failing: Application.ApplicationSpec = {
      name: 'app3',
      start: () => {
        log.push('app_start app3 normal');
        return { type: 'error', reason: 'bad_config' };
      },
    };
    expect(await Application.start(failing, o)).toEqual({ type: 'error', reason: { tag: 'start_failed', name: 'app3', reason: 'bad_config' } });
    expect(Application.whichApplications(o).map((a) => a.name)).toEqual(['app1']);
    // OTP's already_loaded carries the whole in-memory spec; ts-otp names the application.
    expect(Application.load(app('app1', log), o)).toEqual({ type: 'error', reason: { tag: 'already_loaded', name: 'app1' } });
    expect(log).toEqual(['app_start app1 normal', 'app_start app3 normal']);
    await Application.stopAll(o);
  });
});
