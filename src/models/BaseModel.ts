import { Model, snakeCaseMappers, type ColumnNameMappers } from 'objection';

/**
 * camelCase properties over the seed's snake_case columns. Query builders still take column names
 * (`where({ package_nvr })`): the mapping applies to model properties only.
 */
export class BaseModel extends Model {
  static override get columnNameMappers(): ColumnNameMappers {
    return snakeCaseMappers();
  }
}
