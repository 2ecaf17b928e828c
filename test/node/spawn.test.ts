/**
 * Spawning on another node by module path and export name, and worker-thread nodes.
 */
import { describe, expect, it } from 'vitest';
import { Node, NodeError, type DownMessage, type ExitMessage, type Pid } from 'ts-otp';
import { fixture, useNodes } from '../support/nodes.js';

const node = useNodes();
const procs = fixture('procs.ts');

describe('Node.spawn on a worker node', () => {
  it('runs the export with the context and the arguments, pids in them renumbered', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const got = await a.run(async (ctx) => {
      const pid = await Node.spawn(ctx, 'w', { module: procs, export: 'echo', args: [ctx.self] });
      ctx.send(pid, { hello: ctx.self });
      const reply = await ctx.receive();
      const ref = ctx.monitor(pid);
      ctx.send(pid, 'stop');
      return { pid, reply, down: (await ctx.receiveRef(ref)) as DownMessage, self: ctx.self };
    });
    expect(got.reply).toEqual({ echo: { hello: got.self }, from: got.pid });
    expect(got.down.reason).toBe('normal');
  });

  it('spawnLink links before the child runs: a child that exits at once still reaches the caller', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const exit = await a.run(async (ctx) => {
      ctx.trapExit(true);
      const pid = await Node.spawnLink(ctx, 'w', { module: procs, export: 'exits', args: ['early'] });
      return { pid, msg: (await ctx.receive()) as ExitMessage };
    });
    expect(exit.msg).toEqual({ type: 'EXIT', from: exit.pid, reason: { tag: 'exit', value: 'early' } });
  });

  it('rejects with NodeError for a module that does not load or an export that is not a function', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    const [missing, notFn, noExport] = await a.run((ctx) =>
      Promise.all([
        Node.spawn(ctx, 'w', { module: '/no/such/module.js' }).catch((e: unknown) => e),
        Node.spawn(ctx, 'w', { module: procs, export: 'notAFunction' }).catch((e: unknown) => e),
        Node.spawn(ctx, 'w', { module: procs, export: 'nothing' }).catch((e: unknown) => e),
      ]),
    );
    expect(missing).toBeInstanceOf(NodeError);
    expect(missing).toMatchObject({ node: 'w', reason: 'not_loaded' });
    expect(notFn).toMatchObject({ reason: 'not_a_function', detail: `${procs}#notAFunction is number` });
    expect(noExport).toMatchObject({ reason: 'not_a_function', detail: `${procs}#nothing is missing` });
    expect(Node.nodes(a)).toEqual(['w']); // the worker node is intact
  });

  it('throws NodeError at the call for a node that is not connected', async () => {
    const a = node('a');
    const error = await a.run((ctx) => {
      try {
        void Node.spawn(ctx, 'elsewhere', { module: procs, export: 'echo' });
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(error).toMatchObject({ name: 'NodeError', reason: 'not_connected', node: 'elsewhere' });
  });
});

describe('Node.startWorker', () => {
  it('refuses a name already connected, and a failed worker start rejects with the reason', async () => {
    const a = node('a');
    await Node.startWorker(a, { name: 'w' });
    await expect(Node.startWorker(a, { name: 'w' })).rejects.toMatchObject({ reason: 'name_taken' });
    await expect(Node.startWorker(a, { name: 'a' })).rejects.toMatchObject({ reason: 'name_taken' });
    expect(Node.nodes(a)).toEqual(['w']);
  });

  it('lets two workers run one job each in parallel, and ends both threads on stop', async () => {
    const a = node('a');
    await Promise.all([Node.startWorker(a, { name: 'w1' }), Node.startWorker(a, { name: 'w2' })]);
    expect(Node.nodes(a).sort()).toEqual(['w1', 'w2']);
    const replies = await a.run(async (ctx) => {
      const pids: Pid[] = [];
      for (const w of ['w1', 'w2']) pids.push(await Node.spawn(ctx, w, { module: procs, export: 'echo', args: [ctx.self] }));
      for (const pid of pids) ctx.send(pid, pid);
      const got = [await ctx.receive(), await ctx.receive()];
      for (const pid of pids) ctx.send(pid, 'stop');
      return got;
    });
    expect(replies).toHaveLength(2);
  });
});
