import type { Config } from '../config.js';
import { batchProgress, isoDate, sharedJobFields } from '../models/dtoFields.js';
import type { Job, JobBatch } from '../models/index.js';
import { batchWorkflowId, jobWorkflowId, temporalUiWorkflowUrl } from '../temporal/workflowIds.js';

/** Database rows to the existing service's DTO field names, plus links. */

export function jobLinks(config: Config, job: Pick<Job, 'id' | 'jobBatchId'>) {
  const self = `/api/v1/jobs/${job.id}`;
  return {
    self,
    tokenUsage: `${self}/token-usage`,
    metrics: `${self}/metrics`,
    cancel: `${self}/cancel`,
    temporalUi: temporalUiWorkflowUrl(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, jobWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, job.id)),
    ...(job.jobBatchId ? { batch: `/api/v1/job-batches/${job.jobBatchId}` } : {}),
  };
}

export function toJobResponse(config: Config, job: Job, flags: { isCachedResult?: boolean; isExistingRun?: boolean } = {}) {
  return {
    ...sharedJobFields(job),
    jiraLink: job.jiraLink ?? null,
    hostname: job.hostname ?? null,
    cancelledAt: isoDate(job.cancelledAt),
    lastUpdatedAt: isoDate(job.lastUpdatedAt),
    sourceCodeUrl: job.packageSourceCodeUrl ?? null,
    inputSourceType: job.inputSourceType ?? null,
    inputSourceUrl: job.googleSheetUrl ?? null,
    batchId: job.jobBatchId ?? null,
    submittedBy: job.submittedBy ?? null,
    isCachedResult: flags.isCachedResult ?? false,
    isExistingRun: flags.isExistingRun ?? false,
    originalScanDate: flags.isCachedResult ? isoDate(job.completedAt) : null,
    resultGoogleSheetUrl: null,
    links: jobLinks(config, job),
  };
}

export function toBatchResponse(config: Config, batch: JobBatch) {
  const self = `/api/v1/job-batches/${batch.id}`;
  return {
    batchId: batch.id,
    batchGoogleSheetUrl: batch.batchGoogleSheetUrl,
    ...batchProgress(batch),
    useKnownFalsePositiveFile: batch.useKnownFalsePositiveFile ?? null,
    jobBatchRunDefinitionId: batch.jobBatchRunDefinitionId ?? null,
    pipelineDefinitionId: batch.runDefinition?.pipelineDefinitionId ?? null,
    links: {
      self,
      jobs: `${self}/jobs`,
      summary: `${self}/summary`,
      executionContext: `${self}/execution-context`,
      lineage: `${self}/lineage`,
      cancel: `${self}/cancel`,
      temporalUi: temporalUiWorkflowUrl(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, batchWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, batch.id)),
    },
  };
}
