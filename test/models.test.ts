import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ValidationError } from 'objection';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Job,
  JobBatch,
  JobBatchDataLineage,
  JobBatchExecutionContext,
  JobBatchRunDefinition,
  JobMetrics,
  JobSettings,
  JobTokenUsage,
  WorkflowGraphTopology,
} from '../src/models/index.js';
import { useTestDatabase } from './helpers/database.js';

/** The Objection models over the seed schema: every relation of its summary, validation, and UTC timestamps. */

const db = useTestDatabase();
const now = new Date('2026-03-04T05:06:07.000Z');

describe('relations, with real rows', () => {
  let batch: JobBatch;
  let jobs: Job[];
  let topology: WorkflowGraphTopology;
  let definition: JobBatchRunDefinition;

  beforeAll(async () => {
    topology = await WorkflowGraphTopology.query().insert({ topologyId: 7, description: 'two nodes', edges: [{ from: 'filter', to: 'judge' }] });
    definition = await JobBatchRunDefinition.query().insert({
      pipelineDefinitionId: 'sast-ai-workflow@abc123',
      name: 'sast-ai-workflow',
      version: '1.2.0',
      gitHash: 'abc123',
      workflowGraphTopologyId: topology.id,
      metadata: { model: 'gpt-x' },
      createdAt: now,
    });
    batch = await JobBatch.query().insert({
      batchGoogleSheetUrl: 'https://docs.google.com/spreadsheets/d/batch',
      status: 'PROCESSING',
      submittedAt: now,
      jobBatchRunDefinitionId: definition.id,
    });
    jobs = await Job.query().insert(
      ['systemd-257-9.el10', 'curl-8.9.1-2.el10'].map((packageNvr) => ({ jobBatchId: batch.id, packageNvr, status: 'PENDING' as const, createdAt: now })),
    );
    // Shared primary keys: the 1:1 rows take the id of the batch or job they belong to.
    await JobBatchExecutionContext.query().insert({ id: batch.id, environment: 'test', configVersion: 'cfg-1', hwSpec: { cpus: 4 } });
    await JobBatchDataLineage.query().insert({ id: batch.id, lineageId: 'lin-1', inputArtifacts: ['art-1'], transformationType: 'sast-ai', createdAt: now });
    const job = jobs[0]!;
    await JobTokenUsage.query().insert({
      id: job.id,
      totalInputTokens: 100,
      totalOutputTokens: 20,
      totalTokens: 120,
      nodeBreakdown: { judge: { input: 100, output: 20 } },
      estimatedCost: 0.0123,
      createdAt: now,
    });
    await JobMetrics.query().insert({
      id: job.id,
      packageName: 'systemd',
      totalIssues: 3,
      predictedIssuesCount: 1,
      predictedNonIssuesCount: 2,
      hasGroundTruth: false,
      createdAt: now,
    });
    await JobSettings.query().insert([
      { jobId: job.id, secretName: 'llm-creds' },
      { jobId: job.id, secretName: 'other-creds' },
    ]);
  });

  it('JobBatch: jobs, execution context, data lineage, run definition and its topology', async () => {
    const fetched = await JobBatch.query()
      .findById(batch.id)
      .withGraphFetched('[jobs(byId), executionContext, dataLineage, runDefinition.topology]')
      .modifiers({ byId: (q) => q.orderBy('id') });
    expect(fetched?.jobs?.map((j) => j.packageNvr)).toEqual(['systemd-257-9.el10', 'curl-8.9.1-2.el10']);
    expect(fetched?.executionContext).toMatchObject({ id: batch.id, environment: 'test', hwSpec: { cpus: 4 } });
    expect(fetched?.dataLineage).toMatchObject({ id: batch.id, lineageId: 'lin-1', inputArtifacts: ['art-1'] });
    expect(fetched?.runDefinition).toMatchObject({ id: definition.id, name: 'sast-ai-workflow', metadata: { model: 'gpt-x' } });
    expect(fetched?.runDefinition?.topology).toMatchObject({ id: topology.id, topologyId: 7, edges: [{ from: 'filter', to: 'judge' }] });
  });

  it('Job: token usage, metrics, settings and its batch', async () => {
    const [withAll, bare] = await Job.query()
      .whereIn('id', jobs.map((j) => j.id))
      .orderBy('id')
      .withGraphFetched('[tokenUsage, metrics, settings(byId), batch]')
      .modifiers({ byId: (q) => q.orderBy('id') });
    expect(withAll?.tokenUsage).toMatchObject({ id: jobs[0]!.id, totalTokens: 120, estimatedCost: 0.0123, nodeBreakdown: { judge: { input: 100, output: 20 } } });
    expect(withAll?.metrics).toMatchObject({ id: jobs[0]!.id, packageName: 'systemd', totalIssues: 3, hasGroundTruth: false });
    expect(withAll?.settings?.map((s) => s.secretName)).toEqual(['llm-creds', 'other-creds']);
    expect(withAll?.batch?.id).toBe(batch.id);
    // A job with no 1:1 rows yet reads as null, not as an error.
    expect(bare).toMatchObject({ tokenUsage: null, metrics: null, settings: [] });
  });

  it('relatedQuery follows the same joins', async () => {
    expect(await JobBatch.relatedQuery('jobs').for(batch.id).resultSize()).toBe(2);
    expect((await Job.relatedQuery('settings').for(jobs[0]!.id)).map((s) => s.secretName).sort()).toEqual(['llm-creds', 'other-creds']);
  });
});

describe('jsonSchema validation', () => {
  async function validationError(write: () => PromiseLike<unknown>): Promise<ValidationError> {
    const error = await Promise.resolve(write()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }

  it('rejects a status outside the seed CHECK values, naming status, and writes nothing', async () => {
    const before = await Job.query().resultSize();
    const error = await validationError(() => Job.query().insert({ status: 'DONE' as never, createdAt: now }));
    expect(Object.keys(error.data as object)).toEqual(['status']);
    expect(error.message).toMatch(/^status: /);
    expect(await Job.query().resultSize()).toBe(before);
  });

  it('rejects a missing required field, naming it', async () => {
    const error = await validationError(() => JobBatch.query().insert({ status: 'PROCESSING', submittedAt: now } as never));
    expect(Object.keys(error.data as object)).toEqual(['batchGoogleSheetUrl']);
    expect(error.message).toContain('batchGoogleSheetUrl');
  });

  it('rejects a bad value on patch as well', async () => {
    const [job] = await Job.query().limit(1);
    const error = await validationError(() => Job.query().findById(job!.id).patch({ status: 'FINISHED' as never }));
    expect(Object.keys(error.data as object)).toEqual(['status']);
  });
});

describe('timestamps', () => {
  it('round-trip as UTC when the process runs in another time zone', async () => {
    const script = fileURLToPath(new URL('./fixtures/utcRoundTrip.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, db.url], {
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    const seen = JSON.parse(stdout.trim().split('\n').pop()!);
    // The child really ran eight hours behind UTC (January, so standard time).
    expect(seen.timezoneOffsetMinutes).toBe(480);
    expect(seen.raw).toBe('2026-01-02 03:04:05.678');
    expect(seen.readBack).toBe('2026-01-02T03:04:05.678Z');
    expect(seen.matchedByDate).toBe(1);
  });
});
