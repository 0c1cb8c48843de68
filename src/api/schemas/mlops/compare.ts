import { z } from '@hono/zod-openapi';
import { CellsSchema, QualityShape } from './common.js';

const definitionId = (name: 'a' | 'b') =>
  z.string({ error: 'is required (a pipelineDefinitionId)' }).min(1, 'is required (a pipelineDefinitionId)').max(255).openapi({ param: { name, in: 'query' } });

export const CompareQuery = z.object({ a: definitionId('a'), b: definitionId('b') });

const PackageRunSchema = z.object({
  jobId: z.number().int(),
  batchId: z.number().int(),
  completedAt: z.string().nullable(),
  ...QualityShape,
  confusionMatrix: CellsSchema.nullable(),
  totalTokens: z.number().int().nullable(),
  estimatedCost: z.number().nullable(),
  currency: z.string().nullable(),
});

const DeltaSchema = z
  .object({ ...QualityShape, totalTokens: z.number().nullable(), estimatedCost: z.number().nullable().openapi({ description: 'null across currencies' }) })
  .openapi('RunDelta', { description: 'b − a; null where either side is null' });

const SideSchema = z.object({
  micro: z.object({ ...QualityShape, confusionMatrix: CellsSchema, jobs: z.number().int() }),
  meanTotalTokens: z.number().nullable(),
  meanEstimatedCost: z.number().nullable(),
  currency: z.string().nullable(),
  packagesWithTokenUsage: z.number().int(),
});

export const ComparisonSchema = z
  .object({
    a: z.string(),
    b: z.string(),
    packages: z.array(z.object({ packageName: z.string(), a: PackageRunSchema, b: PackageRunSchema, delta: DeltaSchema })),
    aggregate: z.object({ packages: z.number().int(), a: SideSchema, b: SideSchema, delta: DeltaSchema }),
    onlyInA: z.array(z.string()),
    onlyInB: z.array(z.string()),
  })
  .openapi('RunDefinitionComparison');
