/**
 * Background jobs as supervised tasks, Elixir's `Task.Supervisor.start_child`: each job is a
 * temporary task under the `jobs` task supervisor that works for a while and stores its result
 * in the key-value store; a job asked to fail crashes, and the supervisor reports the crash.
 */
import { TaskSupervisor, type Pid, type Runtime } from '../../src/index.js';
import { put } from './kv.js';

export const JOBS = 'jobs';

export interface Job {
  readonly id: string;
  readonly workMs: number;
  readonly fail: boolean;
}

/** Starts a job; resolves with its pid, or undefined when the supervisor is full. */
export async function submit(rt: Runtime, job: Job): Promise<Pid | undefined> {
  const started = await TaskSupervisor.startChild(TaskSupervisor.named(JOBS, rt), async (ctx) => {
    await ctx.receive(job.workMs); // the job's "work": time passing, cancelled if the job is stopped
    if (job.fail) throw new Error(`job ${job.id} failed, as asked`);
    await put(rt, `job:${job.id}`, 'done');
  });
  return started.type === 'ok' ? started.pid : undefined;
}
