import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { SastBatchId, SastJobId, SastStatus } from '../src/temporal/searchAttributes.js';
import { jobWorkflowId } from '../src/temporal/workflowIds.js';
import {
  batchProgressQuery,
  cancelSignal,
  type CancelRequest,
  type PipelineActivityOptions,
} from './definitions.js';
import { jobWorkflow } from './jobWorkflow.js';

type Activities = ReturnType<typeof createActivities>;

export interface BatchWorkflowInput {
  batchId: number;
  maxParallelJobs: number;
  /** TEMPORAL_WORKFLOW_ID_PREFIX, for the children's ids. */
  workflowIdPrefix: string;
  pipeline: PipelineActivityOptions;
  /** The jobs not started yet, carried over continue-as-new. */
  pending?: number[];
}

export interface BatchWorkflowResult {
  batchId: number;
  status: string;
  failure?: string;
}

const { prepareBatch, finishBatch, cancelBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

/** Keeps every run's history far below Temporal's limits, whatever the batch size. */
const HISTORY_EVENTS_PER_RUN = 2000;

/**
 * A batch: read its input, create its jobs, run one child workflow per job through a sliding window of at
 * most maxParallelJobs, and end by the rules of finalBatchStatus — or CANCELLED, which nothing overwrites.
 * A long batch continues as new once its running jobs have ended, so each run awaits only its own children.
 */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  const { batchId, workflowIdPrefix } = input;
  const running = new Set<number>();
  let pending = input.pending;
  let cancelledBy: CancelRequest | undefined;

  setHandler(cancelSignal, (request) => {
    cancelledBy ??= request;
  });
  setHandler(batchProgressQuery, () => ({
    batchId,
    pendingJobs: pending?.length ?? 0,
    runningJobs: [...running],
    cancelRequested: cancelledBy ?? null,
  }));

  /**
   * Outside the batch's cancellation scope: a cancelled batch tells its running jobs itself (with who and why)
   * and still learns when each has ended, rather than Temporal abandoning or cancelling them for it.
   */
  async function startJob(jobId: number): Promise<void> {
    running.add(jobId);
    const child = await CancellationScope.nonCancellable(() => startChild(jobWorkflow, {
      workflowId: jobWorkflowId(workflowIdPrefix, jobId),
      args: [{ jobId, pipeline: input.pipeline }],
      // A terminated batch leaves its jobs to finish and record how they ended.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: SastJobId, value: jobId },
        { key: SastBatchId, value: batchId },
        { key: SastStatus, value: 'PENDING' },
      ],
      staticSummary: `Job ${jobId} of batch ${batchId}`,
    }));
    void child
      .result()
      .catch(() => undefined) // a job that failed or was cancelled has recorded that itself
      .finally(() => running.delete(jobId));
  }

  async function stopEverything(): Promise<BatchWorkflowResult> {
    return CancellationScope.nonCancellable(async () => {
      await cancelBatch(batchId);
      upsertSearchAttributes([{ key: SastStatus, value: 'CANCELLED' }]);
      if (cancelledBy) upsertMemo({ cancelledBy });
      const request = cancelledBy ?? { operator: 'temporal', reason: 'workflow cancellation requested' };
      await Promise.all(
        [...running].map((jobId) =>
          getExternalWorkflowHandle(jobWorkflowId(workflowIdPrefix, jobId))
            .signal(cancelSignal, request)
            .catch(() => running.delete(jobId)),
        ),
      );
      await condition(() => running.size === 0);
      return { batchId, status: 'CANCELLED' };
    });
  }

  try {
    if (!pending) {
      const prepared = await prepareBatch(batchId);
      if (!prepared.ok) {
        // The memo is written with the command that schedules the row's update, so a reader who sees FAILED sees why.
        upsertMemo({ failure: prepared.reason });
        const status = await finishBatch(batchId, 'FAILED');
        upsertSearchAttributes([{ key: SastStatus, value: status }]);
        return { batchId, status, failure: prepared.reason };
      }
      pending = prepared.jobIds;
      upsertMemo({ totalJobs: pending.length, skippedRows: prepared.skippedRows });
    }

    const canStartAnother = () => running.size < input.maxParallelJobs || cancelledBy !== undefined;
    while (pending.length > 0 && !cancelledBy) {
      if (workflowInfo().historyLength > HISTORY_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await condition(() => running.size === 0 || cancelledBy !== undefined);
        if (cancelledBy) break;
        await condition(allHandlersFinished);
        return await continueAsNew<typeof batchWorkflow>({ ...input, pending });
      }
      await condition(canStartAnother);
      if (cancelledBy) break;
      // Every free slot at once: their start commands leave in one workflow task, not one task per job.
      const next = pending.splice(0, input.maxParallelJobs - running.size);
      await Promise.all(next.map(startJob));
    }

    await condition(() => running.size === 0 || cancelledBy !== undefined);
    if (cancelledBy) return await stopEverything();

    const status = await finishBatch(batchId);
    upsertSearchAttributes([{ key: SastStatus, value: status }]);
    return { batchId, status };
  } catch (err) {
    if (isCancellation(err)) {
      await stopEverything();
    }
    throw err;
  }
}
