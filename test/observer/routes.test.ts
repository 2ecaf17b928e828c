/**
 * The observer's api over HTTP: the tree with restart counts and last exits, the timeline, the
 * process table, a process's page, the actions, the Mermaid export and the event stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DynamicSupervisor, GenServer, Next, Supervisor, type Pid } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';
import { events, observe, smallTree, stopObservers, type Box } from './support.js';

const runtime = useRuntime();
afterEach(stopObservers);

interface Node { id: string | undefined; pid: string | undefined; kind?: string; restarts?: number; lastExit?: string; restartable: boolean; children?: Node[] }
interface Tree { label: string; pid: string; children: Node[] }
const child = (trees: Tree[], id: string): Node => trees[0]!.children.find((c) => c.id === id)!;

describe('the tree', () => {
  it('lists both kinds of supervisor with their children', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const { status, body } = await api.get('tree');
    expect(status).toBe(200);
    const [root] = body as Tree[];
    expect(root).toMatchObject({ label: 'root', pid: rt.whereis('root') });
    expect(root!.children).toMatchObject([
      { id: 'box', type: 'worker', restarts: 0, restartable: true },
      { id: 'idle', type: 'worker', restarts: 0 },
      { id: 'jobs', type: 'supervisor', kind: 'dynamic', children: [{ type: 'worker', restartable: false }] },
    ]);
    expect(root!.children[2]!.children![0]!).not.toHaveProperty('id'); // started without one
    expect(root!.children[2]!.children![0]!.restarts).toBeUndefined(); // no stable place under a DynamicSupervisor
  });

  it('counts a restart and keeps the last exit reason of each child', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const first = child((await api.get('tree')).body as Tree[], 'idle');
    const stream = await events(api);
    rt.exit(first.pid as Pid, 'boom');
    const trees = await stream.next<Tree[]>('tree', (t) => child(t, 'idle').pid !== first.pid);
    expect(child(trees, 'idle')).toMatchObject({ restarts: 1, lastExit: '"boom"' });
    expect(child(trees, 'box')).toMatchObject({ restarts: 0 });
    const timeline = (await api.get('timeline')).body as Array<{ kind: string; pid: string; place: string; reason: string }>;
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'crash', pid: first.pid, place: 'root/idle', reason: '"boom"' }),
      expect.objectContaining({ kind: 'restart', pid: child(trees, 'idle').pid, place: 'root/idle', reason: '"boom"' }),
    ]);
  });

  it('exports the tree as Mermaid text', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const { status, body } = await api.get('mermaid');
    expect(status).toBe(200);
    const text = body as string;
    expect(text.split('\n')[0]).toBe('graph TD');
    expect(text).toContain(`n0["root ${rt.whereis('root')!.replace('<', '#lt;').replace('>', '#gt;')}"]`);
    expect(text).toMatch(/n0 --> n1\n/);
    expect(text).toMatch(/n\d+\["jobs #lt;[\d.]+#gt; \(dynamic\)"\]/);
    expect(text).not.toMatch(/\["[^"]*[<>]/); // a pid's angle brackets would break a Mermaid label
  });
});

describe('the process table', () => {
  it('filters, sorts and pages', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt);
    const all = (await api.get('processes')).body as { total: number; matched: number; rows: Array<{ pid: string; name?: string; behaviour: string }> };
    expect(all.total).toBe(rt.processes().length);
    expect(all.rows.map((r) => r.pid)).toEqual(rt.processes()); // by pid, in spawn order
    const boxes = (await api.get('processes?filter=box')).body as typeof all;
    expect(boxes.rows).toMatchObject([{ name: 'box', behaviour: 'gen_server', status: 'waiting' }]);
    const named = (await api.get('processes?sort=name&dir=desc&limit=2')).body as typeof all;
    expect(named.rows.map((r) => r.name)).toEqual(['root', 'jobs']);
    const second = (await api.get('processes?offset=1&limit=1')).body as typeof all;
    expect(second).toMatchObject({ offset: 1, rows: [{ pid: rt.processes()[1] }] });
    const newest = (await api.get('processes?dir=desc&offset=1&limit=2')).body as typeof all;
    expect(newest.rows.map((r) => r.pid)).toEqual(rt.processes().reverse().slice(1, 3));
    const beyond = (await api.get('processes?dir=desc&offset=1000')).body as typeof all;
    expect(beyond).toMatchObject({ matched: all.total, rows: [] });
    // Without roots to draw, the observer cannot tell a supervisor from another GenServer.
    const servers = (await api.get('processes?filter=gen_server&dir=desc')).body as typeof all;
    expect(servers.rows.map((r) => r.name)).toEqual(['jobs', 'box', 'root']); // newest first
  });

  it('stays a page with 100k processes', async () => {
    const rt = runtime();
    for (let i = 0; i < 100_000; i++) rt.spawn((ctx) => ctx.receive());
    const target = rt.spawn((ctx) => ctx.receive());
    rt.register('needle', target);
    await rt.settle();
    const api = await observe(rt);
    const page = (await api.get('processes?limit=50&offset=99990')).body as { total: number; matched: number; rows: unknown[] };
    expect(page).toMatchObject({ total: 100_001, matched: 100_001 });
    expect(page.rows).toHaveLength(11);
    const found = (await api.get('processes?filter=needle')).body as { matched: number; rows: Array<{ pid: string }> };
    expect(found).toMatchObject({ matched: 1, rows: [{ pid: target }] });
  }, 60_000);

  it.each([
    ['sort=queue', 'unknown sort key'],
    ['offset=-1', 'offset must be an integer >= 0'],
    ['limit=0', 'limit must be an integer from 1 to 1000'],
    ['limit=5000', 'limit must be an integer from 1 to 1000'],
  ])('answers %s with 400', async (query, error) => {
    const api = await observe(runtime());
    expect(await api.get(`processes?${query}`)).toMatchObject({ status: 400, body: { error } });
  });
});

describe('a process page', () => {
  it('shows the state through formatStatus, with links and monitors', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const pid = rt.whereis('box')!;
    const { status, body } = await api.get(`process/${encodeURIComponent(pid)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      info: { pid, registeredName: 'box', links: [rt.whereis('root')] },
      status: { kind: 'gen_server', truncated: false },
      tracing: false,
      place: { supervisor: rt.whereis('root'), id: 'box', restartable: true },
    });
    const text = (body as { status: { text: string } }).status.text;
    expect(text).toContain('value: "hello"');
    expect(text).toContain('secret: "***"');
    expect(text).not.toContain('hunter2');
  });

  it('cuts a huge state to the limit', async () => {
    const rt = runtime();
    const started = await GenServer.start<{ state: string[] }>({ init: () => Next.ok(Array.from({ length: 100_000 }, (_, i) => `item ${i}`)) }, undefined, { runtime: rt });
    if (started.type !== 'ok') throw new Error('no start');
    const api = await observe(rt, { stateLimit: 1000 });
    const { body } = await api.get(`process/${encodeURIComponent(started.pid)}`);
    const s = (body as { status: { text: string; truncated: boolean } }).status;
    expect(s.truncated).toBe(true);
    expect(s.text.length).toBe(1000);
    expect(s.text.startsWith('[\n  "item 0",\n')).toBe(true);
  });

  it('has no state for a plain process', async () => {
    const rt = runtime();
    const pid = rt.spawn((ctx) => ctx.receive());
    const api = await observe(rt);
    expect((await api.get(`process/${encodeURIComponent(pid)}`)).body).toMatchObject({ status: { kind: 'none' } });
  });

  it('answers 404 for an unknown, dead, malformed or foreign pid', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    const api = await observe(rt);
    for (const pid of ['<1.999999.0>', dead, 'nobody', '<9999.1.0>', '%3Cx']) {
      expect(await api.get(`process/${encodeURIComponent(pid)}`)).toMatchObject({ status: 404 });
      expect(await api.post(`process/${encodeURIComponent(pid)}/kill`)).toMatchObject({ status: 404 });
    }
    expect(await api.get('process/%E0%A4%A')).toMatchObject({ status: 404 }); // a malformed escape
  });
});

describe('actions', () => {
  it('kills a process', async () => {
    const rt = runtime();
    const pid = rt.spawn((ctx) => ctx.receive());
    const api = await observe(rt);
    const exits: unknown[] = [];
    rt.events.on('exit', (p, reason) => p === pid && exits.push(reason));
    expect(await api.post(`process/${encodeURIComponent(pid)}/kill`)).toEqual({ status: 200, body: { killed: pid } });
    await rt.settle();
    expect(exits).toEqual(['killed']);
  });

  it('restarts a supervised child through its supervisor, and refuses a DynamicSupervisor child', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const old = rt.whereis('box')!;
    await GenServer.cast(GenServer.named<Box>('box', rt), { type: 'put', value: 'changed' });
    const { status, body } = await api.post(`process/${encodeURIComponent(old)}/restart`);
    expect(status).toBe(200);
    const fresh = (body as { pid: Pid }).pid;
    expect(fresh).not.toBe(old);
    expect(rt.whereis('box')).toBe(fresh);
    expect(await GenServer.call(GenServer.named<Box>('box', rt), { type: 'get' })).toBe('hello');
    const [job] = await DynamicSupervisor.whichChildren(DynamicSupervisor.named('jobs', rt));
    expect(await api.post(`process/${encodeURIComponent(job!.pid!)}/restart`)).toMatchObject({ status: 409 });
    expect(rt.isAlive(job!.pid!)).toBe(true);
  });

  it('traces the messages a server handles while the trace is on', async () => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt);
    const stream = await events(api);
    const pid = rt.whereis('box')!;
    const ref = GenServer.named<Box>('box', rt);
    expect(await api.post(`process/${encodeURIComponent(pid)}/trace?on=true`)).toEqual({ status: 200, body: { pid, tracing: true } });
    GenServer.cast(ref, { type: 'put', value: 'traced' });
    rt.send(pid, { hello: 'info' });
    expect(await GenServer.call(ref, { type: 'get' })).toBe('traced');
    expect(await stream.next('trace')).toMatchObject({ pid, kind: 'cast', text: '{\n  type: "put",\n  value: "traced",\n}' });
    expect(await stream.next('trace')).toMatchObject({ pid, kind: 'info' });
    expect(await stream.next('trace')).toMatchObject({ pid, kind: 'call' });
    expect((await api.get(`process/${encodeURIComponent(pid)}`)).body).toMatchObject({ tracing: true });
    expect(await api.post(`process/${encodeURIComponent(pid)}/trace?on=false`)).toEqual({ status: 200, body: { pid, tracing: false } });
    GenServer.cast(ref, { type: 'put', value: 'quiet' });
    expect(await GenServer.call(ref, { type: 'get' })).toBe('quiet'); // handled, and not traced:
    expect((await api.get(`process/${encodeURIComponent(pid)}`)).body).toMatchObject({ tracing: false });
  });

  it('refuses to trace a plain process, and a bad switch', async () => {
    const rt = runtime();
    const pid = rt.spawn((ctx) => ctx.receive());
    const api = await observe(rt);
    expect(await api.post(`process/${encodeURIComponent(pid)}/trace?on=true`)).toMatchObject({ status: 409 });
    expect(await api.post(`process/${encodeURIComponent(pid)}/trace?on=yes`)).toMatchObject({ status: 400 });
  });
});

describe('the token', () => {
  it.each([
    ['missing', null],
    ['wrong', 'test-token-0123456780'],
    ['short', 'test'],
  ])('a %s token gets 403 and changes nothing', async (_what, token) => {
    const rt = runtime();
    await smallTree(rt);
    const api = await observe(rt, { supervisors: [Supervisor.named('root', rt)] });
    const pid = rt.whereis('box')!;
    const before = rt.processes();
    for (const action of ['kill', 'restart', 'trace?on=true']) expect(await api.post(`process/${encodeURIComponent(pid)}/${action}`, token)).toMatchObject({ status: 403 });
    for (const route of ['tree', 'processes', 'timeline', 'mermaid', `process/${encodeURIComponent(pid)}`, 'events']) expect(await api.get(route, token)).toMatchObject({ status: 403 });
    await rt.settle();
    expect(rt.processes()).toEqual(before);
    expect((await api.get(`process/${encodeURIComponent(pid)}`)).body).toMatchObject({ tracing: false });
  });

  it('is taken from the query string too, for the event stream', async () => {
    const api = await observe(runtime());
    expect((await fetch(`${api.base}/timeline?token=${api.running.token}`)).status).toBe(200);
  });
});
