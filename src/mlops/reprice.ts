import type { Knex } from 'knex';
import { JobTokenUsage, type PricingModel } from '../models/index.js';
import { canonicalJson } from './canonicalJson.js';
import { loadPrices } from './pricing.js';
import { priceNode, pricesById, summariseCost, usageOf, type NodeBreakdown, type PricedNode } from './tokenUsage.js';

/**
 * Re-pricing as an explicit, auditable operation (peers §8.5): every stored job is costed again from
 * its stored tokens at its stored pricedAt against the current price table. The dry run and the
 * apply run share one code path, so what the dry run lists is exactly what apply writes.
 */

export interface RepriceChange {
  jobId: number;
  oldCost: number;
  newCost: number;
  nodesChanged: number;
}

export interface RepriceResult {
  applied: boolean;
  changed: number;
  changes: RepriceChange[];
  /** Rows whose stored breakdown cannot be re-priced (not written by this service's shape). */
  skipped: { jobId: number; reason: string }[];
}

export interface RepriceOptions {
  apply: boolean;
  /** Re-price only the nodes of this model (and so only the jobs that used it). */
  modelName?: string;
}

const pricingOf = (n: PricedNode) => canonicalJson([n.pricingModelId, n.inputCost, n.outputCost, n.cost, n.unpriced]);

function storedBreakdown(value: unknown): NodeBreakdown | string {
  const b = value as Partial<NodeBreakdown> | null;
  if (!b || !Array.isArray(b.nodes)) return 'node_breakdown has no nodes array';
  if (typeof b.pricedAt !== 'string' || Number.isNaN(Date.parse(b.pricedAt))) return 'node_breakdown has no valid pricedAt';
  return { nodes: b.nodes, pricedAt: b.pricedAt, currency: b.currency ?? '', problems: Array.isArray(b.problems) ? b.problems : [] };
}

/** The re-priced breakdown of one job, or null when the model filter leaves nothing to re-price. */
export function repriceBreakdown(stored: NodeBreakdown, prices: readonly PricingModel[], modelName?: string) {
  const selected = (n: PricedNode) => modelName === undefined || n.model === modelName;
  if (!stored.nodes.some(selected)) return null;
  const pricedAt = new Date(stored.pricedAt);
  const summary = summariseCost(
    stored.nodes.map((n) => (selected(n) ? priceNode(usageOf(n), prices, pricedAt) : n)),
    pricesById(prices),
    pricedAt,
  );
  const breakdown: NodeBreakdown = {
    nodes: summary.nodes,
    currency: summary.currency,
    pricedAt: stored.pricedAt,
    problems: [...stored.problems.filter((p) => p.problem !== 'unpriced'), ...summary.problems],
  };
  const nodesChanged = summary.nodes.filter((n, i) => pricingOf(n) !== pricingOf(stored.nodes[i] as PricedNode)).length;
  return { breakdown, estimatedCost: summary.estimatedCost, nodesChanged };
}

async function reprice(db: Knex, options: RepriceOptions): Promise<RepriceResult> {
  const prices = await loadPrices(db);
  const rows = await JobTokenUsage.query(db)
    .orderBy('id')
    .modify((q) => {
      if (options.apply) q.forUpdate();
    });
  const result: RepriceResult = { applied: options.apply, changed: 0, changes: [], skipped: [] };
  for (const row of rows) {
    const stored = storedBreakdown(row.nodeBreakdown);
    if (typeof stored === 'string') {
      result.skipped.push({ jobId: row.id, reason: stored });
      continue;
    }
    const next = repriceBreakdown(stored, prices, options.modelName);
    if (!next || (next.nodesChanged === 0 && next.estimatedCost === row.estimatedCost)) continue;
    result.changes.push({ jobId: row.id, oldCost: row.estimatedCost, newCost: next.estimatedCost, nodesChanged: next.nodesChanged });
    if (options.apply) {
      await JobTokenUsage.query(db)
        .findById(row.id)
        .patch({ nodeBreakdown: next.breakdown as unknown as Record<string, unknown>, estimatedCost: next.estimatedCost });
    }
  }
  result.changed = result.changes.length;
  return result;
}

export async function repriceJobs(db: Knex, options: RepriceOptions): Promise<RepriceResult> {
  return options.apply ? db.transaction((trx) => reprice(trx, options)) : reprice(db, options);
}
