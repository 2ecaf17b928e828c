/**
 * Bad input to the node layer: a typed error at the call, and the runtime intact.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Node, NodeError, Runtime } from 'ts-otp';
import { useNodes } from '../support/nodes.js';

const node = useNodes();

describe('Node functions', () => {
  it.each([
    ['an empty name', { name: '' }],
    ['a name with spaces', { name: 'a b' }],
    ['a number', { name: 42 }],
    ['a tickMs of 0', { name: 'a', tickMs: 0 }],
    ['a tickMs that is not a number', { name: 'a', tickMs: '1s' }],
  ])('start refuses %s with InvalidArgumentError', (_what, options) => {
    const rt = new Runtime();
    expect(() => Node.start(rt, options as never)).toThrow(InvalidArgumentError);
    expect(() => Node.nodes(rt)).toThrow(NodeError); // not a node afterwards
  });

  it('refuse a runtime that is not a node, with NodeError not_a_node', async () => {
    const rt = new Runtime();
    expect(() => Node.nodes(rt)).toThrow(expect.objectContaining({ reason: 'not_a_node' }) as never);
    expect(() => Node.disconnect(rt, 'b')).toThrow(NodeError);
    await expect(Node.startWorker(rt, { name: 'w' })).rejects.toThrow(NodeError);
    await expect(rt.run((ctx) => Node.monitorNode(ctx, 'b'))).rejects.toMatchObject({ cause: { name: 'NodeError', reason: 'not_a_node' } });
  });

  it('refuse bad arguments with InvalidArgumentError naming them', async () => {
    const a = node('a');
    expect(() => Node.disconnect(a, 'not a name')).toThrow(expect.objectContaining({ argument: 'node' }) as never);
    const errors = await a.run((ctx) => {
      const caught = (f: () => unknown): unknown => {
        try {
          f();
        } catch (e) {
          return e;
        }
        return undefined;
      };
      return [
        caught(() => Node.spawn(ctx, 'a', { module: './relative.js' })),
        caught(() => Node.spawn(ctx, 'a', { module: '/x.js', export: '' })),
        caught(() => Node.spawn(ctx, 'a', { module: '/x.js', args: 'no' as never })),
        caught(() => Node.spawn(ctx, 'a', null as never)),
        caught(() => Node.spawn({} as never, 'a', { module: '/x.js' })),
        caught(() => Node.monitorNode(ctx, 'b', 'yes' as never)),
        caught(() => ctx.send({ name: 42, node: 'b' } as never, 'x')),
        caught(() => ctx.monitor({ name: 'db', node: 7 } as never)),
        caught(() => ctx.link('<99999.1.0>' as never)),
      ];
    });
    expect(errors.map((e) => (e as InvalidArgumentError).argument)).toEqual([
      'spec.module',
      'spec.export',
      'spec.args',
      'spec',
      'ctx',
      'flag',
      'dest',
      'target',
      'pid',
    ]);
    for (const e of errors) expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(Node.nodes(a)).toEqual([]);
  });
});
