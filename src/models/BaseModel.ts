import { Model, snakeCaseMappers, type ColumnNameMappers } from 'objection';

/** camelCase properties over the seed's snake_case columns. */
export class BaseModel extends Model {
  static override get columnNameMappers(): ColumnNameMappers {
    return snakeCaseMappers();
  }
}
