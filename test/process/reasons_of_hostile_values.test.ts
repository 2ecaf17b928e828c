/**
 * Values that fight back: whatever a process throws or sends, turning it into a reason, a report
 * or an error message never throws.
 */
import { describe, expect, it } from 'vitest';
import { CallError, formatReason, InvalidArgumentError, isExpectedExit, isOtpError, NoProcError, ProcessExit, RegisterError, toExitReason, type Pid } from 'ts-otp';
import { exitReasonOf } from '../../src/errors.js';

const revokedProxy = (target: object): object => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};
const circular: Record<string, unknown> = { a: 1 };
circular['self'] = circular;
const throwingGetter = {
  get tag(): never {
    throw new Error('getter');
  },
};
const errorWithThrowingMessage = Object.defineProperty(new Error('x'), 'message', {
  get(): never {
    throw new Error('message getter');
  },
});
const throwingToJSON = {
  toJSON(): never {
    throw new Error('toJSON');
  },
};
const trapsThrow = new Proxy(
  {},
  {
    getPrototypeOf(): never {
      throw new Error('trap');
    },
  },
);
const ownKeysThrows = new Proxy(
  {},
  {
    ownKeys(): never {
      throw new Error('trap');
    },
  },
);

// prettier-ignore
const hostile: Array<[name: string, value: unknown, described: string]> = [
  ['undefined',                     undefined,                   'undefined'],
  ['null',                          null,                        'null'],
  ['a revoked Proxy',               revokedProxy({}),            '[revoked Proxy]'],
  ['a revoked Proxy of a function', revokedProxy(() => 1),       '[revoked Proxy]'],
  ['a Proxy whose traps throw',     trapsThrow,                  '[Proxy with a throwing trap]'],
  ['a Proxy whose ownKeys throws',  ownKeysThrows,               '[object that cannot be enumerated]'],
  ['a circular object',             circular,                    '{"a":1,"self":[Circular]}'],
  ['an object with a throwing getter', throwingGetter,           '{"tag":[throwing getter]}'],
  ['an Error whose message getter throws', errorWithThrowingMessage, 'Error: [throwing getter]'],
  ['an object whose toJSON throws', throwingToJSON,              '[object with a throwing toJSON]'],
  ['a Symbol',                      Symbol('s'),                 'Symbol(s)'],
  ['a BigInt',                      10n,                         '10n'],
  ['a deep object',                 { a: { b: { c: { d: { e: 1 } } } } }, '{"a":{"b":{"c":{"d":[Object]}}}}'],
];

describe.each(hostile)('%s', (_name, value, described) => {
  it('is described by formatReason, whether bare or in any tagged reason', () => {
    expect(formatReason(value)).toBe(described);
    expect(formatReason({ tag: 'exit', value })).toBe(described);
    expect(formatReason({ tag: 'error', cause: value })).toBe(`error (${described})`);
    expect(formatReason({ tag: 'shutdown', detail: value })).toBe(`shutdown (${described})`);
  });

  it('is not an expected exit', () => {
    expect(isExpectedExit(value)).toBe(false);
  });

  it('becomes an exit reason wrapping it', () => {
    const reason = toExitReason(value) as { tag: string; value: unknown };
    expect(reason.tag).toBe('exit');
    expect(reason.value).toBe(value); // the same value, not a copy (toEqual cannot look into a revoked Proxy)
  });

  it('stands for no exit reason and is no OtpError', () => {
    expect(exitReasonOf(value)).toBeUndefined();
    expect(isOtpError(value)).toBe(false);
  });

  it('can be the reason of a ProcessExit and a CallError, and the value of an InvalidArgumentError', () => {
    const pid = '<1.2.0>' as Pid;
    expect(new ProcessExit(pid, toExitReason(value)).message).toBe(`process <1.2.0> exited: ${described}`);
    expect(new ProcessExit(pid, value as never).message).toBe(`process <1.2.0> exited: ${described}`);
    expect(new CallError(pid, toExitReason(value), 'request').message).toBe(`call to <1.2.0> failed: it exited before replying, with reason ${described}`);
    expect(new CallError(pid, value as never, value).exitReason).toMatchObject({ tag: 'exit' });
    expect(new InvalidArgumentError('op', 'arg', value, 'a string').message).toBe(`op: argument 'arg' must be a string, got ${described}`);
  });

  it('can be the target or the name in a NoProcError and a RegisterError', () => {
    expect(new NoProcError('send', value as never).message).toBe(`send: no process ${described}`);
    expect(new RegisterError(value as never, 'name_taken').message).toBe(`register ${described} failed: name_taken`);
  });
});

describe('formatReason', () => {
  it('takes every reason the API hands out: a call failure and the unknown reason of a failed start', () => {
    expect(formatReason('timeout')).toBe('timeout');
    expect(formatReason('calling_self')).toBe('calling_self');
    expect(formatReason('ignore')).toBe('ignore');
    expect(formatReason({ bad_return_value: 42 })).toBe('{"bad_return_value":42}');
  });

  it('shows a half-formed tagged reason as the value it is', () => {
    expect(formatReason({ tag: 'error' })).toBe('{"tag":"error"}');
  });

  it('cuts a long object at 80 characters and stops walking it', () => {
    const text = formatReason(Array.from({ length: 100_000 }, (_, i) => i));
    expect(text).toHaveLength(80);
    expect(text.endsWith('...')).toBe(true);
  });

  it('reads a getter of a tagged reason once', () => {
    let reads = 0;
    const reason = {
      get tag() {
        reads++;
        if (reads > 1) throw new Error('read twice');
        return 'exit';
      },
      value: 'boom',
    };
    expect(formatReason(reason)).toBe('"boom"');
    expect(reads).toBe(1);
  });
});

describe('exitReasonOf', () => {
  it('is undefined for an object that claims to be an OtpError but throws when asked its reason', () => {
    const impostor = {
      [Symbol.for('ts-otp.OtpError')]: true,
      get [Symbol.for('ts-otp.exitsWith')](): never {
        throw new Error('no reason');
      },
    };
    expect(isOtpError(impostor)).toBe(true);
    expect(exitReasonOf(impostor)).toBeUndefined();
  });

  it("normalises what a CallError stands for: Erlang's {Reason, {gen_server, call, Args}}", () => {
    const error = new CallError('server', 'timeout', 'ping', 100);
    expect(exitReasonOf(error)).toEqual({ tag: 'exit', value: { reason: 'timeout', call: { server: 'server', request: 'ping', timeout: 100 } } });
  });
});
