import type { Knex } from 'knex';
import { JobMetrics } from '../models/index.js';
import { METRIC_NAMES, type AiReport, type ConfusionCounts, type MetricName, type Problem, type TokenUsageNode } from './outputFiles.js';

/**
 * Quality metrics of one job. The positive class is FALSE POSITIVE (a false alarm), as in the
 * workflow's metrics_utils (anchors §2.5). We recompute every figure from tp/fp/tn/fn rather than
 * trust the pipeline's, and a zero denominator gives NULL ("not computable"), never sklearn's 0.
 */

export const POSITIVE_CLASS = 'FALSE POSITIVE';
/** |ours − pipeline's| beyond this is more than the pipeline's rounding and is recorded. */
const DISAGREEMENT_TOLERANCE = 0.00005;

export type MetricValues = Record<MetricName, number | null>;

export interface GroundTruth {
  cm: ConfusionCounts;
  source: 'workflow_metrics.json' | 'Confusion Matrix sheet';
  pipelineReported: Partial<MetricValues> | null;
}

type Fraction = [numerator: number, denominator: number];

/** F1 as 2TP/(2TP+FP+FN): equal to 2PR/(P+R) wherever that is defined, and defined more often (peers §5.1). */
function fractions({ tp, fp, tn, fn }: ConfusionCounts): Record<MetricName, Fraction> {
  return {
    accuracy: [tp + tn, tp + fp + tn + fn],
    precision: [tp, tp + fp],
    recall: [tp, tp + fn],
    f1_score: [2 * tp, 2 * tp + fp + fn],
  };
}

function mapMetrics(cm: ConfusionCounts, f: (n: number, d: number) => number): MetricValues {
  const all = fractions(cm);
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, all[m][1] === 0 ? null : f(...all[m])])) as MetricValues;
}

export const exactMetrics = (cm: ConfusionCounts) => mapMetrics(cm, (n, d) => n / d);

/**
 * Half up to 4 places. n·10⁴/d is one correctly rounded division, and a true tie (k + ½) is exactly
 * representable, so ties are never lost to binary rounding.
 */
export const roundedMetrics = (cm: ConfusionCounts) => mapMetrics(cm, (n, d) => Math.round((n * 1e4) / d) / 1e4);

export interface Disagreement {
  metric: MetricName;
  ours: number | null;
  pipeline: number;
}

/** A pipeline 0 where ours is NULL is the two zero-division policies agreeing, not a disagreement. */
export function disagreements(cm: ConfusionCounts, reported: Partial<MetricValues>): Disagreement[] {
  const exact = exactMetrics(cm);
  const rounded = roundedMetrics(cm);
  return METRIC_NAMES.flatMap((metric) => {
    const pipeline = reported[metric];
    if (pipeline === null || pipeline === undefined) return [];
    const ours = exact[metric];
    const differs = ours === null ? pipeline !== 0 : Math.abs(ours - pipeline) > DISAGREEMENT_TOLERANCE;
    return differs ? [{ metric, ours: rounded[metric], pipeline }] : [];
  });
}

export function confusionMatrixJson(gt: GroundTruth): Record<string, unknown> {
  const found = gt.pipelineReported ? disagreements(gt.cm, gt.pipelineReported) : [];
  return {
    ...gt.cm,
    positiveClass: POSITIVE_CLASS,
    zeroDivision: 'null',
    source: gt.source,
    ...(gt.pipelineReported ? { pipelineReported: gt.pipelineReported } : {}),
    ...(found.length ? { disagreements: found } : {}),
  };
}

export function nodeMetricsJson(nodes: readonly TokenUsageNode[], problems: readonly Problem[]): Record<string, unknown> {
  return {
    nodes: Object.fromEntries(
      nodes.map((n) => [
        n.node,
        { durationSeconds: n.durationSeconds, inputTokens: n.inputTokens, outputTokens: n.outputTokens, totalTokens: n.totalTokens, model: n.model },
      ]),
    ),
    problems,
  };
}

export interface JobMetricsInput {
  jobId: number;
  packageName: string;
  report: AiReport;
  groundTruth: GroundTruth | null;
  nodes: readonly TokenUsageNode[];
  problems: readonly Problem[];
}

export interface JobMetricsSummary {
  totalIssues: number;
  predictedIssuesCount: number;
  predictedNonIssuesCount: number;
  actualIssuesCount: number | null;
  actualNonIssuesCount: number | null;
  hasGroundTruth: boolean;
  precision: number | null;
  recall: number | null;
  f1Score: number | null;
  accuracy: number | null;
}

export function summariseMetrics(report: AiReport, gt: GroundTruth | null): JobMetricsSummary {
  const m = gt ? roundedMetrics(gt.cm) : null;
  return {
    totalIssues: report.rows,
    predictedIssuesCount: report.verdicts['TRUE POSITIVE'] + report.verdicts['NEEDS REVIEW'],
    predictedNonIssuesCount: report.verdicts['FALSE POSITIVE'],
    // Positive = "not a real issue": actual positives are tp + fn, actual real issues fp + tn.
    actualIssuesCount: gt ? gt.cm.fp + gt.cm.tn : null,
    actualNonIssuesCount: gt ? gt.cm.tp + gt.cm.fn : null,
    hasGroundTruth: gt !== null,
    precision: m?.precision ?? null,
    recall: m?.recall ?? null,
    f1Score: m?.f1_score ?? null,
    accuracy: m?.accuracy ?? null,
  };
}

const MUTABLE_COLUMNS = [
  'package_name',
  'total_issues',
  'predicted_issues_count',
  'predicted_non_issues_count',
  'actual_issues_count',
  'actual_non_issues_count',
  'has_ground_truth',
  'precision',
  'recall',
  'f1_score',
  'accuracy',
  'confusion_matrix',
  'node_metrics',
];

/** Upsert by job id, for the same reason as job_token_usage: a pure function of the files. */
export async function writeJobMetrics(db: Knex, input: JobMetricsInput): Promise<JobMetricsSummary> {
  const summary = summariseMetrics(input.report, input.groundTruth);
  await JobMetrics.query(db)
    .insert({
      id: input.jobId,
      packageName: input.packageName,
      ...summary,
      confusionMatrix: input.groundTruth ? confusionMatrixJson(input.groundTruth) : null,
      nodeMetrics: nodeMetricsJson(input.nodes, input.problems),
      createdAt: new Date(),
    })
    .onConflict('id')
    .merge(MUTABLE_COLUMNS);
  return summary;
}
