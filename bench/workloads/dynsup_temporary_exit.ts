/**
 * DynamicSupervisor mass exit: 50,000 temporary children stop at once; time until the supervisor has forgotten them all.
 *
 * A DynamicSupervisor is given 50,000 temporary children, started one by one with
 * `startChild`, each a process that waits in receive. Once all of them wait, plain code sends
 * each 'stop', so that each returns (reason 'normal') and its EXIT joins the supervisor's
 * queue, then asks `countChildren` until it says no child is active. The figure is the time from
 * the first 'stop' to that answer. Baseline: a supervisor task that keeps its children's
 * mailboxes in a Set, deletes each as the child's end is reported to its mailbox, and answers
 * count requests with the Set's size. Erlang: a `simple_one_for_one` supervisor with temporary
 * children (OTP's DynamicSupervisor), its queue off its heap, and supervisor:count_children.
 *
 * Sizes follow BENCH_SCALE (see bench/harness.ts).
 *
 * @module
 */
import { DynamicSupervisor, type Pid } from 'ts-otp';
import { spawn, untilMessage, type Mailbox } from '../baseline.js';
import { check, count, now, scaled, type Workload } from '../harness.js';
import { temporary } from './supervisor_scale.js';

const CHILDREN = scaled(50_000);

/** What the baseline's supervisor receives: a child that ended, or a count request. */
type SupMsg = Mailbox | ((active: number) => void);

const supTask = async (mailbox: Mailbox<SupMsg>, children: Set<Mailbox>): Promise<void> => {
  for (;;) {
    const msg = await mailbox.receive();
    if (typeof msg === 'function') msg(children.size);
    else children.delete(msg);
  }
};

export const dynsupTemporaryExitWorkload: Workload = {
  name: 'dynsup-temporary-exit',
  title: `DynamicSupervisor: ${count(CHILDREN)} temporary children exit`,
  unit: 'ms',
  better: 'lower',
  runs: 3,
  target: { kind: 'vs-erlang', value: 1 },

  otp: async (rt) => {
    const started = await DynamicSupervisor.start({ runtime: rt });
    if (started.type !== 'ok') throw new Error(`the supervisor did not start: ${JSON.stringify(started)}`);
    const sup = started.pid;
    const children: Pid[] = [];
    for (let i = 0; i < CHILDREN; i++) {
      const child = await DynamicSupervisor.startChild(sup, temporary);
      if (child.type !== 'ok' || child.pid === undefined) throw new Error(`a child did not start: ${JSON.stringify(child)}`);
      children.push(child.pid);
    }
    await rt.settle();
    check((await DynamicSupervisor.countChildren(sup)).active === CHILDREN, 'every child runs');
    const t0 = now();
    for (const child of children) rt.send(child, 'stop');
    let counts = await DynamicSupervisor.countChildren(sup); // answered before the children have run
    while (counts.active > 0) counts = await DynamicSupervisor.countChildren(sup);
    const ms = now() - t0;
    check(counts.specs === 0 && rt.processes().length === 1, 'every child exited and the supervisor forgot it');
    return ms;
  },

  baseline: async () => {
    const children = new Set<Mailbox>();
    const sup = spawn<SupMsg>((mailbox) => supTask(mailbox, children));
    for (let i = 0; i < CHILDREN; i++) {
      const child: Mailbox = spawn(untilMessage, () => sup.send(child));
      children.add(child);
    }
    const t0 = now();
    for (const child of children) child.send('stop');
    const ask = (): Promise<number> => new Promise<number>((resolve) => sup.send(resolve));
    let active = await ask();
    while (active > 0) active = await ask();
    const ms = now() - t0;
    check(children.size === 0, 'the baseline supervisor saw every child end');
    return ms;
  },
};
