/**
 * The example backend's graceful stop answers every request that reaches it, on keep-alive
 * connections too, and exits 0.
 *
 * Keep-alive connections are opened and used once, so that they sit idle on the server. Then:
 * some send a request just before SIGTERM; some are in the middle of a request when it arrives
 * (headers sent, the body still to come) and send the rest once the drain has begun; the rest
 * send a request only once the drain has begun, as a request still on its way over the network
 * would arrive. Every request must get its answer, every answer given during the drain must say
 * `Connection: close`, and the server must close every connection before it exits 0. The linger
 * is long here so that the test does not race it; the drain ends as soon as every connection
 * has closed.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { killBackends, loggedInOrder, startBackend, transcript, waitFor } from './backend_process.js';

afterEach(killBackends);

interface Response {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A raw HTTP/1.1 connection, so the test decides when each byte is written. */
class Connection {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #ended: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(port: number, host: string) {
    this.socket = connect(port, host);
    this.socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    this.socket.on('error', (error) => {
      this.#ended = error;
      this.#wake?.();
    });
    this.socket.on('close', () => {
      this.#ended ??= new Error('closed by the server before a whole response');
      this.#wake?.();
    });
  }

  /** Writes `data`; resolves once it is handed to the operating system. */
  write(data: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  /** The next whole response, or a rejection if the connection ends (or is reset) first. */
  async response(): Promise<Response> {
    for (;;) {
      const parsed = this.#take();
      if (parsed !== undefined) return parsed;
      if (this.#ended !== undefined) throw this.#ended;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Resolves when the server has closed the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => (this.socket.closed ? resolve() : this.socket.once('close', () => resolve())));
  }

  #take(): Response | undefined {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const status = Number(statusLine!.split(' ')[1]);
    if (headers['transfer-encoding'] !== 'chunked') {
      const length = Number(headers['content-length'] ?? 0);
      if (this.#buffer.length < end + 4 + length) return undefined;
      const body = this.#buffer.subarray(end + 4, end + 4 + length).toString();
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      return { status, headers, body };
    }
    let at = end + 4;
    let body = '';
    for (;;) {
      const lineEnd = this.#buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(this.#buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (this.#buffer.length < lineEnd + 2 + size + 2) return undefined;
      body += this.#buffer.subarray(lineEnd + 2, lineEnd + 2 + size).toString();
      at = lineEnd + 2 + size + 2;
      if (size === 0) break;
    }
    this.#buffer = this.#buffer.subarray(at);
    return { status, headers, body };
  }
}

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: backend\r\n\r\n`;

describe('the example backend stopping with keep-alive connections open', () => {
  it('answers every request, with Connection: close once draining, closes every connection and exits 0', async () => {
    const b = await startBackend(undefined, { OTP_BACKEND_LINGER_MS: '5000', OTP_BACKEND_GRACE_MS: '8000' });
    const { hostname, port } = new URL(b.url);
    const open = (n: number): Connection[] => Array.from({ length: n }, () => new Connection(Number(port), hostname));
    const beforeSignal = open(16);
    const midRequest = open(4);
    const onTheirWay = open(16);
    const all = [...beforeSignal, ...midRequest, ...onTheirWay];
    await Promise.all(all.map((c) => c.write(get('/health'))));
    for (const c of all) expect((await c.response()).status).toBe(200); // now idle keep-alive connections

    const body = (i: number): string => `value-${i}`;
    await Promise.all(midRequest.map((c, i) => c.write(`PUT /kv/late${i} HTTP/1.1\r\nHost: backend\r\nContent-Length: ${body(i).length}\r\n\r\nval`)));
    await Promise.all(beforeSignal.map((c) => c.write(get('/health'))));
    b.child.kill('SIGTERM');
    await waitFor(b, (r) => r['label'] === 'backend.http_draining', 'the drain');
    await Promise.all(midRequest.map((c, i) => c.write(body(i).slice(3))));
    await Promise.all(onTheirWay.map((c) => c.write(get('/kv/missing'))));

    const answer = (c: Connection): Promise<Response | string> => c.response().catch((error: Error) => `${error.message}`);
    const [early, mid, late] = await Promise.all([beforeSignal, midRequest, onTheirWay].map((group) => Promise.all(group.map(answer))));
    expect(early!.map((r) => (typeof r === 'string' ? r : r.status))).toEqual(beforeSignal.map(() => 200));
    expect(mid!.map((r) => (typeof r === 'string' ? r : JSON.parse(r.body)))).toEqual(midRequest.map((_c, i) => ({ key: `late${i}`, stored: true })));
    expect(late!.map((r) => (typeof r === 'string' ? r : r.status))).toEqual(onTheirWay.map(() => 404));
    expect([...mid!, ...late!].map((r) => (r as Response).headers['connection'])).toEqual([...midRequest, ...onTheirWay].map(() => 'close'));
    // A request answered before the signal was handled may have kept its connection alive: the
    // client closes it then, as clients close idle connections.
    for (const [i, r] of early!.entries()) if ((r as Response).headers['connection'] !== 'close') beforeSignal[i]!.socket.end();
    await Promise.all(all.map((c) => c.closed()));
    expect(await b.exited, transcript(b)).toBe(0);
    expect(loggedInOrder(b, ['application.shutdown', 'backend.http_draining', 'backend.http_stopped', 'application.stopped']), transcript(b)).toBe(true);
  });
});
