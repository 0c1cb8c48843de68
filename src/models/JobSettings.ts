import { BaseModel } from './BaseModel.js';

/** Secrets are referenced by name only; the value never enters this service. */
export class JobSettings extends BaseModel {
  static override tableName = 'job_settings';

  id!: number;
  jobId?: number | null;
  secretName?: string | null;

  static override jsonSchema = {
    type: 'object',
    properties: {
      jobId: { type: ['integer', 'null'] },
      secretName: { type: ['string', 'null'], maxLength: 255 },
    },
  };
}
