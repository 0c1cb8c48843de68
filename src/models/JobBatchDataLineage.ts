import { BaseModel } from './BaseModel.js';

/** 1:1 with job_batch through the shared id: the artifacts a batch consumed. */
export class JobBatchDataLineage extends BaseModel {
  static override tableName = 'job_batch_data_lineage';
  static override jsonAttributes = ['inputArtifacts'];

  id!: number;
  lineageId!: string;
  inputArtifacts!: unknown[];
  transformationType!: string;
  createdAt!: Date;

  static override jsonSchema = {
    type: 'object',
    required: ['id', 'lineageId', 'inputArtifacts', 'transformationType'],
    properties: {
      id: { type: 'integer' },
      lineageId: { type: 'string', minLength: 1, maxLength: 255 },
      inputArtifacts: { type: 'array' },
      transformationType: { type: 'string', minLength: 1, maxLength: 100 },
    },
  };
}
