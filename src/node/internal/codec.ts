/**
 * Payloads between nodes: values copied by V8's serializer (structured clone), and the pids and
 * refs inside them renumbered for the receiving node.
 *
 * A value is serialized at the send, so one that cannot be copied throws a {@link CloneError}
 * there and nothing is queued. Bytes are what both transports carry: a MessagePort copies them,
 * NATS will publish them.
 *
 * A pid prints `<R.N.0>` where R is a runtime number local to the thread that prints it; the
 * receiver maps the sender's R to its own (see Connection), in place in the fresh copy it owns,
 * as Erlang translates pids when it decodes a term. Every string shaped like a pid or a ref is
 * one (ts-otp pids are strings), so such strings are renumbered too.
 *
 * Not part of the public API.
 *
 * @module
 */
import { deserialize, serialize } from 'node:v8';
import { CloneError } from '../../errors.js';

/** Serializes `value`; throws a CloneError naming the part that cannot be copied. */
export function encode(operation: string, path: string, value: unknown): Uint8Array {
  try {
    return serialize(value);
  } catch (error) {
    const culprit = uncloneable(value, path, new Set());
    if (culprit !== undefined) throw new CloneError(operation, culprit.path, culprit.type);
    throw new CloneError(operation, path, typeName(value));
  }
}

export function decode(bytes: Uint8Array): unknown {
  return deserialize(bytes);
}

function typeName(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/** The first part of `value` that V8 cannot serialize, searched depth first. */
function uncloneable(value: unknown, path: string, seen: Set<object>): { path: string; type: string } | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return { path, type: typeof value };
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  let children: Array<[string, unknown]>;
  if (value instanceof Map) children = [...value].map(([k, v], i) => [`${path}<entry ${i}>`, [k, v]]);
  else if (value instanceof Set) children = [...value].map((v, i) => [`${path}<element ${i}>`, v]);
  else if (Array.isArray(value)) children = value.map((v, i) => [`${path}[${i}]`, v]);
  else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null && !(value instanceof Error)) {
      try {
        serialize(value);
        return undefined;
      } catch {
        return { path, type: typeName(value) }; // a host object: a WeakMap, a Promise, a socket
      }
    }
    children = Object.keys(value).map((k) => [`${path}.${k}`, (value as Record<string, unknown>)[k]]);
  }
  for (const [p, child] of children) {
    const found = uncloneable(child, p, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

const PID = /^<(\d+)\.(\d+)\.(\d+)>$/;
const REF = /^#Ref<(\d+)\.(\d+)>$/;

/** Renumbers the runtime number in a pid- or ref-shaped string; other strings are returned as they are. */
export function renumber(s: string, map: (index: number) => number): string {
  const c = s.charCodeAt(0);
  if (c === 60) {
    const m = PID.exec(s);
    return m === null ? s : `<${map(Number(m[1]))}.${m[2]}.${m[3]}>`;
  }
  if (c === 35) {
    const m = REF.exec(s);
    return m === null ? s : `#Ref<${map(Number(m[1]))}.${m[2]}>`;
  }
  return s;
}

/** Renumbers every pid and ref inside `value`, which the caller owns (a fresh copy); returns the new value. */
export function renumberAll(value: unknown, map: (index: number) => number): unknown {
  if (typeof value === 'string') return renumber(value, map);
  if (typeof value !== 'object' || value === null) return value;
  return walk(value, map, new Set());
}

// `fix` is a function of its own, not a closure made in each walk: a message walks once per object in it.
function fix(v: unknown, map: (index: number) => number, seen: Set<object>): unknown {
  return typeof v === 'string' ? renumber(v, map) : typeof v === 'object' && v !== null ? walk(v, map, seen) : v;
}

function walk(value: object, map: (index: number) => number, seen: Set<object>): object {
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fix(value[i], map, seen);
  } else if (value instanceof Map) {
    const entries = [...value];
    value.clear();
    for (const [k, v] of entries) value.set(fix(k, map, seen), fix(v, map, seen));
  } else if (value instanceof Set) {
    const items = [...value];
    value.clear();
    for (const v of items) value.add(fix(v, map, seen));
  } else if (value instanceof Error) {
    const e = value as Error & { cause?: unknown };
    if ('cause' in e) e.cause = fix(e.cause, map, seen);
  } else if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof Date) && !(value instanceof RegExp)) {
    const o = value as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const k = renumber(key, map);
      const v = fix(o[key], map, seen);
      if (k !== key) {
        delete o[key];
        o[k] = v;
      } else o[key] = v;
    }
  }
  return value;
}
