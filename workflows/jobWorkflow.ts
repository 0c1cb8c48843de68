import {
  ActivityFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { SastBatchId, SastJobId, SastPackageName, SastPackageNvr, SastStatus, SastSubmittedBy } from '../src/temporal/searchAttributes.js';
import {
  cancelSignal,
  jobStatusQuery,
  pipelineStartedSignal,
  type CancelRequest,
  type PipelineActivityOptions,
} from './definitions.js';

type Activities = ReturnType<typeof createActivities>;

export interface JobWorkflowInput {
  jobId: number;
  pipeline: PipelineActivityOptions;
}

export interface JobWorkflowResult {
  jobId: number;
  status: string;
  failure?: string;
  cancelledBy?: CancelRequest;
}

// Short database writes run as local activities: recorded as a marker in the job's own workflow task, with no
// round trip through a task queue, which is most of the cost of a job when pipelines are quick. They retry
// until the database is back, so a job is not lost to a restart.
const { scheduleJob, finishJob } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
// The same write as a task-queue activity, for ends that carry a memo (a failure, a cancellation): the memo is
// sent with the command that schedules the write, so a reader who sees the row FAILED can already read why.
const { finishJob: finishJobAfterMemo } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
// Bad output files are recorded, not thrown, so these retries are for database faults only, and they end.
const { ingestJobOutputs } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 10 },
});

type Terminal = 'COMPLETED' | 'FAILED' | 'CANCELLED';
const TERMINAL: readonly string[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
const isTerminal = (status: string): status is Terminal => TERMINAL.includes(status);

/** One package's analysis: PENDING → SCHEDULED → RUNNING → COMPLETED | FAILED | CANCELLED. */
export async function jobWorkflow(input: JobWorkflowInput): Promise<JobWorkflowResult> {
  const { jobId } = input;
  let status = 'PENDING';
  let cancelledBy: CancelRequest | undefined;
  const pipelineScope = new CancellationScope();

  setHandler(jobStatusQuery, () => status);
  setHandler(cancelSignal, (request) => {
    cancelledBy ??= request;
    pipelineScope.cancel();
  });
  setHandler(pipelineStartedSignal, () => {
    if (status === 'SCHEDULED') setStatus('RUNNING');
  });

  function setStatus(next: string) {
    status = next;
    upsertSearchAttributes([{ key: SastStatus, value: next }]);
  }

  const { runPipeline } = proxyActivities<Activities>({
    taskQueue: input.pipeline.taskQueue,
    startToCloseTimeout: `${input.pipeline.timeoutMinutes} minutes`,
    heartbeatTimeout: input.pipeline.heartbeatTimeoutMs,
    // A worker that dies loses its heartbeat; the next attempt starts a fresh run. A pipeline that fails is a
    // result, not an error, so these retries are only for infrastructure faults.
    retry: { maximumAttempts: 3, initialInterval: '5s' },
  });

  async function finish(to: Terminal, failure?: string): Promise<JobWorkflowResult> {
    const final = await CancellationScope.nonCancellable(async () => {
      let snapshot;
      if (failure || cancelledBy) {
        upsertMemo({ ...(failure ? { failure } : {}), ...(cancelledBy ? { cancelledBy } : {}) });
        snapshot = await finishJobAfterMemo(jobId, to);
      } else {
        snapshot = await finishJob(jobId, to);
      }
      setStatus(snapshot.status);
      return snapshot.status;
    });
    return { jobId, status: final, failure, cancelledBy };
  }

  try {
    const job = await scheduleJob(jobId);
    // One upsert: every one is a history event and a visibility write.
    status = job.status;
    upsertSearchAttributes([
      { key: SastJobId, value: jobId },
      { key: SastStatus, value: job.status },
      ...(job.batchId ? [{ key: SastBatchId, value: job.batchId }] : []),
      ...(job.packageName ? [{ key: SastPackageName, value: job.packageName }] : []),
      ...(job.packageNvr ? [{ key: SastPackageNvr, value: job.packageNvr }] : []),
      ...(job.submittedBy ? [{ key: SastSubmittedBy, value: job.submittedBy }] : []),
    ]);
    // Cancelled or ended before it got here (e.g. its batch was cancelled): nothing to run.
    if (isTerminal(job.status)) return await finish(job.status);
    if (cancelledBy) return await finish('CANCELLED');

    const result = await pipelineScope.run(() => runPipeline(jobId));
    // The row ended meanwhile (cancelled through the API while it waited for a slot): that end stands.
    if (!result.ran) return await finish(isTerminal(result.status) ? result.status : 'FAILED');

    // Whatever the pipeline left behind is recorded, even after a failure: tokens were spent either way.
    if (result.outputs) {
      const recorded = await ingestJobOutputs({ jobId, outputDir: result.outputs.dir }).catch((err: unknown) => {
        log.error('recording pipeline outputs failed', { jobId, error: err instanceof ActivityFailure ? err.cause?.message : String(err) });
        return { problems: ['the pipeline outputs could not be recorded; see the worker log'] };
      });
      // What was missing or wrong in the outputs, for the API to show where no row could be written.
      if (recorded.problems.length > 0) upsertMemo({ outputProblems: recorded.problems });
    }
    if (result.exit.status === 'succeeded') return await finish('COMPLETED');
    return await finish('FAILED', result.exit.status === 'failed' ? result.exit.errorTail : undefined);
  } catch (err) {
    if (isCancellation(err)) {
      const result = await finish('CANCELLED');
      // Cancelled from the Temporal UI or CLI: end as Cancelled there too. A cancel signal ends normally.
      if (!cancelledBy) throw err;
      return result;
    }
    if (err instanceof ActivityFailure) {
      return await finish('FAILED', err.cause?.message ?? err.message);
    }
    throw err;
  }
}
