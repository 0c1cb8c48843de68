import type { Job } from '../models/index.js';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * The fields the existing service's job DTOs share (JobResponseDto, MlOpsJobDetailedResponseDto), under its names,
 * with timestamps as ISO strings.
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
    startedAt: iso(job.startedAt),
    completedAt: iso(job.completedAt),
    tektonUrl: job.tektonUrl ?? null,
  };
}
