import { describe, expect, it } from 'vitest';
import { JobTokenUsage } from '../src/models/index.js';
import { MlopsInputError, PricingConflictError } from '../src/mlops/errors.js';
import { ingestJobOutputs } from '../src/mlops/ingest.js';
import { closePricingModel, createPricingModel, listPricingModels } from '../src/mlops/pricing.js';
import { repriceJobs } from '../src/mlops/reprice.js';
import type { NodeBreakdown } from '../src/mlops/tokenUsage.js';
import { useTestDatabase } from './helpers/database.js';
import { insertJob, tokenEntry, writeOutputDir } from './mlops-fixtures.js';

const db = useTestDatabase();

const CHANGE = new Date('2026-03-01T00:00:00Z');
const base = { provider: 'openai', currency: 'USD' };

async function ingestAt(startedAt: Date, entries: unknown[]) {
  const job = await insertJob({ startedAt });
  const outputDir = await writeOutputDir({ tokenUsage: entries });
  const result = await ingestJobOutputs(db.knex, { jobId: job.id, packageName: 'systemd', startedAt, outputDir });
  const row = await JobTokenUsage.query(db.knex).findById(job.id).throwIfNotFound();
  return { job, result, row, breakdown: row.nodeBreakdown as unknown as NodeBreakdown };
}

describe('pricing windows', () => {
  it('refuses an overlapping window naming the stored one, accepts an adjacent one, and is retry-safe', async () => {
    const first = await createPricingModel(db.knex, {
      ...base,
      modelName: 'win-model',
      inputPricePer1k: 0.001,
      outputPricePer1k: 0.002,
      effectiveFrom: '2026-01-01T00:00:00Z',
      effectiveTo: CHANGE,
    });
    expect(first.pricingModelId).toBe('win-model@2026-01-01T00:00:00.000Z');

    const overlap = createPricingModel(db.knex, {
      ...base,
      modelName: 'win-model',
      inputPricePer1k: 0.5,
      outputPricePer1k: 0.5,
      effectiveFrom: '2026-02-15T00:00:00Z',
    });
    await expect(overlap).rejects.toBeInstanceOf(PricingConflictError);
    await expect(overlap).rejects.toMatchObject({ pricingModelId: first.pricingModelId });

    const adjacent = await createPricingModel(db.knex, {
      ...base,
      modelName: 'win-model',
      inputPricePer1k: 0.003,
      outputPricePer1k: 0.004,
      effectiveFrom: CHANGE,
    });
    // A retried create of the identical row is a no-op; a window before all others does not overlap.
    await createPricingModel(db.knex, { ...base, modelName: 'win-model', inputPricePer1k: 0.003, outputPricePer1k: 0.004, effectiveFrom: CHANGE });
    await createPricingModel(db.knex, {
      ...base,
      modelName: 'win-model',
      inputPricePer1k: 0.0005,
      outputPricePer1k: 0.0005,
      effectiveFrom: '2025-01-01T00:00:00Z',
      effectiveTo: '2026-01-01T00:00:00Z',
    });
    // Another model has its own windows.
    await createPricingModel(db.knex, { ...base, modelName: 'other-model', inputPricePer1k: 1, outputPricePer1k: 1, effectiveFrom: '2026-02-15T00:00:00Z' });

    const windows = await listPricingModels(db.knex, { modelName: 'win-model' });
    expect(windows.map((w) => [w.effectiveFrom.toISOString(), w.effectiveTo?.toISOString() ?? null])).toEqual([
      ['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03-01T00:00:00.000Z', null],
    ]);
    expect((await listPricingModels(db.knex, { modelName: 'win-model', at: CHANGE })).map((w) => w.pricingModelId)).toEqual([adjacent.pricingModelId]);
  });

  it('concurrent creates of overlapping windows: exactly one wins', async () => {
    const attempts = await Promise.allSettled(
      [0.1, 0.2, 0.3, 0.4].map((p) =>
        createPricingModel(db.knex, { ...base, modelName: 'race-model', inputPricePer1k: p, outputPricePer1k: p, effectiveFrom: `2026-01-0${Math.round(p * 10)}T00:00:00Z` }),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const a of attempts.filter((x) => x.status === 'rejected')) expect((a as PromiseRejectedResult).reason).toBeInstanceOf(PricingConflictError);
  });

  it.each([
    [{ inputPricePer1k: -1 }, 'inputPricePer1k'],
    [{ outputPricePer1k: 100 }, 'outputPricePer1k'],
    [{ inputPricePer1k: 0.0000001 }, 'inputPricePer1k'],
    [{ currency: 'usd' }, 'currency'],
    [{ effectiveTo: '2026-01-01T00:00:00Z' }, 'effectiveTo'],
    [{ effectiveFrom: 'yesterday' }, 'effectiveFrom'],
  ])('rejects %o naming %s', async (bad, field) => {
    const input = { ...base, modelName: 'bad', inputPricePer1k: 0.1, outputPricePer1k: 0.1, effectiveFrom: '2026-01-01T00:00:00Z', ...bad };
    await expect(createPricingModel(db.knex, input)).rejects.toMatchObject({ name: 'MlopsInputError', field });
  });

  it('closes an open window once; a same-time retry is a no-op, another time a conflict', async () => {
    const open = await createPricingModel(db.knex, { ...base, modelName: 'close-model', inputPricePer1k: 0.1, outputPricePer1k: 0.1, effectiveFrom: '2026-01-01T00:00:00Z' });
    await expect(closePricingModel(db.knex, open.pricingModelId, '2025-12-01T00:00:00Z')).rejects.toBeInstanceOf(MlopsInputError);
    const closed = await closePricingModel(db.knex, open.pricingModelId, '2026-02-01T00:00:00Z');
    expect(closed.effectiveTo?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect((await closePricingModel(db.knex, open.pricingModelId, new Date('2026-02-01T00:00:00Z'))).effectiveTo).toEqual(closed.effectiveTo);
    await expect(closePricingModel(db.knex, open.pricingModelId, '2026-03-01T00:00:00Z')).rejects.toBeInstanceOf(PricingConflictError);
    await expect(closePricingModel(db.knex, 'no-such-id', '2026-03-01T00:00:00Z')).rejects.toMatchObject({ name: 'MlopsNotFoundError' });
  });
});

describe('costing and re-pricing', () => {
  it('costs each job at the price in effect at its start, flags unpriced models, and reprices consistently', async () => {
    await createPricingModel(db.knex, { ...base, modelName: 'gpt-cost', inputPricePer1k: 0.0025, outputPricePer1k: 0.01, effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: CHANGE });
    await createPricingModel(db.knex, { ...base, modelName: 'gpt-cost', inputPricePer1k: 0.005, outputPricePer1k: 0.015, effectiveFrom: CHANGE });
    const entries = [
      tokenEntry('pre_process', null, null, null),
      tokenEntry('filter', 'gpt-cost', 1000, 200),
      tokenEntry('investigate', 'gpt-cost', 123_457, 9_876),
      tokenEntry('summarize_justifications', 'mystery-model', 500, 50),
    ];

    const before = await ingestAt(new Date('2026-02-28T23:59:59Z'), entries);
    const after = await ingestAt(CHANGE, entries);

    // before: (124457 × 0.0025 + 10076 × 0.01) / 1000 = 0.4119025 → 0.4119
    expect(before.row.estimatedCost).toBe(0.4119);
    expect(before.breakdown.nodes.find((n) => n.node === 'investigate')).toMatchObject({
      pricingModelId: 'gpt-cost@2026-01-01T00:00:00.000Z',
      inputCost: 0.3086425,
      outputCost: 0.09876,
      cost: 0.4074025,
      unpriced: false,
    });
    // after: (124457 × 0.005 + 10076 × 0.015) / 1000 = 0.773425 → 0.7734
    expect(after.row.estimatedCost).toBe(0.7734);
    expect(after.breakdown.nodes.find((n) => n.node === 'filter')?.pricingModelId).toBe('gpt-cost@2026-03-01T00:00:00.000Z');
    expect(after.breakdown.pricedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(after.breakdown.currency).toBe('USD');

    for (const { breakdown, result } of [before, after]) {
      expect(breakdown.nodes.find((n) => n.node === 'summarize_justifications')).toMatchObject({ cost: 0, unpriced: true, pricingModelId: null });
      expect(breakdown.nodes.find((n) => n.node === 'pre_process')).toMatchObject({ cost: 0, unpriced: false });
      expect(result.tokenUsage?.unpricedNodes).toEqual(['summarize_justifications']);
      expect(result.problems).toContainEqual(expect.objectContaining({ problem: 'unpriced', detail: expect.stringContaining('mystery-model') }));
    }

    // Pricing the unknown model from the start of the year changes both jobs; the dry run writes nothing.
    await createPricingModel(db.knex, { ...base, modelName: 'mystery-model', inputPricePer1k: 0.1, outputPricePer1k: 0.2, effectiveFrom: '2026-01-01T00:00:00Z' });
    const rowsBefore = await JobTokenUsage.query(db.knex).orderBy('id');
    const dry = await repriceJobs(db.knex, { apply: false, modelName: 'mystery-model' });
    expect(await JobTokenUsage.query(db.knex).orderBy('id')).toEqual(rowsBefore);
    expect(dry.changes).toEqual([
      { jobId: before.job.id, oldCost: 0.4119, newCost: 0.4719, nodesChanged: 1 },
      { jobId: after.job.id, oldCost: 0.7734, newCost: 0.8334, nodesChanged: 1 },
    ]);

    const applied = await repriceJobs(db.knex, { apply: true, modelName: 'mystery-model' });
    expect(applied.changes).toEqual(dry.changes);
    expect(applied.changed).toBe(2);
    const rows = await JobTokenUsage.query(db.knex).whereIn('id', [before.job.id, after.job.id]).orderBy('id');
    expect(rows.map((r) => r.estimatedCost)).toEqual(dry.changes.map((c) => c.newCost));
    for (const r of rows) {
      const b = r.nodeBreakdown as unknown as NodeBreakdown;
      expect(b.nodes.every((n) => !n.unpriced)).toBe(true);
      expect(b.problems.filter((p) => p.problem === 'unpriced')).toEqual([]);
    }
    // Nothing is left to change.
    expect((await repriceJobs(db.knex, { apply: false })).changed).toBe(0);
  });
});
