/**
 * The baseline: the plainest Node code that does what a ts-otp process does, to compare against.
 *
 * A "process" is an async function; its mailbox is an array queue; a receiver with an empty
 * queue waits on a promise that the next `send` resolves with the message itself. There are no
 * pids (processes hold each other's mailboxes directly), no process table, no links, monitors,
 * exit reasons, names or timers, and nothing checks its arguments. This is the floor that a
 * process runtime on top of promises can approach, not a competitor.
 *
 * @module
 */

/**
 * An array queue plus, while its owner waits, the resolve of the promise it waits on.
 *
 * Taking a message moves `head` on rather than calling `shift()`: on an array too large for V8
 * to trim in place (from some ten thousand elements on Node 20), each shift moves every element
 * left, and a queue of a million takes minutes to drain. Once half the array has been taken,
 * the taken part is cut off, so a queue that never empties does not keep its history.
 */
export class Mailbox<M = unknown> {
  queue: M[] = [];
  head = 0;
  waiter: ((msg: M) => void) | null = null;

  send(msg: M): void {
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter(msg);
    } else {
      this.queue.push(msg);
    }
  }

  receive(): Promise<M> {
    const queue = this.queue;
    if (this.head < queue.length) {
      const msg = queue[this.head++]!;
      if (this.head === queue.length) {
        queue.length = 0;
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= queue.length) {
        queue.copyWithin(0, this.head);
        queue.length -= this.head;
        this.head = 0;
      }
      return Promise.resolve(msg);
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/** A task that ends at its first message, whatever it is: an idle process told to stop. */
export async function untilMessage(mailbox: Mailbox): Promise<void> {
  await mailbox.receive();
}

/** Starts `body` at once with a new mailbox; `onExit` runs when its promise settles. */
export function spawn<M>(body: (mailbox: Mailbox<M>) => Promise<void>, onExit?: () => void): Mailbox<M> {
  const mailbox = new Mailbox<M>();
  const done = body(mailbox);
  if (onExit !== undefined) done.then(onExit, onExit);
  return mailbox;
}
