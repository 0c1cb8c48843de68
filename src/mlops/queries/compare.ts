import type { Knex } from 'knex';
import type { ConfusionCounts } from '../outputFiles.js';
import { addCells, cellsOf, qualityDelta, qualityOf, roundTo, ZERO_CELLS, type Quality } from './quality.js';

/**
 * The same packages under two run definitions, side by side. Per definition and package the run
 * compared is the latest COMPLETED job that has job_metrics, in any batch under the definition.
 */

export interface PackageRun extends Quality {
  jobId: number;
  batchId: number;
  completedAt: string | null;
  confusionMatrix: ConfusionCounts | null;
  totalTokens: number | null;
  estimatedCost: number | null;
  currency: string | null;
}

export interface RunDelta extends Quality {
  totalTokens: number | null;
  /** Null when either side has no cost or the two are in different currencies. */
  estimatedCost: number | null;
}

export interface SideAggregate {
  micro: Quality & { confusionMatrix: ConfusionCounts; jobs: number };
  meanTotalTokens: number | null;
  meanEstimatedCost: number | null;
  /** The currency of meanEstimatedCost; null with it when the side's costs are in several currencies. */
  currency: string | null;
  packagesWithTokenUsage: number;
}

export interface DefinitionComparison {
  a: string;
  b: string;
  packages: { packageName: string; a: PackageRun; b: PackageRun; delta: RunDelta }[];
  aggregate: { packages: number; a: SideAggregate; b: SideAggregate; delta: RunDelta };
  onlyInA: string[];
  onlyInB: string[];
}

interface LatestRow {
  package_name: string;
  job_id: number;
  batch_id: number;
  completed_at: Date | null;
  precision: number | null;
  recall: number | null;
  f1_score: number | null;
  accuracy: number | null;
  has_ground_truth: boolean;
  confusion_matrix: unknown;
  total_tokens: number | null;
  estimated_cost: number | null;
  currency: string | null;
}

const PACKAGE = 'coalesce(j.package_name, m.package_name)';

async function latestRuns(db: Knex, runDefinitionPk: number): Promise<Map<string, PackageRun>> {
  const { rows } = await db.raw<{ rows: LatestRow[] }>(
    `SELECT DISTINCT ON (${PACKAGE}) ${PACKAGE} AS package_name, j.id AS job_id, j.job_batch_id AS batch_id, j.completed_at,
            m.precision, m.recall, m.f1_score, m.accuracy, m.has_ground_truth, m.confusion_matrix,
            u.total_tokens, u.estimated_cost, coalesce(u.node_breakdown->>'currency', CASE WHEN u.id IS NOT NULL THEN 'USD' END) AS currency
       FROM job j
       JOIN job_batch b ON b.id = j.job_batch_id
       JOIN job_metrics m ON m.id = j.id
       LEFT JOIN job_token_usage u ON u.id = j.id
      WHERE b.job_batch_run_definition_id = ? AND j.status = 'COMPLETED'
      ORDER BY ${PACKAGE}, j.completed_at DESC NULLS LAST, j.id DESC`,
    [runDefinitionPk],
  );
  return new Map(
    rows.map((r) => [
      r.package_name,
      {
        jobId: r.job_id,
        batchId: r.batch_id,
        completedAt: r.completed_at ? r.completed_at.toISOString() : null,
        precision: r.precision,
        recall: r.recall,
        f1Score: r.f1_score,
        accuracy: r.accuracy,
        confusionMatrix: r.has_ground_truth ? cellsOf(r.confusion_matrix) : null,
        totalTokens: r.total_tokens,
        estimatedCost: r.estimated_cost,
        currency: r.currency,
      },
    ]),
  );
}

const numberDelta = (a: number | null, b: number | null, places: number) => (a === null || b === null ? null : roundTo(b - a, places));

function delta(
  a: Quality & { totalTokens: number | null; estimatedCost: number | null; currency: string | null },
  b: typeof a,
  costPlaces: number,
): RunDelta {
  return {
    ...qualityDelta(a, b),
    totalTokens: numberDelta(a.totalTokens, b.totalTokens, 6),
    estimatedCost: a.currency === b.currency ? numberDelta(a.estimatedCost, b.estimatedCost, costPlaces) : null,
  };
}

const mean = (values: number[], places: number) => (values.length ? roundTo(values.reduce((s, v) => s + v, 0) / values.length, places) : null);

function aggregateSide(runs: readonly PackageRun[]): SideAggregate {
  const withCells = runs.flatMap((r) => (r.confusionMatrix ? [r.confusionMatrix] : []));
  const confusionMatrix = withCells.reduce(addCells, ZERO_CELLS);
  const costed = runs.filter((r) => r.estimatedCost !== null && r.totalTokens !== null);
  const currencies = new Set(costed.map((r) => r.currency));
  const currency = currencies.size === 1 ? ([...currencies][0] ?? null) : null;
  return {
    micro: { ...qualityOf(confusionMatrix), confusionMatrix, jobs: withCells.length },
    meanTotalTokens: mean(costed.map((r) => r.totalTokens as number), 6),
    meanEstimatedCost: currency === null ? null : mean(costed.map((r) => r.estimatedCost as number), 6),
    currency,
    packagesWithTokenUsage: costed.length,
  };
}

/** a and b are primary keys of job_batch_run_definitions; the labels are what the caller named them. */
export async function compareRunDefinitions(
  db: Knex,
  a: { pk: number; label: string },
  b: { pk: number; label: string },
): Promise<DefinitionComparison> {
  const [runsA, runsB] = await Promise.all([latestRuns(db, a.pk), latestRuns(db, b.pk)]);
  const common = [...runsA.keys()].filter((p) => runsB.has(p)).sort();
  const packages = common.map((packageName) => {
    const ra = runsA.get(packageName) as PackageRun;
    const rb = runsB.get(packageName) as PackageRun;
    return { packageName, a: ra, b: rb, delta: delta(ra, rb, 4) };
  });
  const aggA = aggregateSide(packages.map((p) => p.a));
  const aggB = aggregateSide(packages.map((p) => p.b));
  const asRun = (s: SideAggregate) => ({ ...s.micro, totalTokens: s.meanTotalTokens, estimatedCost: s.meanEstimatedCost, currency: s.currency });
  return {
    a: a.label,
    b: b.label,
    packages,
    aggregate: { packages: common.length, a: aggA, b: aggB, delta: delta(asRun(aggA), asRun(aggB), 6) },
    onlyInA: [...runsA.keys()].filter((p) => !runsB.has(p)).sort(),
    onlyInB: [...runsB.keys()].filter((p) => !runsA.has(p)).sort(),
  };
}
