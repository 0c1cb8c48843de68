import { z } from '@hono/zod-openapi';
import { JOB_STATUSES } from '../../../models/statuses.js';
import { CellsSchema, CurrencyCostSchema, QualityShape } from './common.js';

const TokenShape = { inputTokens: z.number().int(), outputTokens: z.number().int(), totalTokens: z.number().int() };

const UsageGroupShape = {
  ...TokenShape,
  nodeRuns: z.number().int(),
  unpricedNodeRuns: z.number().int().openapi({ description: 'Node runs that used a model with no price in effect (costed 0)' }),
  costs: z.array(CurrencyCostSchema).openapi({ description: 'One entry per currency; never added across currencies' }),
};

export const BatchSummarySchema = z
  .object({
    batchId: z.number().int(),
    jobs: z.object({ total: z.number().int(), byStatus: z.record(z.enum(JOB_STATUSES), z.number().int()) }),
    tokens: z.object({ ...TokenShape, jobsWithTokenUsage: z.number().int() }),
    cost: z.object({
      currency: z.string().nullable().openapi({ description: 'The one currency used; null when none or several (see byCurrency)' }),
      estimatedCost: z.number().nullable(),
      byCurrency: z.array(CurrencyCostSchema.extend({ jobs: z.number().int() })),
    }),
    byModel: z.array(z.object({ model: z.string().nullable(), ...UsageGroupShape })),
    byNode: z.array(z.object({ node: z.string(), ...UsageGroupShape })),
    quality: z.object({
      jobsWithMetrics: z.number().int(),
      jobsWithGroundTruth: z.number().int(),
      micro: z
        .object({ ...QualityShape, confusionMatrix: CellsSchema, jobs: z.number().int() })
        .openapi({ description: 'Recomputed from the confusion matrices of the jobs with ground truth, summed' }),
      macro: z
        .object({
          ...QualityShape,
          jobs: z.object({ precision: z.number().int(), recall: z.number().int(), f1Score: z.number().int(), accuracy: z.number().int() }),
        })
        .openapi({ description: "Mean of the jobs' own figures (NULLs left out); jobs = how many were averaged per figure" }),
    }),
  })
  .openapi('BatchSummary');
