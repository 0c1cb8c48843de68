import { Job } from '../src/models/index.js';

/**
 * started_at → completed_at of each finished job of a batch: the pipeline's own time plus what holding its slot
 * costs around it (the activity's start, output ingestion, the final write). What the makespan has beyond
 * these spans is spent between one job's end and the next one's start.
 */
export async function runSpansMs(batchId: number): Promise<number[]> {
  const jobs = await Job.query().select('started_at', 'completed_at').where({ job_batch_id: batchId });
  return jobs.flatMap((job) => (job.startedAt && job.completedAt ? [job.completedAt.getTime() - job.startedAt.getTime()] : []));
}
