import type { Knex } from 'knex';
import { Job, JobBatch, type JobMetrics } from '../../models/index.js';
import { batchProgress, sharedJobFields } from '../../models/dtoFields.js';
import { cellsOf } from './quality.js';

/**
 * The existing service's MlOpsBatchDetailedResponseDto (anchors §1.3), read from job_batch, job and
 * job_metrics. The four MLOps versions live in the run definition's metadata under the DTO's names.
 */

export const MLOPS_VERSION_KEYS = ['testingDataNvrsVersion', 'promptsVersion', 'knownNonIssuesVersion', 'sastAiImage'] as const;
type VersionKey = (typeof MLOPS_VERSION_KEYS)[number];

function metricsDto(m: JobMetrics | null | undefined) {
  if (!m) return null;
  const cm = m.hasGroundTruth ? cellsOf(m.confusionMatrix) : null;
  return {
    accuracy: m.accuracy ?? null,
    precision: m.precision ?? null,
    recall: m.recall ?? null,
    f1Score: m.f1Score ?? null,
    confusionMatrix: cm,
  };
}

function jobDto(job: Job) {
  return {
    ...sharedJobFields(job),
    packageSourceCodeUrl: job.packageSourceCodeUrl ?? null,
    metrics: metricsDto(job.metrics),
  };
}

export async function mlopsBatchDetailed(db: Knex, batchId: number) {
  const batch = await JobBatch.query(db).findById(batchId).withGraphFetched('runDefinition');
  if (!batch) return null;
  const jobs = await Job.query(db).where({ job_batch_id: batchId }).withGraphFetched('metrics').orderBy('id');
  const metadata = batch.runDefinition?.metadata ?? {};
  const versions = Object.fromEntries(
    MLOPS_VERSION_KEYS.map((k) => [k, typeof metadata[k] === 'string' ? metadata[k] : null]),
  ) as Record<VersionKey, string | null>;
  return {
    batchId: batch.id,
    ...versions,
    ...batchProgress(batch),
    jobs: jobs.map(jobDto),
  };
}

export type MlOpsBatchDetailed = NonNullable<Awaited<ReturnType<typeof mlopsBatchDetailed>>>;
