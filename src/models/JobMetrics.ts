import { BaseModel } from './BaseModel.js';

/** 1:1 with job through the shared id: verdict counts and quality against ground truth. */
export class JobMetrics extends BaseModel {
  static override tableName = 'job_metrics';
  static override jsonAttributes = ['confusionMatrix', 'nodeMetrics'];

  id!: number;
  packageName!: string;
  totalIssues!: number;
  predictedIssuesCount!: number;
  predictedNonIssuesCount!: number;
  actualIssuesCount?: number | null;
  actualNonIssuesCount?: number | null;
  hasGroundTruth!: boolean;
  precision?: number | null;
  recall?: number | null;
  f1Score?: number | null;
  accuracy?: number | null;
  confusionMatrix?: Record<string, unknown> | null;
  nodeMetrics?: Record<string, unknown> | null;
  createdAt!: Date;

  static override jsonSchema = {
    type: 'object',
    required: ['id', 'packageName', 'totalIssues', 'predictedIssuesCount', 'predictedNonIssuesCount'],
    properties: {
      id: { type: 'integer' },
      packageName: { type: 'string', maxLength: 255 },
      totalIssues: { type: 'integer', minimum: 0 },
      predictedIssuesCount: { type: 'integer', minimum: 0 },
      predictedNonIssuesCount: { type: 'integer', minimum: 0 },
      actualIssuesCount: { type: ['integer', 'null'], minimum: 0 },
      actualNonIssuesCount: { type: ['integer', 'null'], minimum: 0 },
      hasGroundTruth: { type: 'boolean' },
      precision: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      recall: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      f1Score: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      accuracy: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      confusionMatrix: { type: ['object', 'null'] },
      nodeMetrics: { type: ['object', 'array', 'null'] },
    },
  };
}
