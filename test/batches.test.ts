import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { Job, JobBatch } from '../src/models/index.js';
import { WORKFLOWS_PATH } from '../src/temporal/worker.js';
import { batchWorkflowId } from '../src/temporal/workflowIds.js';
import { useFileServer } from './helpers/fileServer.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

// A pipeline command that fails for packages named fail-*: a real process per job, with a real exit code.
const system = useSystem({
  PIPELINE_RUNNER: 'command',
  PIPELINE_COMMAND: 'case "$PACKAGE_NVR" in fail-*) echo "analysis of $PACKAGE_NVR crashed" >&2; exit 3;; esac; echo ok',
});
const files = useFileServer();
const report = 'https://docs.google.com/spreadsheets/d/report';

async function finished(batchId: number) {
  return waitFor(`batch ${batchId} to end`, async () => {
    const body = await (await system.request(`/api/v1/job-batches/${batchId}`)).json();
    return body.status === 'PROCESSING' ? undefined : body;
  });
}

async function submit(json: unknown) {
  const res = await system.request('/api/v1/job-batches', { method: 'POST', json });
  expect(res.status).toBe(201);
  return (await res.json()).batchId as number;
}

describe('batches', () => {
  it('runs a sheet of mixed successes and failures to COMPLETED_WITH_ERRORS with exact counts', async () => {
    files.set(
      '/mixed.csv',
      [
        'Batch of 2026-12',
        'NVR,Google Sheet URL,Jira Link',
        `systemd-257-9.el10,${report},https://issues.example/J-1`,
        `fail-one-1.0-1.el9,${report},`,
        ',,',
        `not an nvr,${report},`,
        `curl-8.6.0-1.el10,${report},`,
        `fail-two-2.0-1.el9,${report},`,
        `bash-5.2-3.el10,,`,
      ].join('\n'),
    );
    const batchId = await submit({ batchGoogleSheetUrl: files.url('/mixed.csv'), submittedBy: 'bob', maxParallelJobs: 2 });
    const batch = await finished(batchId);
    expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', totalJobs: 4, completedJobs: 2, failedJobs: 2, submittedBy: 'bob' });
    expect(batch.skippedRows.map((r: { rowNumber: number }) => r.rowNumber)).toEqual([6, 9]);
    expect(batch.skippedRows[0].reason).toMatch(/NVR/i);

    const jobs = await (await system.request(`/api/v1/job-batches/${batchId}/jobs`)).json();
    expect(jobs.map((j: { packageNvr: string; status: string }) => [j.packageNvr, j.status])).toEqual([
      ['systemd-257-9.el10', 'COMPLETED'],
      ['fail-one-1.0-1.el9', 'FAILED'],
      ['curl-8.6.0-1.el10', 'COMPLETED'],
      ['fail-two-2.0-1.el9', 'FAILED'],
    ]);
    expect(jobs[0].jiraLink).toBe('https://issues.example/J-1');
    const failed = await (await system.request(`/api/v1/jobs/${jobs[1].jobId}`)).json();
    expect(failed.failureReason).toContain('analysis of fail-one-1.0-1.el9 crashed');
  });

  it('ends an empty sheet COMPLETED_EMPTY and an unreadable one FAILED with the reason', async () => {
    files.set('/empty.csv', 'nvr,googleSheetUrl\n');
    const empty = await finished(await submit({ batchGoogleSheetUrl: files.url('/empty.csv') }));
    expect(empty).toMatchObject({ status: 'COMPLETED_EMPTY', totalJobs: 0 });

    const broken = await finished(await submit({ batchGoogleSheetUrl: files.url('/missing.csv') }));
    expect(broken.status).toBe('FAILED');
    expect(broken.failureReason).toMatch(/404/);
    expect(await Job.query().where({ job_batch_id: broken.batchId }).resultSize()).toBe(0);
  });

  it('runs inline jobs and records the run definition', async () => {
    const batchId = await submit({
      jobs: [
        { packageNvr: 'zlib-1.3-1.el10', inputSourceUrl: report },
        { packageNvr: 'fail-three-1-1.el10', inputSourceUrl: report, submittedBy: null },
      ],
      submittedBy: 'carol',
    });
    const batch = await finished(batchId);
    expect(batch).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', totalJobs: 2, completedJobs: 1, failedJobs: 1 });
    expect(batch.jobBatchRunDefinitionId).toEqual(expect.any(Number));
    expect(batch.pipelineDefinitionId).toBe('sast-ai-workflow-default');
  });

  it('lists batches newest first and 404s an unknown one', async () => {
    const list = await (await system.request('/api/v1/job-batches?size=2')).json();
    expect(list).toHaveLength(2);
    expect(list[0].batchId).toBeGreaterThan(list[1].batchId);
    expect((await system.request('/api/v1/job-batches/999999')).status).toBe(404);
    expect((await system.request('/api/v1/job-batches/999999/cancel', { method: 'POST' })).status).toBe(404);
  });

  it('refuses bad submissions with problem+json naming the field, writing nothing', async () => {
    const before = await JobBatch.query().resultSize();
    const cases: [unknown, string][] = [
      [{}, 'batchGoogleSheetUrl'],
      [{ batchGoogleSheetUrl: 'file:///etc/passwd' }, 'batchGoogleSheetUrl'],
      [{ batchGoogleSheetUrl: 'not a url' }, 'batchGoogleSheetUrl'],
      [{ batchGoogleSheetUrl: files.url('/x.csv'), maxParallelJobs: 0 }, 'maxParallelJobs'],
      [{ jobs: [{ packageNvr: 'zlib-1.3-1.el10', inputSourceUrl: report }, { packageNvr: 'bad', inputSourceUrl: report }] }, 'jobs[1].packageNvr'],
      [{ jobs: [], pipelineDefinitionId: 'no-such-definition' }, 'pipelineDefinitionId'],
    ];
    for (const [json, field] of cases) {
      const res = await system.request('/api/v1/job-batches', { method: 'POST', json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await JobBatch.query().resultSize()).toBe(before);
  });

  it('gives the batch a deterministic workflow id with its search attributes', async () => {
    const [batch] = await JobBatch.query().orderBy('id').limit(1);
    const description = await system.client.workflow.getHandle(batchWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, batch!.id)).describe();
    expect(description.status.name).toBe('COMPLETED');
    const attributes = Object.fromEntries(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    expect(attributes).toMatchObject({ SastBatchId: batch!.id, SastStatus: 'COMPLETED_WITH_ERRORS', SastSubmittedBy: 'bob' });
  });
});

describe('determinism', () => {
  it('replays every batch and job history of this file with the current workflow code', async () => {
    const histories = system.client.workflow.list({ query: `TaskQueue = '${system.config.TEMPORAL_TASK_QUEUE}'` }).intoHistories();
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
      expect(result.error, result.workflowId).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(10); // 4 batches and their 6 jobs
  });
});
