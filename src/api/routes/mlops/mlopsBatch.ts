import { createRoute } from '@hono/zod-openapi';
import { mlopsBatchDetailed } from '../../../mlops/queries/mlopsBatchDetailed.js';
import type { ApiDeps } from '../../deps.js';
import { notFound } from '../../problem.js';
import { createRouter } from '../../router.js';
import { IdParam, problem } from '../../schemas/common.js';
import { MlOpsBatchDetailedSchema } from '../../schemas/mlops/mlopsBatch.js';
import { json } from './shared.js';

const detailed = createRoute({
  method: 'get',
  path: '/mlops-batch/{batchId}/detailed',
  tags: ['mlops'],
  summary: "A batch in the existing service's MlOpsBatchDetailedResponseDto shape, with each job's metrics",
  request: { params: IdParam('batchId') },
  responses: { 200: json(MlOpsBatchDetailedSchema, 'The batch and its jobs'), 404: problem('No such batch') },
});

export function mlopsBatchRoutes(deps: ApiDeps) {
  return createRouter().openapi(detailed, async (c) => {
    const { batchId } = c.req.valid('param');
    const body = await mlopsBatchDetailed(deps.knex, batchId);
    if (!body) throw notFound('job batch', batchId);
    return c.json(body, 200);
  });
}
