import type { z } from 'zod';

/** Bad input to an MLOps write; the API maps it to 400. `field` names the offending input. */
export class MlopsInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'MlopsInputError';
  }
}

/** The write contradicts what is already stored; the API maps it to 409. */
export class MlopsConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MlopsConflictError';
  }
}

/** A price window would overlap (or rewrite) an existing one; names the stored pricing_model_id. */
export class PricingConflictError extends MlopsConflictError {
  constructor(
    readonly pricingModelId: string,
    message: string,
  ) {
    super(message);
    this.name = 'PricingConflictError';
  }
}

/** The API maps it to 404. */
export class MlopsNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MlopsNotFoundError';
  }
}

/** Validates with a zod schema; the first issue becomes an MlopsInputError naming its field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : 'input';
  throw new MlopsInputError(field, `${field}: ${issue?.message ?? 'is invalid'}`);
}
