/**
 * Cluster nodes as OS processes for the tests: each runs test/cluster/fixtures/node_main.ts under
 * tsx, joined to a cluster through a real nats-server, and is driven over its stdin and stdout.
 * Every process a test started is killed after it (`killNodes`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killAll, startNatsServer, type NatsServer } from './nats_server.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = fileURLToPath(new URL('../fixtures/node_main.ts', import.meta.url));

/** A line the node printed: an event, or the answer to a request. */
export type NodeEvent = { readonly event: string; readonly node?: string; readonly msg?: unknown; readonly at?: number; readonly [k: string]: unknown };

export interface NodeProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every event so far, in order. */
  readonly events: NodeEvent[];
  /** What it logged on stderr, for failure messages. */
  readonly log: string[];
  /** The first event from `from` on (an index into `events`) that matches; waits for it. */
  next(match: (e: NodeEvent) => boolean, what: string, from?: number): Promise<NodeEvent>;
  /** Sends a request and resolves with its answer (rejects with its error). */
  request<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Resolves with the exit code or signal once it has exited. */
  readonly exited: Promise<number | string | null>;
}

const started = new Set<ChildProcess>();

/** How long any wait may take before the test fails: a bound for failures, never a pause. */
export const LIMIT_MS = 15_000; // under vitest's test timeout, so that the failure says what was missing

/**
 * Starts a node process called `name` in `cluster` on `server`; resolves once it has joined.
 * `options.main`: another program speaking the same protocol (the demo's node), instead of the fixture.
 */
export async function startNode(name: string, server: Pick<NatsServer, 'url' | 'token'>, options: { cluster?: string; tickMs?: number; main?: string } = {}): Promise<NodeProcess> {
  const child = spawn(globalThis.process.execPath, ['--import', 'tsx', options.main ?? main], {
    cwd: root,
    env: {
      ...globalThis.process.env,
      OTP_NODE_NAME: name,
      OTP_NATS_URL: server.url,
      OTP_NATS_TOKEN: server.token,
      OTP_CLUSTER: options.cluster ?? 'test',
      OTP_TICK_MS: String(options.tickMs ?? 5000),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  started.add(child);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => started.delete(child));
  const events: NodeEvent[] = [];
  const log: string[] = [];
  const waiters = new Set<() => void>();
  const answers = new Map<number, (line: { ok?: unknown; error?: unknown }) => void>();
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += String(chunk);
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const record = JSON.parse(line) as NodeEvent & { id?: number };
      if (typeof record.id === 'number') answers.get(record.id)?.(record as { ok?: unknown; error?: unknown });
      else events.push(record);
    }
    for (const wake of [...waiters]) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => log.push(String(chunk)));
  let ids = 0;
  const node: NodeProcess = {
    name,
    child,
    events,
    log,
    exited,
    next: (match, what, from = 0) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = events.slice(from).find(match);
          if (found === undefined) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`node ${name}: no event ${what} within ${LIMIT_MS} ms; events ${JSON.stringify(events)}; log ${log.join('')}`));
        }, LIMIT_MS);
        const gone = (): void => {
          done();
          reject(new Error(`node ${name} exited before ${what}; events ${JSON.stringify(events)}; log ${log.join('')}`));
        };
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', gone);
        };
        waiters.add(check);
        child.once('exit', gone);
        check();
      }),
    request: <T>(op: string, args: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = ++ids;
        const timer = setTimeout(() => reject(new Error(`node ${name}: no answer to ${op} within ${LIMIT_MS} ms; log ${log.join('')}`)), LIMIT_MS);
        answers.set(id, (line) => {
          clearTimeout(timer);
          answers.delete(id);
          if ('error' in line) reject(Object.assign(new Error(`node ${name}: ${op} failed: ${JSON.stringify(line.error)}`), { detail: line.error }));
          else resolve(line.ok as T);
        });
        child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
      }),
  };
  await node.next((e) => e.event === 'joined', 'joined');
  return node;
}

/** Resolves once `node` is connected to each of `peers` (already, or by a later nodeup). */
export async function connectedTo(node: NodeProcess, peers: readonly string[]): Promise<void> {
  const joined = await node.next((e) => e.event === 'joined', 'joined');
  await Promise.all(
    peers
      .filter((p) => !(joined['nodes'] as string[]).includes(p))
      .map((p) => node.next((e) => e.event === 'nodeup' && e.node === p, `nodeup ${p}`)),
  );
}

/** Kills every node process a test started and waits for their exits; for afterEach. */
export function killNodes(): Promise<void> {
  return killAll(started);
}

/**
 * What `node`'s watchers reported from event index `from` on, up to the first poke (see the
 * fixture's 'poke'): everything they had received before it.
 */
export async function watched(node: NodeProcess, from: number, peer?: string): Promise<unknown[]> {
  const poke = await node.next((e) => e.event === 'watched' && (e.msg as { type?: string }).type === 'poke' && (peer === undefined || e.node === peer), 'poke', from);
  const upTo = node.events.indexOf(poke);
  return node.events.slice(from, upTo).filter((e) => e.event === 'watched' && (peer === undefined || e.node === peer)).map((e) => e.msg);
}

/** A new nats-server and nodes called `names` on it, each connected to all the others. */
export async function startCluster(...names: string[]): Promise<NodeProcess[]> {
  const server = await startNatsServer();
  const nodes = await Promise.all(names.map((n) => startNode(n, server)));
  await Promise.all(nodes.map((n) => connectedTo(n, names.filter((m) => m !== n.name))));
  return nodes;
}
