import { BaseModel } from './BaseModel.js';
import { JobBatch } from './JobBatch.js';
import { JobMetrics } from './JobMetrics.js';
import { JobSettings } from './JobSettings.js';
import { JobTokenUsage } from './JobTokenUsage.js';
import { INPUT_SOURCE_TYPES, JOB_STATUSES, type InputSourceType, type JobStatus } from './statuses.js';

const optionalString = { type: ['string', 'null'], maxLength: 255 };

export class Job extends BaseModel {
  static override tableName = 'job';

  id!: number;
  jobBatchId?: number | null;
  projectName?: string | null;
  projectVersion?: string | null;
  packageName?: string | null;
  packageNvr?: string | null;
  oshScanId?: string | null;
  packageSourceCodeUrl?: string | null;
  jiraLink?: string | null;
  hostname?: string | null;
  knownFalsePositivesUrl?: string | null;
  inputSourceType?: InputSourceType | null;
  googleSheetUrl?: string | null;
  status!: JobStatus;
  createdAt!: Date;
  startedAt?: Date | null;
  completedAt?: Date | null;
  cancelledAt?: Date | null;
  tektonUrl?: string | null;
  lastUpdatedAt?: Date | null;
  submittedBy?: string | null;

  batch?: JobBatch | null;
  tokenUsage?: JobTokenUsage | null;
  metrics?: JobMetrics | null;
  settings?: JobSettings[];

  static override jsonSchema = {
    type: 'object',
    required: ['status'],
    properties: {
      jobBatchId: { type: ['integer', 'null'] },
      projectName: optionalString,
      projectVersion: optionalString,
      packageName: optionalString,
      packageNvr: optionalString,
      oshScanId: optionalString,
      packageSourceCodeUrl: optionalString,
      jiraLink: optionalString,
      hostname: optionalString,
      knownFalsePositivesUrl: optionalString,
      inputSourceType: { type: ['string', 'null'], enum: [...INPUT_SOURCE_TYPES, null] },
      googleSheetUrl: optionalString,
      status: { type: 'string', enum: [...JOB_STATUSES] },
      tektonUrl: optionalString,
      submittedBy: optionalString,
    },
  };

  static override get relationMappings() {
    return {
      batch: {
        relation: BaseModel.BelongsToOneRelation,
        modelClass: JobBatch,
        join: { from: 'job.job_batch_id', to: 'job_batch.id' },
      },
      tokenUsage: {
        relation: BaseModel.HasOneRelation,
        modelClass: JobTokenUsage,
        join: { from: 'job.id', to: 'job_token_usage.id' },
      },
      metrics: {
        relation: BaseModel.HasOneRelation,
        modelClass: JobMetrics,
        join: { from: 'job.id', to: 'job_metrics.id' },
      },
      settings: {
        relation: BaseModel.HasManyRelation,
        modelClass: JobSettings,
        join: { from: 'job.id', to: 'job_settings.job_id' },
      },
    };
  }
}
