/**
 * The supervisor: a GenServer that traps exits, starts its children, restarts them by its
 * strategy within the restart intensity, and stops them in reverse start order.
 *
 * As in OTP, the supervisor blocks while it stops or starts children (see children.ts): calls
 * made meanwhile wait in the mailbox.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import * as GenServer from '../../gen_server/index.js';
import { Next } from '../../gen_server/next.js';
import type { Context, ExitReason, Pid } from '../../process/index.js';
import { ChildSpecError, InvalidArgumentError } from '../../errors.js';
import { checkSignificant, checkSupervisorSpec, type FullChildSpec, type FullFlags } from '../child_spec.js';
import { Child, countChildren, exitedChild, noteExit, reportGiveUp, restart, shutdownAll, shutdownChild, startChild, SupState } from './children.js';
import type { ChildInfo, SupervisorInit } from '../types.js';
import { recordKind, wrongKind, type DynamicReplies, type Entry, type ServerProtocol, type SupervisorReplies } from './requests.js';

/** A checked spec, or an init callback to run in the supervisor's process (its spec is checked there). */
export type SupArg =
  | { readonly flags: FullFlags; readonly children: readonly FullChildSpec[]; readonly name: string | undefined; readonly init?: undefined }
  | { readonly init: SupervisorInit; readonly name: string | undefined };

export type SupProtocol = ServerProtocol<SupArg, SupState, SupervisorReplies, DynamicReplies>;

function giveUp(ctx: Context, st: SupState): ReturnType<typeof Next.stop<SupState>> {
  reportGiveUp(ctx, st);
  return Next.stop('shutdown', st);
}

/** A child exited on its own: report, restart by type and strategy, or shut the supervisor down. */
async function childExited(ctx: Context, st: SupState, child: Child, pid: Pid, reason: ExitReason): Promise<GenServer.NoReplyResult<SupState>> {
  const { restart: type, significant } = child.spec;
  if (!noteExit(ctx, st, child, pid, reason)) {
    if (type === 'temporary') st.remove(child);
    if (significant && st.flags.autoShutdown !== 'never') {
      if (st.flags.autoShutdown === 'any_significant' || st.significantActive === 0) return Next.stop('shutdown', st);
    }
    return Next.noreply(st);
  }
  return (await restart(ctx, st, child)) ? Next.noreply(st) : giveUp(ctx, st);
}

export const supervisorBehaviour: GenServer.Behaviour<SupProtocol> = {
  async init(arg, ctx) {
    ctx.trapExit(true);
    recordKind(ctx, 'supervisor');
    let checked: { readonly flags: FullFlags; readonly children: readonly FullChildSpec[] };
    if (arg.init === undefined) checked = arg as { readonly flags: FullFlags; readonly children: readonly FullChildSpec[] };
    else {
      const spec = await arg.init(ctx);
      if (spec === 'ignore') return Next.ignore();
      try {
        checked = checkSupervisorSpec(spec);
      } catch (error) {
        // OTP's {error, {start_spec, Reason}}: the start returns it and the parent gets the EXIT.
        if (error instanceof ChildSpecError || error instanceof InvalidArgumentError) return Next.stop({ tag: 'exit', value: { start_spec: error } });
        throw error;
      }
    }
    const { flags, children } = checked;
    const name = arg.name;
    const st = new SupState(ctx, flags, name);
    for (const spec of children) {
      const child = new Child(spec, spec.id);
      st.add(child);
      let started = startChild(ctx, st, child, 'init');
      if (started instanceof Promise) started = await started; // only when the start is async
      if (!started.ok) {
        await shutdownAll(ctx, st, st.list());
        return Next.stop({ tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: spec.id, reason: started.reason } });
      }
      if (started.pid === undefined && spec.restart === 'temporary') st.remove(child); // OTP keeps no spec of an ignored temporary child
    }
    return Next.ok(st);
  },

  async handleInfo(msg, st, ctx) {
    const exit = exitedChild(st, msg);
    return exit === undefined ? Next.noreply(st) : childExited(ctx, st, exit.child, exit.pid, exit.reason);
  },

  async terminate(_reason, st, ctx) {
    await shutdownAll(ctx, st, st.list());
  },

  formatStatus: (st) => ({ strategy: st.flags.strategy, children: st.list().map((c) => ({ id: c.spec.id, pid: c.pid })) }),

  handleCall: {
    async start_child({ spec }, _from, st, ctx) {
      const badSpec = checkSignificant(spec, st.flags.autoShutdown);
      if (badSpec !== undefined) return Next.reply({ type: 'bad_spec', error: badSpec }, st);
      const existing = st.find(spec.id);
      if (existing !== undefined) {
        const reason = existing.pid !== undefined ? { tag: 'already_started' as const, pid: existing.pid } : ('already_present' as const);
        return Next.reply({ type: 'error', reason }, st);
      }
      const child = new Child(spec, spec.id);
      st.add(child);
      const started = await startChild(ctx, st, child, 'call');
      if (!started.ok) {
        st.remove(child);
        return Next.reply({ type: 'error', reason: started.reason }, st);
      }
      if (started.pid === undefined && spec.restart === 'temporary') st.remove(child); // OTP keeps no spec of an ignored temporary child
      return Next.reply({ type: 'ok', pid: started.pid }, st);
    },

    async terminate_child({ id }, _from, st, ctx) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      await shutdownChild(ctx, st, child);
      if (child.spec.restart === 'temporary') st.remove(child);
      return Next.reply({ type: 'ok' }, st);
    },

    async restart_child({ id }, _from, st, ctx) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      if (child.pid !== undefined) return Next.reply({ type: 'error', reason: 'running' }, st);
      const started = await startChild(ctx, st, child, 'call');
      return Next.reply(started.ok ? { type: 'ok', pid: started.pid } : { type: 'error', reason: started.reason }, st);
    },

    delete_child({ id }, _from, st) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      if (child.pid !== undefined) return Next.reply({ type: 'error', reason: 'running' }, st);
      st.remove(child);
      return Next.reply({ type: 'ok' }, st);
    },

    which_children(_req, _from, st) {
      const list: ChildInfo[] = [];
      for (let c = st.last; c !== null; c = c.prev) list.push({ id: c.spec.id, pid: c.pid, type: c.spec.type });
      return Next.reply(list, st);
    },

    count_children: (_req, _from, st) => Next.reply(countChildren(st), st),

    children(_req, _from, st) {
      const children: Entry[] = [];
      for (let c = st.first; c !== null; c = c.next) children.push({ id: c.spec.id, pid: c.pid, type: c.spec.type });
      return Next.reply({ kind: 'supervisor', children }, st);
    },

    ...wrongKind<SupState, DynamicReplies>('supervisor', ['dynamic_start_child', 'dynamic_terminate_child', 'dynamic_which_children', 'dynamic_count_children']),
  },
};
