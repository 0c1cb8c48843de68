import { BaseModel } from './BaseModel.js';
import { Job } from './Job.js';
import { JobBatchDataLineage } from './JobBatchDataLineage.js';
import { JobBatchExecutionContext } from './JobBatchExecutionContext.js';
import { JobBatchRunDefinition } from './JobBatchRunDefinition.js';
import { JOB_BATCH_STATUSES, type JobBatchStatus } from './statuses.js';

export class JobBatch extends BaseModel {
  static override tableName = 'job_batch';

  id!: number;
  batchGoogleSheetUrl!: string;
  submittedBy?: string | null;
  submittedAt!: Date;
  status!: JobBatchStatus;
  totalJobs?: number | null;
  completedJobs?: number | null;
  failedJobs?: number | null;
  lastUpdatedAt?: Date | null;
  useKnownFalsePositiveFile?: boolean | null;
  jobBatchRunDefinitionId?: number | null;

  jobs?: Job[];
  executionContext?: JobBatchExecutionContext | null;
  dataLineage?: JobBatchDataLineage | null;
  runDefinition?: JobBatchRunDefinition | null;

  static override jsonSchema = {
    type: 'object',
    required: ['batchGoogleSheetUrl', 'status'],
    properties: {
      batchGoogleSheetUrl: { type: 'string', maxLength: 255 },
      submittedBy: { type: ['string', 'null'], maxLength: 255 },
      status: { type: 'string', enum: [...JOB_BATCH_STATUSES] },
      totalJobs: { type: ['integer', 'null'], minimum: 0 },
      completedJobs: { type: ['integer', 'null'], minimum: 0 },
      failedJobs: { type: ['integer', 'null'], minimum: 0 },
      useKnownFalsePositiveFile: { type: ['boolean', 'null'] },
      jobBatchRunDefinitionId: { type: ['integer', 'null'] },
    },
  };

  static override get relationMappings() {
    return {
      jobs: {
        relation: BaseModel.HasManyRelation,
        modelClass: Job,
        join: { from: 'job_batch.id', to: 'job.job_batch_id' },
      },
      executionContext: {
        relation: BaseModel.HasOneRelation,
        modelClass: JobBatchExecutionContext,
        join: { from: 'job_batch.id', to: 'job_batch_execution_context.id' },
      },
      dataLineage: {
        relation: BaseModel.HasOneRelation,
        modelClass: JobBatchDataLineage,
        join: { from: 'job_batch.id', to: 'job_batch_data_lineage.id' },
      },
      runDefinition: {
        relation: BaseModel.BelongsToOneRelation,
        modelClass: JobBatchRunDefinition,
        join: { from: 'job_batch.job_batch_run_definition_id', to: 'job_batch_run_definitions.id' },
      },
    };
  }
}
