/**
 * The example backend as a real Node process, for the end-to-end tests: started on a free port,
 * its JSON log records collected, and killed (with its whole process group) after each test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Backend {
  readonly child: ChildProcess;
  readonly records: Array<Record<string, unknown>>;
  /** Lines that are not log records, such as npm's banner. */
  readonly otherLines: string[];
  readonly url: string;
  readonly exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/** Kills every backend a test started and whatever they started; for afterEach. */
export function killBackends(): void {
  for (const child of started.splice(0)) {
    try {
      // Each backend leads its own process group, so this also reaches a child it left behind.
      globalThis.process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
}

/** Waits until a log record matches, or fails with what was logged. */
export function waitFor(b: Pick<Backend, 'records'>, match: (r: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 15_000;
    const poll = (): void => {
      const found = b.records.find(match);
      if (found !== undefined) resolve(found);
      else if (Date.now() > deadline) reject(new Error(`no log record for ${what}; got ${JSON.stringify(b.records.map((r) => r['label']))}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/**
 * Starts the backend with `command` (by default `node --import tsx examples/backend/main.ts`) on
 * a free port and resolves once it has started, with the URL it listens on.
 */
export async function startBackend(command: readonly string[] = [globalThis.process.execPath, '--import', 'tsx', 'examples/backend/main.ts'], env: Record<string, string> = {}): Promise<Backend> {
  const [file, ...args] = command;
  const child = spawn(file!, args, {
    cwd: root,
    env: { ...globalThis.process.env, OTP_BACKEND_PORT: '0', OTP_BACKEND_FLAKY_CRASH_AFTER_MS: '60000', OTP_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group of its own, for killBackends
  });
  started.push(child);
  const records: Array<Record<string, unknown>> = [];
  const otherLines: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += String(chunk);
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) {
        otherLines.push(line);
        continue;
      }
      // A key written twice (pino's OS pid next to a report's ts-otp pid) is refused by some log stores.
      if ((line.match(/"pid":/g) ?? []).length > 1) throw new Error(`a log record with two pid keys: ${line}`);
      records.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  child.stderr!.resume();
  const outputEnded = new Promise<void>((resolve) => child.stdout!.once('end', resolve));
  // 'exit' can come before the last lines are read: wait for the end of the output too, but not
  // for ever, since an orphan left behind would hold the pipe open.
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      const limit = setTimeout(() => resolve(code), 2000);
      void outputEnded.then(() => {
        clearTimeout(limit);
        resolve(code);
      });
    }),
  );
  const listening = await waitFor({ records }, (r) => r['label'] === 'backend.listening', 'listening');
  await waitFor({ records }, (r) => r['label'] === 'application.started', 'started');
  return { child, records, otherLines, url: String(listening['url']), exited };
}

/** `true` when the labels appear in the records, in this order. */
export function loggedInOrder(b: Pick<Backend, 'records'>, labels: readonly string[]): boolean {
  const all = b.records.map((r) => r['label']);
  const at = labels.map((l) => all.indexOf(l));
  return at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1]!));
}

/** What a backend logged, for the message of a failed assertion. */
export function transcript(b: Pick<Backend, 'records' | 'otherLines'>): string {
  return JSON.stringify({ labels: b.records.map((r) => r['label']), other: b.otherLines });
}
