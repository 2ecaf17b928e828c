/**
 * Payloads between nodes: values copied by V8's serializer (structured clone), and the pids and
 * refs inside them renumbered for the receiving node.
 *
 * A value is serialized at the send, so one that cannot be copied throws a {@link CloneError}
 * there and nothing is queued. The values of one outgoing batch are written by one serializer
 * into one byte array ({@link BatchValues}): a serializer, a buffer and a copy per batch rather
 * than per message, which is most of what a message between threads costs. Bytes are what both
 * transports carry: a MessagePort copies them, NATS will publish them.
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
import { DefaultDeserializer, DefaultSerializer, serialize } from 'node:v8';
import { CloneError } from '../../errors.js';

/**
 * The values of one outgoing batch, written in order by one serializer; frames refer to them by
 * index. A value that cannot be copied throws a CloneError and leaves the batch as it was.
 */
export class BatchValues {
  #ser: DefaultSerializer | null = null;
  /** What was written, kept until the batch is taken: a failed write poisons the serializer, which is then rebuilt from these. */
  #held: unknown[] = [];

  get count(): number {
    return this.#held.length;
  }

  /** Writes `value`; its index in the batch. */
  write(operation: string, path: string, value: unknown): number {
    let ser = this.#ser;
    if (ser === null) {
      ser = this.#ser = new DefaultSerializer();
      ser.writeHeader();
    }
    try {
      ser.writeValue(value);
    } catch {
      this.#rebuild();
      throw cloneError(operation, path, value);
    }
    return this.#held.push(value) - 1;
  }

  /** The batch's bytes, or null when nothing was written; the next write starts a new batch. */
  take(): Uint8Array | null {
    const ser = this.#ser;
    if (ser === null) return null;
    this.#ser = null;
    this.#held = [];
    return ser.releaseBuffer();
  }

  #rebuild(): void {
    const ser = new DefaultSerializer();
    ser.writeHeader();
    for (const v of this.#held) {
      try {
        ser.writeValue(v);
      } catch {
        // Copied once already: only a value changed since its send can fail; its index must stay.
        ser.writeValue(undefined);
      }
    }
    this.#ser = ser;
  }
}

/** The `count` values of a batch written by {@link BatchValues}, in order. */
export function readValues(bytes: Uint8Array, count: number): unknown[] {
  const des = new DefaultDeserializer(bytes as Buffer);
  des.readHeader();
  const values = new Array<unknown>(count);
  for (let i = 0; i < count; i++) values[i] = des.readValue();
  return values;
}

function cloneError(operation: string, path: string, value: unknown): CloneError {
  const culprit = uncloneable(value, path, new Set());
  return culprit !== undefined ? new CloneError(operation, culprit.path, culprit.type) : new CloneError(operation, path, typeName(value));
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
