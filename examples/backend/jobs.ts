/**
 * Background jobs under a DynamicSupervisor: each job is a temporary process that works for a
 * while and stores its result in the key-value store; a job asked to fail crashes, and the
 * crash is reported.
 */
import { DynamicSupervisor, type Context, type Pid, type Runtime } from '../../src/index.js';
import { put } from './kv.js';

export const JOBS = 'jobs';

export interface Job {
  readonly id: string;
  readonly workMs: number;
  readonly fail: boolean;
}

function jobSpec(rt: Runtime, job: Job): DynamicSupervisor.DynamicChildSpec {
  return {
    id: `job-${job.id}`, // names the job in reports and in the /tree
    restart: 'temporary',
    start: (sup) => ({
      type: 'ok',
      pid: sup.spawnLink(async (ctx: Context) => {
        await ctx.receive(job.workMs); // the job's "work": time passing, cancelled if the job is stopped
        if (job.fail) throw new Error(`job ${job.id} failed, as asked`);
        await put(rt, `job:${job.id}`, 'done');
      }),
    }),
  };
}

/** Starts a job; resolves with its pid. */
export async function submit(rt: Runtime, job: Job): Promise<Pid | undefined> {
  const started = await DynamicSupervisor.startChild(DynamicSupervisor.named(JOBS, rt), jobSpec(rt, job));
  return started.type === 'ok' ? started.pid : undefined;
}
