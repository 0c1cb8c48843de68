import type { Knex } from 'knex';
import { z } from 'zod';
import { PricingModel } from '../models/index.js';
import { MlopsInputError, MlopsNotFoundError, PricingConflictError, parseInput } from './errors.js';
import { sha256Hex } from './canonicalJson.js';

/**
 * Effective-dated prices. A window is [effectiveFrom, effectiveTo) with a null end meaning open;
 * the windows of one model_name never overlap, so at any instant a model has at most one price.
 */

const MAX_ID_LENGTH = 100;
/** DECIMAL(8,6): below 100, at most 6 decimal places. */
const DECIMAL_8_6_LIMIT = 100;
const MICROS = 1e6;

const hasAtMostSixDecimals = (v: number) => Math.abs(v * MICROS - Math.round(v * MICROS)) < 1e-6;
const price = z
  .number()
  .finite()
  .min(0, 'must be >= 0')
  .lt(DECIMAL_8_6_LIMIT, `must be below ${DECIMAL_8_6_LIMIT} (DECIMAL(8,6))`)
  .refine(hasAtMostSixDecimals, 'must have at most 6 decimal places (DECIMAL(8,6))');
const instant = z.coerce.date({ error: 'must be a valid date-time' });

const pricingModelInput = z
  .object({
    pricingModelId: z.string().trim().min(1).max(MAX_ID_LENGTH).optional(),
    modelName: z.string().trim().min(1).max(100),
    provider: z.string().trim().min(1).max(50),
    inputPricePer1k: price,
    outputPricePer1k: price,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be 3 uppercase letters (ISO 4217)').default('USD'),
    effectiveFrom: instant,
    effectiveTo: instant.nullish(),
  })
  .refine((p) => !p.effectiveTo || p.effectiveTo > p.effectiveFrom, {
    path: ['effectiveTo'],
    message: 'must be later than effectiveFrom',
  });

export type PricingModelInput = z.input<typeof pricingModelInput>;

/** `<model>@<effectiveFrom ISO>`, or a hash of it when that would not fit VARCHAR(100). */
export function pricingModelIdFor(modelName: string, effectiveFrom: Date): string {
  const readable = `${modelName}@${effectiveFrom.toISOString()}`;
  return readable.length <= MAX_ID_LENGTH ? readable : `pm-${sha256Hex(readable).slice(0, 40)}`;
}

/** Serialises every write to one model's windows, so two concurrent creates cannot both pass the overlap check. */
async function lockModel(trx: Knex.Transaction, modelName: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`pricing_models:${modelName}`]);
}

const sameInstant = (a: Date | null | undefined, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

type PriceFields = Pick<PricingModel, 'modelName' | 'provider' | 'inputPricePer1k' | 'outputPricePer1k' | 'currency' | 'effectiveFrom' | 'effectiveTo'>;

function samePrice(a: PriceFields, b: PriceFields): boolean {
  return (
    a.modelName === b.modelName &&
    a.provider === b.provider &&
    a.inputPricePer1k === b.inputPricePer1k &&
    a.outputPricePer1k === b.outputPricePer1k &&
    a.currency === b.currency &&
    sameInstant(a.effectiveFrom, b.effectiveFrom) &&
    sameInstant(a.effectiveTo, b.effectiveTo)
  );
}

const describeWindow = (p: Pick<PricingModel, 'effectiveFrom' | 'effectiveTo'>) =>
  `[${p.effectiveFrom.toISOString()}, ${p.effectiveTo ? p.effectiveTo.toISOString() : 'open'})`;

async function insertPricingModel(trx: Knex.Transaction, row: PriceFields & { pricingModelId: string }): Promise<PricingModel> {
  return PricingModel.query(trx).insertAndFetch({ ...row, effectiveTo: row.effectiveTo ?? null });
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Adds a price window. Re-creating an identical row is a no-op (retry-safe); anything that would
 * overlap another window of the model, or reuse an id with other values, is a PricingConflictError.
 */
export async function createPricingModel(db: Knex, input: PricingModelInput): Promise<PricingModel> {
  const p = parseInput(pricingModelInput, input);
  const row = {
    pricingModelId: p.pricingModelId ?? pricingModelIdFor(p.modelName, p.effectiveFrom),
    modelName: p.modelName,
    provider: p.provider,
    inputPricePer1k: p.inputPricePer1k,
    outputPricePer1k: p.outputPricePer1k,
    currency: p.currency,
    effectiveFrom: p.effectiveFrom,
    effectiveTo: p.effectiveTo ?? null,
  };
  try {
    return await db.transaction(async (trx) => {
      await lockModel(trx, row.modelName);
      const existing = await PricingModel.query(trx).findById(row.pricingModelId);
      if (existing) {
        if (samePrice(existing, row)) return existing;
        throw new PricingConflictError(existing.pricingModelId, `pricing_model_id ${existing.pricingModelId} already exists with other values`);
      }
      const overlapping = await PricingModel.query(trx)
        .where('model_name', row.modelName)
        .modify((q) => {
          if (row.effectiveTo) q.where('effective_from', '<', row.effectiveTo);
        })
        .where((q) => q.whereNull('effective_to').orWhere('effective_to', '>', row.effectiveFrom))
        .orderBy('effective_from')
        .first();
      if (overlapping) {
        throw new PricingConflictError(
          overlapping.pricingModelId,
          `price window ${describeWindow(row)} for ${row.modelName} overlaps ${overlapping.pricingModelId} ${describeWindow(overlapping)}`,
        );
      }
      return insertPricingModel(trx, row);
    });
  } catch (error) {
    // Only a concurrent create of the same explicit id under another model name gets this far.
    if (isUniqueViolation(error)) throw new PricingConflictError(row.pricingModelId, `pricing_model_id ${row.pricingModelId} already exists`);
    throw error;
  }
}

/**
 * Ends an open window. Closing again at the same instant is a no-op (retry-safe); moving the end of
 * an already closed window is refused, because jobs may already have been costed against it.
 */
export async function closePricingModel(db: Knex, pricingModelId: string, effectiveTo: Date | string): Promise<PricingModel> {
  const end = parseInput(z.object({ effectiveTo: instant }), { effectiveTo }).effectiveTo;
  return db.transaction(async (trx) => {
    const found = await PricingModel.query(trx).findById(pricingModelId);
    if (!found) throw new MlopsNotFoundError(`pricing model ${pricingModelId} not found`);
    await lockModel(trx, found.modelName);
    const current = await PricingModel.query(trx).findById(pricingModelId).forUpdate().throwIfNotFound();
    if (end <= current.effectiveFrom) {
      throw new MlopsInputError('effectiveTo', `effectiveTo must be later than effectiveFrom (${current.effectiveFrom.toISOString()})`);
    }
    if (current.effectiveTo) {
      if (sameInstant(current.effectiveTo, end)) return current;
      throw new PricingConflictError(pricingModelId, `pricing model ${pricingModelId} is already closed at ${current.effectiveTo.toISOString()}`);
    }
    return current.$query(trx).patchAndFetch({ effectiveTo: end });
  });
}

export interface PricingModelFilter {
  modelName?: string;
  provider?: string;
  /** Only the windows in effect at this instant. */
  at?: Date;
}

export async function listPricingModels(db: Knex, filter: PricingModelFilter = {}): Promise<PricingModel[]> {
  return PricingModel.query(db)
    .modify((q) => {
      if (filter.modelName) q.where('model_name', filter.modelName);
      if (filter.provider) q.where('provider', filter.provider);
      if (filter.at) {
        const at = filter.at;
        q.where('effective_from', '<=', at).where((w) => w.whereNull('effective_to').orWhere('effective_to', '>', at));
      }
    })
    .orderBy(['model_name', 'effective_from']);
}

/** The price table (or the part for these models), to cost many nodes without a query per node. */
export async function loadPrices(db: Knex, modelNames?: readonly string[]): Promise<PricingModel[]> {
  return PricingModel.query(db).modify((q) => {
    if (modelNames) q.whereIn('model_name', [...modelNames]);
  });
}

/** The window of this model in effect at `at` — by the call time, not the newest (peers §2.2). */
export function priceAt(prices: readonly PricingModel[], modelName: string, at: Date): PricingModel | undefined {
  const t = at.getTime();
  return prices.find(
    (p) => p.modelName === modelName && p.effectiveFrom.getTime() <= t && (!p.effectiveTo || t < p.effectiveTo.getTime()),
  );
}
