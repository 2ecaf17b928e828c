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
import { formatReason, isExpectedExit, type Context, type ExitMessage, type ExitReason } from '../../process/index.js';
import { ChildSpecError, InvalidArgumentError } from '../../errors.js';
import { checkSignificant, checkSupervisorSpec, type FullChildSpec, type FullFlags } from '../child_spec.js';
import { addRestart, Child, countChildren, removeChild, report, shutdownAll, shutdownChild, startChild, SupState } from './children.js';
import type { ChildCounts, ChildInfo, ChildOpResult, StartChildResult, SupervisorInit } from '../types.js';

/** A checked spec, or an init callback to run in the supervisor's process (its spec is checked there). */
export type SupArg =
  | { readonly flags: FullFlags; readonly children: readonly FullChildSpec[]; readonly name: string | undefined; readonly init?: undefined }
  | { readonly init: SupervisorInit; readonly name: string | undefined };

export interface SupProtocol extends GenServer.Protocol {
  arg: SupArg;
  state: SupState;
  call:
    | { readonly type: 'start_child'; readonly spec: FullChildSpec }
    | { readonly type: 'terminate_child'; readonly id: string }
    | { readonly type: 'restart_child'; readonly id: string }
    | { readonly type: 'delete_child'; readonly id: string }
    | { readonly type: 'which_children' }
    | { readonly type: 'count_children' };
  reply: {
    /** `bad_spec`: the spec does not fit this supervisor's flags; `Supervisor.startChild` rejects with the error. */
    start_child: StartChildResult | { readonly type: 'bad_spec'; readonly error: ChildSpecError };
    terminate_child: ChildOpResult;
    restart_child: StartChildResult;
    delete_child: ChildOpResult;
    which_children: ChildInfo[];
    count_children: ChildCounts;
  };
}

/**
 * Restarts `child` as the strategy says: it alone, or its group (every child, or it and those
 * after it), the others stopped last first and all started in order. Returns the child whose
 * start failed (the rest of the group is then left stopped), or undefined.
 */
async function restartByStrategy(ctx: Context, st: SupState, child: Child): Promise<Child | undefined> {
  const all = st.children;
  switch (st.flags.strategy) {
    case 'one_for_one':
      return (await startChild(ctx, st, child, true)).ok ? undefined : child;
    case 'one_for_all':
    case 'rest_for_one': {
      const group = all.slice(st.flags.strategy === 'one_for_all' ? 0 : all.indexOf(child));
      await shutdownAll(ctx, st, group);
      // Temporary children stopped by a group restart are not restarted: their specs go.
      for (const c of group) if (c !== child && c.spec.restart === 'temporary') removeChild(st, c);
      for (const c of group) {
        if (st.children.includes(c) && !(await startChild(ctx, st, c, true)).ok) return c;
      }
      return undefined;
    }
    default: {
      const strategy: never = st.flags.strategy; // checkFlags admits no other
      throw new Error(`unknown strategy ${String(strategy)}`);
    }
  }
}

/**
 * Restarts `child` by the strategy, counting the restart. A failed start is tried again at once,
 * as OTP's try_again_restart does: another restart, of the child that failed, by the same
 * strategy (so one_for_all stops and starts the whole group again). False: the intensity was reached.
 */
async function restart(ctx: Context, st: SupState, child: Child): Promise<boolean> {
  for (let next: Child | undefined = child; next !== undefined; ) {
    if (!addRestart(ctx, st)) return false;
    next = await restartByStrategy(ctx, st, next);
  }
  return true;
}

function giveUp(ctx: Context, st: SupState): ReturnType<typeof Next.stop<SupState>> {
  report(ctx, st, 'supervisor.shutdown', { reason: 'reached_max_restart_intensity' }, `supervisor ${st.name ?? ctx.self} reached its restart intensity and is shutting down`);
  return Next.stop('shutdown', st);
}

/** A child exited on its own: report, restart by type and strategy, or shut the supervisor down. */
async function childExited(ctx: Context, st: SupState, child: Child, reason: ExitReason): Promise<GenServer.NoReplyResult<SupState>> {
  const { restart: type, significant, id } = child.spec;
  if (type === 'permanent' || !isExpectedExit(reason)) {
    report(ctx, st, 'supervisor.child_terminated', { id, reason: formatReason(reason), restart: type }, `child ${id} terminated: ${formatReason(reason)}`);
  }
  const restarted = type === 'permanent' || (type === 'transient' && !isExpectedExit(reason));
  if (!restarted) {
    if (type === 'temporary') removeChild(st, child);
    if (significant && st.flags.autoShutdown !== 'never') {
      const anyLeft = st.children.some((c) => c.spec.significant && c.pid !== undefined);
      if (st.flags.autoShutdown === 'any_significant' || !anyLeft) return Next.stop('shutdown', st);
    }
    return Next.noreply(st);
  }
  return (await restart(ctx, st, child)) ? Next.noreply(st) : giveUp(ctx, st);
}

export const supervisorBehaviour: GenServer.Behaviour<SupProtocol> = {
  async init(arg, ctx) {
    ctx.trapExit(true);
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
    const st = new SupState(flags, name);
    for (const spec of children) {
      const child = new Child(spec);
      st.children.push(child);
      const started = await startChild(ctx, st, child, true);
      if (!started.ok) {
        await shutdownAll(ctx, st, st.children);
        return Next.stop({ tag: 'shutdown', detail: { tag: 'failed_to_start_child', id: spec.id, reason: started.reason } });
      }
      if (started.pid === undefined && spec.restart === 'temporary') removeChild(st, child); // OTP keeps no spec of an ignored temporary child
    }
    return Next.ok(st);
  },

  async handleInfo(msg, st, ctx) {
    const exit = msg as Partial<ExitMessage> | null;
    if (typeof exit !== 'object' || exit === null || exit.type !== 'EXIT') return Next.noreply(st);
    const child = st.byPid.get(exit.from!);
    if (child === undefined) return Next.noreply(st); // an old child's EXIT, or a process we never started
    st.byPid.delete(exit.from!);
    child.pid = undefined;
    return childExited(ctx, st, child, exit.reason!);
  },

  async terminate(_reason, st, ctx) {
    await shutdownAll(ctx, st, st.children);
  },

  formatStatus: (st) => ({ strategy: st.flags.strategy, children: st.children.map((c) => ({ id: c.spec.id, pid: c.pid })) }),

  handleCall: {
    async start_child({ spec }, _from, st, ctx) {
      const badSpec = checkSignificant(spec, st.flags.autoShutdown);
      if (badSpec !== undefined) return Next.reply({ type: 'bad_spec', error: badSpec }, st);
      const existing = st.find(spec.id);
      if (existing !== undefined) {
        const reason = existing.pid !== undefined ? { tag: 'already_started' as const, pid: existing.pid } : ('already_present' as const);
        return Next.reply({ type: 'error', reason }, st);
      }
      const child = new Child(spec);
      st.children.push(child);
      const started = await startChild(ctx, st, child, false);
      if (!started.ok) {
        removeChild(st, child);
        return Next.reply({ type: 'error', reason: started.reason }, st);
      }
      if (started.pid === undefined && spec.restart === 'temporary') removeChild(st, child); // OTP keeps no spec of an ignored temporary child
      return Next.reply({ type: 'ok', pid: started.pid }, st);
    },

    async terminate_child({ id }, _from, st, ctx) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      await shutdownChild(ctx, st, child);
      if (child.spec.restart === 'temporary') removeChild(st, child);
      return Next.reply({ type: 'ok' }, st);
    },

    async restart_child({ id }, _from, st, ctx) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      if (child.pid !== undefined) return Next.reply({ type: 'error', reason: 'running' }, st);
      const started = await startChild(ctx, st, child, false);
      return Next.reply(started.ok ? { type: 'ok', pid: started.pid } : { type: 'error', reason: started.reason }, st);
    },

    delete_child({ id }, _from, st) {
      const child = st.find(id);
      if (child === undefined) return Next.reply({ type: 'error', reason: 'not_found' }, st);
      if (child.pid !== undefined) return Next.reply({ type: 'error', reason: 'running' }, st);
      removeChild(st, child);
      return Next.reply({ type: 'ok' }, st);
    },

    which_children(_req, _from, st) {
      const list: ChildInfo[] = [];
      for (let i = st.children.length - 1; i >= 0; i--) {
        const c = st.children[i]!;
        list.push({ id: c.spec.id, pid: c.pid, type: c.spec.type });
      }
      return Next.reply(list, st);
    },

    count_children: (_req, _from, st) => Next.reply(countChildren(st), st),
  },
};
