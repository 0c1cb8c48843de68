import { ApplicationFailure } from '@temporalio/activity';
import { transitionJob } from '../src/jobs/jobRepository.js';
import type { JobStatus } from '../src/models/statuses.js';
import type { ActivityDeps } from './deps.js';

export interface JobSnapshot {
  jobId: number;
  status: JobStatus;
  batchId: number | null;
  packageName: string | null;
  packageNvr: string | null;
  submittedBy: string | null;
}

export type TerminalJobStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED';

export function jobActivities({ knex }: ActivityDeps) {
  async function transition(jobId: number, to: JobStatus): Promise<JobSnapshot> {
    const result = await transitionJob(knex, jobId, to);
    if (!result) throw ApplicationFailure.nonRetryable(`job ${jobId} does not exist`, 'JobNotFound');
    const { job } = result;
    return {
      jobId,
      status: job.status,
      batchId: job.jobBatchId ?? null,
      packageName: job.packageName ?? null,
      packageNvr: job.packageNvr ?? null,
      submittedBy: job.submittedBy ?? null,
    };
  }

  return {
    /** PENDING → SCHEDULED: the job's workflow runs and waits for a pipeline slot. */
    async scheduleJob(jobId: number): Promise<JobSnapshot> {
      return transition(jobId, 'SCHEDULED');
    },
    /** → COMPLETED, FAILED or CANCELLED; returns the status the job has afterwards (an earlier terminal one wins). */
    async finishJob(jobId: number, status: TerminalJobStatus): Promise<JobSnapshot> {
      return transition(jobId, status);
    },
  };
}
