import { describe, expectTypeOf, it } from 'vitest';
import { GenServer, Sys, type StateMachine } from 'ts-otp';

interface Counter { state: { readonly count: number }; cast: { readonly type: 'add' } }
interface Door { state: 'open' | 'locked'; data: { readonly tries: number } }

describe('Sys types', () => {
  it('reads and replaces a server by its protocol', () => {
    const pid = null as unknown as GenServer.ServerPid<Counter>;
    expectTypeOf(Sys.getState(pid)).toEqualTypeOf<Promise<{ readonly count: number }>>();
    expectTypeOf(Sys.getState(GenServer.named<Counter>('c', undefined))).toEqualTypeOf<Promise<{ readonly count: number }>>();
    expectTypeOf(Sys.replaceState(pid, (s) => ({ count: s.count + 1 }))).toEqualTypeOf<Promise<{ readonly count: number }>>();
    // @ts-expect-error the update must return the state type
    void Sys.replaceState(pid, () => 'nope');
  });

  it("reads a state machine's state and data", () => {
    const pid = null as unknown as StateMachine.MachinePid<Door>;
    expectTypeOf(Sys.getState(pid)).toEqualTypeOf<Promise<{ readonly state: 'open' | 'locked'; readonly data: { readonly tries: number } }>>();
    expectTypeOf(Sys.replaceState(pid, ({ data }) => ({ state: 'locked' as const, data }))).toEqualTypeOf<Promise<Sys.StateOf<Door>>>();
  });

  it('types statistics by its flag and trace events by their type', () => {
    const pid = null as unknown as GenServer.ServerPid<Counter>;
    expectTypeOf(Sys.statistics(pid, 'get')).toEqualTypeOf<Promise<Sys.Statistics | undefined>>();
    expectTypeOf(Sys.statistics(pid, true)).toEqualTypeOf<Promise<void>>();
    expectTypeOf(Sys.getStatus(pid)).toEqualTypeOf<Promise<Sys.Status>>();
    void Sys.trace(pid, (event) => {
      if (event.type === 'out') expectTypeOf(event.reply).toBeUnknown();
      if (event.type === 'in' && event.kind === 'call') expectTypeOf(event.from).toEqualTypeOf<import('ts-otp').Pid | undefined>();
    });
  });
});
