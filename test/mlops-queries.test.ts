import { describe, expect, it } from 'vitest';
import { ingestJobOutputs } from '../src/mlops/ingest.js';
import { batchSummary } from '../src/mlops/queries/batchSummary.js';
import { cellsOf, qualityDelta } from '../src/mlops/queries/quality.js';
import { JobTokenUsage } from '../src/models/index.js';
import { useTestDatabase } from './helpers/database.js';
import { insertBatch, insertJob, writeOutputDir } from './mlops-fixtures.js';

describe('quality helpers', () => {
  it('reads only complete cells, and gives b − a without float noise', () => {
    expect(cellsOf({ tp: 1, fp: 2, tn: 3, fn: 4, positiveClass: 'FALSE POSITIVE' })).toEqual({ tp: 1, fp: 2, tn: 3, fn: 4 });
    expect(cellsOf({ tp: 1, fp: 2, tn: 3 })).toBeNull();
    expect(cellsOf(null)).toBeNull();
    expect(qualityDelta({ precision: 0.1, recall: null, f1Score: 0.7, accuracy: 0.3 }, { precision: 0.3, recall: 1, f1Score: 0.6, accuracy: 0.3 })).toEqual({
      precision: 0.2,
      recall: null,
      f1Score: -0.1,
      accuracy: 0,
    });
  });
});

describe('batchSummary', () => {
  const db = useTestDatabase();

  async function jobWithGroundTruth(batchId: number, cm: { tp: number; fp: number; tn: number; fn: number }) {
    const job = await insertJob({ batchId });
    const outputDir = await writeOutputDir({ excel: { verdicts: ['FALSE POSITIVE'] }, workflowMetrics: { cm } });
    await ingestJobOutputs(db.knex, { jobId: job.id, batchId, packageName: 'systemd', startedAt: new Date('2026-01-10T08:01:00Z'), outputDir });
    return job;
  }

  it('is all zeros and NULLs for a batch without jobs', async () => {
    const batch = await insertBatch();
    const s = await batchSummary(db.knex, batch.id);
    expect(s.jobs.total).toBe(0);
    expect(s.tokens).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0, jobsWithTokenUsage: 0 });
    expect(s.cost).toEqual({ currency: null, estimatedCost: null, byCurrency: [] });
    expect(s.byModel).toEqual([]);
    expect(s.quality.micro).toEqual({ precision: null, recall: null, f1Score: null, accuracy: null, confusionMatrix: { tp: 0, fp: 0, tn: 0, fn: 0 }, jobs: 0 });
    expect(s.quality.macro).toEqual({ precision: null, recall: null, f1Score: null, accuracy: null, jobs: { precision: 0, recall: 0, f1Score: 0, accuracy: 0 } });
  });

  it('averages each macro figure over the jobs where it is defined', async () => {
    const batch = await insertBatch();
    await jobWithGroundTruth(batch.id, { tp: 0, fp: 0, tn: 4, fn: 0 }); // precision, recall, F1 undefined; accuracy 1
    await jobWithGroundTruth(batch.id, { tp: 1, fp: 1, tn: 0, fn: 0 }); // P .5 R 1 F1 .6667 A .5
    const { quality } = await batchSummary(db.knex, batch.id);
    expect(quality.macro).toEqual({ precision: 0.5, recall: 1, f1Score: 0.6667, accuracy: 0.75, jobs: { precision: 1, recall: 1, f1Score: 1, accuracy: 2 } });
    expect(quality.micro).toMatchObject({ precision: 0.5, recall: 1, f1Score: 0.6667, accuracy: 0.8333, jobs: 2 });
  });

  it('counts the cost of a breakdown without nodes, but no nodes from it', async () => {
    const batch = await insertBatch();
    const job = await insertJob({ batchId: batch.id });
    await JobTokenUsage.query().insert({
      id: job.id,
      totalInputTokens: 10,
      totalOutputTokens: 5,
      totalTokens: 15,
      nodeBreakdown: { legacy: true },
      estimatedCost: 1.5,
      createdAt: new Date(),
    });
    const s = await batchSummary(db.knex, batch.id);
    expect(s.tokens).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15, jobsWithTokenUsage: 1 });
    expect(s.cost).toEqual({ currency: 'USD', estimatedCost: 1.5, byCurrency: [{ currency: 'USD', cost: 1.5, jobs: 1 }] });
    expect(s.byNode).toEqual([]);
  });
});
