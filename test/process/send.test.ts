import { describe, expect, it } from 'vitest';
import { NoProcError } from 'ts-otp';
import { startPuppet, startRecorder, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

// A process remembers the pid it last sent to; these pin down that nothing observable changes.
describe('send, repeated to one peer', () => {
  it('keeps delivering in order to the same pid', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const sender = await startPuppet(rt);
    await sender.act((ctx) => {
      for (let i = 0; i < 5; i++) ctx.send(rec.pid, i);
    });
    await rt.settle();
    expect(rec.messages).toEqual([0, 1, 2, 3, 4]);
  });

  it('drops messages to that pid silently once it has exited', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    const sender = await startPuppet(rt);
    await sender.act((ctx) => ctx.send(rec.pid, 'first'));
    rt.exit(rec.pid, 'kill');
    await sender.act((ctx) => ctx.send(rec.pid, 'after death')); // no throw, no delivery
    await rt.settle();
    expect(rec.messages).toEqual(['first']);
    expect(rt.isAlive(sender.pid)).toBe(true);
  });

  it('follows a name to its new holder, and throws once nobody holds it', async () => {
    const rt = runtime();
    const a = await startRecorder(rt);
    const b = await startRecorder(rt);
    const sender = await startPuppet(rt);
    rt.register('svc', a.pid);
    await sender.act((ctx) => ctx.send('svc', 1));
    rt.unregister('svc');
    rt.register('svc', b.pid);
    await sender.act((ctx) => ctx.send('svc', 2));
    rt.unregister('svc');
    await expect(sender.act((ctx) => ctx.send('svc', 3))).rejects.toBeInstanceOf(NoProcError);
    await rt.settle();
    expect(a.messages).toEqual([1]);
    expect(b.messages).toEqual([2]);
  });

  it('sends nothing from a process that has exited, even to the peer it remembers', async () => {
    const rt = runtime();
    const rec = await startRecorder(rt);
    let leftover: (() => void) | undefined;
    const pid = rt.spawn(async (ctx) => {
      ctx.send(rec.pid, 'alive');
      leftover = () => ctx.send(rec.pid, 'leftover');
      await ctx.receive();
    });
    await rt.settle();
    rt.exit(pid, 'kill');
    leftover!();
    await rt.settle();
    expect(rec.messages).toEqual(['alive']);
  });
});
