/**
 * What the N50-N69 scenarios run on the other node (and on their own), loaded there by module
 * path, as each escript loads nr_help.erl on its `b`: the functions called (nr_help's add/2,
 * crash/1...) and the GenServer a supervisor starts there (nr_help's gen_server).
 */
import { GenServer, Next, Node, type Context, type Pid } from '../../../src/index.js';

/** `x + y` (nr_help:add/2). */
export function add(_ctx: Context, x: number, y: number): number {
  return x + y;
}

/** The name of the node it runs on (erlang:node/0). */
export function node(ctx: Context): string {
  return Node.name(ctx.runtime);
}

/** The list reversed (lists:reverse/1). */
export function reverse(_ctx: Context, list: readonly unknown[]): unknown[] {
  return [...list].reverse();
}

/** Throws an Error with `reason` as its message (nr_help:crash/1). */
export function crash(_ctx: Context, reason: string): never {
  throw new Error(reason);
}

/** Divides by zero, which JavaScript's BigInts refuse with a RangeError (erlang:'/'(1, 0)). */
export function divide(_ctx: Context, x: bigint, y: bigint): bigint {
  return x / y;
}

/** Throws `value`, which is not an Error (erlang:throw/1). */
export function throwValue(_ctx: Context, value: unknown): never {
  throw value;
}

/** Ends its process with `reason` (erlang:exit/1). */
export function quit(ctx: Context, reason: unknown): never {
  return ctx.exit(reason);
}

/** Waits `ms`, then sends `msg` to `to` and returns it (nr_help:sleep_then/3). */
export async function sleepThen(ctx: Context, to: Pid, ms: number, msg: unknown): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  ctx.send(to, msg);
  return msg;
}

/** Tells `to` it is running, then never answers (timer:sleep(10000), a call cut short by a lost node). */
export function tellThenHang(ctx: Context, to: Pid): Promise<unknown> {
  ctx.send(to, 'hanging');
  return ctx.receive((m) => m === 'never');
}

/** Waits `ms`, then returns `'ok'` (timer:sleep/1). */
export async function sleep(_ctx: Context, ms: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return 'ok';
}

/** Whether `pid`, a process of this node, is alive (erlang:is_process_alive/1). */
export function isAlive(ctx: Context, pid: Pid): boolean {
  return ctx.runtime.isAlive(pid);
}

/** Tells `to` it has started, then does what {@link sleepThen} does. */
export function startedThen(ctx: Context, to: Pid, ms: number, msg: unknown): Promise<unknown> {
  ctx.send(to, 'started');
  return sleepThen(ctx, to, ms, msg);
}

/** Sends `msg` to `to` (nr_help:tell/2). */
export function tell(ctx: Context, to: Pid, msg: unknown): string {
  ctx.send(to, msg);
  return 'ok';
}

/** Waits while another process sends it an exit signal `reason` (nr_help:killed_by/1). */
export function killedBy(ctx: Context, reason: unknown): Promise<unknown> {
  const self = ctx.self;
  ctx.spawn((killer) => killer.exit(self, reason));
  return ctx.receive((m) => m === 'never');
}

/** nr_help's gen_server: tells where it runs, crashes on a cast. */
export interface Where {
  arg: number;
  state: number;
  call: { readonly type: 'where' };
  reply: { where: string };
  cast: { readonly type: 'crash' };
}

/** The child a supervisor starts on the other node (Supervisor.remote), as nr_help:start_remote/1 does. */
export const where: GenServer.Behaviour<Where> = {
  init: (n) => Next.ok(n),
  handleCall: {
    where: (_req, _from, n, ctx) => Next.reply(Node.name(ctx.runtime), n),
  },
  handleCast: {
    crash: () => {
      throw new Error('boom');
    },
  },
};
