import { createRoute } from '@hono/zod-openapi';
import { batchLineage } from '../../../mlops/queries/lineage.js';
import { batchSummary } from '../../../mlops/queries/batchSummary.js';
import { JobBatchExecutionContext } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { createRouter } from '../../router.js';
import { IdParam, problem } from '../../schemas/common.js';
import { BatchSummarySchema } from '../../schemas/mlops/summary.js';
import { ExecutionContextSchema, LineageSchema } from '../../schemas/mlops/records.js';
import { toArtifactDto, toExecutionContextDto } from './mappers.js';
import { batchOr404, json, notRecorded } from './shared.js';

const BatchIdParam = IdParam('batchId');

const summary = createRoute({
  method: 'get',
  path: '/job-batches/{batchId}/summary',
  tags: ['mlops'],
  summary: "A batch's tokens and cost by model and node, job counts, and quality (micro and macro)",
  request: { params: BatchIdParam },
  responses: { 200: json(BatchSummarySchema, 'The summary'), 404: problem('No such batch') },
});

const executionContext = createRoute({
  method: 'get',
  path: '/job-batches/{batchId}/execution-context',
  tags: ['mlops'],
  summary: 'Where and with which configuration a batch ran',
  request: { params: BatchIdParam },
  responses: { 200: json(ExecutionContextSchema, 'The execution context'), 404: problem('No such batch, or no context recorded') },
});

const lineage = createRoute({
  method: 'get',
  path: '/job-batches/{batchId}/lineage',
  tags: ['mlops'],
  summary: 'The data artifacts a batch consumed and produced',
  request: { params: BatchIdParam },
  responses: { 200: json(LineageSchema, 'The lineage with its artifacts'), 404: problem('No such batch, or no lineage recorded') },
});

export function batchRecordRoutes(deps: ApiDeps) {
  const { knex } = deps;
  return createRouter()
    .openapi(summary, async (c) => {
      const batch = await batchOr404(c.req.valid('param').batchId);
      return c.json(await batchSummary(knex, batch.id), 200);
    })
    .openapi(executionContext, async (c) => {
      const batch = await batchOr404(c.req.valid('param').batchId);
      const row = await JobBatchExecutionContext.query(knex).findById(batch.id);
      if (!row) throw notRecorded(`job batch ${batch.id} has no execution context recorded; it is recorded when the batch starts running`);
      return c.json(toExecutionContextDto(row), 200);
    })
    .openapi(lineage, async (c) => {
      const batch = await batchOr404(c.req.valid('param').batchId);
      const found = await batchLineage(knex, batch.id);
      if (!found) throw notRecorded(`job batch ${batch.id} has no lineage recorded; it is recorded as its jobs' outputs are ingested`);
      return c.json(
        {
          batchId: batch.id,
          lineageId: found.lineage.lineageId,
          transformationType: found.lineage.transformationType,
          createdAt: found.lineage.createdAt.toISOString(),
          entries: found.entries.map(({ entry, artifact }) => ({
            artifactId: entry.artifactId,
            role: entry.role,
            artifactType: entry.artifactType,
            jobId: entry.jobId ?? null,
            artifact: artifact ? toArtifactDto(artifact) : null,
          })),
        },
        200,
      );
    });
}
