import { z } from '@hono/zod-openapi';
import { JOB_STATUSES } from '../../../models/statuses.js';
import { batchProgressFields } from '../batches.js';
import { CellsSchema } from './common.js';

const version = (description: string) => z.string().nullable().openapi({ description: `${description}, from the run definition's metadata` });

export const MlOpsJobDetailedSchema = z
  .object({
    jobId: z.number().int(),
    packageNvr: z.string().nullable(),
    packageName: z.string().nullable(),
    projectName: z.string().nullable(),
    projectVersion: z.string().nullable(),
    packageSourceCodeUrl: z.string().nullable(),
    knownFalsePositivesUrl: z.string().nullable(),
    status: z.enum(JOB_STATUSES),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    tektonUrl: z.string().nullable(),
    oshScanId: z.string().nullable(),
    metrics: z
      .object({
        accuracy: z.number().nullable(),
        precision: z.number().nullable(),
        recall: z.number().nullable(),
        f1Score: z.number().nullable(),
        confusionMatrix: CellsSchema.nullable(),
      })
      .nullable()
      .openapi({ description: 'null when the job has no job_metrics row' }),
  })
  .openapi('MlOpsJobDetailedResponseDto');

export const MlOpsBatchDetailedSchema = z
  .object({
    batchId: z.number().int(),
    testingDataNvrsVersion: version('DVC revision of the NVR list'),
    promptsVersion: version('Prompts revision'),
    knownNonIssuesVersion: version('Known-non-issues revision'),
    sastAiImage: version('Workflow container image'),
    ...batchProgressFields,
    jobs: z.array(MlOpsJobDetailedSchema),
  })
  .openapi('MlOpsBatchDetailedResponseDto');
