import { snakeCaseMappers, type ColumnNameMappers } from 'objection';
import { BaseModel } from './BaseModel.js';

/** Effective-dated price of one model: valid for effectiveFrom <= t < effectiveTo (open-ended when null). */
export class PricingModel extends BaseModel {
  static override tableName = 'pricing_models';
  static override idColumn = 'pricing_model_id';

  // input_price_per_1k: only this table has a digit after an underscore (job_metrics.f1_score must stay as it is).
  static override get columnNameMappers(): ColumnNameMappers {
    return snakeCaseMappers({ underscoreBeforeDigits: true });
  }

  pricingModelId!: string;
  modelName!: string;
  provider!: string;
  inputPricePer1k!: number;
  outputPricePer1k!: number;
  currency!: string;
  effectiveFrom!: Date;
  effectiveTo?: Date | null;

  static override jsonSchema = {
    type: 'object',
    required: ['pricingModelId', 'modelName', 'provider', 'inputPricePer1k', 'outputPricePer1k'],
    properties: {
      pricingModelId: { type: 'string', minLength: 1, maxLength: 100 },
      modelName: { type: 'string', minLength: 1, maxLength: 100 },
      provider: { type: 'string', minLength: 1, maxLength: 50 },
      inputPricePer1k: { type: 'number', minimum: 0, exclusiveMaximum: 100 },
      outputPricePer1k: { type: 'number', minimum: 0, exclusiveMaximum: 100 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  };
}
