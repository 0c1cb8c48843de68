import type { Job } from './Job.js';
import type { JobBatch } from './JobBatch.js';

/** A timestamp as the existing service's DTOs carry it: an ISO string, or null. */
export const isoDate = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * The fields the existing service's job DTOs share (JobResponseDto, MlOpsJobDetailedResponseDto), under its names.
 */
export function sharedJobFields(job: Job) {
  return {
    jobId: job.id,
    packageNvr: job.packageNvr ?? null,
    packageName: job.packageName ?? null,
    projectName: job.projectName ?? null,
    projectVersion: job.projectVersion ?? null,
    oshScanId: job.oshScanId ?? null,
    knownFalsePositivesUrl: job.knownFalsePositivesUrl ?? null,
    status: job.status,
    createdAt: job.createdAt.toISOString(),
    startedAt: isoDate(job.startedAt),
    completedAt: isoDate(job.completedAt),
    tektonUrl: job.tektonUrl ?? null,
  };
}

/** Who submitted a batch, when, and how far it got: the same in every batch DTO of the existing service. */
export function batchProgress(batch: JobBatch) {
  return {
    submittedBy: batch.submittedBy ?? null,
    submittedAt: batch.submittedAt.toISOString(),
    status: batch.status,
    totalJobs: batch.totalJobs ?? 0,
    completedJobs: batch.completedJobs ?? 0,
    failedJobs: batch.failedJobs ?? 0,
    lastUpdatedAt: isoDate(batch.lastUpdatedAt),
  };
}
