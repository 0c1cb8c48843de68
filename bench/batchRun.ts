import { performance } from 'node:perf_hooks';
import { JobBatch } from '../src/models/index.js';
import { batchWorkflowId } from '../src/temporal/workflowIds.js';
import { HANG_DEADLINE_MS, withDeadline } from './deadline.js';
import type { Orchestrator } from './services.js';

export interface BatchRun {
  batchId: number;
  status: string;
  totalJobs: number;
  completedJobs: number;
  failedJobs: number;
  /** job_batch.submitted_at → last_updated_at of the terminal row: the database's own record of the span. */
  databaseMakespanMs: number;
  /** Before POST → the batch workflow's result, on this process's monotonic clock. */
  callerMakespanMs: number;
}

/** Submits `jobs` inline jobs through POST /api/v1/job-batches and waits until the batch has ended. */
export async function runBatch(system: Orchestrator, label: string, jobs: number, maxParallelJobs: number): Promise<BatchRun> {
  const body = {
    submittedBy: 'bench',
    maxParallelJobs,
    jobs: Array.from({ length: jobs }, (_, i) => ({
      packageNvr: `bench${label}${i}-1.0-1.el10`,
      inputSourceUrl: 'https://docs.google.com/spreadsheets/d/bench',
    })),
  };
  const started = performance.now();
  const res = await system.app.request('/api/v1/job-batches', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/job-batches answered ${res.status}: ${await res.text()}`);
  const { batchId } = (await res.json()) as { batchId: number };

  // result() follows the batch across continue-as-new; the row is terminal before the workflow returns.
  const handle = system.client.workflow.getHandle(batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId));
  await withDeadline(handle.result(), HANG_DEADLINE_MS, `batch ${batchId} to end`);
  const callerMakespanMs = performance.now() - started;

  const batch = await JobBatch.query().findById(batchId);
  if (!batch) throw new Error(`job_batch ${batchId} is gone`);
  return {
    batchId,
    status: batch.status,
    totalJobs: batch.totalJobs ?? 0,
    completedJobs: batch.completedJobs ?? 0,
    failedJobs: batch.failedJobs ?? 0,
    databaseMakespanMs: (batch.lastUpdatedAt ?? batch.submittedAt).getTime() - batch.submittedAt.getTime(),
    callerMakespanMs,
  };
}
