import { BaseModel } from './BaseModel.js';

/** A versioned piece of data; artifact_id is derived from the content so the same bytes are one artifact. */
export class DataArtifact extends BaseModel {
  static override tableName = 'data_artifacts';
  static override idColumn = 'artifact_id';
  static override jsonAttributes = ['metadata'];

  artifactId!: string;
  artifactType!: string;
  name!: string;
  version!: string;
  dvcPath!: string;
  dvcHash!: string;
  metadata!: Record<string, unknown>;
  createdAt!: Date;

  static override jsonSchema = {
    type: 'object',
    required: ['artifactId', 'artifactType', 'name', 'version', 'dvcPath', 'dvcHash', 'metadata'],
    properties: {
      artifactId: { type: 'string', minLength: 1, maxLength: 255 },
      artifactType: { type: 'string', minLength: 1, maxLength: 100 },
      name: { type: 'string', minLength: 1, maxLength: 255 },
      version: { type: 'string', minLength: 1, maxLength: 100 },
      dvcPath: { type: 'string', minLength: 1, maxLength: 500 },
      dvcHash: { type: 'string', minLength: 1, maxLength: 255 },
      metadata: { type: 'object' },
    },
  };
}
