import { describe, expect, it } from 'vitest';
import { Job, JobSettings, JobTokenUsage } from '../src/models/index.js';
import { jobWorkflowId } from '../src/temporal/workflowIds.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

const system = useSystem();

async function jobStatus(jobId: number, wanted: string[]) {
  return waitFor(`job ${jobId} in ${wanted.join('/')}`, async () => {
    const body = await (await system.request(`/api/v1/jobs/${jobId}`)).json();
    return wanted.includes(body.status) ? body : undefined;
  });
}

describe('single jobs through the API, on Temporal and PostgreSQL', () => {
  it('runs a submitted job to COMPLETED, recording its transitions, tokens and links', async () => {
    const res = await system.request('/api/v1/jobs/simple', {
      method: 'POST',
      json: { packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://docs.google.com/spreadsheets/d/abc', submittedBy: 'alice', oshScanId: null, unknownField: 1 },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ packageNvr: 'systemd-257-9.el10', packageName: 'systemd', projectVersion: '257-9', status: 'PENDING', isCachedResult: false, submittedBy: 'alice' });
    expect(created.links.temporalUi).toContain(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, created.jobId));

    const done = await jobStatus(created.jobId, ['COMPLETED', 'FAILED']);
    expect(done.status).toBe('COMPLETED');
    expect(done.startedAt).not.toBeNull();
    expect(done.completedAt).not.toBeNull();
    expect(done.tektonUrl).toContain(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, created.jobId));

    const settings = await JobSettings.query().where({ job_id: created.jobId });
    expect(settings.map((s) => s.secretName)).toEqual(['sast-ai-default-llm-creds']);
    expect(await JobTokenUsage.query().findById(created.jobId)).toBeDefined();

    const description = await system.client.workflow.getHandle(jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, created.jobId)).describe();
    expect(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toEqual(
      expect.arrayContaining([['SastPackageName', 'systemd'], ['SastStatus', 'COMPLETED'], ['SastJobId', created.jobId]]),
    );
  });

  it('returns a cached result for the same NVR, and a new job with forceRescan', async () => {
    const body = { packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://docs.google.com/spreadsheets/d/abc' };
    const cached = await system.request('/api/v1/jobs/simple', { method: 'POST', json: body });
    expect(cached.status).toBe(200);
    expect(await cached.json()).toMatchObject({ isCachedResult: true, isExistingRun: false, status: 'COMPLETED' });

    const forced = await system.request('/api/v1/jobs/simple', { method: 'POST', json: { ...body, forceRescan: true } });
    expect(forced.status).toBe(201);
    const job = await forced.json();
    await jobStatus(job.jobId, ['COMPLETED']);
  });

  it('lets an operator find every run of a package by its search attribute, as in the Temporal UI', async () => {
    const query = `TaskQueue = '${system.config.TEMPORAL_TASK_QUEUE}' AND SastPackageName = 'systemd'`;
    const runs = await waitFor('both systemd runs to be visible', async () => {
      const found = [];
      for await (const run of system.client.workflow.list({ query })) found.push(run);
      return found.length === 2 ? found : undefined;
    });
    expect(runs.map((r) => r.workflowId).sort()).toEqual(
      (await Job.query().where({ package_name: 'systemd' })).map((j) => jobWorkflowId(system.config.TEMPORAL_WORKFLOW_ID_PREFIX, j.id)).sort(),
    );
  });

  it('lists jobs newest first with filters, and 404s an unknown id', async () => {
    const list = await (await system.request('/api/v1/jobs?packageName=systemd&status=COMPLETED')).json();
    expect(list.length).toBe(2);
    expect(list[0].jobId).toBeGreaterThan(list[1].jobId);
    const missing = await system.request('/api/v1/jobs/999999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const badStatus = await system.request('/api/v1/jobs?status=DONE');
    expect(badStatus.status).toBe(400);
    expect((await badStatus.json()).errors[0].field).toBe('status');
  });

  it('refuses to cancel a finished job with 409', async () => {
    const [job] = await Job.query().where({ status: 'COMPLETED' }).limit(1);
    const res = await system.request(`/api/v1/jobs/${job!.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect((await res.json()).detail).toContain('COMPLETED');
  });

  it('rejects bad input with problem+json naming the field, writing nothing', async () => {
    const before = await Job.query().resultSize();
    const cases: [unknown, string][] = [
      [{ packageNvr: 'not-an-nvr', inputSourceUrl: 'https://x.example/r.sarif' }, 'packageNvr'],
      [{ inputSourceUrl: 'https://x.example/r' }, 'packageNvr'],
      [{ packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'ftp://x.example/r' }, 'inputSourceUrl'],
      [{ packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://x.example/r', forceRescan: 'yes' }, 'forceRescan'],
      [{ sourceCodeUrl: 'https://github.com/NVIDIA/OpenShell', inputSourceUrl: 'https://x.example/r' }, 'commitId'],
    ];
    for (const [json, field] of cases) {
      const res = await system.request('/api/v1/jobs/simple', { method: 'POST', json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json();
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const malformed = await system.request('/api/v1/jobs/simple', { method: 'POST', body: '{"packageNvr":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).detail).toMatch(/JSON/);
    const huge = await system.request('/api/v1/jobs/simple', {
      method: 'POST',
      json: { packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://x.example/r', hostname: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(await Job.query().resultSize()).toBe(before);
  });
});
