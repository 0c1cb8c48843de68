import { z } from '@hono/zod-openapi';
import { JOB_BATCH_STATUSES } from '../../models/statuses.js';
import { PageQuery } from './common.js';
import { JobCreationSchema, Links } from './jobs.js';

export const MAX_INLINE_JOBS = 10_000;

export const JobBatchSubmissionSchema = z
  .object({
    batchGoogleSheetUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(255)
      .nullish()
      .openapi({ description: 'A Google Sheet, or any http(s) URL of a CSV, with columns nvr and googleSheetUrl (or their variants)' }),
    submittedBy: z.string().max(255).nullish(),
    useKnownFalsePositiveFile: z.boolean().nullish(),
    aggregateResultsGSheet: z.string().nullish().openapi({ description: 'Accepted for compatibility' }),
    jobs: z
      .array(JobCreationSchema)
      .max(MAX_INLINE_JOBS)
      .nullish()
      .openapi({ description: 'Inline jobs instead of a sheet (an extension of the existing API)' }),
    maxParallelJobs: z.number().int().min(1).max(100).nullish().openapi({ description: 'Jobs of this batch running at once (default 3)' }),
    pipelineDefinitionId: z.string().max(255).nullish().openapi({ description: 'The run definition the batch runs under (default: the built-in sast-ai-workflow one)' }),
  })
  .superRefine((value, ctx) => {
    if (!value.batchGoogleSheetUrl && !value.jobs) {
      ctx.addIssue({ code: 'custom', path: ['batchGoogleSheetUrl'], message: 'is required unless jobs is given' });
    }
    if (value.batchGoogleSheetUrl && value.jobs) {
      ctx.addIssue({ code: 'custom', path: ['jobs'], message: 'give either batchGoogleSheetUrl or jobs, not both' });
    }
  })
  .openapi('JobBatchSubmissionDto');

/** Who submitted a batch, when, and how far it got: the same in every batch DTO of the existing service. */
export const batchProgressFields = {
  submittedBy: z.string().nullable(),
  submittedAt: z.string(),
  status: z.enum(JOB_BATCH_STATUSES),
  totalJobs: z.number().int(),
  completedJobs: z.number().int(),
  failedJobs: z.number().int(),
  lastUpdatedAt: z.string().nullable(),
};

export const JobBatchResponseSchema = z
  .object({
    batchId: z.number().int(),
    batchGoogleSheetUrl: z.string(),
    ...batchProgressFields,
    useKnownFalsePositiveFile: z.boolean().nullable(),
    jobBatchRunDefinitionId: z.number().int().nullable(),
    pipelineDefinitionId: z.string().nullable().openapi({ description: 'The run definition the batch ran under (GET /run-definitions/{id})' }),
    failureReason: z.string().nullable().optional().openapi({ description: 'Why a FAILED batch failed (e.g. its sheet could not be read)' }),
    skippedRows: z
      .array(z.object({ rowNumber: z.number().int(), nvr: z.string().nullable(), reason: z.string() }))
      .optional()
      .openapi({ description: 'Rows of the input that were not turned into jobs, and why' }),
    links: Links,
  })
  .openapi('JobBatchResponseDto');

export const BatchListQuery = z.object({
  status: z.enum(JOB_BATCH_STATUSES).optional(),
  submittedBy: z.string().optional(),
  ...PageQuery,
});
