import { BaseModel } from './BaseModel.js';

/** 1:1 with job through the shared id. */
export class JobTokenUsage extends BaseModel {
  static override tableName = 'job_token_usage';
  static override jsonAttributes = ['nodeBreakdown'];

  id!: number;
  totalInputTokens!: number;
  totalOutputTokens!: number;
  totalTokens!: number;
  nodeBreakdown!: Record<string, unknown>;
  estimatedCost!: number;
  createdAt!: Date;

  static override jsonSchema = {
    type: 'object',
    required: ['id', 'totalInputTokens', 'totalOutputTokens', 'totalTokens', 'nodeBreakdown', 'estimatedCost'],
    properties: {
      id: { type: 'integer' },
      totalInputTokens: { type: 'integer', minimum: 0 },
      totalOutputTokens: { type: 'integer', minimum: 0 },
      totalTokens: { type: 'integer', minimum: 0 },
      nodeBreakdown: { type: ['object', 'array'] },
      estimatedCost: { type: 'number', minimum: 0 },
    },
  };
}
