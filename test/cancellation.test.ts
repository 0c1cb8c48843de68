import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Job, JobBatch } from '../src/models/index.js';
import { batchWorkflowId, jobWorkflowId } from '../src/temporal/workflowIds.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

// slow-* packages run a process tree (a shell and its sleeping child) until they are stopped; others finish at once.
const system = useSystem({
  PIPELINE_RUNNER: 'command',
  PIPELINE_COMMAND: 'case "$PACKAGE_NVR" in slow-*) sleep 300 & echo $! > "$OUTPUT_DIR/child.pid"; echo $$ > "$OUTPUT_DIR/shell.pid"; wait;; esac',
  PIPELINE_CONCURRENCY: '4',
});
const report = 'https://docs.google.com/spreadsheets/d/report';
const nvr = (name: string) => `${name}-1.0-1.el10`;

async function submitInline(names: string[], maxParallelJobs: number): Promise<number> {
  const res = await system.request('/api/v1/job-batches', {
    method: 'POST',
    json: { jobs: names.map((n) => ({ packageNvr: nvr(n), inputSourceUrl: report })), maxParallelJobs },
  });
  expect(res.status).toBe(201);
  return (await res.json()).batchId;
}

async function runningJobs(batchId: number, count: number): Promise<Job[]> {
  return waitFor(`${count} running jobs of batch ${batchId}`, async () => {
    const jobs = await Job.query().where({ job_batch_id: batchId, status: 'RUNNING' }).orderBy('id');
    if (jobs.length < count) return undefined;
    // Running means a process exists: wait until each has written its pids.
    return jobs.every((job) => pidsOf(job.id).length === 2) ? jobs : undefined;
  });
}

function pidsOf(jobId: number): number[] {
  const dir = join(system.config.PIPELINE_OUTPUT_ROOT, `job-${jobId}`);
  try {
    return readdirSync(dir).flatMap((attempt) =>
      ['shell.pid', 'child.pid'].flatMap((f) => {
        try {
          return [Number(readFileSync(join(dir, attempt, f), 'utf8').trim())];
        } catch {
          return [];
        }
      }),
    );
  } catch {
    return [];
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('cancellation', () => {
  it('cancelling a running batch through the API stops its pipelines and starts no further job', async () => {
    const batchId = await submitInline(['slow-a', 'slow-b', 'slow-c', 'slow-d'], 2);
    const running = await runningJobs(batchId, 2);
    const pids = running.flatMap((job) => pidsOf(job.id));
    expect(pids.every(alive)).toBe(true);

    const res = await system.request(`/api/v1/job-batches/${batchId}/cancel`, { method: 'POST', json: { operator: 'dora', reason: 'wrong sheet' } });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('CANCELLED');
    // The mirror shows it at once: the batch, and the jobs that had not started.
    expect((await JobBatch.query().findById(batchId))!.status).toBe('CANCELLED');

    const jobs = await waitFor('every job of the batch CANCELLED', async () => {
      const all = await Job.query().where({ job_batch_id: batchId }).orderBy('id');
      return all.every((j) => j.status === 'CANCELLED') ? all : undefined;
    });
    expect(jobs.every((j) => j.cancelledAt)).toBe(true);
    expect(jobs.filter((j) => j.startedAt).map((j) => j.id)).toEqual(running.map((j) => j.id));
    await waitFor('the pipeline processes to be gone', async () => (pids.some(alive) ? undefined : true));

    const result = await system.client.workflow.getHandle(batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId)).result();
    expect(result).toMatchObject({ batchId, status: 'CANCELLED' });
    expect((await JobBatch.query().findById(batchId))!.status).toBe('CANCELLED');
    const again = await system.request(`/api/v1/job-batches/${batchId}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('a cancellation requested from a Temporal client (as the UI sends it) is mirrored the same way', async () => {
    const batchId = await submitInline(['slow-e', 'slow-f'], 2);
    const running = await runningJobs(batchId, 2);
    const pids = running.flatMap((job) => pidsOf(job.id));

    await system.client.workflow.getHandle(batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId)).cancel();
    const batch = await waitFor('the batch row CANCELLED', async () => {
      const b = await JobBatch.query().findById(batchId);
      return b?.status === 'CANCELLED' ? b : undefined;
    });
    expect(batch.status).toBe('CANCELLED');
    await waitFor('both jobs CANCELLED', async () => {
      const all = await Job.query().where({ job_batch_id: batchId });
      return all.every((j) => j.status === 'CANCELLED' && j.cancelledAt) ? true : undefined;
    });
    await waitFor('the pipeline processes to be gone', async () => (pids.some(alive) ? undefined : true));
    const description = await system.client.workflow.getHandle(batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batchId)).describe();
    expect(description.status.name).toBe('CANCELLED');
  });

  it('a job cancelled on its own inside a running batch counts as failed', async () => {
    const batchId = await submitInline(['slow-g', 'quick-h'], 2);
    const [slow] = await runningJobs(batchId, 1);
    await system.client.workflow.getHandle(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, slow!.id)).cancel();
    const batch = await waitFor('the batch to end', async () => {
      const b = await JobBatch.query().findById(batchId);
      return b?.status !== 'PROCESSING' ? b : undefined;
    });
    expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', totalJobs: 2, completedJobs: 1, failedJobs: 1 });
    expect((await Job.query().findById(slow!.id))!.status).toBe('CANCELLED');
  });

  it('cancelling one job through the API stops its pipeline and answers 409 the second time', async () => {
    const res = await system.request('/api/v1/jobs/simple', { method: 'POST', json: { packageNvr: nvr('slow-single'), inputSourceUrl: report } });
    const { jobId } = await res.json();
    await waitFor('the job to run', async () => {
      const job = await Job.query().findById(jobId);
      return job?.status === 'RUNNING' && pidsOf(jobId).length === 2 ? job : undefined;
    });
    const pids = pidsOf(jobId);
    // The same NVR and input type while it runs: the running job, not a second one.
    const again = await system.request('/api/v1/jobs/simple', { method: 'POST', json: { packageNvr: nvr('slow-single'), inputSourceUrl: report } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ jobId, isExistingRun: true, isCachedResult: false, status: 'RUNNING' });
    const cancelled = await system.request(`/api/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ jobId, status: 'CANCELLED' });
    await waitFor('the pipeline processes to be gone', async () => (pids.some(alive) ? undefined : true));
    const result = await system.client.workflow.getHandle(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, jobId)).result();
    expect(result).toMatchObject({ jobId, status: 'CANCELLED', cancelledBy: { operator: 'api' } });
    expect((await system.request(`/api/v1/jobs/${jobId}/cancel`, { method: 'POST' })).status).toBe(409);
  });
});
