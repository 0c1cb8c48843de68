import { BaseModel } from './BaseModel.js';

/** 1:1 with job_batch through the shared id. */
export class JobBatchExecutionContext extends BaseModel {
  static override tableName = 'job_batch_execution_context';
  static override jsonAttributes = ['hwSpec'];

  id!: number;
  environment!: string;
  configVersion!: string;
  hwSpec!: Record<string, unknown>;

  static override jsonSchema = {
    type: 'object',
    required: ['id', 'environment', 'configVersion', 'hwSpec'],
    properties: {
      id: { type: 'integer' },
      environment: { type: 'string', minLength: 1, maxLength: 100 },
      configVersion: { type: 'string', minLength: 1, maxLength: 50 },
      hwSpec: { type: 'object' },
    },
  };
}
