/**
 * A connection closed from this side (Node.disconnect, Node.stop) first sends what was sent
 * before the close, as Erlang's disconnect_node delivers it (conformance N27): a message sent in
 * the same step as the close is not lost.
 */
import { describe, expect, it } from 'vitest';
import { Node } from 'ts-otp';
import { connectedPair, puppet, useNodes } from '../support/nodes.js';

const node = useNodes();

describe('closing a connection from this side', () => {
  it('Node.disconnect delivers the messages sent before it in the same step', async () => {
    const { a, b } = await connectedPair(node);
    const p = puppet(b);
    a.spawn((ctx) => {
      for (let i = 1; i <= 5; i++) ctx.send(p.pid, i);
      Node.disconnect(a, 'b');
    });
    const got = await p.act(async (ctx) => {
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await ctx.receive(5_000));
      return seen;
    });
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('Node.stop delivers the message sent before it in the same step', async () => {
    const { a, b } = await connectedPair(node);
    const got = await a.run(async (ctx) => {
      const to = ctx.self;
      b.spawn(async (c) => {
        c.send(to, 'bye');
        await Node.stop(b);
      });
      return ctx.receive(5_000);
    });
    expect(got).toBe('bye');
  });
});
