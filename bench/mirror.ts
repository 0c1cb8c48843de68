import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Job } from '../src/models/index.js';

export const MIRROR_LATENCY_METHOD =
  'Per job: completed_at of its row (written by the job workflow after the pipeline activity returned and its outputs ' +
  'were ingested) minus the newest mtime among its output files under PIPELINE_OUTPUT_ROOT/job-<id>/attempt-*/ (the ' +
  'simulated runner writes them as the last thing a run does). Both clocks are this machine\'s wall clock.';

/** The newest mtime (ms since the epoch) among the files of every attempt of a job; undefined when it wrote none. */
export async function pipelineFinishedAtMs(outputRoot: string, jobId: number): Promise<number | undefined> {
  const jobDir = join(outputRoot, `job-${jobId}`);
  let newest: number | undefined;
  const attempts = await readdir(jobDir, { withFileTypes: true }).catch(() => []);
  for (const attempt of attempts.filter((e) => e.isDirectory() && e.name.startsWith('attempt-'))) {
    const files = await readdir(join(jobDir, attempt.name), { withFileTypes: true });
    for (const file of files.filter((e) => e.isFile())) {
      const { mtimeMs } = await stat(join(jobDir, attempt.name, file.name));
      newest = Math.max(newest ?? mtimeMs, mtimeMs);
    }
  }
  return newest;
}

export interface MirrorSamples {
  latenciesMs: number[];
  /** Jobs with no output files or no completed_at (failed or cancelled runs): not counted. */
  unmeasuredJobs: number;
}

export async function mirrorLatencies(outputRoot: string, batchId: number): Promise<MirrorSamples> {
  const jobs = await Job.query().select('id', 'completed_at').where({ job_batch_id: batchId });
  const latenciesMs: number[] = [];
  for (const job of jobs) {
    const finishedAt = await pipelineFinishedAtMs(outputRoot, job.id);
    if (finishedAt === undefined || !job.completedAt) continue;
    latenciesMs.push(job.completedAt.getTime() - finishedAt);
  }
  return { latenciesMs, unmeasuredJobs: jobs.length - latenciesMs.length };
}
