/**
 * A real `nats-server` for one test: started on a free 127.0.0.1 port with a token, stopped (and
 * waited for) after it. Nothing is left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Ends the server (SIGKILL by default: no goodbye to its clients) and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();

/** TLS for a test server: its certificate and key files, and, to verify clients' certificates, their CA's. */
export interface ServerTls {
  readonly certFile: string;
  readonly keyFile: string;
  readonly verifyClientsWith?: string;
}

/**
 * Starts `nats-server` listening on 127.0.0.1, on `port` or a free one it picks (`-p -1`), and
 * resolves once it accepts clients. It asks for `token` (a random one by default) or, given
 * `nkey` (a user's public NKey, `U...`), for that NKey instead (through a config file, removed
 * when it exits), or, given `user`, for that user and password. With `tls` it speaks TLS only.
 */
export async function startNatsServer(
  options: { port?: number; token?: string; nkey?: string; user?: { user: string; password: string }; tls?: ServerTls } = {},
): Promise<NatsServer> {
  const token = options.token ?? randomBytes(12).toString('hex');
  const args = ['-a', '127.0.0.1', '-p', String(options.port ?? -1)];
  const tls = options.tls;
  if (tls !== undefined) {
    args.push('--tls', '--tlscert', tls.certFile, '--tlskey', tls.keyFile);
    if (tls.verifyClientsWith !== undefined) args.push('--tlsverify', '--tlscacert', tls.verifyClientsWith);
  }
  let dir: string | undefined;
  if (options.user !== undefined) args.push('--user', options.user.user, '--pass', options.user.password);
  else if (options.nkey === undefined) args.push('--auth', token);
  else {
    dir = mkdtempSync(join(tmpdir(), 'ts-otp-nats-'));
    writeFileSync(join(dir, 'server.conf'), `authorization { users: [ { nkey: "${options.nkey}" } ] }\n`);
    args.push('-c', join(dir, 'server.conf'));
  }
  const child = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    running.delete(child);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${log}`)), 15_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`nats-server could not be started (apt-get install -y nats-server): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}: ${log}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      log += String(chunk);
      const m = /Listening for client connections on [\d.]+:(\d+)/.exec(log);
      if (m !== null && /Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  child.stderr!.resume();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    token,
    stop: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Stops every server a test started; for afterEach. */
export function stopNatsServers(): Promise<void> {
  return killAll(running);
}

/** Kills each child process with SIGKILL and resolves once all have exited. */
export async function killAll(children: Iterable<ChildProcess>): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
