import { AjvValidator, Model, snakeCaseMappers, type ColumnNameMappers } from 'objection';

/**
 * camelCase properties over the seed's snake_case columns. Query builders still take column names
 * (`where({ package_nvr })`): the mapping applies to model properties only.
 */
export class BaseModel extends Model {
  static override get columnNameMappers(): ColumnNameMappers {
    return snakeCaseMappers();
  }

  // JSONB columns hold either objects or arrays ("type": ["object", "array"]), which Ajv's strict mode rejects by default.
  static override createValidator() {
    return new AjvValidator({ onCreateAjv: () => undefined, options: { allErrors: true, validateSchema: false, ownProperties: true, allowUnionTypes: true } });
  }
}
