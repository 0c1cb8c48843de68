import { createRoute, z } from '@hono/zod-openapi';
import { closePricingModel, createPricingModel, listPricingModels } from '../../../mlops/pricing.js';
import { repriceJobs } from '../../../mlops/reprice.js';
import { PricingModel } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { notFound } from '../../problem.js';
import { createRouter } from '../../router.js';
import { problem } from '../../schemas/common.js';
import {
  ClosePricingSchema,
  PricingListQuery,
  PricingModelCreateSchema,
  PricingModelIdParam,
  PricingModelSchema,
  RepriceRequestSchema,
  RepriceResultSchema,
} from '../../schemas/mlops/pricing.js';
import { toPricingModelDto } from './mappers.js';
import { json, jsonBody, mapErrors } from './shared.js';

const list = createRoute({
  method: 'get',
  path: '/pricing-models',
  tags: ['pricing'],
  summary: 'Price windows, by model then start',
  request: { query: PricingListQuery },
  responses: { 200: json(z.array(PricingModelSchema), 'The matching windows'), 400: problem('Invalid query parameter') },
});

const create = createRoute({
  method: 'post',
  path: '/pricing-models',
  tags: ['pricing'],
  summary: 'Add a price window for a model',
  request: { body: jsonBody(PricingModelCreateSchema) },
  responses: {
    201: json(PricingModelSchema, 'Created (or an identical window already existed)'),
    400: problem('Invalid input'),
    409: problem('Overlaps another window of the model, or the id exists with other values; the detail names the stored id'),
  },
});

const get = createRoute({
  method: 'get',
  path: '/pricing-models/{pricingModelId}',
  tags: ['pricing'],
  summary: 'One price window',
  request: { params: PricingModelIdParam },
  responses: { 200: json(PricingModelSchema, 'The window'), 404: problem('No such pricing model') },
});

const close = createRoute({
  method: 'post',
  path: '/pricing-models/{pricingModelId}/close',
  tags: ['pricing'],
  summary: 'End an open price window',
  request: { params: PricingModelIdParam, body: jsonBody(ClosePricingSchema) },
  responses: {
    200: json(PricingModelSchema, 'The closed window (closing again at the same instant changes nothing)'),
    400: problem('effectiveTo missing, invalid or not after effectiveFrom'),
    404: problem('No such pricing model'),
    409: problem('Already closed at another instant'),
  },
});

const reprice = createRoute({
  method: 'post',
  path: '/pricing-models/reprice',
  tags: ['pricing'],
  summary: "Cost every job's stored tokens again against the current price table",
  request: { body: jsonBody(RepriceRequestSchema, false) },
  responses: { 200: json(RepriceResultSchema, 'The changes (written only when dryRun is false)'), 400: problem('Invalid input') },
});

export function pricingRoutes(deps: ApiDeps) {
  const { knex } = deps;
  return createRouter()
    .openapi(list, async (c) => {
      const { modelName, provider, at } = c.req.valid('query');
      const rows = await listPricingModels(knex, { modelName, provider, at: at ? new Date(at) : undefined });
      return c.json(rows.map(toPricingModelDto), 200);
    })
    .openapi(reprice, async (c) => {
      // Without a JSON body the validator passes {} unparsed; parsing here applies the dryRun default.
      const { dryRun, modelName } = RepriceRequestSchema.parse(c.req.valid('json') ?? {});
      return c.json(await repriceJobs(knex, { apply: !dryRun, modelName }), 200);
    })
    .openapi(create, async (c) => {
      const row = await mapErrors(() => createPricingModel(knex, c.req.valid('json')));
      return c.json(toPricingModelDto(row), 201);
    })
    .openapi(get, async (c) => {
      const { pricingModelId } = c.req.valid('param');
      const row = await PricingModel.query(knex).findById(pricingModelId);
      if (!row) throw notFound('pricing model', pricingModelId);
      return c.json(toPricingModelDto(row), 200);
    })
    .openapi(close, async (c) => {
      const { pricingModelId } = c.req.valid('param');
      const row = await mapErrors(() => closePricingModel(knex, pricingModelId, c.req.valid('json').effectiveTo));
      return c.json(toPricingModelDto(row), 200);
    });
}
