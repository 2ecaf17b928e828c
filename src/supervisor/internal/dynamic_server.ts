/**
 * The dynamic supervisor: children started on demand, each from its own spec, one_for_one.
 *
 * A child that is not restarted (temporary, or transient after an expected exit) is forgotten:
 * no spec is kept. Restarts count against the same intensity as a Supervisor's. Stopping the
 * supervisor signals every child at once and then waits for each, as OTP's simple_one_for_one
 * and Elixir's DynamicSupervisor do.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import * as GenServer from '../../gen_server/index.js';
import { Next } from '../../gen_server/next.js';
import type { Context } from '../../process/index.js';
import type { FullChildSpec, FullFlags } from '../child_spec.js';
import type { DynamicChildInfo } from '../types.js';
import { recordKind, wrongKind, type DynamicReplies, type Entry, type ServerProtocol, type SupervisorReplies } from './requests.js';
import { Child, countChildren, exitedChild, noteExit, reportGiveUp, restart, shutdownChild, shutdownTogether, startChild, SupState } from './children.js';

export interface DynArg {
  readonly flags: FullFlags;
  readonly maxChildren: number;
  /** Passed to every child's start after the supervisor's context. */
  readonly extra: readonly unknown[];
  readonly name: string | undefined;
}

export class DynState extends SupState {
  constructor(
    ctx: Context,
    flags: FullFlags,
    name: string | undefined,
    readonly maxChildren: number,
    readonly extra: readonly unknown[],
  ) {
    super(ctx, flags, name, false); // ids need not be unique here, and nothing looks a child up by one
  }
}


export type DynProtocol = ServerProtocol<DynArg, DynState, DynamicReplies, SupervisorReplies>;

export const dynamicBehaviour: GenServer.Behaviour<DynProtocol> = {
  init({ flags, maxChildren, extra, name }, ctx) {
    ctx.trapExit(true);
    recordKind(ctx, 'dynamic');
    return Next.ok(new DynState(ctx, flags, name, maxChildren, extra));
  },

  async handleInfo(msg, st, ctx) {
    const exit = exitedChild(st, msg);
    if (exit === undefined) return Next.noreply(st);
    const { child } = exit;
    // A child that is not restarted, or whose restart returned ignore, is forgotten.
    if (!noteExit(ctx, st, child, exit.pid, exit.reason)) {
      st.remove(child);
      return Next.noreply(st);
    }
    const restarted = await restart(ctx, st, child); // one_for_one: the flags say so
    if (child.pid === undefined) st.remove(child);
    if (restarted) return Next.noreply(st);
    reportGiveUp(ctx, st);
    return Next.stop('shutdown', st);
  },

  async terminate(_reason, st, ctx) {
    await shutdownTogether(ctx, st, st.list());
  },

  formatStatus: (st) => ({ children: st.size, maxChildren: st.maxChildren }),

  handleCall: {
    async dynamic_start_child({ spec, id }, _from, st, ctx) {
      if (st.size >= st.maxChildren) return Next.reply({ type: 'error', reason: 'max_children' }, st);
      const userStart = spec.start as (sup: Context, ...extra: unknown[]) => ReturnType<FullChildSpec['start']>;
      const child = new Child(st.extra.length === 0 ? spec : { ...spec, start: (sup) => userStart(sup, ...st.extra) }, id);
      st.add(child);
      const started = await startChild(ctx, st, child, 'call');
      if (!started.ok || started.pid === undefined) st.remove(child);
      if (!started.ok) return Next.reply({ type: 'error', reason: started.reason }, st);
      return Next.reply(started.pid === undefined ? { type: 'ignore' } : { type: 'ok', pid: started.pid }, st);
    },

    async dynamic_terminate_child({ pid }, _from, st, ctx) {
      const child = st.byPid.get(pid);
      // Elixir's answer for any pid that is not a child, one that has exited included (OTP's simple_one_for_one says ok for that one).
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      await shutdownChild(ctx, st, child);
      st.remove(child);
      return Next.reply({ type: 'ok' }, st);
    },

    dynamic_which_children(_req, _from, st) {
      const list: DynamicChildInfo[] = [];
      for (let c = st.first; c !== null; c = c.next) if (c.pid !== undefined) list.push({ pid: c.pid, type: c.spec.type });
      return Next.reply(list, st);
    },

    dynamic_count_children: (_req, _from, st) => Next.reply(countChildren(st), st),

    children(_req, _from, st) {
      const children: Entry[] = [];
      for (let c = st.first; c !== null; c = c.next) if (c.pid !== undefined) children.push({ id: c.id, pid: c.pid, type: c.spec.type });
      return Next.reply({ kind: 'dynamic', children }, st);
    },

    ...wrongKind<DynState, SupervisorReplies>('dynamic', ['start_child', 'terminate_child', 'restart_child', 'delete_child', 'which_children', 'count_children']),
  },
};
