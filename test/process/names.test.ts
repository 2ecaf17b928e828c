import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NoProcError, RegisterError, Runtime, type RegisterErrorReason } from 'ts-otp';
import { exitReasonOf, startPuppet, startRecorder, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

function registerErrorOf(f: () => void): { reason: RegisterErrorReason; registeredName: string } | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RegisterError);
    return e as RegisterError;
  }
  return undefined;
}

describe('register', () => {
  it('makes a name that whereis, send and processInfo know, until unregister (D01)', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    rt.register('db', rec.pid);
    expect(rt.whereis('db')).toBe(rec.pid);
    expect(rt.registered()).toEqual(['db']);
    expect(rt.processInfo(rec.pid)?.registeredName).toBe('db');
    rt.send('db', 'by name');
    await rt.run((ctx) => ctx.send('db', 'by name, from a process'));
    await rt.settle();
    expect(rec.messages).toEqual(['by name', 'by name, from a process']);

    rt.unregister('db');
    expect(rt.whereis('db')).toBeUndefined();
    expect(rt.registered()).toEqual([]);
    expect(rt.processInfo(rec.pid)?.registeredName).toBeUndefined();
    expect(() => rt.send('db', 'lost')).toThrow(NoProcError);
  });

  it('registers the calling process when no pid is given', async () => {
    const rt = runtime();
    const p = await startPuppet(rt);
    await p.act((ctx) => ctx.register('me'));
    expect(rt.whereis('me')).toBe(p.pid);
    await p.act((ctx) => ctx.unregister('me'));
    expect(rt.whereis('me')).toBeUndefined();
  });

  it("refuses a name that is taken with reason 'name_taken', and the holder keeps it (D02)", async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    rt.register('db', a.pid);
    expect(registerErrorOf(() => rt.register('db', b.pid))).toMatchObject({ reason: 'name_taken', registeredName: 'db', pid: b.pid });
    expect(await b.act((ctx) => registerErrorOf(() => ctx.register('db')))).toMatchObject({ reason: 'name_taken' });
    expect(rt.whereis('db')).toBe(a.pid);
  });

  it("refuses a second name for a registered process with reason 'already_registered'", async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    rt.register('db', a.pid);
    expect(registerErrorOf(() => rt.register('cache', a.pid))).toMatchObject({ reason: 'already_registered', registeredName: 'cache' });
    expect(rt.registered()).toEqual(['db']);
  });

  it("refuses a dead pid with reason 'not_alive'", async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    expect(registerErrorOf(() => rt.register('db', dead))).toMatchObject({ reason: 'not_alive', registeredName: 'db' });
    expect(rt.registered()).toEqual([]);
  });

  it('lets a process take a new name once it has unregistered the old one', async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    rt.register('old', a.pid);
    rt.unregister('old');
    rt.register('new', a.pid);
    expect(rt.whereis('new')).toBe(a.pid);
  });
});

describe('unregister', () => {
  it("of a name nobody holds throws RegisterError with reason 'not_registered'", async () => {
    const rt = runtime();
    expect(registerErrorOf(() => rt.unregister('nobody'))).toMatchObject({ reason: 'not_registered', registeredName: 'nobody' });
  });

  it('works from any process, not only the holder', async () => {
    const rt = runtime();
    const holder = await startPuppet(rt);
    const other = await startPuppet(rt);
    rt.register('db', holder.pid);
    await other.act((ctx) => ctx.unregister('db'));
    expect(rt.whereis('db')).toBeUndefined();
    expect(rt.processInfo(holder.pid)?.registeredName).toBeUndefined();
  });
});

describe('a registered name', () => {
  it('is released when its process exits and can be taken again at once (D04)', async () => {
    const rt = runtime();
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    rt.register('db', a.pid);
    rt.exit(a.pid, 'kill');
    expect(rt.whereis('db')).toBeUndefined();
    expect(rt.registered()).toEqual([]);
    rt.register('db', b.pid);
    expect(rt.whereis('db')).toBe(b.pid);
  });

  it('is released also when its process returns normally', async () => {
    const rt = runtime();
    const pid = rt.spawn(async (ctx) => {
      ctx.register('short-lived');
      await ctx.receive();
    });
    await rt.settle();
    expect(rt.whereis('short-lived')).toBe(pid);
    const reason = exitReasonOf(rt, pid);
    rt.send('short-lived', 'go');
    expect(await reason).toBe('normal');
    expect(rt.whereis('short-lived')).toBeUndefined();
  });

  it('belongs to one runtime: another runtime does not know it', async () => {
    const rt = runtime();
    const other = new Runtime();
    const a = await startPuppet(rt);
    rt.register('db', a.pid);
    expect(other.whereis('db')).toBeUndefined();
    expect(() => other.send('db', 'x')).toThrow(NoProcError);
  });
});

describe('sending to a name nobody holds', () => {
  it('throws NoProcError naming the operation and the name, from plain code', () => {
    const rt = runtime();
    expect(() => rt.send('nobody', 'x')).toThrow(NoProcError);
    try {
      rt.send('nobody', 'x');
    } catch (e) {
      expect(e).toMatchObject({ operation: 'send', target: 'nobody' });
    }
  });

  it('throws NoProcError inside a process, which ends it unless caught', async () => {
    const rt = runtime();
    const caught = await rt.run((ctx) => {
      try {
        ctx.send('nobody', 'x');
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(caught).toBeInstanceOf(NoProcError);
    await expect(rt.run((ctx) => ctx.send('nobody', 'x'))).rejects.toMatchObject({
      name: 'ProcessExit',
      reason: { tag: 'error', cause: expect.any(NoProcError) },
    });
  });
});

describe('invalid names (D06)', () => {
  it.each(['', 'undefined', '<0.1.0>', '#Ref<0.1>', 42, null, undefined])(
    'refuses %j in register, unregister and whereis with InvalidArgumentError naming the argument',
    async (name) => {
      const rt = runtime();
      const p = await startPuppet(rt);
      for (const f of [() => rt.register(name as string, p.pid), () => rt.unregister(name as string), () => rt.whereis(name as string)]) {
        expect(f).toThrow(InvalidArgumentError);
        try {
          f();
        } catch (e) {
          expect(e).toMatchObject({ argument: 'name', value: name });
        }
      }
      expect(await p.act((ctx) => registerOrError(() => ctx.register(name as string)))).toBeInstanceOf(InvalidArgumentError);
      expect(rt.registered()).toEqual([]);
      expect(rt.isAlive(p.pid)).toBe(true);
    },
  );
});

function registerOrError(f: () => void): unknown {
  try {
    f();
    return undefined;
  } catch (e) {
    return e;
  }
}
