import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ProcessExit, Runtime, type DownMessage, type ExitReason, type Pid, type ProcessFn } from 'ts-otp';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime(() => ({ logger: pino({ level: 'silent' }) }));

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function throwingGetters(): object {
  return new Proxy({}, {
    get() {
      throw new Error('hostile getter');
    },
    getPrototypeOf() {
      throw new Error('hostile prototype');
    },
    has() {
      throw new Error('hostile has');
    },
  });
}

function errorWithThrowingMessage(): Error {
  const error = new Error('x');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('no message for you');
    },
  });
  return error;
}

function circular(): object {
  const value: { self?: unknown } = {};
  value.self = value;
  return value;
}

/** Each value, and whether a promise can resolve to it (one whose `then` cannot be read cannot). */
const hostile: ReadonlyArray<readonly [string, () => unknown, boolean]> = [
  ['a revoked Proxy', revoked, false],
  ['an object whose getters throw', throwingGetters, false],
  ['an Error whose message getter throws', errorWithThrowingMessage, true],
  ['an object whose toJSON throws', () => ({ toJSON: () => { throw new Error('no JSON'); } }), true],
  ['a circular object', circular, true],
  ['a Symbol', () => Symbol('odd'), true],
  ['a BigInt', () => 10n ** 30n, true],
];

/** Compares by identity only: the values here throw when a deep equality looks inside them. */
function isReason(reason: ExitReason, tag: 'error' | 'exit', value: unknown): boolean {
  if (typeof reason !== 'object') return false;
  return reason.tag === tag && (reason.tag === 'error' ? reason.cause : reason.tag === 'exit' ? reason.value : undefined) === value;
}

/** Answers 'pong' to { from }: shows that the runtime still runs processes. */
async function stillRuns(rt: Runtime): Promise<void> {
  const echo = rt.spawn(async (ctx) => {
    const { from } = (await ctx.receive()) as { from: Pid };
    ctx.send(from, 'pong');
  });
  const answer = await rt.run(async (ctx) => {
    ctx.send(echo, { from: ctx.self });
    return ctx.receive(1000);
  });
  expect(answer).toBe('pong');
}

/** The DOWN of a process made by `body`, from a monitor taken before it runs. */
async function downOf(rt: Runtime, body: ProcessFn): Promise<DownMessage> {
  return rt.run(async (ctx) => {
    const { ref } = ctx.spawnMonitor(body);
    return (await ctx.receiveRef(ref)) as DownMessage;
  });
}

describe.each(hostile)('%s', (_name, make, resolvable) => {
  it('thrown by a process ends that process only', async () => {
    const rt = runtime();
    const value = make();
    const down = await downOf(rt, () => {
      throw value;
    });
    expect(isReason(down.reason, 'error', value)).toBe(true);
    await stillRuns(rt);
    await rt.settle();
  });

  it('rejected from an async process ends that process only', async () => {
    const rt = runtime();
    const value = make();
    const down = await downOf(rt, async () => {
      await null;
      throw value;
    });
    expect(isReason(down.reason, 'error', value)).toBe(true);
    await stillRuns(rt);
  });

  it('as an exit reason ends the target with it, and exit does not throw', async () => {
    const rt = runtime();
    const value = make();
    const down = await rt.run(async (ctx) => {
      const { pid, ref } = ctx.spawnMonitor((c) => c.receive());
      ctx.exit(pid, value);
      return (await ctx.receiveRef(ref)) as DownMessage;
    });
    expect(isReason(down.reason, 'exit', value)).toBe(true);
    await stillRuns(rt);
  });

  it('sent as a message reaches a process waiting for a ref, and the sender goes on', async () => {
    const rt = runtime();
    const value = make();
    const got = await rt.run(async (ctx) => {
      const parent = ctx.self;
      const watched = ctx.spawn((c) => c.receive());
      const { pid: waiter, ref } = ctx.spawnMonitor(async (c) => {
        const watch = c.monitor(watched);
        c.send(parent, 'waiting');
        await c.receiveRef(watch); // the value goes by this receive, which reads its ref
        c.send(parent, { got: await c.receive(0) });
      });
      await ctx.receive((m) => m === 'waiting');
      ctx.send(waiter, value);
      ctx.exit(watched, 'kill');
      return ctx.receive((m) => (m as { type?: unknown }).type === 'DOWN' || (m as { got?: unknown }).got !== undefined, 1000)
        .then((m) => ({ m, down: (m as DownMessage).ref === ref }));
    });
    if (resolvable) expect((got.m as { got: unknown }).got).toBe(value);
    // A promise cannot resolve to a value whose `then` cannot be read: the receive rejects, and
    // only the receiver exits (see the differences guide).
    else expect(got.down && typeof (got.m as DownMessage).reason === 'object').toBe(true);
    await stillRuns(rt);
  });

  it('makes rt.run settle', async () => {
    const rt = runtime();
    const value = make();
    const outcome = await rt.run(() => {
      throw value;
    }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ProcessExit);
    expect(isReason((outcome as ProcessExit).reason, 'error', value)).toBe(true);
    expect(typeof (outcome as ProcessExit).message).toBe('string');
  });
});

describe('a logger that throws', () => {
  it('loses the report but not the runtime', async () => {
    const broken = pino({ level: 'error' }, { write: () => { throw new Error('disk full'); } });
    const rt = new Runtime({ logger: broken });
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await expect(rt.run(() => { throw new Error('boom'); })).rejects.toMatchObject({ reason: { tag: 'error' } });
      await rt.settle();
      await stillRuns(rt);
      await expect(rt.run(() => { throw new Error('again'); })).rejects.toMatchObject({ reason: { tag: 'error' } });
      await rt.settle();
    } finally {
      process.stderr.write = write;
      rt.killAll();
    }
    expect(written).toHaveLength(1); // told once
    expect(written[0]).toContain('logger throws');
  });
});
