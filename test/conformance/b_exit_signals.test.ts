/**
 * Conformance, group B (exit signals): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 *
 * The scenarios' `p`, `q`, `l1`, `l2`, ... are idle processes (test/support/probes.ts) that run
 * the actions sent to them. Erlang's "l2 recv M" becomes "M is in l2's mailbox" (idle processes
 * here leave every message queued), and "status x alive" is `rt.isAlive(x)` after `rt.settle()`.
 */
import { describe, expect, it } from 'vitest';
import type { Context, DownMessage, ExitReason, Pid, Runtime } from 'ts-otp';
import { ctl, ctlAsync, ctlValue, finish, isDown, mailboxOf, spawnIdle, watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const boom = { tag: 'exit', value: 'boom' } as const;

/** p linked to l1 (not trapping) and l2 (trapping), as most B scenarios begin. */
async function linkedTrio(rt: Runtime, pOptions: { trapExit?: boolean } = {}): Promise<{ p: Pid; l1: Pid; l2: Pid }> {
  const l1 = await spawnIdle(rt, { trapExit: false });
  const l2 = await spawnIdle(rt, { trapExit: true });
  const p = await spawnIdle(rt, pOptions);
  await ctlValue(rt, p, (ctx) => {
    ctx.link(l1);
    ctx.link(l2);
  });
  return { p, l1, l2 };
}

/** The cause of an `{ tag: 'error', cause }` reason; fails the test for any other reason. */
function causeOf(reason: ExitReason | undefined): unknown {
  expect(reason).toMatchObject({ tag: 'error' });
  return (reason as { cause: unknown }).cause;
}

/** The first stack frame of an error (`at fn (file:line:col)`), without the leading spaces. */
function topFrame(error: Error): string {
  return (error.stack ?? '').split('\n').find((line) => line.trimStart().startsWith('at '))?.trim() ?? '';
}

describe('B. exit signals', () => {
  it("B01 a process that ends normally: linked non-trapping survives, linked trapping gets {'EXIT',P,normal}", async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    finish(rt, p);
    expect(await w.down(p)).toBe('normal');
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'normal' }]);
    expect(rt.isAlive(l1)).toBe(true);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B02 a runtime error (badarith) kills linked non-trapping processes with the same reason', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    const zero = (): bigint => 0n;
    ctlAsync(rt, p, () => 1n / zero()); // a runtime arithmetic error: RangeError "Division by zero"
    const reason = await w.down(p);
    const cause = causeOf(reason);
    expect(cause).toBeInstanceOf(RangeError);
    expect((cause as RangeError).message).toBe('Division by zero');
    expect((cause as RangeError).stack).toEqual(expect.any(String));
    const l1Reason = await w.down(l1);
    expect(l1Reason).toEqual(reason);
    expect(causeOf(l1Reason)).toBe(cause); // the identical error, not a copy
    await rt.settle();
    const box = await mailboxOf(rt, l2);
    expect(box).toEqual([{ type: 'EXIT', from: p, reason }]);
    expect(causeOf((box[0] as { reason: ExitReason }).reason)).toBe(cause);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B03 erlang:error(Reason) kills linked non-trapping processes with {Reason, Stack}', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    const thrown = new Error('my_error');
    ctlAsync(rt, p, () => {
      throw thrown;
    });
    const reason = await w.down(p);
    expect(reason).toEqual({ tag: 'error', cause: thrown });
    expect(causeOf(reason)).toBe(thrown);
    expect(thrown.stack).toEqual(expect.any(String));
    expect(await w.down(l1)).toEqual({ tag: 'error', cause: thrown });
    expect(causeOf(w.reason(l1))).toBe(thrown);
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: { tag: 'error', cause: thrown } }]);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B04 exit(Reason) called by a process: linked non-trapping die with Reason, trapping get a message', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    ctlAsync(rt, p, (ctx) => ctx.exit('boom'));
    expect(await w.down(p)).toEqual(boom); // exactly this: no stack attached
    expect(await w.down(l1)).toEqual(boom);
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: boom }]);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B05 exit(Pid, Reason) from an unlinked process kills a non-trapping target', async () => {
    const rt = runtime();
    const l2 = await spawnIdle(rt, { trapExit: true });
    const p = await spawnIdle(rt);
    const q = await spawnIdle(rt);
    await ctlValue(rt, p, (ctx) => ctx.link(l2));
    const w = await watch(rt, [p, q, l2]);
    expect(await ctl(rt, q, (ctx) => ctx.exit(p, 'boom'))).toEqual({ tag: 'ok', value: undefined }); // Erlang: true
    expect(await w.down(p)).toEqual(boom);
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: boom }]);
    expect(rt.isAlive(q)).toBe(true);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B07 exit(Pid, Reason) from a linked process: the victim dies, and its death comes back over the link to the sender', async () => {
    const rt = runtime();
    const p = await spawnIdle(rt);
    const q = await spawnIdle(rt);
    await ctlValue(rt, q, (ctx) => ctx.link(p));
    const w = await watch(rt, [p, q]);
    ctlAsync(rt, q, (ctx) => ctx.exit(p, 'boom'));
    expect(await w.down(p)).toEqual(boom);
    expect(await w.down(q)).toEqual(boom);
  });

  it("B08 exit(Pid, Reason) from a linked process to a trapping target becomes a message; the link stays", async () => {
    const rt = runtime();
    const p = await spawnIdle(rt, { trapExit: true });
    const q = await spawnIdle(rt);
    await ctlValue(rt, q, (ctx) => ctx.link(p));
    const w = await watch(rt, [p, q]);
    await ctlValue(rt, q, (ctx) => ctx.exit(p, 'boom'));
    await rt.settle();
    expect(await mailboxOf(rt, p)).toEqual([{ type: 'EXIT', from: q, reason: boom }]);
    expect(rt.isAlive(p)).toBe(true);
    expect(rt.isAlive(q)).toBe(true);
    expect(w.order).toEqual([]);
    expect(rt.processInfo(p)?.links).toEqual([q]);
  });

  it('B09 exit(Pid, normal) sent to another non-trapping process is ignored', async () => {
    const rt = runtime();
    const p = await spawnIdle(rt);
    const q = await spawnIdle(rt);
    const w = await watch(rt, [p, q]);
    expect(await ctl(rt, q, (ctx) => ctx.exit(p, 'normal'))).toEqual({ tag: 'ok', value: undefined });
    await rt.settle();
    expect(rt.isAlive(p)).toBe(true);
    expect(rt.isAlive(q)).toBe(true);
    expect(await mailboxOf(rt, p)).toEqual([]);

    // Again, with p linked to q.
    await ctlValue(rt, q, (ctx) => ctx.link(p));
    expect(await ctl(rt, q, (ctx) => ctx.exit(p, 'normal'))).toEqual({ tag: 'ok', value: undefined });
    await rt.settle();
    expect(rt.isAlive(p)).toBe(true);
    expect(rt.isAlive(q)).toBe(true);
    expect(await mailboxOf(rt, p)).toEqual([]);
    expect(w.order).toEqual([]);
  });

  it('B11 exit(self(), normal) kills a non-trapping process (with reason normal)', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    const log: string[] = [];
    ctlAsync(rt, p, (ctx) => {
      ctx.exit(ctx.self, 'normal');
      log.push('p still_running');
    });
    expect(await w.down(p)).toBe('normal');
    await rt.settle();
    expect(log).toEqual([]);
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'normal' }]);
    expect(rt.isAlive(l1)).toBe(true);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it("B12 exit(self(), normal) in a trapping process just delivers {'EXIT', Self, normal}", async () => {
    const rt = runtime();
    const p = await spawnIdle(rt, { trapExit: true });
    const w = await watch(rt, [p]);
    const log: string[] = [];
    await ctlValue(rt, p, (ctx) => {
      ctx.exit(ctx.self, 'normal');
      log.push('p still_running');
    });
    expect(log).toEqual(['p still_running']);
    await rt.settle();
    expect(await mailboxOf(rt, p)).toEqual([{ type: 'EXIT', from: p, reason: 'normal' }]);
    expect(rt.isAlive(p)).toBe(true);
    expect(w.reason(p)).toBeUndefined();
  });

  it('B13 exit(Pid, kill) is untrappable; the victim dies with `killed`, and links propagate `killed` (trappable)', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt, { trapExit: true });
    const q = await spawnIdle(rt);
    const w = await watch(rt, [p, l1, l2, q]);
    await ctlValue(rt, q, (ctx) => ctx.exit(p, 'kill'));
    expect(await w.down(p)).toBe('killed');
    expect(await w.down(l1)).toBe('killed');
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'killed' }]);
    expect(rt.isAlive(l2)).toBe(true);
    expect(rt.isAlive(q)).toBe(true);
  });

  it('B14 exit(kill) called by a process itself: reason is `kill` (not killed), and over links it is an ordinary, trappable reason', async () => {
    const rt = runtime();
    const l3 = await spawnIdle(rt, { trapExit: true });
    const l1 = await spawnIdle(rt);
    const l2 = await spawnIdle(rt, { trapExit: true });
    await ctlValue(rt, l1, (ctx) => ctx.link(l3));
    const p = await spawnIdle(rt);
    await ctlValue(rt, p, (ctx) => {
      ctx.link(l1);
      ctx.link(l2);
    });
    const w = await watch(rt, [p, l1, l2, l3]);
    ctlAsync(rt, p, (ctx) => ctx.exit('kill'));
    expect(await w.down(p)).toBe('kill');
    expect(await w.down(l1)).toBe('kill');
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'kill' }]);
    expect(await mailboxOf(rt, l3)).toEqual([{ type: 'EXIT', from: l1, reason: 'kill' }]);
    expect(rt.isAlive(l2)).toBe(true);
    expect(rt.isAlive(l3)).toBe(true);
  });

  it('B15 exit(self(), kill) kills even a trapping process; reason is `killed`', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt, { trapExit: true });
    const w = await watch(rt, [p, l1, l2]);
    const log: string[] = [];
    ctlAsync(rt, p, (ctx) => {
      ctx.exit(ctx.self, 'kill');
      log.push('p still_running');
    });
    expect(await w.down(p)).toBe('killed');
    expect(await w.down(l1)).toBe('killed');
    await rt.settle();
    expect(log).toEqual([]);
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'killed' }]);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B17 killing a process you are linked to kills you too (with `killed`) unless you trap exits', async () => {
    const rt = runtime();
    const p = await spawnIdle(rt);
    const q = await spawnIdle(rt);
    await ctlValue(rt, q, (ctx) => ctx.link(p));
    const w = await watch(rt, [p, q]);
    ctlAsync(rt, q, (ctx) => ctx.exit(p, 'kill'));
    expect(await w.down(p)).toBe('killed');
    expect(await w.down(q)).toBe('killed');

    // Part 2: the killer traps exits.
    const p2 = await spawnIdle(rt);
    const r = await spawnIdle(rt, { trapExit: true });
    await ctlValue(rt, r, (ctx) => ctx.link(p2));
    const w2 = await watch(rt, [p2, r]);
    await ctlValue(rt, r, (ctx) => ctx.exit(p2, 'kill'));
    expect(await w2.down(p2)).toBe('killed');
    await rt.settle();
    expect(await mailboxOf(rt, r)).toEqual([{ type: 'EXIT', from: p2, reason: 'killed' }]);
    expect(rt.isAlive(r)).toBe(true);
  });

  it('B18 links cascade along a chain of non-trapping processes', async () => {
    const rt = runtime();
    const a = await spawnIdle(rt);
    const b = await spawnIdle(rt);
    const c = await spawnIdle(rt);
    await ctlValue(rt, a, (ctx) => ctx.link(b));
    await ctlValue(rt, b, (ctx) => ctx.link(c));
    const died: Pid[] = [];
    rt.events.on('exit', (pid) => {
      if (pid === a || pid === b || pid === c) died.push(pid);
    });
    const w = await watch(rt, [c, b, a]);
    ctlAsync(rt, c, (ctx) => ctx.exit('boom'));
    expect(await w.down(c)).toEqual(boom);
    expect(await w.down(b)).toEqual(boom);
    expect(await w.down(a)).toEqual(boom);
    await rt.settle();
    expect(died).toEqual([c, b, a]); // causal order: each dies of the one before
  });

  it('B21 an arbitrary term as exit reason travels unchanged through links, exit messages and monitors', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    // Erlang's {my_error, [1,2], "text", #{k => v}}: a tuple becomes an array, the map a Map.
    const term = ['my_error', [1, 2], 'text', new Map([['k', 'v']])] as const;
    ctlAsync(rt, p, (ctx) => ctx.exit(term));
    const expected = { tag: 'exit', value: ['my_error', [1, 2], 'text', new Map([['k', 'v']])] };
    const reason = await w.down(p);
    expect(reason).toEqual(expected);
    expect((reason as { value: unknown }).value).toBe(term);
    expect(await w.down(l1)).toEqual(expected);
    expect((w.reason(l1) as { value: unknown }).value).toBe(term);
    await rt.settle();
    const box = await mailboxOf(rt, l2);
    expect(box).toEqual([{ type: 'EXIT', from: p, reason: expected }]);
    expect((box[0] as { reason: { value: unknown } }).reason.value).toBe(term);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B22 at the process level `shutdown` is an abnormal reason: it kills linked non-trapping processes', async () => {
    const rt = runtime();
    const { p, l1, l2 } = await linkedTrio(rt);
    const w = await watch(rt, [p, l1, l2]);
    ctlAsync(rt, p, (ctx) => ctx.exit('shutdown'));
    expect(await w.down(p)).toBe('shutdown');
    expect(await w.down(l1)).toBe('shutdown');
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: 'shutdown' }]);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B24 an uncaught throw terminates the process with {{nocatch, Value}, Stack}', async () => {
    const rt = runtime();
    const l2 = await spawnIdle(rt, { trapExit: true });
    const p = await spawnIdle(rt);
    await ctlValue(rt, p, (ctx) => ctx.link(l2));
    const w = await watch(rt, [p, l2]);
    ctlAsync(rt, p, () => {
      // throw(oops): JS throws any value; the reason keeps it as the cause (no nocatch wrapper).
      throw 'oops';
    });
    expect(await w.down(p)).toEqual({ tag: 'error', cause: 'oops' });
    await rt.settle();
    expect(await mailboxOf(rt, l2)).toEqual([{ type: 'EXIT', from: p, reason: { tag: 'error', cause: 'oops' } }]);
    expect(rt.isAlive(l2)).toBe(true);
  });

  it('B25 erlang:error(Reason, Args) gives exit reason {Reason, Stack} whose top frame carries the arguments', async () => {
    const rt = runtime();
    // JS stack frames name the function but never carry its arguments, so for both calls the
    // analogue asserts the cause (class, message, stack) and that the top frame is the function.
    function failing(_a: number, _b: number): never {
      throw new Error('my_error');
    }
    function failing2(_a: number, _b: number): never {
      throw new Error('my_error');
    }
    const downs = await rt.run(async (ctx) => {
      const p1 = ctx.spawnMonitor(() => failing(1, 2));
      const d1 = await ctx.receive((m): m is DownMessage => isDown(m, p1.ref));
      const p2 = ctx.spawnMonitor(() => failing2(1, 2));
      const d2 = await ctx.receive((m): m is DownMessage => isDown(m, p2.ref));
      return [d1.reason, d2.reason];
    });
    for (const [reason, fn] of [
      [downs[0], 'failing'],
      [downs[1], 'failing2'],
    ] as const) {
      const cause = causeOf(reason);
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).message).toBe('my_error');
      expect(topFrame(cause as Error)).toMatch(new RegExp(`^at ${fn} `));
    }
  });

  it('B26 exit-reason shapes of common runtime errors in a plain process', async () => {
    const rt = runtime();
    // Erlang's failures mapped to the closest JS failure; each ends the process with
    // { tag: 'error', cause } keeping the thrown value, except exit(plain), which adds nothing.
    const two = (): unknown => 2;
    const three = (): number => 3;
    function onlyOne(n: number): string {
      // function_clause has no JS twin (any arguments are accepted): a guard that throws stands in.
      if (n === 1) return 'ok';
      throw new RangeError(`no function clause matching onlyOne(${n})`);
    }
    const missingMod: Record<string, unknown> = {};
    const notAFun = (): unknown => 'not_a_fun';
    const cases: Array<[string, (ctx: Context) => unknown]> = [
      ['badmatch', () => {
        const [one] = two() as [number]; // the value does not match the pattern: TypeError
        return one;
      }],
      ['case_clause', () => {
        // no TS twin for a case with no matching clause: the default branch throws.
        switch (three()) {
          case 1:
            return 'ok';
          default:
            throw new Error(`no case clause matching ${three()}`);
        }
      }],
      ['function_clause', () => onlyOne(2)],
      ['badarg', () => 'x'.repeat(-1)], // a built-in refusing its argument: RangeError
      ['undef', () => (missingMod['missing_fun'] as () => void)()],
      ['badfun', () => (notAFun() as () => void)()],
      ['exit', (ctx) => ctx.exit('plain')],
      ['throw', () => {
          throw 'plain';
      }],
      ['error', () => {
        throw new Error('plain');
      }],
    ];
    const reasons = await rt.run(async (ctx) => {
      const out = new Map<string, ExitReason>();
      for (const [name, body] of cases) {
        const { ref } = ctx.spawnMonitor(body);
        out.set(name, (await ctx.receive((m): m is DownMessage => isDown(m, ref))).reason);
      }
      return out;
    });
    const errorCause = (name: string): Error => {
      const cause = causeOf(reasons.get(name));
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).stack).toEqual(expect.any(String));
      return cause as Error;
    };
    expect(errorCause('badmatch')).toBeInstanceOf(TypeError);
    expect(errorCause('case_clause').message).toBe('no case clause matching 3');
    const functionClause = errorCause('function_clause');
    expect(functionClause).toBeInstanceOf(RangeError);
    expect(topFrame(functionClause)).toMatch(/^at onlyOne /);
    const badarg = errorCause('badarg');
    expect(badarg).toBeInstanceOf(RangeError);
    expect(topFrame(badarg)).toMatch(/^at String\.repeat /); // the top frame is the built-in
    const undef = errorCause('undef');
    expect(undef).toBeInstanceOf(TypeError);
    expect(undef.message).toContain('missing_fun');
    expect(errorCause('badfun')).toBeInstanceOf(TypeError);
    expect(reasons.get('exit')).toEqual({ tag: 'exit', value: 'plain' }); // no stack added
    expect(reasons.get('throw')).toEqual({ tag: 'error', cause: 'plain' });
    expect(errorCause('error').message).toBe('plain');
  });
});
