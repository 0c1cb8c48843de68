import { describe, expect, it } from 'vitest';
import { JobMetrics } from '../src/models/index.js';
import { ingestJobOutputs } from '../src/mlops/ingest.js';
import { disagreements, roundedMetrics } from '../src/mlops/metrics.js';
import { useTestDatabase } from './helpers/database.js';
import { insertJob, tokenEntry, writeOutputDir } from './mlops-fixtures.js';

describe('quality metrics from counts', () => {
  it('rounds half up to 4 places', () => {
    expect(roundedMetrics({ tp: 5, fp: 1, tn: 3, fn: 2 })).toEqual({ precision: 0.8333, recall: 0.7143, f1_score: 0.7692, accuracy: 0.7273 });
    // 1/800 = 0.00125 exactly halfway between 0.0012 and 0.0013.
    expect(roundedMetrics({ tp: 1, fp: 799, tn: 0, fn: 0 }).precision).toBe(0.0013);
  });

  it('gives NULL for a zero denominator, and 0 for a defined zero', () => {
    expect(roundedMetrics({ tp: 0, fp: 0, tn: 4, fn: 0 })).toEqual({ precision: null, recall: null, f1_score: null, accuracy: 1 });
    expect(roundedMetrics({ tp: 0, fp: 0, tn: 0, fn: 0 })).toEqual({ precision: null, recall: null, f1_score: null, accuracy: null });
    expect(roundedMetrics({ tp: 0, fp: 2, tn: 1, fn: 3 })).toEqual({ precision: 0, recall: 0, f1_score: 0, accuracy: 0.1667 });
  });

  it('does not count the pipeline rounding, or its 0 for our NULL, as a disagreement', () => {
    const cm = { tp: 5, fp: 1, tn: 3, fn: 2 };
    expect(disagreements(cm, { precision: 0.833333333, recall: 0.71428, f1_score: 0.7692307, accuracy: 0.7273 })).toEqual([]);
    expect(disagreements({ tp: 0, fp: 0, tn: 4, fn: 0 }, { precision: 0, recall: 0, f1_score: 0, accuracy: 1 })).toEqual([]);
    expect(disagreements(cm, { precision: 0.9, recall: 0.7142 })).toEqual([
      { metric: 'precision', ours: 0.8333, pipeline: 0.9 },
      { metric: 'recall', ours: 0.7143, pipeline: 0.7142 },
    ]);
  });
});

describe('job_metrics rows', () => {
  const db = useTestDatabase();
  const verdicts = ['TRUE POSITIVE', 'FALSE POSITIVE', 'FALSE POSITIVE', 'NEEDS REVIEW', 'FALSE POSITIVE', 'TRUE POSITIVE'];

  async function ingest(spec: Parameters<typeof writeOutputDir>[0]) {
    const job = await insertJob({ packageName: 'openssl' });
    const outputDir = await writeOutputDir(spec);
    const result = await ingestJobOutputs(db.knex, { jobId: job.id, packageName: 'openssl', startedAt: new Date('2026-01-10T08:01:00Z'), outputDir });
    return { result, row: await JobMetrics.query(db.knex).findById(job.id).throwIfNotFound() };
  }

  it('stores counts, recomputed 4-place metrics, and the pipeline disagreement', async () => {
    const { row, result } = await ingest({
      excel: { verdicts },
      tokenUsage: [tokenEntry('investigate', 'gpt-x', 10, 5, 12.25)],
      workflowMetrics: { aggregated_metrics: { accuracy: 0.7273, precision: 0.75, recall: 0.71428571, f1_score: 0.76923 }, cm: { tp: 5, fp: 1, tn: 3, fn: 2 } },
    });
    expect(row).toMatchObject({
      packageName: 'openssl',
      totalIssues: 6,
      predictedIssuesCount: 3,
      predictedNonIssuesCount: 3,
      hasGroundTruth: true,
      actualNonIssuesCount: 7,
      actualIssuesCount: 4,
      precision: 0.8333,
      recall: 0.7143,
      f1Score: 0.7692,
      accuracy: 0.7273,
    });
    expect(row.confusionMatrix).toEqual({
      tp: 5,
      fp: 1,
      tn: 3,
      fn: 2,
      positiveClass: 'FALSE POSITIVE',
      zeroDivision: 'null',
      source: 'workflow_metrics.json',
      pipelineReported: { accuracy: 0.7273, precision: 0.75, recall: 0.71428571, f1_score: 0.76923 },
      disagreements: [{ metric: 'precision', ours: 0.8333, pipeline: 0.75 }],
    });
    expect(row.nodeMetrics).toEqual({
      nodes: { investigate: { durationSeconds: 12.25, inputTokens: 10, outputTokens: 5, totalTokens: 15, model: 'gpt-x' } },
      problems: [expect.objectContaining({ file: 'token_usage.json', problem: 'unpriced' })],
    });
    expect(result.metrics).toMatchObject({ precision: 0.8333, hasGroundTruth: true });
  });

  it('stores NULL where a denominator is zero', async () => {
    const { row } = await ingest({ excel: { verdicts: ['TRUE POSITIVE'] }, tokenUsage: [], workflowMetrics: { cm: { tp: 0, fp: 0, tn: 4, fn: 0 } } });
    expect(row).toMatchObject({ hasGroundTruth: true, precision: null, recall: null, f1Score: null, accuracy: 1, actualNonIssuesCount: 0, actualIssuesCount: 4 });
    expect(row.confusionMatrix).not.toHaveProperty('disagreements');
  });

  it('without ground truth: counts only, NULL metrics and matrix', async () => {
    const { row, result } = await ingest({ excel: { verdicts }, tokenUsage: [] });
    expect(row).toMatchObject({
      totalIssues: 6,
      hasGroundTruth: false,
      actualIssuesCount: null,
      actualNonIssuesCount: null,
      precision: null,
      recall: null,
      f1Score: null,
      accuracy: null,
      confusionMatrix: null,
    });
    expect(result.problems).toEqual([expect.objectContaining({ file: 'workflow_metrics.json', problem: 'missing' })]);
  });

  it('falls back to the Confusion Matrix sheet', async () => {
    const { row } = await ingest({
      excel: { verdicts, confusionSheet: [['True Positive (TP)', 2], ['False Positive (FP)', 1], ['True Negative (TN)', 3], ['False Negative (FN)', 0]] },
    });
    expect(row).toMatchObject({ hasGroundTruth: true, precision: 0.6667, recall: 1, f1Score: 0.8, accuracy: 0.8333 });
    expect(row.confusionMatrix).toMatchObject({ tp: 2, fp: 1, tn: 3, fn: 0, source: 'Confusion Matrix sheet' });
    expect(row.confusionMatrix).not.toHaveProperty('pipelineReported');
  });
});
