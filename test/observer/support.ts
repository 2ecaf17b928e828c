/**
 * Helpers for the observer's tests: an observer on a free port of 127.0.0.1 over a runtime with
 * a small tree, its api with and without the token, and its event stream read frame by frame.
 * Everything a helper starts is stopped by `stopObservers` (afterEach).
 */
import { DynamicSupervisor, GenServer, Next, Supervisor, type Context, type Runtime } from 'ts-otp';
import { Observer } from 'ts-otp/observer';

const running: Observer.RunningObserver[] = [];
const streams: AbortController[] = [];

/** Closes every observer and event stream a test opened. */
export async function stopObservers(): Promise<void> {
  for (const s of streams.splice(0)) s.abort();
  for (const o of running.splice(0)) await o.close();
}

export interface Api {
  readonly running: Observer.RunningObserver;
  readonly base: string;
  get(path: string, token?: string | null): Promise<{ status: number; body: unknown }>;
  post(path: string, token?: string | null): Promise<{ status: number; body: unknown }>;
}

/** Starts an observer over `rt` and returns its api; `token: null` sends none. */
export async function observe(rt: Runtime, options: Omit<Observer.StartOptions, 'runtime'> = {}): Promise<Api> {
  const r = await Observer.start({ runtime: rt, token: 'test-token-0123456789', ...options });
  running.push(r);
  const base = `${new URL(r.url).origin}${options.path ?? '/observer'}/api`;
  const request = async (method: string, path: string, token: string | null | undefined) => {
    const headers: Record<string, string> = token === null ? {} : { 'x-observer-token': token ?? r.token };
    const res = await fetch(`${base}/${path}`, { method, headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text (Mermaid)
    }
    return { status: res.status, body };
  };
  return { running: r, base, get: (p, t) => request('GET', p, t), post: (p, t) => request('POST', p, t) };
}

/** An open event stream: `next(event, match)` waits for the next frame of that event that matches. */
export async function events(api: Api): Promise<{ next<T>(event: string, match?: (data: T) => boolean): Promise<T> }> {
  const abort = new AbortController();
  streams.push(abort);
  const res = await fetch(`${api.base}/events?token=${api.running.token}`, { signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event !== undefined && data !== undefined) frames.push({ event, data: JSON.parse(data) });
        }
        wake?.();
      }
    } catch {
      // aborted
    }
  })();
  return {
    async next<T>(event: string, match: (data: T) => boolean = () => true): Promise<T> {
      for (;;) {
        const i = frames.findIndex((f) => f.event === event && match(f.data as T));
        if (i >= 0) return frames.splice(0, i + 1).pop()!.data as T;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

export interface Box {
  arg: string;
  state: { readonly value: string; readonly secret: string };
  call: { readonly type: 'get' };
  reply: { get: string };
  cast: { readonly type: 'put'; readonly value: string };
}

/** A server with a secret in its state that formatStatus hides. */
export const box: GenServer.Behaviour<Box> = {
  init: (value) => Next.ok({ value, secret: 'hunter2' }),
  handleCall: { get: (_m, _f, s) => Next.reply(s.value, s) },
  handleCast: { put: ({ value }, s) => Next.noreply({ ...s, value }) },
  handleInfo: (_msg, s) => Next.noreply(s),
  formatStatus: (s) => ({ value: s.value, secret: '***' }),
};

/**
 * root (one_for_one): box (a GenServer), idle (a plain process), jobs (a DynamicSupervisor with
 * one child without an id).
 */
export async function smallTree(rt: Runtime): Promise<void> {
  const idle: Supervisor.ChildSpec['start'] = (sup: Context) => ({ type: 'ok', pid: sup.spawnLink((ctx) => ctx.receive()) });
  const started = await Supervisor.start(
    {
      strategy: 'one_for_one',
      intensity: 100,
      children: [
        Supervisor.worker('box', box, 'hello', { name: 'box' }),
        { id: 'idle', start: idle },
        { id: 'jobs', type: 'supervisor', start: (sup) => DynamicSupervisor.startLink(sup, { name: 'jobs' }) },
      ],
    },
    { runtime: rt, name: 'root' },
  );
  if (started.type !== 'ok') throw new Error('no tree');
  await DynamicSupervisor.startChild(DynamicSupervisor.named('jobs', rt), { start: idle, restart: 'temporary' } as never);
}
