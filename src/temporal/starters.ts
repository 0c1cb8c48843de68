import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { batchWorkflow, jobWorkflow } from '../../workflows/index.js';
import { pipelineActivityOptions } from './client.js';
import { SastBatchId, SastJobId, SastPackageName, SastPackageNvr, SastStatus, SastSubmittedBy } from './searchAttributes.js';
import { batchWorkflowId, jobWorkflowId } from './workflowIds.js';

/** Starting the workflows, with the ids, search attributes and summaries the Temporal UI shows. */

// A job or batch runs once: its id is never reused, even after the run ended.
const ONCE = WorkflowIdReusePolicy.REJECT_DUPLICATE;

export async function startJobWorkflow(
  client: Client,
  config: Config,
  job: { id: number; packageName?: string | null; packageNvr?: string | null; submittedBy?: string | null },
): Promise<void> {
  await client.workflow.start<typeof jobWorkflow>('jobWorkflow', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: jobWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, job.id),
    workflowIdReusePolicy: ONCE,
    args: [{ jobId: job.id, pipeline: pipelineActivityOptions(config) }],
    typedSearchAttributes: [
      { key: SastJobId, value: job.id },
      { key: SastStatus, value: 'PENDING' },
      ...(job.packageName ? [{ key: SastPackageName, value: job.packageName }] : []),
      ...(job.packageNvr ? [{ key: SastPackageNvr, value: job.packageNvr }] : []),
      ...(job.submittedBy ? [{ key: SastSubmittedBy, value: job.submittedBy }] : []),
    ],
    staticSummary: `SAST-AI analysis of ${job.packageNvr ?? `job ${job.id}`}`,
  });
}

export async function startBatchWorkflow(
  client: Client,
  config: Config,
  batch: { id: number; submittedBy?: string | null; source: string },
  maxParallelJobs: number,
): Promise<void> {
  await client.workflow.start<typeof batchWorkflow>('batchWorkflow', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: batchWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, batch.id),
    workflowIdReusePolicy: ONCE,
    args: [{ batchId: batch.id, maxParallelJobs, workflowIdPrefix: config.TEMPORAL_WORKFLOW_ID_PREFIX, pipeline: pipelineActivityOptions(config) }],
    typedSearchAttributes: [
      { key: SastBatchId, value: batch.id },
      { key: SastStatus, value: 'PROCESSING' },
      ...(batch.submittedBy ? [{ key: SastSubmittedBy, value: batch.submittedBy }] : []),
    ],
    memo: { source: batch.source, maxParallelJobs },
    staticSummary: `SAST-AI batch ${batch.id} from ${batch.source} (at most ${maxParallelJobs} at once)`,
  });
}
