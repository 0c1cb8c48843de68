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
  jobFinishedSignal,
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
  /** Carried over continue-as-new. */
  carried?: { pending: number[]; running: number[]; cancelledBy?: CancelRequest };
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
const HISTORY_EVENTS_PER_RUN = 4000;
/** How long a cancelled batch waits for its running jobs to confirm that they stopped. */
const CANCEL_CONFIRMATION_TIMEOUT = '10 minutes';

/**
 * A batch: read its input, create its jobs, run one child workflow per job through a sliding window of at
 * most maxParallelJobs, and end by the rules of finalBatchStatus — or CANCELLED, which nothing overwrites.
 */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  const { batchId } = input;
  const running = new Set<number>(input.carried?.running ?? []);
  let pending: number[] | undefined = input.carried?.pending;
  let cancelledBy = input.carried?.cancelledBy;

  setHandler(cancelSignal, (request) => {
    cancelledBy ??= request;
  });
  setHandler(jobFinishedSignal, ({ jobId }) => {
    running.delete(jobId);
  });
  setHandler(batchProgressQuery, () => ({
    batchId,
    pendingJobs: pending?.length ?? 0,
    runningJobs: [...running],
    cancelRequested: cancelledBy ?? null,
  }));

  async function stopEverything(): Promise<BatchWorkflowResult> {
    return CancellationScope.nonCancellable(async () => {
      await cancelBatch(batchId);
      upsertSearchAttributes([{ key: SastStatus, value: 'CANCELLED' }]);
      if (cancelledBy) upsertMemo({ cancelledBy });
      const request = cancelledBy ?? { operator: 'temporal', reason: 'workflow cancellation requested' };
      await Promise.all(
        [...running].map((jobId) =>
          getExternalWorkflowHandle(jobWorkflowId(input.workflowIdPrefix, jobId))
            .signal(cancelSignal, request)
            .catch(() => running.delete(jobId)),
        ),
      );
      await condition(() => running.size === 0, CANCEL_CONFIRMATION_TIMEOUT);
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

    while (pending.length > 0 && !cancelledBy) {
      await condition(() => running.size < input.maxParallelJobs || cancelledBy !== undefined);
      if (cancelledBy) break;
      const jobId = pending.shift()!;
      // Counted as running before it starts: a fast job may report back within the same activation.
      running.add(jobId);
      await startChild(jobWorkflow, {
        workflowId: jobWorkflowId(input.workflowIdPrefix, jobId),
        args: [{ jobId, batchWorkflowId: workflowInfo().workflowId, pipeline: input.pipeline }],
        // Children outlive this run when it continues as new; they report back by workflow id.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: SastJobId, value: jobId },
          { key: SastBatchId, value: batchId },
          { key: SastStatus, value: 'PENDING' },
        ],
        staticSummary: `Job ${jobId} of batch ${batchId}`,
      });
      if (workflowInfo().historyLength > HISTORY_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return await continueAsNew<typeof batchWorkflow>({ ...input, carried: { pending, running: [...running], cancelledBy } });
      }
    }
    if (cancelledBy) return await stopEverything();

    await condition(() => running.size === 0 || cancelledBy !== undefined);
    if (cancelledBy) return await stopEverything();

    const status = await finishBatch(batchId);
    upsertSearchAttributes([{ key: SastStatus, value: status }]);
    return { batchId, status };
  } catch (err) {
    if (isCancellation(err)) {
      await stopEverything();
      throw err;
    }
    throw err;
  }
}
