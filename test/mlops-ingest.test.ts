import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataArtifact, JobBatchDataLineage, JobMetrics, JobTokenUsage } from '../src/models/index.js';
import { ingestJobOutputs, type IngestInput } from '../src/mlops/ingest.js';
import { createPricingModel } from '../src/mlops/pricing.js';
import type { NodeBreakdown } from '../src/mlops/tokenUsage.js';
import { useTestDatabase } from './helpers/database.js';
import { insertBatch, insertJob, tokenEntry, writeOutputDir } from './mlops-fixtures.js';

const db = useTestDatabase();
const STARTED = new Date('2026-01-10T08:01:00Z');

const md5sum = (path: string) => execFileSync('md5sum', [path], { encoding: 'utf8' }).split(' ')[0];

const TOKENS = [
  tokenEntry('pre_process', null, null, null, 0.8),
  tokenEntry('filter', 'llama-3.1-8b', 2_000, 150, 10),
  tokenEntry('investigate', 'llama-3.1-8b', 150_001, 20_003, 300.5),
  { tool_name: 'summarize_justifications', model: 'llama-3.1-8b', input_tokens: 900, output_tokens: null, total_tokens: null, duration_seconds: 4 },
  tokenEntry('calculate_metrics', null, null, null, 0.1),
  tokenEntry('write_results', null, null, null, 0.2),
];

async function tableSnapshot() {
  return {
    tokenUsage: await JobTokenUsage.query(db.knex).orderBy('id'),
    metrics: await JobMetrics.query(db.knex).orderBy('id'),
    artifacts: await DataArtifact.query(db.knex).orderBy('artifact_id'),
    lineage: await JobBatchDataLineage.query(db.knex).orderBy('id'),
  };
}

describe('ingestJobOutputs', () => {
  it('writes exact totals, metrics, content-hashed artifacts and batch lineage; a second run changes nothing', async () => {
    await createPricingModel(db.knex, { modelName: 'llama-3.1-8b', provider: 'vllm', inputPricePer1k: 0.0002, outputPricePer1k: 0.0006, effectiveFrom: '2026-01-01T00:00:00Z' });
    const batch = await insertBatch();
    const job = await insertJob({ batchId: batch.id, startedAt: STARTED });
    const outputDir = await writeOutputDir({
      tokenUsage: TOKENS,
      workflowMetrics: { aggregated_metrics: { accuracy: 0.5, precision: 0.5, recall: 0.5, f1_score: 0.5 }, cm: { tp: 1, fp: 1, tn: 1, fn: 1 } },
      excel: { verdicts: ['FALSE POSITIVE', 'TRUE POSITIVE', 'NEEDS REVIEW', 'FALSE POSITIVE'] },
    });
    const input: IngestInput = { jobId: job.id, batchId: batch.id, packageName: 'systemd', startedAt: STARTED, outputDir };

    const first = await ingestJobOutputs(db.knex, input);
    expect(first.problems).toEqual([]);
    // input 2000 + 150001 + 900, output 150 + 20003 (null → 0), total 2150 + 170004 + 900 (null total → its parts)
    expect(first.tokenUsage).toEqual({
      totalInputTokens: 152_901,
      totalOutputTokens: 20_153,
      totalTokens: 173_054,
      // (152901 × 0.0002 + 20153 × 0.0006) / 1000 = 0.042672 → 0.0427
      estimatedCost: 0.0427,
      currency: 'USD',
      unpricedNodes: [],
    });
    const usage = await JobTokenUsage.query(db.knex).findById(job.id).throwIfNotFound();
    expect(usage).toMatchObject({ totalInputTokens: 152_901, totalOutputTokens: 20_153, totalTokens: 173_054, estimatedCost: 0.0427 });
    const breakdown = usage.nodeBreakdown as unknown as NodeBreakdown;
    expect(breakdown.pricedAt).toBe(STARTED.toISOString());
    expect(breakdown.nodes.map((n) => n.node)).toEqual(TOKENS.map((t) => t.tool_name));
    expect(breakdown.nodes[3]).toMatchObject({ inputTokens: 900, outputTokens: null, inputCost: 0.00018, outputCost: 0, cost: 0.00018 });

    expect(first.metrics).toMatchObject({ totalIssues: 4, predictedIssuesCount: 2, predictedNonIssuesCount: 2, accuracy: 0.5 });

    // Artifact hashes are md5sum's.
    expect(first.artifacts.map((a) => a.type)).toEqual(['excel_report', 'token_usage', 'workflow_metrics']);
    for (const a of first.artifacts) {
      const stored = await DataArtifact.query(db.knex).findById(a.artifactId).throwIfNotFound();
      const expected = md5sum(join(outputDir, a.file));
      expect(stored).toMatchObject({ dvcHash: expected, artifactId: `md5-${expected}`, artifactType: a.type, version: `md5:${expected?.slice(0, 8)}`, dvcPath: `jobs/${job.id}/${a.file}` });
      expect(stored.metadata).toMatchObject({ hashAlgorithm: 'md5', hashSource: 'computed', jobId: job.id });
    }

    const lineage = await JobBatchDataLineage.query(db.knex).findById(batch.id).throwIfNotFound();
    expect(lineage).toMatchObject({ lineageId: `lineage-batch-${batch.id}`, transformationType: 'sast_ai_triage' });
    expect(lineage.inputArtifacts).toHaveLength(3);
    expect(lineage.inputArtifacts).toContainEqual({ artifactId: first.artifacts[0]?.artifactId, role: 'output', artifactType: 'excel_report', jobId: job.id });

    const before = await tableSnapshot();
    const second = await ingestJobOutputs(db.knex, input);
    expect(second).toEqual(first);
    expect(await tableSnapshot()).toEqual(before);
  });

  it('keeps every job of a batch when they ingest concurrently', async () => {
    const batch = await insertBatch();
    const jobs = await Promise.all([1, 2, 3].map(() => insertJob({ batchId: batch.id })));
    await Promise.all(
      jobs.map(async (job, i) => {
        const outputDir = await writeOutputDir({ tokenUsage: [tokenEntry('filter', 'm', i, i)], excel: { verdicts: ['TRUE POSITIVE'] } });
        await ingestJobOutputs(db.knex, { jobId: job.id, batchId: batch.id, packageName: 'p', startedAt: STARTED, outputDir });
      }),
    );
    const lineage = await JobBatchDataLineage.query(db.knex).findById(batch.id).throwIfNotFound();
    const entries = lineage.inputArtifacts as { jobId: number; artifactType: string }[];
    // Two outputs per job (no workflow_metrics.json); an entry per job even where the bytes coincide.
    expect(entries).toHaveLength(6);
    expect(new Set(entries.map((e) => e.jobId))).toEqual(new Set(jobs.map((j) => j.id)));
  });

  it('with only token_usage.json: writes token usage, skips job_metrics, lists the missing files', async () => {
    const job = await insertJob();
    const outputDir = await writeOutputDir({ tokenUsage: [tokenEntry('investigate', 'unknown-model', 100, 10)] });
    const result = await ingestJobOutputs(db.knex, { jobId: job.id, packageName: 'p', startedAt: STARTED, outputDir });
    expect(result.problems.map((p) => [p.file, p.problem])).toEqual([
      ['sast_ai_output.xlsx', 'missing'],
      ['workflow_metrics.json', 'missing'],
      ['token_usage.json', 'unpriced'],
    ]);
    expect(result.metrics).toBeNull();
    expect(await JobMetrics.query(db.knex).findById(job.id)).toBeUndefined();
    expect(await JobTokenUsage.query(db.knex).findById(job.id)).toMatchObject({ totalTokens: 110, estimatedCost: 0 });
    expect(result.artifacts.map((a) => a.type)).toEqual(['token_usage']);
  });

  it('with malformed files: writes what the others allow and records what was wrong', async () => {
    const job = await insertJob();
    const outputDir = await writeOutputDir({
      tokenUsage: '[{"tool_name": "filter", "input_tokens": 5',
      workflowMetrics: { aggregated_metrics: {}, cm: { tp: 1 } },
      excel: { verdicts: ['FALSE POSITIVE', 'FALSE POSITIVE'], confusionSheet: [['TP', 2], ['FP', 0], ['TN', 0], ['FN', 0]] },
    });
    const result = await ingestJobOutputs(db.knex, { jobId: job.id, packageName: 'p', startedAt: STARTED, outputDir });
    expect(result.problems.map((p) => [p.file, p.problem])).toEqual([
      ['token_usage.json', 'malformed'],
      ['workflow_metrics.json', 'malformed'],
    ]);
    expect(result.tokenUsage).toBeNull();
    expect(await JobTokenUsage.query(db.knex).findById(job.id)).toBeUndefined();
    const metrics = await JobMetrics.query(db.knex).findById(job.id).throwIfNotFound();
    expect(metrics).toMatchObject({ totalIssues: 2, predictedNonIssuesCount: 2, hasGroundTruth: true, precision: 1, recall: 1 });
    expect(metrics.confusionMatrix).toMatchObject({ source: 'Confusion Matrix sheet' });
    expect((metrics.nodeMetrics as { problems: unknown[] }).problems).toEqual(result.problems);
    // A malformed file is still an output of the run.
    expect(result.artifacts.map((a) => a.type)).toEqual(['excel_report', 'token_usage', 'workflow_metrics']);
  });

  it('with an empty directory: succeeds, writes nothing', async () => {
    const job = await insertJob();
    const result = await ingestJobOutputs(db.knex, { jobId: job.id, packageName: 'p', startedAt: STARTED, outputDir: await writeOutputDir({}) });
    expect(result).toMatchObject({ tokenUsage: null, metrics: null, artifacts: [] });
    expect(result.problems.map((p) => p.problem)).toEqual(['missing', 'missing', 'missing']);
  });
});
