import { z } from '@hono/zod-openapi';
import { JOB_BATCH_STATUSES } from '../../../models/statuses.js';
import { JsonObject, QualityShape } from './common.js';

export const TokenUsageSchema = z
  .object({
    jobId: z.number().int(),
    totalInputTokens: z.number().int(),
    totalOutputTokens: z.number().int(),
    totalTokens: z.number().int(),
    estimatedCost: z.number().openapi({ description: 'In `currency`, 4 places' }),
    currency: z.string(),
    pricedAt: z.string().nullable().openapi({ description: 'The instant whose prices were applied (the job start)' }),
    nodeBreakdown: JsonObject.openapi({ description: 'Per node: model, tokens, duration, the price used and its cost; plus problems' }),
    createdAt: z.string(),
  })
  .openapi('JobTokenUsage');

export const JobMetricsSchema = z
  .object({
    jobId: z.number().int(),
    packageName: z.string(),
    totalIssues: z.number().int(),
    predictedIssuesCount: z.number().int(),
    predictedNonIssuesCount: z.number().int(),
    actualIssuesCount: z.number().int().nullable(),
    actualNonIssuesCount: z.number().int().nullable(),
    hasGroundTruth: z.boolean(),
    ...QualityShape,
    confusionMatrix: JsonObject.nullable().openapi({ description: 'tp/fp/tn/fn with positiveClass, zeroDivision, source and any disagreements with the pipeline' }),
    nodeMetrics: JsonObject.nullable(),
    createdAt: z.string(),
  })
  .openapi('JobMetrics');

export const ExecutionContextSchema = z
  .object({ batchId: z.number().int(), environment: z.string(), configVersion: z.string(), hwSpec: JsonObject })
  .openapi('ExecutionContext');

export const DataArtifactSchema = z
  .object({
    artifactId: z.string(),
    artifactType: z.string(),
    name: z.string(),
    version: z.string(),
    dvcPath: z.string(),
    dvcHash: z.string(),
    metadata: JsonObject,
    createdAt: z.string(),
  })
  .openapi('DataArtifact');

const Role = z.enum(['input', 'output']);

export const LineageSchema = z
  .object({
    batchId: z.number().int(),
    lineageId: z.string(),
    transformationType: z.string(),
    createdAt: z.string(),
    entries: z.array(
      z.object({
        artifactId: z.string(),
        role: Role,
        artifactType: z.string(),
        jobId: z.number().int().nullable(),
        artifact: DataArtifactSchema.nullable().openapi({ description: 'null if the artifact row is missing' }),
      }),
    ),
  })
  .openapi('BatchLineage');

export const ArtifactDetailsSchema = DataArtifactSchema.extend({
  usedBy: z.array(
    z.object({
      batchId: z.number().int(),
      batchStatus: z.enum(JOB_BATCH_STATUSES),
      roles: z.array(Role),
      jobIds: z.array(z.number().int()),
    }),
  ),
}).openapi('DataArtifactDetails');

export const ArtifactIdParam = z.object({
  artifactId: z.string().min(1).max(255).openapi({ param: { name: 'artifactId', in: 'path' }, example: 'md5-0cc175b9c0f1b6a831c399e269772661' }),
});
