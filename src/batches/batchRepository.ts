import type { Knex } from 'knex';
import { Job, JobBatch } from '../models/index.js';
import type { JobBatchStatus } from '../models/statuses.js';
import { cancelPendingJobsOfBatch, insertJobs, type NewJob } from '../jobs/jobRepository.js';
import { finalBatchStatus } from './batchStatus.js';

/** Every write to the job_batch table goes through here. */

export interface NewBatch {
  batchGoogleSheetUrl: string;
  submittedBy: string;
  useKnownFalsePositiveFile: boolean;
  jobBatchRunDefinitionId?: number | null;
}

export async function insertBatch(input: NewBatch, trx?: Knex.Transaction): Promise<JobBatch> {
  const now = new Date();
  return JobBatch.query(trx).insert({
    ...input,
    submittedAt: now,
    lastUpdatedAt: now,
    status: 'PROCESSING',
    totalJobs: 0,
    completedJobs: 0,
    failedJobs: 0,
  });
}

/**
 * Creates the batch's job rows once: a retried call finds the rows of the first and returns them.
 * The batch row lock serialises two attempts that race.
 */
export async function createBatchJobs(knex: Knex, batchId: number, inputs: NewJob[]): Promise<number[]> {
  return knex.transaction(async (trx) => {
    const batch = await JobBatch.query(trx).findById(batchId).forUpdate();
    if (!batch) throw new Error(`job_batch ${batchId} does not exist`);
    const existing = await Job.query(trx).select('id').where({ job_batch_id: batchId }).orderBy('id');
    if (existing.length > 0) return existing.map((j) => j.id);
    if (batch.status !== 'PROCESSING') return [];
    const jobs = await insertJobs(trx, inputs.map((input) => ({ ...input, jobBatchId: batchId })));
    await JobBatch.query(trx).patch({ totalJobs: jobs.length, lastUpdatedAt: new Date() }).findById(batchId);
    return jobs.map((j) => j.id);
  });
}

/** Guarded: only a PROCESSING batch ends, so CANCELLED is never overwritten. Returns the status it has now. */
export async function finishBatch(knex: Knex, batchId: number, status?: JobBatchStatus): Promise<JobBatchStatus> {
  return knex.transaction(async (trx) => {
    const batch = await JobBatch.query(trx).findById(batchId).forUpdate();
    if (!batch) throw new Error(`job_batch ${batchId} does not exist`);
    if (batch.status !== 'PROCESSING') return batch.status;
    const next = status ?? finalBatchStatus(batch.totalJobs ?? 0, batch.completedJobs ?? 0, batch.failedJobs ?? 0);
    await JobBatch.query(trx).patch({ status: next, lastUpdatedAt: new Date() }).findById(batchId);
    return next;
  });
}

/** Marks the batch CANCELLED and its not-yet-started jobs with it. Returns whether the batch was cancelled now. */
export async function cancelBatch(knex: Knex, batchId: number): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const at = new Date();
    const cancelled = await trx('job_batch')
      .update({ status: 'CANCELLED', last_updated_at: at })
      .where({ id: batchId, status: 'PROCESSING' });
    await cancelPendingJobsOfBatch(trx, batchId, at);
    return cancelled > 0;
  });
}

export async function findBatch(batchId: number): Promise<JobBatch | undefined> {
  return JobBatch.query().findById(batchId);
}
