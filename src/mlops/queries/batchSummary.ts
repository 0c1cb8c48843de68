import type { Knex } from 'knex';
import { JOB_STATUSES, type JobStatus } from '../../models/index.js';
import type { ConfusionCounts } from '../outputFiles.js';
import { qualityOf, roundTo, type Quality } from './quality.js';

/**
 * Token, cost and quality totals of one batch. Costs in different currencies are never added:
 * every cost figure is a list with one entry per currency. A node counts towards a currency only
 * when it was priced (a node without a price cost 0 in no currency).
 */

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface CurrencyCost {
  currency: string;
  cost: number;
}

export interface UsageGroup extends TokenCounts {
  /** Node executions summed into this group. */
  nodeRuns: number;
  unpricedNodeRuns: number;
  costs: CurrencyCost[];
}

export interface BatchSummary {
  batchId: number;
  jobs: { total: number; byStatus: Record<JobStatus, number> };
  tokens: TokenCounts & { jobsWithTokenUsage: number };
  cost: {
    /** The one currency of the batch, or null when none or several were used (then see byCurrency). */
    currency: string | null;
    estimatedCost: number | null;
    byCurrency: (CurrencyCost & { jobs: number })[];
  };
  byModel: (UsageGroup & { model: string | null })[];
  byNode: (UsageGroup & { node: string })[];
  quality: {
    jobsWithMetrics: number;
    jobsWithGroundTruth: number;
    /** From the summed confusion matrix of the jobs with ground truth. */
    micro: Quality & { confusionMatrix: ConfusionCounts; jobs: number };
    /** The mean of each job's figure over the jobs with ground truth, NULLs left out; `jobs` says how many were averaged. */
    macro: Quality & { jobs: Record<keyof Quality, number> };
  };
}

// A job written by this service has node_breakdown.nodes; anything else contributes no nodes.
const NODES = `jsonb_array_elements(CASE WHEN jsonb_typeof(u.node_breakdown->'nodes') = 'array' THEN u.node_breakdown->'nodes' ELSE '[]'::jsonb END)`;
// `\\?` is knex's escape for a literal `?` (a jsonpath filter), not a binding.
const PRICED_JOB = `(u.estimated_cost > 0 OR jsonb_path_exists(u.node_breakdown, '$.nodes[*] \\? (@.pricingModelId != null)'))`;

interface NodeGroupRow {
  node: string;
  model: string | null;
  currency: string | null;
  node_runs: number;
  unpriced_node_runs: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost: number;
}

async function nodeGroups(db: Knex, batchId: number): Promise<NodeGroupRow[]> {
  const { rows } = await db.raw<{ rows: NodeGroupRow[] }>(
    `SELECT n->>'node' AS node, n->>'model' AS model,
            CASE WHEN n->>'pricingModelId' IS NOT NULL THEN u.node_breakdown->>'currency' END AS currency,
            count(*) AS node_runs,
            count(*) FILTER (WHERE n->>'unpriced' = 'true') AS unpriced_node_runs,
            coalesce(sum((n->>'inputTokens')::bigint), 0) AS input_tokens,
            coalesce(sum((n->>'outputTokens')::bigint), 0) AS output_tokens,
            coalesce(sum(coalesce((n->>'totalTokens')::bigint,
                                  coalesce((n->>'inputTokens')::bigint, 0) + coalesce((n->>'outputTokens')::bigint, 0))), 0) AS total_tokens,
            coalesce(sum((n->>'cost')::numeric), 0) AS cost
       FROM job j JOIN job_token_usage u ON u.id = j.id CROSS JOIN LATERAL ${NODES} AS n
      WHERE j.job_batch_id = ?
      GROUP BY 1, 2, 3`,
    [batchId],
  );
  return rows;
}

const byKey = (a: string | null, b: string | null) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b));

/** Folds (node, model, currency) rows by one key, in key order (null last); tokens add up, costs only within a currency. */
function foldBy<K extends string | null>(rows: readonly NodeGroupRow[], keyOf: (r: NodeGroupRow) => K): [K, UsageGroup][] {
  const groups = new Map<K, UsageGroup & { byCurrency: Map<string, number> }>();
  for (const r of rows) {
    const key = keyOf(r);
    const g = groups.get(key) ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0, nodeRuns: 0, unpricedNodeRuns: 0, costs: [], byCurrency: new Map() };
    g.inputTokens += r.input_tokens;
    g.outputTokens += r.output_tokens;
    g.totalTokens += r.total_tokens;
    g.nodeRuns += r.node_runs;
    g.unpricedNodeRuns += r.unpriced_node_runs;
    if (r.currency !== null) g.byCurrency.set(r.currency, (g.byCurrency.get(r.currency) ?? 0) + r.cost);
    groups.set(key, g);
  }
  return [...groups].sort(([a], [b]) => byKey(a, b)).map(([key, { byCurrency, ...g }]) => [
    key,
    { ...g, costs: [...byCurrency].sort(([a], [b]) => byKey(a, b)).map(([currency, cost]) => ({ currency, cost: roundTo(cost, 9) })) },
  ]);
}

async function jobCounts(db: Knex, batchId: number): Promise<BatchSummary['jobs']> {
  const rows = await db('job').where({ job_batch_id: batchId }).select('status').count<{ status: JobStatus; count: number }[]>('* as count').groupBy('status');
  const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const r of rows) byStatus[r.status] = Number(r.count);
  return { total: rows.reduce((sum, r) => sum + Number(r.count), 0), byStatus };
}

interface CurrencyRow {
  currency: string | null;
  jobs: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost: number;
}

async function tokenAndCostTotals(db: Knex, batchId: number): Promise<Pick<BatchSummary, 'tokens' | 'cost'>> {
  const { rows } = await db.raw<{ rows: CurrencyRow[] }>(
    `SELECT CASE WHEN ${PRICED_JOB} THEN coalesce(u.node_breakdown->>'currency', 'USD') END AS currency,
            count(*) AS jobs,
            sum(u.total_input_tokens) AS input_tokens, sum(u.total_output_tokens) AS output_tokens,
            sum(u.total_tokens) AS total_tokens, sum(u.estimated_cost) AS cost
       FROM job j JOIN job_token_usage u ON u.id = j.id
      WHERE j.job_batch_id = ?
      GROUP BY 1
      ORDER BY 1 NULLS FIRST`,
    [batchId],
  );
  const sum = (pick: (r: CurrencyRow) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const byCurrency = rows.flatMap((r) => (r.currency !== null ? [{ currency: r.currency, cost: r.cost, jobs: r.jobs }] : []));
  const single = byCurrency.length === 1 ? byCurrency[0] : undefined;
  return {
    tokens: {
      inputTokens: sum((r) => r.input_tokens),
      outputTokens: sum((r) => r.output_tokens),
      totalTokens: sum((r) => r.total_tokens),
      jobsWithTokenUsage: sum((r) => r.jobs),
    },
    cost: { currency: single?.currency ?? null, estimatedCost: single?.cost ?? null, byCurrency },
  };
}

interface QualityRow extends ConfusionCounts {
  jobs_with_metrics: number;
  jobs_with_ground_truth: number;
  cm_jobs: number;
  precision: number | null;
  recall: number | null;
  f1_score: number | null;
  accuracy: number | null;
  precision_n: number;
  recall_n: number;
  f1_score_n: number;
  accuracy_n: number;
}

async function quality(db: Knex, batchId: number): Promise<BatchSummary['quality']> {
  const gt = `m.has_ground_truth AND jsonb_typeof(m.confusion_matrix) = 'object'`;
  const cell = (c: keyof ConfusionCounts) => `coalesce(sum((m.confusion_matrix->>'${c}')::bigint) FILTER (WHERE ${gt}), 0) AS ${c}`;
  // round(avg(numeric), 4) is exact half-up, as the job rows' own rounding.
  const mean = (col: string) =>
    `round(avg(m.${col}) FILTER (WHERE m.has_ground_truth), 4) AS ${col}, count(m.${col}) FILTER (WHERE m.has_ground_truth) AS ${col}_n`;
  const { rows } = await db.raw<{ rows: QualityRow[] }>(
    `SELECT count(*) AS jobs_with_metrics, count(*) FILTER (WHERE m.has_ground_truth) AS jobs_with_ground_truth,
            count(*) FILTER (WHERE ${gt}) AS cm_jobs, ${cell('tp')}, ${cell('fp')}, ${cell('tn')}, ${cell('fn')},
            ${mean('precision')}, ${mean('recall')}, ${mean('f1_score')}, ${mean('accuracy')}
       FROM job j JOIN job_metrics m ON m.id = j.id
      WHERE j.job_batch_id = ?`,
    [batchId],
  );
  const r = rows[0] as QualityRow;
  const confusionMatrix = { tp: r.tp, fp: r.fp, tn: r.tn, fn: r.fn };
  return {
    jobsWithMetrics: r.jobs_with_metrics,
    jobsWithGroundTruth: r.jobs_with_ground_truth,
    micro: { ...qualityOf(confusionMatrix), confusionMatrix, jobs: r.cm_jobs },
    macro: {
      precision: r.precision,
      recall: r.recall,
      f1Score: r.f1_score,
      accuracy: r.accuracy,
      jobs: { precision: r.precision_n, recall: r.recall_n, f1Score: r.f1_score_n, accuracy: r.accuracy_n },
    },
  };
}

export async function batchSummary(db: Knex, batchId: number): Promise<BatchSummary> {
  const [jobs, totals, groups, q] = await Promise.all([jobCounts(db, batchId), tokenAndCostTotals(db, batchId), nodeGroups(db, batchId), quality(db, batchId)]);
  return {
    batchId,
    jobs,
    ...totals,
    byModel: foldBy(groups, (r) => r.model).map(([model, g]) => ({ model, ...g })),
    byNode: foldBy(groups, (r) => r.node).map(([node, g]) => ({ node, ...g })),
    quality: q,
  };
}
