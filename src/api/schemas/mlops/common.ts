import { z } from '@hono/zod-openapi';

/** Pieces every MLOps response schema shares. */

export const JsonObject = z.record(z.string(), z.unknown());

const figure = (description: string) => z.number().nullable().openapi({ description: `${description}; null when its denominator is 0` });

export const QualityShape = {
  precision: figure('TP / (TP + FP), 4 places'),
  recall: figure('TP / (TP + FN), 4 places'),
  f1Score: figure('2TP / (2TP + FP + FN), 4 places'),
  accuracy: figure('(TP + TN) / all, 4 places'),
};

export const CellsSchema = z
  .object({ tp: z.number().int(), fp: z.number().int(), tn: z.number().int(), fn: z.number().int() })
  .openapi('ConfusionCells', { description: 'Positive class: FALSE POSITIVE (a false alarm)' });

export const CurrencyCostSchema = z.object({ currency: z.string(), cost: z.number() }).openapi('CurrencyCost');
