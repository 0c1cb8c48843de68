import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src/config.js';
import { DataArtifact, JobBatchExecutionContext, WorkflowGraphTopology } from '../src/models/index.js';
import { recordArtifact } from '../src/mlops/artifacts.js';
import { MlopsConflictError } from '../src/mlops/errors.js';
import { configVersion, recordExecutionContext, workerHardwareSpec } from '../src/mlops/executionContext.js';
import { linkBatchArtifacts } from '../src/mlops/lineage.js';
import { DEFAULT_WORKFLOW_EDGES, ensureDefaultRunDefinition, registerRunDefinition } from '../src/mlops/runDefinitions.js';
import { registerTopology } from '../src/mlops/topology.js';
import { useTestDatabase } from './helpers/database.js';
import { insertBatch, writeOutputDir } from './mlops-fixtures.js';

const db = useTestDatabase();

describe('artifacts', () => {
  it('hashes a file as md5sum does (CRLF bytes untouched) and records the same bytes once', async () => {
    const dir = await writeOutputDir({});
    const path = join(dir, 'input.csv');
    writeFileSync(path, 'nvr,url\r\nsystemd-257-9.el10,https://example.test/a\r\n');
    const expected = execFileSync('md5sum', [path], { encoding: 'utf8' }).split(' ')[0];

    const fromFile = await recordArtifact(db.knex, { type: 'batch_input', name: 'input.csv', filePath: path, dvcPath: 'batches/1/input.csv', url: 'https://sheets.test/1' });
    expect(fromFile).toEqual({ artifactId: `md5-${expected}`, dvcHash: expected, created: true });
    const again = await recordArtifact(db.knex, { type: 'batch_input', name: 'other-name.csv', content: readFileSync(path) });
    expect(again).toEqual({ ...fromFile, created: false });

    const stored = await DataArtifact.query(db.knex).where('dvc_hash', expected as string);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: 'input.csv', dvcPath: 'batches/1/input.csv', version: `md5:${expected?.slice(0, 8)}` });
    expect(stored[0]?.metadata).toMatchObject({ url: 'https://sheets.test/1', size: 52, hashSource: 'computed' });
  });

  it('records a pipeline-reported hash, and names a bad field', async () => {
    const reported = 'D41D8CD98F00B204E9800998ECF8427E';
    const result = await recordArtifact(db.knex, { type: 'sast_report', name: 'big.sarif', reportedHash: reported, url: 'https://osh.test/big.sarif', size: 10_000_000 });
    expect(result.artifactId).toBe('md5-d41d8cd98f00b204e9800998ecf8427e');
    const row = await DataArtifact.query(db.knex).findById(result.artifactId).throwIfNotFound();
    expect(row).toMatchObject({ dvcPath: 'https://osh.test/big.sarif' });
    expect(row.metadata).toMatchObject({ hashSource: 'pipeline-reported', size: 10_000_000 });

    await expect(recordArtifact(db.knex, { type: 'sast_report', name: 'x', reportedHash: 'abc' })).rejects.toMatchObject({ field: 'reportedHash' });
    await expect(recordArtifact(db.knex, { type: 'nonsense' as 'sast_report', name: 'x', content: 'a' })).rejects.toMatchObject({ field: 'type' });
    await expect(recordArtifact(db.knex, { type: 'sast_report', name: 'x', content: 'a', reportedHash: reported })).rejects.toMatchObject({ field: 'content' });
  });
});

describe('lineage', () => {
  it('merges entries without duplicates and keeps the first transformation type', async () => {
    const batch = await insertBatch();
    const input = { artifactId: 'md5-aaa', role: 'input' as const, artifactType: 'batch_input' as const };
    const output = { artifactId: 'md5-bbb', role: 'output' as const, artifactType: 'excel_report' as const, jobId: 7 };
    await linkBatchArtifacts(db.knex, batch.id, [input]);
    await linkBatchArtifacts(db.knex, batch.id, [output, input], 'other');
    const row = await linkBatchArtifacts(db.knex, batch.id, [output]);
    expect(row).toMatchObject({ id: batch.id, lineageId: `lineage-batch-${batch.id}`, transformationType: 'sast_ai_triage' });
    expect(row.inputArtifacts).toEqual([input, output]);
    await expect(linkBatchArtifacts(db.knex, batch.id, [{ ...input, role: 'side' as 'input' }])).rejects.toMatchObject({ field: 'entries.0.role' });
  });
});

describe('execution context', () => {
  it('versions a configuration by content, not key order', () => {
    const a = configVersion({ runner: 'command', nested: { b: 1, a: [1, 2] }, secretName: undefined }, '0.1.0');
    const b = configVersion({ nested: { a: [1, 2], b: 1 }, runner: 'command' }, '0.1.0');
    expect(a).toBe(b);
    expect(a).toMatch(/^0\.1\.0-[0-9a-f]{16}$/);
    expect(configVersion({ runner: 'simulated', nested: { b: 1, a: [1, 2] } }, '0.1.0')).not.toBe(a);
    expect(configVersion({}, 'x'.repeat(80)).length).toBeLessThanOrEqual(50);
  });

  it('describes the worker and writes the batch context once', async () => {
    const spec = workerHardwareSpec({ pipelineResources: { cpu: '2' } });
    const temporal = createRequire(import.meta.url)('@temporalio/worker/package.json') as { version: string };
    expect(spec).toMatchObject({ temporalSdkVersion: temporal.version, nodeVersion: process.version, arch: process.arch, pipelineResources: { cpu: '2' } });
    expect(spec.cpus).toBeGreaterThan(0);
    expect(spec.memoryBytes).toBeGreaterThan(0);

    const batch = await insertBatch();
    const first = await recordExecutionContext(db.knex, batch.id, { environment: 'test', configVersion: configVersion({}, APP_VERSION), hwSpec: spec });
    const retry = await recordExecutionContext(db.knex, batch.id, { environment: 'elsewhere', configVersion: 'other', hwSpec: {} });
    expect(retry).toEqual(first);
    expect(await JobBatchExecutionContext.query(db.knex).where('id', batch.id)).toHaveLength(1);
    expect(first.hwSpec).toMatchObject({ hostname: spec.hostname });
    await expect(recordExecutionContext(db.knex, batch.id, { environment: '', configVersion: 'v', hwSpec: {} })).rejects.toMatchObject({ field: 'environment' });
  });
});

describe('topologies and run definitions', () => {
  it('validates edges', async () => {
    await expect(registerTopology(db.knex, { edges: [] })).rejects.toMatchObject({ field: 'edges' });
    await expect(registerTopology(db.knex, { edges: [{ from: 'a', to: ' ' }] })).rejects.toMatchObject({ field: 'edges.0.to' });
    await expect(registerTopology(db.knex, { edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }] })).rejects.toMatchObject({ field: 'edges' });
    await expect(registerTopology(db.knex, { edges: [{ from: 'a', to: 'a' }] })).rejects.toThrow(/cycle/);
  });

  it('reuses an identical edge list, numbers new ones, and refuses other content under a given id', async () => {
    const first = await registerTopology(db.knex, { description: 'x', edges: [{ from: 'p', to: 'q' }, { from: 'p', to: 'q' }] });
    expect(first.created).toBe(true);
    expect(first.topology.edges).toEqual([{ from: 'p', to: 'q' }]);
    const same = await registerTopology(db.knex, { description: 'y', edges: [{ from: 'p', to: 'q' }] });
    expect(same).toEqual({ topology: first.topology, created: false });
    const next = await registerTopology(db.knex, { edges: [{ from: 'q', to: 'r' }] });
    expect(next.topology.topologyId).toBe(first.topology.topologyId + 1);

    await registerTopology(db.knex, { topologyId: 500, description: 'fixed', edges: [{ from: 'm', to: 'n' }] });
    expect((await registerTopology(db.knex, { topologyId: 500, description: 'fixed', edges: [{ from: 'm', to: 'n' }] })).created).toBe(false);
    await expect(registerTopology(db.knex, { topologyId: 500, edges: [{ from: 'm', to: 'o' }] })).rejects.toBeInstanceOf(MlopsConflictError);
  });

  it('registers the default definition once, with the sast-ai-workflow graph', async () => {
    const [a, b] = await Promise.all([ensureDefaultRunDefinition(db.knex), ensureDefaultRunDefinition(db.knex)]);
    expect(b).toEqual(a);
    expect(a).toMatchObject({ pipelineDefinitionId: 'sast-ai-workflow-default', name: 'sast-ai-workflow' });
    expect(a.gitHash.length).toBeLessThanOrEqual(40);
    const topology = await WorkflowGraphTopology.query(db.knex).findById(a.workflowGraphTopologyId as number).throwIfNotFound();
    expect(topology.edges).toEqual(DEFAULT_WORKFLOW_EDGES);
    expect(DEFAULT_WORKFLOW_EDGES.map((e) => e.from)).toEqual(['pre_process', 'filter', 'investigate', 'summarize_justifications', 'calculate_metrics']);
  });

  it('is idempotent for identical content and a conflict for other content', async () => {
    const input = { pipelineDefinitionId: 'exp-1', name: 'exp', version: '2', gitHash: 'a'.repeat(40), metadata: { prompt: 'v3', k: [1, 2] }, edges: [{ from: 'a', to: 'b' }] };
    const first = await registerRunDefinition(db.knex, input);
    expect(first.created).toBe(true);
    const again = await registerRunDefinition(db.knex, { ...input, metadata: { k: [1, 2], prompt: 'v3' } });
    expect(again).toEqual({ definition: first.definition, created: false });
    await expect(registerRunDefinition(db.knex, { ...input, version: '3' })).rejects.toThrow(/exp-1 already exists with another version/);
    await expect(registerRunDefinition(db.knex, { ...input, gitHash: 'b'.repeat(41) })).rejects.toMatchObject({ field: 'gitHash' });
    await expect(
      registerRunDefinition(db.knex, { ...input, pipelineDefinitionId: 'exp-2', workflowGraphTopologyId: 999_999, edges: undefined }),
    ).rejects.toMatchObject({ field: 'workflowGraphTopologyId' });
  });
});
