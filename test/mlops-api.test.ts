import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../src/api/app.js';
import { loadConfig } from '../src/config.js';
import { setLogLevel } from '../src/logger.js';
import { recordArtifact } from '../src/mlops/artifacts.js';
import { recordExecutionContext } from '../src/mlops/executionContext.js';
import { ingestJobOutputs } from '../src/mlops/ingest.js';
import { linkBatchArtifacts } from '../src/mlops/lineage.js';
import { createPricingModel } from '../src/mlops/pricing.js';
import { Job, JobBatch, JobBatchRunDefinition, JobTokenUsage, type JobStatus } from '../src/models/index.js';
import { connectClient } from '../src/temporal/client.js';
import { useTestDatabase } from './helpers/database.js';
import { tokenEntry, writeOutputDir } from './mlops-fixtures.js';

/*
 * One seeded world, read through the HTTP API. Prices: gpt-a 0.001/0.002 USD per 1k tokens,
 * mistral-eur 0.001/0.001 EUR. Run definition def-a has batch A; def-b has batches B1 (two currencies)
 * and B2 (a later run of systemd). The expected figures are worked out by hand in the comments.
 */

const db = useTestDatabase();
let app: App;
let client: Client;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; type: string; body: any }> {
  const { json, ...rest } = init;
  const res = await app.request(`/api/v1${path}`, {
    ...rest,
    ...(json !== undefined ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

const post = (path: string, json?: unknown) => call(path, { method: 'POST', ...(json === undefined ? {} : { json }) });

type Cells = { tp: number; fp: number; tn: number; fn: number };
interface JobSpec {
  batchId: number;
  packageName: string;
  status?: JobStatus;
  completedAt?: string;
  /** [node, model, input, output]; absent = the job wrote no outputs. */
  tokens?: [string, string | null, number | null, number | null][];
  /** Ground truth; absent = the run had none. */
  cm?: Cells;
}

async function seedJob(spec: JobSpec): Promise<number> {
  const job = await Job.query().insertAndFetch({
    jobBatchId: spec.batchId,
    packageName: spec.packageName,
    packageNvr: `${spec.packageName}-1.0-1.el10`,
    projectName: spec.packageName,
    projectVersion: '1.0-1',
    status: spec.status ?? 'COMPLETED',
    createdAt: new Date('2026-01-10T08:00:00Z'),
    startedAt: new Date('2026-01-10T08:01:00Z'),
    completedAt: new Date(spec.completedAt ?? '2026-01-10T09:00:00Z'),
    tektonUrl: `https://tekton.example/runs/${spec.packageName}`,
  } as Partial<Job>);
  if (spec.tokens) {
    const outputDir = await writeOutputDir({
      excel: { verdicts: ['FALSE POSITIVE', 'TRUE POSITIVE', 'FALSE POSITIVE'] },
      tokenUsage: spec.tokens.map(([node, model, input, output]) => tokenEntry(node, model, input, output)),
      ...(spec.cm ? { workflowMetrics: { cm: spec.cm } } : {}),
    });
    await ingestJobOutputs(db.knex, { jobId: job.id, batchId: spec.batchId, packageName: spec.packageName, startedAt: job.startedAt as Date, outputDir });
  }
  return job.id;
}

async function seedBatch(definitionPk: number, status: JobBatch['status'] = 'COMPLETED'): Promise<number> {
  const batch = await JobBatch.query().insertAndFetch({
    batchGoogleSheetUrl: 'https://docs.google.com/spreadsheets/d/abc',
    submittedBy: 'alice',
    submittedAt: new Date('2026-01-10T07:00:00Z'),
    status,
    totalJobs: 4,
    completedJobs: 3,
    failedJobs: 1,
    lastUpdatedAt: new Date('2026-01-10T10:00:00Z'),
    jobBatchRunDefinitionId: definitionPk,
  } as Partial<JobBatch>);
  return batch.id;
}

const ids = {} as Record<'batchA' | 'batchB1' | 'batchB2' | 'j1' | 'j2' | 'j3' | 'j4' | 'j5' | 'j6' | 'j7' | 'j8', number>;
const EDGES = [
  { from: 'filter', to: 'investigate' },
  { from: 'investigate', to: 'write_results' },
];
const DEF_A = {
  pipelineDefinitionId: 'def-a',
  name: 'sast-ai-workflow',
  version: '1.0.0',
  gitHash: 'ee0fdb0',
  metadata: { testingDataNvrsVersion: 'v1.2.0', promptsVersion: 'p-3', knownNonIssuesVersion: '2026-01-01', sastAiImage: 'quay.io/sast/ai:1' },
  edges: EDGES,
};

beforeAll(async () => {
  setLogLevel('warn');
  const config = loadConfig({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: inject('temporalAddress'), PIPELINE_RUNNER: 'simulated', LOG_LEVEL: 'warn' });
  client = await connectClient(config);
  app = createApp({ config, knex: db.knex, client });

  const from = '2026-01-01T00:00:00Z';
  await createPricingModel(db.knex, { modelName: 'gpt-a', provider: 'openai', inputPricePer1k: 0.001, outputPricePer1k: 0.002, effectiveFrom: from });
  await createPricingModel(db.knex, { modelName: 'mistral-eur', provider: 'mistral', inputPricePer1k: 0.001, outputPricePer1k: 0.001, currency: 'EUR', effectiveFrom: from });

  expect((await post('/run-definitions', DEF_A)).status).toBe(201);
  expect((await post('/run-definitions', { ...DEF_A, pipelineDefinitionId: 'def-b', version: '2.0.0', metadata: {} })).status).toBe(201);
  const pk = async (id: string) => (await JobBatchRunDefinition.query().findOne({ pipeline_definition_id: id }).throwIfNotFound()).id;

  ids.batchA = await seedBatch(await pk('def-a'));
  // systemd: filter 0.001+0.001, investigate 0.002+0.002 → 0.006 USD; P .8 R 1 F1 16/18 A .8
  ids.j1 = await seedJob({ batchId: ids.batchA, packageName: 'systemd', tokens: [['pre_process', null, null, null], ['filter', 'gpt-a', 1000, 500], ['investigate', 'gpt-a', 2000, 1000]], cm: { tp: 8, fp: 2, tn: 0, fn: 0 } });
  // openssl: 0.003+0.003 → 0.006 USD; P .5 R 1 F1 2/3 A .9
  ids.j2 = await seedJob({ batchId: ids.batchA, packageName: 'openssl', tokens: [['investigate', 'gpt-a', 3000, 1500]], cm: { tp: 1, fp: 1, tn: 8, fn: 0 } });
  // curl: no ground truth; 0.0001+0.0002 → 0.0003 USD, and llama-x has no price
  ids.j3 = await seedJob({ batchId: ids.batchA, packageName: 'curl', tokens: [['investigate', 'gpt-a', 100, 100], ['summarize', 'llama-x', 50, 50]] });
  ids.j4 = await seedJob({ batchId: ids.batchA, packageName: 'bash', status: 'FAILED' });

  ids.batchB1 = await seedBatch(await pk('def-b'));
  ids.j5 = await seedJob({ batchId: ids.batchB1, packageName: 'systemd', completedAt: '2026-01-11T00:00:00Z', tokens: [['investigate', 'gpt-a', 500, 500]], cm: { tp: 9, fp: 1, tn: 0, fn: 0 } });
  // openssl in EUR: 0.001+0.001 → 0.002 EUR; P 1 R 1 F1 1 A 1
  ids.j6 = await seedJob({ batchId: ids.batchB1, packageName: 'openssl', tokens: [['investigate', 'mistral-eur', 1000, 1000]], cm: { tp: 1, fp: 0, tn: 9, fn: 0 } });
  ids.batchB2 = await seedBatch(await pk('def-b'), 'PROCESSING');
  // The later systemd run of def-b: 0.001+0.0005 → 0.0015 USD; P 1 R .9 F1 18/19 A .9
  ids.j7 = await seedJob({ batchId: ids.batchB2, packageName: 'systemd', completedAt: '2026-01-12T00:00:00Z', tokens: [['investigate', 'gpt-a', 1000, 250]], cm: { tp: 9, fp: 0, tn: 0, fn: 1 } });
  ids.j8 = await seedJob({ batchId: ids.batchB2, packageName: 'zlib', tokens: [['investigate', 'gpt-a', 10, 10]], cm: { tp: 1, fp: 0, tn: 0, fn: 0 } });
});

afterAll(async () => {
  await client?.connection.close();
});

describe('job records', () => {
  it('serves a job token usage with its node breakdown, cost and currency', async () => {
    const res = await call(`/jobs/${ids.j1}/token-usage`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobId: ids.j1, totalInputTokens: 3000, totalOutputTokens: 1500, totalTokens: 4500, estimatedCost: 0.006, currency: 'USD', pricedAt: '2026-01-10T08:01:00.000Z' });
    expect(res.body.nodeBreakdown.nodes.map((n: { node: string; cost: number }) => [n.node, n.cost])).toEqual([['pre_process', 0], ['filter', 0.002], ['investigate', 0.004]]);
    expect(res.body.createdAt).toMatch(/Z$/);
  });

  it('serves job metrics with the confusion matrix and its conventions', async () => {
    const res = await call(`/jobs/${ids.j1}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ jobId: ids.j1, packageName: 'systemd', totalIssues: 3, hasGroundTruth: true, precision: 0.8, recall: 1, f1Score: 0.8889, accuracy: 0.8 });
    expect(res.body.confusionMatrix).toMatchObject({ tp: 8, fp: 2, tn: 0, fn: 0, positiveClass: 'FALSE POSITIVE', zeroDivision: 'null' });
    expect((await call(`/jobs/${ids.j3}/metrics`)).body).toMatchObject({ hasGroundTruth: false, precision: null, confusionMatrix: null });
  });

  it('tells a missing job from a job with nothing recorded yet', async () => {
    const noJob = await call('/jobs/999999/token-usage');
    expect(noJob.status).toBe(404);
    expect(noJob.type).toContain('application/problem+json');
    expect(noJob.body.detail).toBe('job 999999 does not exist');
    for (const what of ['token-usage', 'metrics']) {
      const notYet = await call(`/jobs/${ids.j4}/${what}`);
      expect(notYet.status).toBe(404);
      expect(notYet.type).toContain('application/problem+json');
      expect(notYet.body.detail).toMatch(new RegExp(`job ${ids.j4} \\(FAILED\\) has no (token usage|metrics) recorded`));
    }
    const badId = await call('/jobs/abc/metrics');
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('jobId');
  });
});

describe('batch summary', () => {
  it('totals tokens and cost by model and node, counts jobs, and gives micro and macro quality', async () => {
    const res = await call(`/job-batches/${ids.batchA}/summary`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s.jobs).toEqual({ total: 4, byStatus: { PENDING: 0, SCHEDULED: 0, RUNNING: 0, COMPLETED: 3, FAILED: 1, CANCELLED: 0 } });
    expect(s.tokens).toEqual({ inputTokens: 6150, outputTokens: 3150, totalTokens: 9300, jobsWithTokenUsage: 3 });
    expect(s.cost).toEqual({ currency: 'USD', estimatedCost: 0.0123, byCurrency: [{ currency: 'USD', cost: 0.0123, jobs: 3 }] });
    expect(s.byModel).toEqual([
      { model: 'gpt-a', inputTokens: 6100, outputTokens: 3100, totalTokens: 9200, nodeRuns: 4, unpricedNodeRuns: 0, costs: [{ currency: 'USD', cost: 0.0123 }] },
      { model: 'llama-x', inputTokens: 50, outputTokens: 50, totalTokens: 100, nodeRuns: 1, unpricedNodeRuns: 1, costs: [] },
      { model: null, inputTokens: 0, outputTokens: 0, totalTokens: 0, nodeRuns: 1, unpricedNodeRuns: 0, costs: [] },
    ]);
    expect(s.byNode).toEqual([
      { node: 'filter', inputTokens: 1000, outputTokens: 500, totalTokens: 1500, nodeRuns: 1, unpricedNodeRuns: 0, costs: [{ currency: 'USD', cost: 0.002 }] },
      { node: 'investigate', inputTokens: 5100, outputTokens: 2600, totalTokens: 7700, nodeRuns: 3, unpricedNodeRuns: 0, costs: [{ currency: 'USD', cost: 0.0103 }] },
      { node: 'pre_process', inputTokens: 0, outputTokens: 0, totalTokens: 0, nodeRuns: 1, unpricedNodeRuns: 0, costs: [] },
      { node: 'summarize', inputTokens: 50, outputTokens: 50, totalTokens: 100, nodeRuns: 1, unpricedNodeRuns: 1, costs: [] },
    ]);
    // Micro: summed cells tp 9 fp 3 tn 8 fn 0 → P 9/12, F1 18/21, A 17/20. Macro: the mean of (.8, .5) and (.8889, .6667).
    expect(s.quality).toEqual({
      jobsWithMetrics: 3,
      jobsWithGroundTruth: 2,
      micro: { precision: 0.75, recall: 1, f1Score: 0.8571, accuracy: 0.85, confusionMatrix: { tp: 9, fp: 3, tn: 8, fn: 0 }, jobs: 2 },
      macro: { precision: 0.65, recall: 1, f1Score: 0.7778, accuracy: 0.85, jobs: { precision: 2, recall: 2, f1Score: 2, accuracy: 2 } },
    });
  });

  it('keeps costs in different currencies apart', async () => {
    const s = (await call(`/job-batches/${ids.batchB1}/summary`)).body;
    expect(s.cost).toEqual({
      currency: null,
      estimatedCost: null,
      byCurrency: [
        { currency: 'EUR', cost: 0.002, jobs: 1 },
        { currency: 'USD', cost: 0.0015, jobs: 1 },
      ],
    });
    expect(s.byModel.map((m: { model: string; costs: unknown }) => [m.model, m.costs])).toEqual([
      ['gpt-a', [{ currency: 'USD', cost: 0.0015 }]],
      ['mistral-eur', [{ currency: 'EUR', cost: 0.002 }]],
    ]);
    expect(s.byNode).toEqual([
      { node: 'investigate', inputTokens: 1500, outputTokens: 1500, totalTokens: 3000, nodeRuns: 2, unpricedNodeRuns: 0, costs: [{ currency: 'EUR', cost: 0.002 }, { currency: 'USD', cost: 0.0015 }] },
    ]);
  });

  it('404s an unknown batch as problem+json', async () => {
    const res = await call('/job-batches/999999/summary');
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.detail).toBe('job batch 999999 does not exist');
  });
});

describe('execution context, lineage and artifacts', () => {
  it('serves the execution context, and 404s a batch without one', async () => {
    await recordExecutionContext(db.knex, ids.batchA, { environment: 'test', configVersion: '0.1.0-0123456789abcdef', hwSpec: { cpus: 4, arch: 'x64' } });
    expect((await call(`/job-batches/${ids.batchA}/execution-context`)).body).toEqual({
      batchId: ids.batchA,
      environment: 'test',
      configVersion: '0.1.0-0123456789abcdef',
      hwSpec: { cpus: 4, arch: 'x64' },
    });
    const missing = await call(`/job-batches/${ids.batchB1}/execution-context`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('no execution context recorded');
  });

  it('joins lineage entries to their artifacts, and finds the batches that used an artifact', async () => {
    const input = await recordArtifact(db.knex, { type: 'batch_input', name: 'nvrs.csv', content: 'nvr\nsystemd-257-9.el10\n' });
    for (const batchId of [ids.batchA, ids.batchB1]) {
      await linkBatchArtifacts(db.knex, batchId, [{ artifactId: input.artifactId, role: 'input', artifactType: 'batch_input' }]);
    }
    const lineage = (await call(`/job-batches/${ids.batchA}/lineage`)).body;
    expect(lineage).toMatchObject({ batchId: ids.batchA, lineageId: `lineage-batch-${ids.batchA}`, transformationType: 'sast_ai_triage' });
    const inputEntry = lineage.entries.find((e: { role: string }) => e.role === 'input');
    expect(inputEntry).toMatchObject({ artifactId: input.artifactId, jobId: null, artifact: { artifactType: 'batch_input', name: 'nvrs.csv', dvcHash: input.dvcHash, dvcPath: 'batch_input/nvrs.csv', version: `md5:${input.dvcHash.slice(0, 8)}` } });
    const outputs = lineage.entries.filter((e: { role: string; jobId: number }) => e.role === 'output' && e.jobId === ids.j1);
    expect(outputs.map((e: { artifactType: string }) => e.artifactType).sort()).toEqual(['excel_report', 'token_usage', 'workflow_metrics']);
    expect(outputs.every((e: { artifact: { dvcPath: string } }) => e.artifact.dvcPath.startsWith(`jobs/${ids.j1}/`))).toBe(true);

    const artifact = await call(`/data-artifacts/${input.artifactId}`);
    expect(artifact.status).toBe(200);
    expect(artifact.body).toMatchObject({ artifactId: input.artifactId, artifactType: 'batch_input', name: 'nvrs.csv' });
    expect(artifact.body.usedBy).toEqual([
      { batchId: ids.batchA, batchStatus: 'COMPLETED', roles: ['input'], jobIds: [] },
      { batchId: ids.batchB1, batchStatus: 'COMPLETED', roles: ['input'], jobIds: [] },
    ]);
    const produced = (await call(`/data-artifacts/${outputs[0].artifactId}`)).body;
    expect(produced.usedBy[0]).toMatchObject({ batchId: ids.batchA, roles: ['output'] });
    expect(produced.usedBy[0].jobIds).toContain(ids.j1);

    expect((await call('/data-artifacts/md5-nothing')).status).toBe(404);
    const empty = await JobBatch.query().insertAndFetch({ batchGoogleSheetUrl: 'x', submittedAt: new Date(), status: 'PROCESSING' } as Partial<JobBatch>);
    expect((await call(`/job-batches/${empty.id}/lineage`)).body.detail).toContain('no lineage recorded');
  });
});

describe('run definitions and topologies', () => {
  it('registers idempotently, refuses other content under the same id, and shows batches', async () => {
    const again = await post('/run-definitions', DEF_A);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ pipelineDefinitionId: 'def-a', version: '1.0.0', topology: { edges: EDGES } });
    const changed = await post('/run-definitions', { ...DEF_A, version: '1.0.1' });
    expect(changed.status).toBe(409);
    expect(changed.type).toContain('application/problem+json');
    expect(changed.body.detail).toContain('version');

    const detail = (await call('/run-definitions/def-a')).body;
    expect(detail.batches).toEqual([{ batchId: ids.batchA, status: 'COMPLETED' }]);
    expect(detail.metadata).toEqual(DEF_A.metadata);
    const list = await call('/run-definitions');
    expect(list.body.map((d: { pipelineDefinitionId: string }) => d.pipelineDefinitionId).sort()).toEqual(['def-a', 'def-b']);
    expect((await call('/run-definitions/nope')).status).toBe(404);
  });

  it('names the field of invalid input', async () => {
    const missing = await post('/run-definitions', { ...DEF_A, pipelineDefinitionId: 'def-c', gitHash: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['gitHash']);
    const both = await post('/run-definitions', { ...DEF_A, pipelineDefinitionId: 'def-c', topologyId: 1 });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].field).toBe('edges');
    const unknownTopology = await post('/run-definitions', { ...DEF_A, pipelineDefinitionId: 'def-c', edges: undefined, topologyId: 999 });
    expect(unknownTopology.status).toBe(400);
    expect(unknownTopology.body.errors[0].field).toBe('topologyId');
  });

  it('deletes a definition or topology only when nothing refers to it', async () => {
    const inUse = await call('/run-definitions/def-a', { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect(inUse.body.detail).toContain(`(${ids.batchA})`);

    const topology = await post('/topologies', { edges: [{ from: 'x', to: 'y' }], description: 'tiny' });
    expect(topology.status).toBe(201);
    expect((await post('/topologies', { edges: [{ from: 'x', to: 'y' }] })).body.topologyId).toBe(topology.body.topologyId);
    const unused = await post('/run-definitions', { ...DEF_A, pipelineDefinitionId: 'def-unused', edges: undefined, topologyId: topology.body.topologyId });
    expect(unused.status).toBe(201);
    expect(unused.body.topology).toEqual({ topologyId: topology.body.topologyId, description: 'tiny', edges: [{ from: 'x', to: 'y' }] });
    expect((await call(`/topologies/${topology.body.topologyId}`)).body.pipelineDefinitionIds).toEqual(['def-unused']);
    expect((await call(`/topologies/${topology.body.topologyId}`, { method: 'DELETE' })).status).toBe(409);

    expect((await call('/run-definitions/def-unused', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/run-definitions/def-unused')).status).toBe(404);
    expect((await call(`/topologies/${topology.body.topologyId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/topologies/${topology.body.topologyId}`)).status).toBe(404);
  });

  it('refuses a cyclic topology and other content under an existing topologyId', async () => {
    const cyclic = await post('/topologies', { edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] });
    expect(cyclic.status).toBe(400);
    expect(cyclic.body.errors[0].field).toBe('edges');
    const created = await post('/topologies', { topologyId: 77, edges: [{ from: 'p', to: 'q' }] });
    expect(created.status).toBe(201);
    expect((await post('/topologies', { topologyId: 77, edges: [{ from: 'p', to: 'q' }] })).status).toBe(200);
    expect((await post('/topologies', { topologyId: 77, edges: [{ from: 'q', to: 'p' }] })).status).toBe(409);
    expect((await call('/topologies')).body.map((t: { topologyId: number }) => t.topologyId)).toContain(77);
  });
});

describe('comparing two run definitions', () => {
  it('pairs the latest completed run per package, with deltas and micro aggregates', async () => {
    const res = await call('/run-definitions/compare?a=def-a&b=def-b');
    expect(res.status).toBe(200);
    const cmp = res.body;
    expect(cmp.onlyInA).toEqual(['curl']);
    expect(cmp.onlyInB).toEqual(['zlib']);
    expect(cmp.packages.map((p: { packageName: string }) => p.packageName)).toEqual(['openssl', 'systemd']);

    const [openssl, systemd] = cmp.packages;
    expect(systemd.a).toMatchObject({ jobId: ids.j1, batchId: ids.batchA, precision: 0.8, f1Score: 0.8889, totalTokens: 4500, estimatedCost: 0.006, currency: 'USD' });
    expect(systemd.b).toMatchObject({ jobId: ids.j7, batchId: ids.batchB2, precision: 1, recall: 0.9, f1Score: 0.9474, accuracy: 0.9, totalTokens: 1250, estimatedCost: 0.0015 });
    expect(systemd.delta).toEqual({ precision: 0.2, recall: -0.1, f1Score: 0.0585, accuracy: 0.1, totalTokens: -3250, estimatedCost: -0.0045 });
    // Different currencies: no cost delta.
    expect(openssl.delta).toEqual({ precision: 0.5, recall: 0, f1Score: 0.3333, accuracy: 0.1, totalTokens: -2500, estimatedCost: null });

    // a: tp 9 fp 3 tn 8 fn 0; b: tp 10 fp 0 tn 9 fn 1 → R 10/11, F1 20/21, A 19/20.
    expect(cmp.aggregate.packages).toBe(2);
    expect(cmp.aggregate.a).toEqual({
      micro: { precision: 0.75, recall: 1, f1Score: 0.8571, accuracy: 0.85, confusionMatrix: { tp: 9, fp: 3, tn: 8, fn: 0 }, jobs: 2 },
      meanTotalTokens: 4500,
      meanEstimatedCost: 0.006,
      currency: 'USD',
      packagesWithTokenUsage: 2,
    });
    expect(cmp.aggregate.b).toMatchObject({
      micro: { precision: 1, recall: 0.9091, f1Score: 0.9524, accuracy: 0.95, confusionMatrix: { tp: 10, fp: 0, tn: 9, fn: 1 } },
      meanTotalTokens: 1625,
      meanEstimatedCost: null,
      currency: null,
    });
    expect(cmp.aggregate.delta).toEqual({ precision: 0.25, recall: -0.0909, f1Score: 0.0953, accuracy: 0.1, totalTokens: -2875, estimatedCost: null });
  });

  it('names a missing or unknown definition', async () => {
    const missing = await call('/run-definitions/compare?a=def-a');
    expect(missing.status).toBe(400);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['b']);
    const unknown = await call('/run-definitions/compare?a=nope&b=def-b');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].field).toBe('a');
    expect(unknown.body.detail).toContain('nope');
  });
});

describe('the MlOpsBatchDetailedResponseDto view', () => {
  it("serves the batch, its run definition's versions and each job's metrics", async () => {
    const res = await call(`/mlops-batch/${ids.batchA}/detailed`);
    expect(res.status).toBe(200);
    const { jobs, ...batch } = res.body;
    expect(batch).toEqual({
      batchId: ids.batchA,
      testingDataNvrsVersion: 'v1.2.0',
      promptsVersion: 'p-3',
      knownNonIssuesVersion: '2026-01-01',
      sastAiImage: 'quay.io/sast/ai:1',
      submittedBy: 'alice',
      submittedAt: '2026-01-10T07:00:00.000Z',
      status: 'COMPLETED',
      totalJobs: 4,
      completedJobs: 3,
      failedJobs: 1,
      lastUpdatedAt: '2026-01-10T10:00:00.000Z',
    });
    expect(jobs.map((j: { jobId: number }) => j.jobId)).toEqual([ids.j1, ids.j2, ids.j3, ids.j4]);
    expect(jobs[0]).toEqual({
      jobId: ids.j1,
      packageNvr: 'systemd-1.0-1.el10',
      packageName: 'systemd',
      projectName: 'systemd',
      projectVersion: '1.0-1',
      packageSourceCodeUrl: null,
      knownFalsePositivesUrl: null,
      status: 'COMPLETED',
      createdAt: '2026-01-10T08:00:00.000Z',
      startedAt: '2026-01-10T08:01:00.000Z',
      completedAt: '2026-01-10T09:00:00.000Z',
      tektonUrl: 'https://tekton.example/runs/systemd',
      oshScanId: null,
      metrics: { accuracy: 0.8, precision: 0.8, recall: 1, f1Score: 0.8889, confusionMatrix: { tp: 8, fp: 2, tn: 0, fn: 0 } },
    });
    expect(jobs[2].metrics).toEqual({ accuracy: null, precision: null, recall: null, f1Score: null, confusionMatrix: null });
    expect(jobs[3].metrics).toBeNull();

    const noVersions = (await call(`/mlops-batch/${ids.batchB1}/detailed`)).body;
    expect([noVersions.testingDataNvrsVersion, noVersions.promptsVersion, noVersions.knownNonIssuesVersion, noVersions.sastAiImage]).toEqual([null, null, null, null]);
    expect((await call('/mlops-batch/999999/detailed')).status).toBe(404);
  });
});

describe('pricing', () => {
  const gptA = 'gpt-a@2026-01-01T00:00:00.000Z';

  it('lists, filters by time, and gets one price window', async () => {
    const all = (await call('/pricing-models')).body;
    expect(all.map((p: { pricingModelId: string }) => p.pricingModelId)).toEqual([gptA, 'mistral-eur@2026-01-01T00:00:00.000Z']);
    expect((await call('/pricing-models?provider=mistral')).body).toEqual([
      {
        pricingModelId: 'mistral-eur@2026-01-01T00:00:00.000Z',
        modelName: 'mistral-eur',
        provider: 'mistral',
        inputPricePer1k: 0.001,
        outputPricePer1k: 0.001,
        currency: 'EUR',
        effectiveFrom: '2026-01-01T00:00:00.000Z',
        effectiveTo: null,
      },
    ]);
    expect((await call('/pricing-models?at=2025-12-31T23:59:59Z')).body).toEqual([]);
    expect((await call('/pricing-models?modelName=gpt-a&at=2026-02-01T00:00:00%2B01:00')).body).toHaveLength(1);
    const badAt = await call('/pricing-models?at=yesterday');
    expect(badAt.status).toBe(400);
    expect(badAt.body.errors[0].field).toBe('at');
    expect((await call(`/pricing-models/${encodeURIComponent(gptA)}`)).body.inputPricePer1k).toBe(0.001);
    expect((await call('/pricing-models/none')).status).toBe(404);
  });

  it('creates a window, and refuses overlaps (409 naming the stored id) and bad values (400 naming the field)', async () => {
    const base = { modelName: 'gpt-z', provider: 'openai', inputPricePer1k: 0.0025, outputPricePer1k: 0.01, effectiveFrom: '2026-03-01T00:00:00Z' };
    const created = await post('/pricing-models', base);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...base, pricingModelId: 'gpt-z@2026-03-01T00:00:00.000Z', currency: 'USD', effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveTo: null });

    const overlap = await post('/pricing-models', { ...base, effectiveFrom: '2026-06-01T00:00:00Z' });
    expect(overlap.status).toBe(409);
    expect(overlap.type).toContain('application/problem+json');
    expect(overlap.body.detail).toContain('gpt-z@2026-03-01T00:00:00.000Z');

    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, modelName: undefined }, 'modelName'],
      [{ ...base, effectiveFrom: 'next week' }, 'effectiveFrom'],
      [{ ...base, inputPricePer1k: 0.0000001 }, 'inputPricePer1k'],
      [{ ...base, outputPricePer1k: 100 }, 'outputPricePer1k'],
      [{ ...base, currency: 'usd' }, 'currency'],
      [{ ...base, modelName: 'gpt-y', effectiveTo: '2026-02-01T00:00:00Z' }, 'effectiveTo'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/pricing-models', body);
      expect(res.status, field).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('closes an open window once', async () => {
    const id = encodeURIComponent('gpt-z@2026-03-01T00:00:00.000Z');
    const early = await post(`/pricing-models/${id}/close`, { effectiveTo: '2026-02-01T00:00:00Z' });
    expect(early.status).toBe(400);
    expect(early.body.errors[0].field).toBe('effectiveTo');
    expect((await post(`/pricing-models/${id}/close`, {})).body.errors[0].field).toBe('effectiveTo');
    const closed = await post(`/pricing-models/${id}/close`, { effectiveTo: '2026-04-01T00:00:00Z' });
    expect(closed.status).toBe(200);
    expect(closed.body.effectiveTo).toBe('2026-04-01T00:00:00.000Z');
    expect((await post(`/pricing-models/${id}/close`, { effectiveTo: '2026-04-01T00:00:00Z' })).status).toBe(200);
    expect((await post(`/pricing-models/${id}/close`, { effectiveTo: '2026-05-01T00:00:00Z' })).status).toBe(409);
    expect((await post('/pricing-models/none/close', { effectiveTo: '2026-05-01T00:00:00Z' })).status).toBe(404);
  });

  it('re-prices as a dry run by default, and writes only when asked', async () => {
    // mistral-eur gets dearer from 2026-01-05, before j6 ran: 1000·0.002 + 1000·0.002 → 0.004 EUR.
    await post(`/pricing-models/${encodeURIComponent('mistral-eur@2026-01-01T00:00:00.000Z')}/close`, { effectiveTo: '2026-01-05T00:00:00Z' });
    await post('/pricing-models', { modelName: 'mistral-eur', provider: 'mistral', inputPricePer1k: 0.002, outputPricePer1k: 0.002, currency: 'EUR', effectiveFrom: '2026-01-05T00:00:00Z' });

    const dry = await post('/pricing-models/reprice');
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ applied: false, changed: 1, changes: [{ jobId: ids.j6, oldCost: 0.002, newCost: 0.004, nodesChanged: 1 }], skipped: [] });
    expect((await JobTokenUsage.query().findById(ids.j6))?.estimatedCost).toBe(0.002);
    expect((await post('/pricing-models/reprice', { dryRun: true, modelName: 'gpt-a' })).body.changed).toBe(0);
    expect((await post('/pricing-models/reprice', { dryRun: 'no' })).body.errors[0].field).toBe('dryRun');

    const applied = await post('/pricing-models/reprice', { dryRun: false, modelName: 'mistral-eur' });
    expect(applied.body).toMatchObject({ applied: true, changed: 1 });
    expect((await call(`/jobs/${ids.j6}/token-usage`)).body).toMatchObject({ estimatedCost: 0.004, currency: 'EUR' });
    expect((await post('/pricing-models/reprice', { dryRun: false })).body.changed).toBe(0);
  });
});

describe('the OpenAPI document', () => {
  it('lists every MLOps path', async () => {
    const doc = (await call('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/jobs/{jobId}/token-usage',
        '/api/v1/jobs/{jobId}/metrics',
        '/api/v1/job-batches/{batchId}/summary',
        '/api/v1/job-batches/{batchId}/execution-context',
        '/api/v1/job-batches/{batchId}/lineage',
        '/api/v1/pricing-models',
        '/api/v1/pricing-models/{pricingModelId}',
        '/api/v1/pricing-models/{pricingModelId}/close',
        '/api/v1/pricing-models/reprice',
        '/api/v1/run-definitions',
        '/api/v1/run-definitions/compare',
        '/api/v1/run-definitions/{pipelineDefinitionId}',
        '/api/v1/topologies',
        '/api/v1/topologies/{topologyId}',
        '/api/v1/data-artifacts/{artifactId}',
        '/api/v1/mlops-batch/{batchId}/detailed',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/run-definitions/{pipelineDefinitionId}'])).toEqual(['get', 'delete']);
    expect(doc.components.schemas.MlOpsBatchDetailedResponseDto.required).toContain('jobs');
  });
});
