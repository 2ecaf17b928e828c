import { describe, expect, it } from 'vitest';
import { ProcessExit, type ExitReason, type Pid, type Runtime } from 'ts-otp';
import { recordExits, startPuppet, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

const boom: ExitReason = { tag: 'exit', value: 'boom' };

/** What happens to a process: it lives on, it exits with a reason, or it gets an EXIT message. */
type Outcome = 'survives' | { dies: ExitReason } | { message: ExitReason };

const survives = 'survives' as const;
const dies = (reason: ExitReason): Outcome => ({ dies: reason });
const message = (reason: ExitReason): Outcome => ({ message: reason });

function describeOutcome(o: Outcome): string {
  if (o === 'survives') return 'survives';
  return 'dies' in o ? `dies with ${JSON.stringify(o.dies)}` : `gets EXIT ${JSON.stringify(o.message)}`;
}

// exit(target, reason) sent by another process (Erlang's exit/2). The sender never traps exits.
// prettier-ignore
const fromAnother: Array<[reason: unknown, trapping: boolean, linked: boolean, target: Outcome, sender: Outcome]> = [
  ['normal',   false, false, survives,                   survives],        // B09
  ['normal',   false, true,  survives,                   survives],
  ['normal',   true,  false, message('normal'),          survives],
  ['normal',   true,  true,  message('normal'),          survives],
  ['kill',     false, false, dies('killed'),             survives],        // B13
  ['kill',     false, true,  dies('killed'),             dies('killed')],  // B17
  ['kill',     true,  false, dies('killed'),             survives],        // B13: untrappable
  ['kill',     true,  true,  dies('killed'),             dies('killed')],
  ['killed',   false, false, dies('killed'),             survives],
  ['killed',   false, true,  dies('killed'),             dies('killed')],
  ['killed',   true,  false, message('killed'),          survives],        // an explicit 'killed' is ordinary
  ['killed',   true,  true,  message('killed'),          survives],
  ['shutdown', false, false, dies('shutdown'),           survives],        // B22
  ['shutdown', false, true,  dies('shutdown'),           dies('shutdown')],
  ['shutdown', true,  false, message('shutdown'),        survives],
  ['shutdown', true,  true,  message('shutdown'),        survives],
  ['boom',     false, false, dies(boom),                 survives],        // B05
  ['boom',     false, true,  dies(boom),                 dies(boom)],      // B07
  ['boom',     true,  false, message(boom),              survives],
  ['boom',     true,  true,  message(boom),              survives],        // B08
];

// exit(self, reason) (B11, B12, B15).
// prettier-ignore
const fromSelf: Array<[reason: unknown, trapping: boolean, self: Outcome]> = [
  ['normal',   false, dies('normal')],     // B11
  ['normal',   true,  message('normal')],  // B12
  ['kill',     false, dies('killed')],
  ['kill',     true,  dies('killed')],     // B15
  ['killed',   false, dies('killed')],
  ['killed',   true,  message('killed')],
  ['shutdown', false, dies('shutdown')],
  ['shutdown', true,  message('shutdown')],
  ['boom',     false, dies(boom)],
  ['boom',     true,  message(boom)],
];

describe('an exit signal from another process', () => {
  describe.each(fromAnother)('exit(target, %j), target trapping: %s, linked to the sender: %s', (reason, trapping, linked, target, sender) => {
    it(`target ${describeOutcome(target)}, sender ${describeOutcome(sender)}`, async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const t = await startPuppet(rt, { trapExit: trapping });
      const s = await startPuppet(rt);
      if (linked) await s.act((ctx) => ctx.link(t.pid));

      const call = s.act((ctx) => ctx.exit(t.pid, reason));
      if (sender === 'survives') {
        await expect(call).resolves.toBeUndefined();
      } else {
        // The echo over the link ends the sender inside its own exit call.
        await expect(call).rejects.toBeInstanceOf(ProcessExit);
        await expect(call).rejects.toMatchObject({ pid: s.pid, reason: (sender as { dies: ExitReason }).dies });
      }
      await rt.settle();

      if (target === 'survives' || 'message' in target) {
        expect(rt.isAlive(t.pid)).toBe(true);
        expect(await t.mailbox()).toEqual(target === 'survives' ? [] : [{ type: 'EXIT', from: s.pid, reason: target.message }]);
        if (linked && sender === 'survives') expect(rt.processInfo(t.pid)?.links).toEqual([s.pid]);
      } else {
        expect(rt.isAlive(t.pid)).toBe(false);
        expect(exits.get(t.pid)).toEqual(target.dies);
      }
      if (sender === 'survives') {
        expect(rt.isAlive(s.pid)).toBe(true);
      } else {
        expect(rt.isAlive(s.pid)).toBe(false);
        expect(exits.get(s.pid)).toEqual((sender as { dies: ExitReason }).dies);
      }
    });
  });
});

describe('an exit signal a process sends itself', () => {
  describe.each(fromSelf)('exit(self, %j), trapping: %s', (reason, trapping, self) => {
    it(`the process ${describeOutcome(self)}`, async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const p = await startPuppet(rt, { trapExit: trapping });
      const call = p.act((ctx) => ctx.exit(ctx.self, reason));
      if (self === 'survives' || 'message' in self) {
        await expect(call).resolves.toBeUndefined();
        expect(await p.mailbox()).toEqual(self === 'survives' ? [] : [{ type: 'EXIT', from: p.pid, reason: self.message }]);
      } else {
        await expect(call).rejects.toMatchObject({ name: 'ProcessExit', pid: p.pid, reason: self.dies });
        await rt.settle();
        expect(rt.isAlive(p.pid)).toBe(false);
        expect(exits.get(p.pid)).toEqual(self.dies);
      }
    });
  });
});

// A process ends with `reason` by itself; its linked partner is told over the link.
type End = 'return' | 'throw' | 'exit' | 'killed';
// prettier-ignore
const overALink: Array<[title: string, end: End, value: unknown, reason: ExitReason | 'the error', partner: 'survives' | 'dies']> = [
  ['returns',                            'return', undefined,                        'normal',                               'survives'], // B01
  ['exits with normal',                  'exit',   'normal',                         'normal',                               'survives'],
  ['exits with kill itself',             'exit',   'kill',                           'kill',                                 'dies'],     // B14
  ['is killed',                          'killed', undefined,                        'killed',                               'dies'],     // B13
  ['exits with shutdown',                'exit',   'shutdown',                       'shutdown',                             'dies'],     // B22
  ['exits with { shutdown, detail }',    'exit',   { tag: 'shutdown', detail: 'x' }, { tag: 'shutdown', detail: 'x' },      'dies'],
  ['exits with boom',                    'exit',   'boom',                           boom,                                   'dies'],     // B04
  ['throws',                             'throw',  undefined,                        'the error',                            'dies'],     // B02
];

/** A process that waits for 'go' and then ends as told; returns its pid once it waits. */
async function startEnding(rt: Runtime, end: End, value: unknown, error: Error): Promise<Pid> {
  const pid = rt.spawn(async (ctx) => {
    await ctx.receive();
    if (end === 'exit') ctx.exit(value);
    if (end === 'throw') throw error;
    return 'done';
  });
  await rt.settle();
  return pid;
}

function end(rt: Runtime, pid: Pid, how: End): void {
  if (how === 'killed') rt.exit(pid, 'kill');
  else rt.send(pid, 'go');
}

describe('a linked process that ends', () => {
  describe.each(overALink)('%s', (_how, how, value, expected, partner) => {
    it(`${partner === 'dies' ? 'ends' : 'does not end'} a non-trapping partner${partner === 'dies' ? ', with the same reason' : ''}`, async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const error = new Error('crash');
      const reason = expected === 'the error' ? { tag: 'error', cause: error } : expected;
      const partnerP = await startPuppet(rt);
      const dying = await startEnding(rt, how, value, error);
      await partnerP.act((ctx) => ctx.link(dying));
      end(rt, dying, how);
      await rt.settle();
      expect(exits.get(dying)).toEqual(reason);
      if (partner === 'survives') {
        expect(rt.isAlive(partnerP.pid)).toBe(true);
        expect(await partnerP.mailbox()).toEqual([]);
      } else {
        expect(rt.isAlive(partnerP.pid)).toBe(false);
        expect(exits.get(partnerP.pid)).toEqual(reason);
        if (expected === 'the error') expect((exits.get(partnerP.pid) as { cause: unknown }).cause).toBe(error);
      }
    });

    it('sends a trapping partner an EXIT message with the same reason, and it survives', async () => {
      const rt = runtime();
      const exits = recordExits(rt);
      const error = new Error('crash');
      const reason = expected === 'the error' ? { tag: 'error', cause: error } : expected;
      const partnerP = await startPuppet(rt, { trapExit: true });
      const dying = await startEnding(rt, how, value, error);
      await partnerP.act((ctx) => ctx.link(dying));
      end(rt, dying, how);
      await rt.settle();
      expect(exits.get(dying)).toEqual(reason);
      expect(rt.isAlive(partnerP.pid)).toBe(true);
      expect(await partnerP.mailbox()).toEqual([{ type: 'EXIT', from: dying, reason }]);
    });
  });
});

describe("a 'kill' that arrives over a link", () => {
  it('is passed on as plain kill along a chain of non-trapping processes (B14)', async () => {
    const rt = runtime();
    const exits = recordExits(rt);
    const a = await startPuppet(rt);
    const b = await startPuppet(rt);
    const c = await startPuppet(rt, { trapExit: true });
    await b.act((ctx) => ctx.link(a.pid));
    await c.act((ctx) => ctx.link(b.pid));
    await a.act((ctx) => ctx.exit('kill')).catch(() => {});
    await rt.settle();
    expect([exits.get(a.pid), exits.get(b.pid)]).toEqual(['kill', 'kill']);
    expect(await c.mailbox()).toEqual([{ type: 'EXIT', from: b.pid, reason: 'kill' }]);
  });

  it("after exit(p, 'kill') propagates killed, which a trapping process traps (B13)", async () => {
    const rt = runtime();
    const a = await startPuppet(rt, { trapExit: true });
    const b = await startPuppet(rt, { trapExit: true });
    await b.act((ctx) => ctx.link(a.pid));
    rt.exit(a.pid, 'kill');
    expect(rt.isAlive(a.pid)).toBe(false);
    expect(await b.mailbox()).toEqual([{ type: 'EXIT', from: a.pid, reason: 'killed' }]);
  });
});

describe('killing a linked process', () => {
  it('sends a trapping sender an EXIT with killed instead of ending it (B17)', async () => {
    const rt = runtime();
    const s = await startPuppet(rt, { trapExit: true });
    const t = await startPuppet(rt);
    await s.act((ctx) => ctx.link(t.pid));
    await s.act((ctx) => ctx.exit(t.pid, 'kill'));
    expect(rt.isAlive(s.pid)).toBe(true);
    expect(await s.mailbox()).toEqual([{ type: 'EXIT', from: t.pid, reason: 'killed' }]);
  });
});

describe('an exit signal from plain code (rt.exit)', () => {
  it('carries rt.rootPid as its sender', async () => {
    const rt = runtime();
    const t = await startPuppet(rt, { trapExit: true });
    rt.exit(t.pid, 'shutdown');
    rt.exit(t.pid, 'normal');
    expect(await t.mailbox()).toEqual([
      { type: 'EXIT', from: rt.rootPid, reason: 'shutdown' },
      { type: 'EXIT', from: rt.rootPid, reason: 'normal' },
    ]);
  });

  it("follows the same rules: 'normal' is ignored, 'kill' is untrappable, others end the target", async () => {
    const rt = runtime();
    const exits = recordExits(rt);
    const a = await startPuppet(rt);
    const b = await startPuppet(rt, { trapExit: true });
    const c = await startPuppet(rt);
    rt.exit(a.pid, 'normal');
    rt.exit(b.pid, 'kill');
    rt.exit(c.pid, 'boom');
    await rt.settle();
    expect(rt.isAlive(a.pid)).toBe(true);
    expect(exits.get(b.pid)).toBe('killed');
    expect(exits.get(c.pid)).toEqual(boom);
  });

  it('to a dead pid does nothing', async () => {
    const rt = runtime();
    const dead = rt.spawn(() => {});
    await rt.settle();
    expect(() => rt.exit(dead, 'kill')).not.toThrow();
  });
});

describe('an exit reason', () => {
  it('travels unchanged, the same object, through links, EXIT messages and monitors (B21)', async () => {
    const rt = runtime();
    const value = { any: ['term', 1] };
    const trapper = await startPuppet(rt, { trapExit: true });
    const watcher = await startPuppet(rt);
    const dying = await startPuppet(rt);
    await trapper.act((ctx) => ctx.link(dying.pid));
    await watcher.act((ctx) => ctx.monitor(dying.pid));
    rt.exit(dying.pid, value);
    const [exit] = (await trapper.mailbox()) as [{ reason: { value: unknown } }];
    const [down] = (await watcher.mailbox()) as [{ reason: { value: unknown } }];
    expect(exit.reason).toEqual({ tag: 'exit', value });
    expect(exit.reason.value).toBe(value);
    expect(down.reason).toBe(exit.reason);
  });
});
