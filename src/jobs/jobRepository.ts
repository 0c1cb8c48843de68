import type { Knex } from 'knex';
import { Job, JobSettings } from '../models/index.js';
import type { JobStatus } from '../models/statuses.js';
import type { ResolvedJobInput } from './jobInput.js';
import { ALLOWED_PREVIOUS, isTerminalJobStatus } from './transitions.js';

/** Every write to the job table goes through here. */

export interface NewJob extends ResolvedJobInput {
  jobBatchId?: number | null;
  secretName: string;
}

function jobRow(input: NewJob, now: Date) {
  return {
    jobBatchId: input.jobBatchId ?? null,
    projectName: input.projectName,
    projectVersion: input.projectVersion,
    packageName: input.packageName,
    packageNvr: input.packageNvr,
    oshScanId: input.oshScanId,
    packageSourceCodeUrl: input.packageSourceCodeUrl,
    jiraLink: input.jiraLink,
    hostname: input.hostname,
    knownFalsePositivesUrl: input.knownFalsePositivesUrl,
    inputSourceType: input.inputSourceType,
    googleSheetUrl: input.googleSheetUrl,
    status: 'PENDING' as const,
    createdAt: now,
    lastUpdatedAt: now,
    submittedBy: input.submittedBy,
  };
}

/** Inserts jobs (PENDING) with their settings rows, in the caller's transaction. */
export async function insertJobs(trx: Knex.Transaction, inputs: NewJob[], now = new Date()): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500);
    const inserted = await Job.query(trx).insert(chunk.map((input) => jobRow(input, now))).returning('*');
    await JobSettings.query(trx).insert(inserted.map((job, k) => ({ jobId: job.id, secretName: chunk[k]!.secretName })));
    jobs.push(...inserted);
  }
  return jobs;
}

export interface TransitionOptions {
  at?: Date;
  tektonUrl?: string | null;
}

export interface TransitionResult {
  applied: boolean;
  job: Job;
}

/**
 * Guarded UPDATE of one job's status. When a job of a running batch reaches a terminal state, the batch's
 * counters move in the same transaction, so they count each job exactly once. A job cancelled on its own
 * counts as failed; once the batch itself is no longer PROCESSING its counters stay as they were.
 */
export async function transitionJob(
  knex: Knex,
  jobId: number,
  to: JobStatus,
  options: TransitionOptions = {},
): Promise<TransitionResult | undefined> {
  const at = options.at ?? new Date();
  return knex.transaction(async (trx) => {
    const patch: Record<string, unknown> = { status: to, last_updated_at: at };
    if (to === 'RUNNING') patch.started_at = at;
    if (to === 'COMPLETED' || to === 'FAILED') patch.completed_at = at;
    if (to === 'CANCELLED') patch.cancelled_at = at;
    if (options.tektonUrl !== undefined) patch.tekton_url = options.tektonUrl;

    const [updated] = await trx('job')
      .update(patch)
      .where({ id: jobId })
      .whereIn('status', ALLOWED_PREVIOUS[to])
      .returning('id');
    const job = await Job.query(trx).findById(jobId);
    if (!job) return undefined;
    if (updated && isTerminalJobStatus(to) && job.jobBatchId) {
      const counter = to === 'COMPLETED' ? 'completed_jobs' : 'failed_jobs';
      await trx('job_batch')
        .update({ [counter]: trx.raw('COALESCE(??, 0) + 1', [counter]), last_updated_at: at })
        .where({ id: job.jobBatchId, status: 'PROCESSING' });
    }
    return { applied: Boolean(updated), job };
  });
}

/** Records where the run can be seen, without changing the status. */
export async function setJobRunUrl(knex: Knex, jobId: number, url: string): Promise<void> {
  await knex('job').update({ tekton_url: url, last_updated_at: new Date() }).where({ id: jobId });
}

/** Cancels every job of a batch that has not started yet, in one guarded UPDATE. */
export async function cancelPendingJobsOfBatch(knex: Knex | Knex.Transaction, batchId: number, at = new Date()): Promise<number> {
  return knex('job')
    .update({ status: 'CANCELLED', cancelled_at: at, last_updated_at: at })
    .where({ job_batch_id: batchId, status: 'PENDING' });
}
