import { z } from '@hono/zod-openapi';

/** Shapes only; the price rules (DECIMAL(8,6) range and places, window order, overlaps) are src/mlops/pricing.ts's. */

const instant = (description: string) => z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).openapi({ description, example: '2026-01-01T00:00:00Z' });
const pricePer1k = z.number().openapi({ description: 'Price of 1000 tokens; at most 6 decimal places, below 100', example: 0.0025 });

export const PricingModelSchema = z
  .object({
    pricingModelId: z.string(),
    modelName: z.string(),
    provider: z.string(),
    inputPricePer1k: z.number(),
    outputPricePer1k: z.number(),
    currency: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable().openapi({ description: 'Exclusive end; null = still in effect' }),
  })
  .openapi('PricingModel');

export const PricingModelCreateSchema = z
  .object({
    pricingModelId: z.string().max(100).optional().openapi({ description: 'Default: <modelName>@<effectiveFrom>' }),
    modelName: z.string().min(1).max(100).openapi({ example: 'gpt-4o' }),
    provider: z.string().min(1).max(50).openapi({ example: 'openai' }),
    inputPricePer1k: pricePer1k,
    outputPricePer1k: pricePer1k,
    currency: z.string().optional().openapi({ description: 'ISO 4217 code (default USD)', example: 'USD' }),
    effectiveFrom: instant('Start of the window (inclusive)'),
    effectiveTo: instant('End of the window (exclusive); absent or null = open').nullish(),
  })
  .openapi('PricingModelCreate');

export const PricingListQuery = z.object({
  modelName: z.string().optional(),
  provider: z.string().optional(),
  at: instant('Only the prices in effect at this instant').optional(),
});

export const PricingModelIdParam = z.object({
  pricingModelId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'pricingModelId', in: 'path' }, example: 'gpt-4o@2026-01-01T00:00:00.000Z' }),
});

export const ClosePricingSchema = z.object({ effectiveTo: instant('End of the window (exclusive)') }).openapi('ClosePricingModel');

export const RepriceRequestSchema = z
  .object({
    dryRun: z.boolean().default(true).openapi({ description: 'List the changes without writing them (default true)' }),
    modelName: z.string().min(1).max(100).optional().openapi({ description: 'Re-price only the nodes of this model' }),
  })
  .openapi('RepriceRequest');

export const RepriceResultSchema = z
  .object({
    applied: z.boolean(),
    changed: z.number().int(),
    changes: z.array(z.object({ jobId: z.number().int(), oldCost: z.number(), newCost: z.number(), nodesChanged: z.number().int() })),
    skipped: z.array(z.object({ jobId: z.number().int(), reason: z.string() })),
  })
  .openapi('RepriceResult');
