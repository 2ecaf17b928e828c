/**
 * A Supervisor function pointed at a DynamicSupervisor, or the reverse (possible with a plain pid,
 * or past the types with a cast): the supervisor answers with an error and lives on; the function
 * rejects with an InvalidArgumentError naming the argument. Elixir 1.14 (checked) crashes its
 * DynamicSupervisor with a FunctionClauseError on `Supervisor.restart_child`, `delete_child` and
 * `start_child`, taking its children down; OTP's supervisor likewise crashes on a request it does
 * not know. ts-otp does not: see the differences guide.
 */
import { describe, expect, it } from 'vitest';
import { DynamicSupervisor, InvalidArgumentError, Supervisor, type Pid } from 'ts-otp';
import { pidOf } from '../support/gen_server.js';
import { useRuntime } from '../support/runtime.js';
import { idle } from '../support/supervisor.js';

const runtime = useRuntime();


describe('a Supervisor function given a DynamicSupervisor', () => {
  it.each([
    ['startChild', (p: Pid) => Supervisor.startChild(p, { id: 'x', start: idle })],
    ['terminateChild', (p: Pid) => Supervisor.terminateChild(p, 'x')],
    ['restartChild', (p: Pid) => Supervisor.restartChild(p, 'x')],
    ['deleteChild', (p: Pid) => Supervisor.deleteChild(p, 'x')],
    ['whichChildren', (p: Pid) => Supervisor.whichChildren(p)],
    ['countChildren', (p: Pid) => Supervisor.countChildren(p)],
  ] as const)('%s rejects with InvalidArgumentError; the DynamicSupervisor and its children live on', async (name, op) => {
    const rt = runtime();
    const dyn: Pid = pidOf(await DynamicSupervisor.start({ runtime: rt }));
    const child = await DynamicSupervisor.startChild(dyn, { start: idle });
    const error = await op(dyn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation: `Supervisor.${name}`, argument: 'sup', value: dyn });
    expect((error as Error).message).toContain('must be a Supervisor, not a DynamicSupervisor');
    expect(rt.isAlive(dyn)).toBe(true);
    expect(await DynamicSupervisor.whichChildren(dyn)).toEqual([{ pid: (child as { pid: Pid }).pid, type: 'worker' }]);
  });

  it('rejects by name too', async () => {
    const rt = runtime();
    await DynamicSupervisor.start({ runtime: rt, name: 'jobs' });
    const byName = DynamicSupervisor.named('jobs', rt) as unknown as Supervisor.SupervisorRef; // past the types, as plain JavaScript can
    await expect(Supervisor.restartChild(byName, 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('a DynamicSupervisor function given a Supervisor', () => {
  it.each([
    ['startChild', (p: Pid) => DynamicSupervisor.startChild(p, { start: idle })],
    ['terminateChild', (p: Pid) => DynamicSupervisor.terminateChild(p, p)],
    ['whichChildren', (p: Pid) => DynamicSupervisor.whichChildren(p)],
    ['countChildren', (p: Pid) => DynamicSupervisor.countChildren(p)],
  ] as const)('%s rejects with InvalidArgumentError; the Supervisor and its children live on', async (name, op) => {
    const rt = runtime();
    const sup: Pid = pidOf(await Supervisor.start({ children: [{ id: 'a', start: idle }] }, { runtime: rt }));
    const [before] = await Supervisor.whichChildren(sup);
    const error = await op(sup).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ operation: `DynamicSupervisor.${name}`, argument: 'sup', value: sup });
    expect((error as Error).message).toContain('must be a DynamicSupervisor, not a Supervisor');
    expect(await Supervisor.whichChildren(sup)).toEqual([before]);
  });
});
