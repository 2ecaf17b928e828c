/**
 * Conformance, group D (registered names): one test per catalog entry of
 * /work/shared/conformance/CATALOG.md, asserting what OTP 25 was observed to do.
 *
 * Erlang's `badarg` from register/unregister is a {@link RegisterError} here, with the reason
 * saying what was wrong; a name that can never be registered (`'undefined'`) is bad input and
 * throws {@link InvalidArgumentError}.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NoProcError, RegisterError, type RegisterErrorReason } from 'ts-otp';
import { ctlAsync, mailboxOf, spawnIdle, watch } from '../support/probes.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

/** What `f` threw, for assertions on the error's class and fields. */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

function registerErrorReason(f: () => unknown): RegisterErrorReason | undefined {
  const error = thrownBy(f);
  expect(error).toBeInstanceOf(RegisterError);
  return (error as RegisterError).reason;
}

describe('D. registered names', () => {
  it('D01 register / whereis / send by name / unregister', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    const seen = await rt.run((ctx) => {
      const registerResult = ctx.register('srv', p1);
      const whereis = rt.whereis('srv');
      const sendResult = ctx.send('srv', 'hello');
      return { registerResult, whereis, sendResult };
    });
    expect(seen.registerResult).toBeUndefined(); // Erlang: true; TS: returns without throwing
    expect(seen.whereis).toBe(p1);
    expect(seen.sendResult).toBeUndefined(); // Erlang returns the message; TS: void
    await rt.settle();
    expect(await mailboxOf(rt, p1)).toEqual(['hello']);
    expect(rt.processInfo(p1)?.registeredName).toBe('srv');
    expect(rt.registered()).toContain('srv');
    expect(() => rt.unregister('srv')).not.toThrow();
    expect(rt.whereis('srv')).toBeUndefined();
    expect(rt.processInfo(p1)?.registeredName).toBeUndefined(); // Erlang: [] rather than a tuple
    expect(rt.registered()).not.toContain('srv');
    // Catalog note 11: `Name ! Msg` to a name nobody holds raises (NoProcError here).
    expect(() => rt.send('srv', 'hello')).toThrow(NoProcError);
    await rt.settle();
    expect(rt.isAlive(p1)).toBe(true);
  });

  it('D02 registering a name that is already taken raises badarg', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    const p2 = await spawnIdle(rt);
    rt.register('srv', p1);
    expect(registerErrorReason(() => rt.register('srv', p2))).toBe('name_taken');
    expect(rt.whereis('srv')).toBe(p1);
    expect(rt.processInfo(p2)?.registeredName).toBeUndefined();
  });

  it('D04 a registered name is released when its process dies and can be reused at once', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    rt.register('srv', p1);
    const w = await watch(rt, [p1]);
    ctlAsync(rt, p1, (ctx) => ctx.exit('boom'));
    expect(await w.down(p1)).toEqual({ tag: 'exit', value: 'boom' });
    expect(rt.whereis('srv')).toBeUndefined();
    const p2 = await spawnIdle(rt);
    expect(() => rt.register('srv', p2)).not.toThrow(); // Erlang: true
    expect(rt.whereis('srv')).toBe(p2);
  });

  it('D06 invalid register/unregister calls raise badarg', async () => {
    const rt = runtime();
    const p1 = await spawnIdle(rt);
    expect(registerErrorReason(() => rt.unregister('nobody'))).toBe('not_registered');
    // 'undefined' can never be a name (Erlang refuses the atom too): bad input, not a RegisterError.
    const undefinedName = thrownBy(() => rt.register('undefined', p1));
    expect(undefinedName).toBeInstanceOf(InvalidArgumentError);
    expect(undefinedName).toMatchObject({ operation: 'register', argument: 'name', value: 'undefined' });
    expect(rt.processInfo(p1)?.registeredName).toBeUndefined();
    const dead = rt.spawn(() => 'ok');
    await rt.settle();
    expect(rt.isAlive(dead)).toBe(false);
    expect(registerErrorReason(() => rt.register('x', dead))).toBe('not_alive');
    expect(rt.whereis('x')).toBeUndefined();
  });
});
