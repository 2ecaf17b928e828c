/**
 * The requests the Supervisor and DynamicSupervisor functions send, and what each kind of
 * supervisor answers to the other kind's.
 *
 * Both kinds have a handler for every request of both: one meant for the other kind is answered
 * with {@link WrongKind}, which the calling function turns into an InvalidArgumentError, so a
 * Supervisor function pointed at a DynamicSupervisor (or the reverse) fails without harming it
 * (Elixir's DynamicSupervisor crashes on `Supervisor.restart_child`). Both answer `children`, the
 * request {@link tree} walks a tree with; a table of the live supervisors of each runtime says
 * which children to ask, so the walk never sends a request to a process that is not one.
 *
 * Not part of the public API: nothing here is exported from src/index.ts.
 *
 * @module
 */
import { CallError, InvalidArgumentError, type ChildSpecError } from '../../errors.js';
import * as GenServer from '../../gen_server/index.js';
import { Next } from '../../gen_server/next.js';
import type { Context, Pid, Runtime } from '../../process/index.js';
import type { FullChildSpec } from '../child_spec.js';
import type { ChildCounts, ChildInfo, ChildOpResult, DynamicChildInfo, DynamicStartChildResult, StartChildResult, SupervisorKind, TreeNode } from '../types.js';

/** A supervisor's answer to a request meant for the other kind. */
export interface WrongKind {
  readonly type: 'wrong_kind';
  /** What the supervisor that answered is. */
  readonly kind: SupervisorKind;
}

/** The requests of the Supervisor functions. */
export type SupervisorCall =
  | { readonly type: 'start_child'; readonly spec: FullChildSpec }
  | { readonly type: 'terminate_child'; readonly id: string }
  | { readonly type: 'restart_child'; readonly id: string }
  | { readonly type: 'delete_child'; readonly id: string }
  | { readonly type: 'which_children' }
  | { readonly type: 'count_children' };

export interface SupervisorReplies {
  /** `bad_spec`: the spec does not fit this supervisor's flags; `Supervisor.startChild` rejects with the error. */
  start_child: StartChildResult | { readonly type: 'bad_spec'; readonly error: ChildSpecError };
  terminate_child: ChildOpResult;
  restart_child: StartChildResult;
  delete_child: ChildOpResult;
  which_children: ChildInfo[];
  count_children: ChildCounts;
}

/** The requests of the DynamicSupervisor functions. */
export type DynamicCall =
  | { readonly type: 'dynamic_start_child'; readonly spec: FullChildSpec; readonly id: string | undefined }
  | { readonly type: 'dynamic_terminate_child'; readonly pid: Pid }
  | { readonly type: 'dynamic_which_children' }
  | { readonly type: 'dynamic_count_children' };

export interface DynamicReplies {
  dynamic_start_child: DynamicStartChildResult;
  dynamic_terminate_child: { readonly type: 'ok' } | { readonly type: 'error'; readonly reason: 'not_found' };
  dynamic_which_children: DynamicChildInfo[];
  dynamic_count_children: ChildCounts;
}

/** A child as `children` lists it, in start order: a tree node before its own children are known. */
export type Entry = Pick<TreeNode, 'id' | 'pid' | 'type'>;

/** Both kinds answer it: what they are and their children in start order. */
export interface ChildrenReply {
  readonly kind: SupervisorKind;
  readonly children: Entry[];
}

type AnyCall = SupervisorCall | DynamicCall | { readonly type: 'children' };
type WrongFor<R> = { [K in keyof R]: WrongKind };

/** A supervisor's protocol: its own replies, WrongKind for the other kind's requests, and `children`. */
export interface ServerProtocol<A, S, Own, Other> extends GenServer.Protocol {
  arg: A;
  state: S;
  call: AnyCall;
  reply: Own & WrongFor<Other> & { children: ChildrenReply };
}

/** What a caller may get back: any request may meet the wrong kind of supervisor. */
interface ClientProtocol extends GenServer.Protocol {
  state: unknown;
  call: AnyCall;
  reply: { [K in keyof (SupervisorReplies & DynamicReplies)]: (SupervisorReplies & DynamicReplies)[K] | WrongKind } & { children: ChildrenReply };
}

type Handlers<S, R> = { readonly [K in keyof R]: (request: unknown, from: unknown, state: S) => GenServer.CallResult<WrongKind, S> };

/** Handlers that answer each of `types` (the other kind's requests) with WrongKind. */
export function wrongKind<S, R>(kind: SupervisorKind, types: ReadonlyArray<keyof R>): Handlers<S, R> {
  const answer = { type: 'wrong_kind', kind } as const;
  const handler = (_request: unknown, _from: unknown, state: S): GenServer.CallResult<WrongKind, S> => Next.reply(answer, state);
  return Object.fromEntries(types.map((t) => [t, handler])) as Handlers<S, R>;
}

/** The other kind's name, for an error message. */
const NAMES: Record<SupervisorKind, string> = { supervisor: 'Supervisor', dynamic: 'DynamicSupervisor' };

/**
 * Sends `request` to `sup` as function `operation` of the `expected` kind, and rejects with an
 * InvalidArgumentError naming `sup` when it is the other kind.
 */
export function ask<C extends AnyCall>(operation: string, expected: SupervisorKind, sup: unknown, request: C): Promise<Exclude<GenServer.ReplyOf<ClientProtocol, C['type']>, WrongKind>> {
  return GenServer.call(sup as GenServer.ServerRef<ClientProtocol>, request as AnyCall, 'infinity').then((reply) => {
    const r = reply as Partial<WrongKind>;
    if (r.type === 'wrong_kind') {
      throw new InvalidArgumentError(operation, 'sup', sup, `a ${NAMES[expected]}, not a ${NAMES[r.kind!]}`);
    }
    return reply as Exclude<GenServer.ReplyOf<ClientProtocol, C['type']>, WrongKind>;
  });
}

/** The live supervisors of each runtime, by pid, and what they are. */
const kinds = new WeakMap<Runtime, Map<Pid, SupervisorKind>>();

/** Records the calling supervisor's kind while it lives. */
export function recordKind(ctx: Context, kind: SupervisorKind): void {
  let table = kinds.get(ctx.runtime);
  if (table === undefined) kinds.set(ctx.runtime, (table = new Map()));
  const pid = ctx.self;
  table.set(pid, kind);
  ctx.signal.addEventListener('abort', () => table.delete(pid), { once: true });
}

/** What the live process `pid` of `rt` is, when it is a supervisor. */
function kindOf(rt: Runtime, pid: Pid): SupervisorKind | undefined {
  return kinds.get(rt)?.get(pid);
}

/** The tree under `sup`: its children in start order, with those of each running supervisor among them. */
export async function tree(sup: unknown, rt: Runtime | undefined): Promise<TreeNode[]> {
  const { children } = await ask('Supervisor.tree', 'supervisor', sup, { type: 'children' });
  return Promise.all(
    children.map(async (entry): Promise<TreeNode> => {
      const kind = entry.pid === undefined || rt === undefined ? undefined : kindOf(rt, entry.pid);
      if (kind === undefined) return entry;
      try {
        return { ...entry, kind, children: await tree(entry.pid, rt) };
      } catch (error) {
        // It exited between its supervisor's answer and this request: a node without children.
        if (error instanceof CallError && error.reason === 'noproc') return entry;
        throw error;
      }
    }),
  );
}
