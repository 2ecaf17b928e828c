/**
 * Helpers of the Agent tests: a gate an async agent function waits at, and a watch on a pid.
 *
 * @module
 */
import type { DownMessage, Pid, Runtime } from 'ts-otp';

/** A gate an async function waits at: `entered` resolves once it waits there, `open()` lets it on. */
export function gate(): { wait: () => Promise<void>; entered: Promise<void>; open: () => void } {
  let open!: () => void;
  let enter!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const entered = new Promise<void>((resolve) => (enter = resolve));
  return { wait: () => (enter(), opened), entered, open };
}

/** A monitor of `pid` taken now, from an inbox of `rt`; `down()` resolves with the DOWN's reason. */
export function watch(rt: Runtime, pid: Pid): { down: () => Promise<unknown> } {
  const inbox = rt.inbox();
  const ref = inbox.monitor(pid);
  return { down: async () => ((await inbox.receiveRef(ref)) as DownMessage).reason };
}
