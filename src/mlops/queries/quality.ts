import { roundedMetrics } from '../metrics.js';
import type { ConfusionCounts } from '../outputFiles.js';

/** Quality figures under the API's names, shared by the batch summary and the definition comparison. */

export interface Quality {
  precision: number | null;
  recall: number | null;
  f1Score: number | null;
  accuracy: number | null;
}

/** Half up to `places` decimals; for sums and differences of stored decimals, whose float noise must not show. */
export const roundTo = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Same formulas, rounding and NULL-on-zero-division as a job's own row (src/mlops/metrics.ts). */
export function qualityOf(cm: ConfusionCounts): Quality {
  const m = roundedMetrics(cm);
  return { precision: m.precision, recall: m.recall, f1Score: m.f1_score, accuracy: m.accuracy };
}

export const ZERO_CELLS: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };

export const addCells = (a: ConfusionCounts, b: ConfusionCounts): ConfusionCounts => ({
  tp: a.tp + b.tp,
  fp: a.fp + b.fp,
  tn: a.tn + b.tn,
  fn: a.fn + b.fn,
});

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The four cells of a stored confusion_matrix, or null when the row has none (no ground truth). */
export function cellsOf(stored: unknown): ConfusionCounts | null {
  const cm = stored as Partial<Record<keyof ConfusionCounts, unknown>> | null;
  if (!cm || !isCount(cm.tp) || !isCount(cm.fp) || !isCount(cm.tn) || !isCount(cm.fn)) return null;
  return { tp: cm.tp, fp: cm.fp, tn: cm.tn, fn: cm.fn };
}

/** b − a per figure, null where either side is. */
export function qualityDelta(a: Quality, b: Quality): Quality {
  const d = (x: number | null, y: number | null) => (x === null || y === null ? null : roundTo(y - x, 4));
  return { precision: d(a.precision, b.precision), recall: d(a.recall, b.recall), f1Score: d(a.f1Score, b.f1Score), accuracy: d(a.accuracy, b.accuracy) };
}
