import { WorkflowNotFoundError } from '@temporalio/client';
import { JobInputError, resolveJobInput, type JobRequest } from '../jobs/jobInput.js';
import { insertJobs, type NewJob } from '../jobs/jobRepository.js';
import { NotCancellableError, WorkflowStartError, type ServiceDeps } from '../jobs/jobService.js';
import { logger } from '../logger.js';
import { JobBatch } from '../models/index.js';
import { startBatchWorkflow } from '../temporal/starters.js';
import { batchWorkflowId } from '../temporal/workflowIds.js';
import { cancelSignal, type CancelRequest } from '../../workflows/definitions.js';
import { cancelBatch, finishBatch, insertBatch } from './batchRepository.js';
import { INLINE_BATCH_INPUT } from './prepareBatch.js';

export interface BatchSubmission {
  batchGoogleSheetUrl?: string | null;
  submittedBy?: string | null;
  useKnownFalsePositiveFile?: boolean | null;
  jobs?: (JobRequest & { secretName?: string | null })[] | null;
  maxParallelJobs?: number | null;
  jobBatchRunDefinitionId?: number | null;
}

/**
 * Records the batch (and its inline jobs, all validated first so that bad input writes nothing), then starts
 * its workflow, which reads a sheet's rows itself.
 */
export async function submitBatch(deps: ServiceDeps, submission: BatchSubmission): Promise<JobBatch> {
  const { config, knex, client } = deps;
  const submittedBy = submission.submittedBy?.trim() || 'unknown';
  const useKnownFalsePositiveFile = submission.useKnownFalsePositiveFile !== false;
  const inlineJobs: NewJob[] = (submission.jobs ?? []).map((request, index) => {
    try {
      const input = resolveJobInput(
        { submittedBy, useKnownFalsePositiveFile, ...dropNulls(request) },
        { knownFalsePositivesUrlTemplate: config.KNOWN_FALSE_POSITIVES_URL_TEMPLATE, sourceRpmUrlTemplate: config.SOURCE_RPM_URL_TEMPLATE },
      );
      return { ...input, secretName: request.secretName ?? config.DEFAULT_SECRET_NAME };
    } catch (err) {
      if (err instanceof JobInputError) throw new JobInputError(`jobs[${index}].${err.field}`, err.message);
      throw err;
    }
  });

  const batch = await knex.transaction(async (trx) => {
    const created = await insertBatch(
      {
        batchGoogleSheetUrl: submission.batchGoogleSheetUrl ?? INLINE_BATCH_INPUT,
        submittedBy,
        useKnownFalsePositiveFile,
        jobBatchRunDefinitionId: submission.jobBatchRunDefinitionId ?? null,
      },
      trx,
    );
    if (submission.jobs) {
      const jobs = await insertJobs(trx, inlineJobs.map((job) => ({ ...job, jobBatchId: created.id })));
      await JobBatch.query(trx).patch({ totalJobs: jobs.length }).findById(created.id);
      created.totalJobs = jobs.length;
    }
    return created;
  });

  const maxParallelJobs = submission.maxParallelJobs ?? config.BATCH_MAX_PARALLEL_JOBS;
  try {
    await startBatchWorkflow(client, config, { id: batch.id, submittedBy, source: submission.jobs ? 'inline jobs' : batch.batchGoogleSheetUrl }, maxParallelJobs);
  } catch (err) {
    logger.error({ err, batchId: batch.id }, 'could not start the batch workflow');
    await finishBatch(knex, batch.id, 'FAILED');
    throw new WorkflowStartError(`the batch was recorded as ${batch.id} but Temporal could not start it: ${String(err)}`);
  }
  return batch;
}

/** Java clients send null for absent fields; the batch's own defaults apply to those. */
function dropNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

/**
 * Cancels the batch: the workflow starts no further job and stops the running ones through their runners;
 * the batch and its not-yet-started jobs are marked CANCELLED at once so that the next read shows it.
 */
export async function cancelBatchRequest(deps: ServiceDeps, batch: JobBatch, request: CancelRequest): Promise<JobBatch> {
  if (batch.status !== 'PROCESSING') throw new NotCancellableError(`batch ${batch.id} is already ${batch.status}`);
  try {
    await deps.client.workflow.getHandle(batchWorkflowId(deps.config.TEMPORAL_WORKFLOW_ID_PREFIX, batch.id)).signal(cancelSignal, request);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (!(await cancelBatch(deps.knex, batch.id))) {
    const now = await JobBatch.query().findById(batch.id);
    throw new NotCancellableError(`batch ${batch.id} is already ${now?.status}`);
  }
  logger.info({ batchId: batch.id, operator: request.operator, reason: request.reason }, 'batch cancelled');
  return (await JobBatch.query().findById(batch.id))!;
}
