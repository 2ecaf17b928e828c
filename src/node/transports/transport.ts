/**
 * The transport interface: what a node needs from a carrier to talk to one other node.
 *
 * A {@link Link} is one established, reliable, ordered, two-way channel between two nodes.
 * The node layer does everything above it (handshake, renumbering pids, heartbeats, the
 * bookkeeping that fires `noconnection`), so a transport is small: it moves batches of frames
 * in order, closes, and says when it was closed or lost. Two links exist today, over a
 * `MessagePort` (two runtimes in one thread, or a thread and its worker); the NATS transport
 * will make links over NATS subjects (one subject per ordered pair of nodes) and encode each
 * batch to bytes; frame payloads are already bytes.
 *
 * Contract:
 * - Batches arrive whole, once, in the order they were sent; a transport that cannot keep that
 *   (a broken TCP connection, a NATS reconnect that may have lost messages) must close the link
 *   instead. Erlang asks the same of its distribution carriers.
 * - `closed` is reported once, whoever closed the link; nothing arrives after it.
 * - A transport need not detect a peer that hangs: the node layer sends a tick when it has sent
 *   nothing for a quarter of `tickMs`, and declares the peer lost after `tickMs` of silence.
 *
 * @module
 */

/**
 * One unit the node layer sends: a tuple whose first element says what it is. Frames hold only
 * strings, numbers, booleans, null and byte arrays (payloads), so any transport can encode them.
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const tick: Node.Frame = ['tick'];
 * expect(tick[0]).toBe('tick');
 * ```
 */
export type Frame = readonly [op: string, ...fields: Array<string | number | boolean | null | Uint8Array>];

/**
 * What a link reports to the node that opened it.
 *
 * @example
 * ```ts
 * import type { Node } from 'ts-otp';
 * import { expect } from 'vitest';
 *
 * const got: Node.Frame[] = [];
 * const handler: Node.LinkHandler = { frames: (batch) => got.push(...batch), closed: () => {} };
 * handler.frames([['tick']]);
 * expect(got).toEqual([['tick']]);
 * ```
 */
export interface LinkHandler {
  /** A batch of frames arrived, in order. */
  frames(batch: readonly Frame[]): void;
  /** The link was closed, by either side, or lost. Called once. */
  closed(): void;
}

/**
 * An ordered, reliable channel to one other node, made by a transport.
 *
 * @example
 * ```ts
 * import { Node, Runtime } from 'ts-otp';
 * import { MessageChannel } from 'node:worker_threads';
 * import { expect } from 'vitest';
 *
 * // Two runtimes of one thread, connected by hand over a MessageChannel: what Node.connect does.
 * const a = new Runtime();
 * const b = new Runtime();
 * Node.start(a, { name: 'a' });
 * Node.start(b, { name: 'b' });
 * const { port1, port2 } = new MessageChannel();
 * const links: Node.Link[] = [Node.portLink(port1), Node.portLink(port2)];
 * const peers = await Promise.all([Node.attach(a, links[0]!), Node.attach(b, links[1]!)]);
 * expect(peers).toEqual(['b', 'a']);
 * await Node.stop(a);
 * await Node.stop(b);
 * ```
 */
export interface Link {
  /** Starts delivering to `handler`. Called once, before `send`. */
  open(handler: LinkHandler): void;
  /** Sends a batch; never throws for a closed link (the batch is dropped). */
  send(batch: readonly Frame[]): void;
  /** Closes the link; the handler's `closed` follows. */
  close(): void;
  /**
   * The largest batch the link carries, in bytes as the node layer's values take (a NATS
   * server's `max_payload`, less the packet's header); absent when there is no limit. The node
   * layer keeps every batch under it: it refuses a message larger than that at the send, and
   * sends a batch early rather than let it grow past the limit.
   */
  readonly maxBatchBytes?: number;
}
