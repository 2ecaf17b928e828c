/**
 * The package as a user installs it: `npm pack` (which builds through `prepare`, rewriting this
 * repository's dist/ as `npm run build` does), then `npm install <tarball>` into a scratch project
 * in a temporary folder, used from ESM, from CommonJS and from TypeScript; its test kit
 * 'ts-otp/testing' the same ways, and under node:test.
 *
 * The install is offline. The repository's lock file records no download addresses (the npmrc here
 * omits them), so the scratch project gets a lock seeded with the runtime dependencies' versions,
 * integrities and registry addresses: npm then takes their tarballs from the cache `npm ci` filled,
 * by integrity, and asks no registry for package metadata.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const exec = promisify(execFile);
let tmp = '';
let project = '';
afterAll(() => {
  if (tmp !== '') rmSync(tmp, { recursive: true, force: true });
});

/** Runs a command; on failure the error carries its output, which is what one needs to read. */
async function run(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    return (await exec(file, args, { cwd, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: e });
  }
}

interface LockEntry { readonly version: string; readonly dev?: boolean; readonly resolved?: string }

/** The repository's runtime dependencies as lock entries, each with the address npm would fetch. */
function seededLock(): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const registry = (process.env['npm_config_registry'] ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
  const packages: Record<string, object> = { '': { name: 'scratch' } };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const file = `${name.slice(name.lastIndexOf('/') + 1)}-${entry.version}.tgz`;
    packages[path] = { ...entry, resolved: entry.resolved ?? `${registry}${name}/-/${file}` };
  }
  return { name: 'scratch', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ts-otp-install-'));
  project = join(tmp, 'project');
  const packed = join(tmp, 'packed');
  mkdirSync(packed);
  await run('npm', ['pack', '--pack-destination', packed], root);
  const tarballs = readdirSync(packed).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(seededLock()));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(packed, tarballs[0]!)], project);
}, 120_000);

// Spawns an echo process and waits for its reply: the runtime really works from the installed copy.
const echo = `async (ctx) => {
  const echo = ctx.spawn(async (self) => {
    const m = await self.receive();
    self.send(m.from, { pong: m.n });
  });
  ctx.send(echo, { from: ctx.self, n: 42 });
  return (await ctx.receive()).pong;
}`;

describe('the installed package', () => {
  it('runs from an ES module', async () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { Runtime } from 'ts-otp';\nconsole.log(JSON.stringify(await new Runtime().run(${echo})));\n`,
    );
    expect(JSON.parse(await run(process.execPath, ['esm.mjs'], project))).toBe(42);
  });

  it('runs from CommonJS through require, as the same module instance an import gets', async () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      [
        `const otp = require('ts-otp');`,
        `import('ts-otp').then(async (esm) => {`,
        `  const reply = await new otp.Runtime().run(${echo});`,
        `  console.log(JSON.stringify({ reply, same: esm.Runtime === otp.Runtime }));`,
        `});`,
      ].join('\n'),
    );
    expect(JSON.parse(await run(process.execPath, ['cjs.cjs'], project))).toEqual({ reply: 42, same: true });
  });

  // The test kit from the tarball: its assertion and virtual clock on a runtime the main entry made.
  const kit = `async ({ Runtime }, { VirtualClock, assertReceive, assertNoLeaks }) => {
  const clock = new VirtualClock();
  const rt = new Runtime({ clock });
  const inbox = rt.inbox();
  rt.sendAfter(5000, inbox.self, { type: 'tick', n: 1 });
  const got = await assertReceive(inbox, { type: 'tick' }, 10000);
  inbox.close();
  assertNoLeaks(rt);
  return { n: got.n, at: clock.now() };
}`;

  it("runs the test kit 'ts-otp/testing' from an ES module", async () => {
    writeFileSync(
      join(project, 'kit.mjs'),
      `import * as otp from 'ts-otp';\nimport * as testing from 'ts-otp/testing';\nconsole.log(JSON.stringify(await (${kit})(otp, testing)));\n`,
    );
    expect(JSON.parse(await run(process.execPath, ['kit.mjs'], project))).toEqual({ n: 1, at: 5000 });
  });

  it("runs the test kit from CommonJS, on the same runtime module as require('ts-otp')", async () => {
    writeFileSync(
      join(project, 'kit.cjs'),
      `(${kit})(require('ts-otp'), require('ts-otp/testing')).then((r) => console.log(JSON.stringify(r)));\n`,
    );
    expect(JSON.parse(await run(process.execPath, ['kit.cjs'], project))).toEqual({ n: 1, at: 5000 });
  });

  it('runs the test kit under node:test, its cleanup given to t.after', async () => {
    writeFileSync(
      join(project, 'kit.test.mjs'),
      [
        `import { test } from 'node:test';`,
        `import assert from 'node:assert/strict';`,
        `import { Supervisor } from 'ts-otp';`,
        `import { otpTest, findLeaks } from 'ts-otp/testing';`,
        `let runtime;`,
        `test('a supervised child, stopped when the test ends', async (t) => {`,
        `  const kit = otpTest({ onFinished: (cleanup) => t.after(cleanup), clock: 'virtual' });`,
        `  runtime = kit.runtime;`,
        `  const spec = { id: 'w', start: (sup) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) }) };`,
        `  const pid = await kit.startSupervised(spec);`,
        `  kit.inbox.monitor(pid);`,
        `  kit.runtime.exit(pid, 'kill');`,
        `  const down = await kit.assertReceive({ type: 'DOWN', pid });`,
        `  assert.equal(down.reason, 'killed');`,
        `  await kit.refuteReceive({ type: 'DOWN' });`,
        `  assert.equal(kit.clock.now(), 100);`,
        `});`,
        `test('the first test left nothing', () => {`,
        `  assert.deepEqual(findLeaks(runtime), { processes: [], timers: 0, listeners: {}, node: undefined, workers: 0 });`,
        `});`,
        '',
      ].join('\n'),
    );
    const out = await run(process.execPath, ['--test', '--test-reporter=tap', 'kit.test.mjs'], project);
    expect(out).toMatch(/^# pass 2$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it('ships the sources its source maps and declaration maps name', () => {
    const pkg = join(project, 'node_modules', 'ts-otp');
    const maps = readdirSync(join(pkg, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(20);
    const missing = maps.flatMap((m) => {
      const file = join(pkg, 'dist', m);
      const { sources } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] };
      return sources.map((s) => resolve(dirname(file), s)).filter((s) => !existsSync(s));
    });
    expect(missing).toEqual([]);
  });

  it("serves the observer from 'ts-otp/observer', page and chart library included, from ESM and CommonJS", async () => {
    const serve = (load: string) => [
      load,
      `const rt = new Runtime();`,
      `const running = await Observer.start({ runtime: rt });`,
      `const origin = new URL(running.url).origin;`,
      `const status = async (path) => (await fetch(origin + '/observer/' + path)).status;`,
      `const statuses = [await status(''), await status('app.js'), await status('uplot.js'), await status('api/tree')];`,
      `await running.close();`,
      `console.log(JSON.stringify(statuses));`,
    ].join('\n');
    writeFileSync(join(project, 'observer.mjs'), serve(`import { Runtime } from 'ts-otp';\nimport { Observer } from 'ts-otp/observer';`));
    writeFileSync(join(project, 'observer.cjs'), `(async () => {\n${serve(`const { Runtime } = require('ts-otp');\nconst { Observer } = require('ts-otp/observer');`)}\n})();`);
    expect(JSON.parse(await run(process.execPath, ['observer.mjs'], project))).toEqual([200, 200, 200, 403]);
    expect(JSON.parse(await run(process.execPath, ['observer.cjs'], project))).toEqual([200, 200, 200, 403]);
  });

  // A @ts-expect-error that is not needed fails the check, so types that decayed to `any` fail too.
  const consumer = [
    `import { Application, DynamicSupervisor, GenServer, Next, Runtime, Supervisor, type Context, type Pid } from 'ts-otp';`,
    `interface Counter { arg: number; state: number; call: { readonly type: 'add'; readonly by: number }; reply: { add: number } }`,
    `const counter: GenServer.Behaviour<Counter> = {`,
    `  init: (n) => Next.ok(n),`,
    `  handleCall: { add: ({ by }, _from, n) => Next.reply(n + by, n + by) },`,
    `};`,
    `export async function add(rt: Runtime): Promise<number> {`,
    `  const started = await GenServer.start(counter, 0, { runtime: rt });`,
    `  if (started.type !== 'ok') throw new Error('not started');`,
    `  // @ts-expect-error: the protocol has no 'sub' call`,
    `  void GenServer.call(started.pid, { type: 'sub', by: 1 });`,
    `  return GenServer.call(started.pid, { type: 'add', by: 2 });`,
    `}`,
    `export const self = (ctx: Context<string>): Pid => ctx.self;`,
    `import { Observer } from 'ts-otp/observer';`,
    `export const observe = (rt: Runtime): Observer.ObserverHandler => Observer.handler({ runtime: rt, supervisors: [Supervisor.named('root', rt)] });`,
    `// @ts-expect-error: the path is a string`,
    `export const bad = (rt: Runtime) => Observer.handler({ runtime: rt, path: 42 });`,
    `interface Getter { state: number; call: { readonly type: 'get' }; reply: { get: number } }`,
    `const getter: GenServer.Behaviour<Getter> = { init: () => Next.ok(1), handleCall: { get: (_r, _f, s) => Next.reply(s, s) } };`,
    `export const starts = (rt: Runtime) => [`,
    `  GenServer.start(getter, undefined, { runtime: rt }),`,
    `  Supervisor.start({ children: [] }, { runtime: rt }),`,
    `  DynamicSupervisor.start({ runtime: rt }),`,
    `  Application.whichApplications({ runtime: rt }),`,
    `];`,
    `import { assertReceive, otpTest, VirtualClock, type OtpTest } from 'ts-otp/testing';`,
    `import type { DownMessage } from 'ts-otp';`,
    `export async function down(t: OtpTest<DownMessage | string>): Promise<string> {`,
    `  const msg = await assertReceive(t.inbox, { type: 'DOWN' }, 50);`,
    `  // @ts-expect-error: a DOWN message has no 'from'`,
    `  void msg.from;`,
    `  return String(msg.reason);`,
    `}`,
    `export const kit = () => otpTest({ clock: new VirtualClock(0) });`,
    '',
  ].join('\n');
  const check = (files: readonly string[], options: readonly string[]): Promise<string> =>
    run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), ...options, ...files], project);

  // With library checks on, the shipped declarations must type-check too: both trees, the ESM
  // one and dist/cjs-types, read through the export map as a consumer reads them.
  it.each(['node16', 'nodenext'])('type-checks for ESM and CommonJS consumers under module %s, library checks on', async (mode) => {
    writeFileSync(join(project, 'consumer.mts'), consumer);
    writeFileSync(join(project, 'consumer.cts'), consumer);
    const options = ['--module', mode, '--moduleResolution', mode, '--skipLibCheck', 'false'];
    await expect(check(['consumer.mts', 'consumer.cts'], options)).resolves.toBe('');
  }, 60_000);

  it('type-checks for a consumer on module commonjs, which reads the top-level types field', async () => {
    writeFileSync(join(project, 'legacy.ts'), consumer);
    const options = ['--module', 'commonjs', '--moduleResolution', 'node10', '--esModuleInterop', '--skipLibCheck', 'true'];
    await expect(check(['legacy.ts'], options)).resolves.toBe('');
  }, 60_000);
});
