/**
 * The MessagePort transport: a {@link Link} over one end of a `MessageChannel`, between two
 * runtimes of one thread or a thread and a worker thread.
 *
 * A MessagePort delivers in order and reports `close` on both ends when either end is closed or
 * its thread ends, which is what a link must do. Batches are copied by structured clone; their
 * payloads are already bytes.
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { Frame, Link, LinkHandler } from './transport.js';

/**
 * A {@link Link} over a MessagePort. The port is started by `open` and closed by `close`.
 *
 * @example
 * ```ts
 * import { Node } from 'ts-otp';
 * import { MessageChannel } from 'node:worker_threads';
 * import { expect } from 'vitest';
 *
 * const { port1, port2 } = new MessageChannel();
 * const a = Node.portLink(port1);
 * const b = Node.portLink(port2);
 * const got = new Promise<readonly Node.Frame[]>((resolve) => b.open({ frames: resolve, closed: () => {} }));
 * a.open({ frames: () => {}, closed: () => {} });
 * a.send([['tick']]);
 * expect(await got).toEqual([['tick']]);
 * a.close();
 * ```
 */
export function portLink(port: MessagePort): Link {
  let closed = false;
  return {
    open(handler: LinkHandler): void {
      port.on('message', (batch: readonly Frame[]) => {
        if (!closed) handler.frames(batch);
      });
      port.once('close', () => {
        closed = true;
        handler.closed();
      });
    },
    send(batch: readonly Frame[]): void {
      if (!closed) port.postMessage(batch);
    },
    close(): void {
      port.close();
    },
  };
}
