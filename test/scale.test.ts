import { describe, expect, it } from 'vitest';
import { JobBatch } from '../src/models/index.js';
import { batchWorkflowId } from '../src/temporal/workflowIds.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

const JOBS = Number(process.env.SCALE_TEST_JOBS ?? 2000);
const system = useSystem({ PIPELINE_RUNNER: 'simulated', SIMULATED_PIPELINE_MS: '0', PIPELINE_CONCURRENCY: '50' });

describe('a large batch', () => {
  it(`runs ${JOBS} simulated jobs to the end with every run's history under 10,000 events`, async () => {
    const jobs = Array.from({ length: JOBS }, (_, i) => ({ packageNvr: `pkg${i}-1.0-1.el10`, inputSourceUrl: 'https://docs.google.com/spreadsheets/d/r' }));
    const res = await system.request('/api/v1/job-batches', { method: 'POST', json: { jobs, maxParallelJobs: 50 } });
    expect(res.status).toBe(201);
    const { batchId } = await res.json();

    const batch = await waitFor(
      'the batch to end',
      async () => {
        const b = await JobBatch.query().findById(batchId);
        return b?.status === 'PROCESSING' ? undefined : b;
      },
      600_000,
    );
    expect(batch.status).toMatch(/^COMPLETED/);
    expect(batch.totalJobs).toBe(JOBS);
    expect((batch.completedJobs ?? 0) + (batch.failedJobs ?? 0)).toBe(JOBS);

    const lengths: number[] = [];
    let batchRuns = 0;
    for await (const run of system.client.workflow.list({ query: `TaskQueue = '${system.config.TEMPORAL_TASK_QUEUE}' AND (WorkflowId = '${batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId)}' OR SastBatchId = ${batchId})` })) {
      lengths.push(run.historyLength);
      if (run.workflowId === batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId)) batchRuns += 1;
    }
    expect(lengths.length).toBe(JOBS + batchRuns);
    if (JOBS >= 1000) expect(batchRuns).toBeGreaterThan(1); // it continued as new
    expect(Math.max(...lengths)).toBeLessThan(10_000);
  }, 900_000);
});
