import { createRoute, z } from '@hono/zod-openapi';
import { resolveRunDefinitionId, UnknownRunDefinitionError } from '../../batches/batchRunDefinition.js';
import { cancelBatchRequest, submitBatch } from '../../batches/batchService.js';
import { skippedRowsOf } from '../../batches/prepareBatch.js';
import { JobInputError } from '../../jobs/jobInput.js';
import { NotCancellableError, WorkflowStartError } from '../../jobs/jobService.js';
import { Job, JobBatch } from '../../models/index.js';
import { readMemo } from '../../temporal/memo.js';
import { batchWorkflowId } from '../../temporal/workflowIds.js';
import type { ApiDeps } from '../deps.js';
import { toBatchResponse, toJobResponse } from '../mappers.js';
import { badRequest, conflict, HttpProblem, notFound } from '../problem.js';
import { createRouter } from '../router.js';
import { IdParam, json, jsonBody, PageQuery, problem } from '../schemas/common.js';
import { BatchListQuery, JobBatchResponseSchema, JobBatchSubmissionSchema } from '../schemas/batches.js';
import { CancelRequestSchema, JobResponseSchema } from '../schemas/jobs.js';

const BatchIdParam = IdParam('batchId');

const submit = createRoute({
  method: 'post',
  path: '/job-batches',
  tags: ['job-batches'],
  summary: 'Submit a batch: a Google Sheet or CSV of NVRs, or an inline list of jobs',
  request: { body: jsonBody(JobBatchSubmissionSchema) },
  responses: {
    201: json(JobBatchResponseSchema, 'The batch was recorded and its workflow started'),
    400: problem('Invalid input; nothing was written'),
    413: problem('Body too large'),
    503: problem('Temporal could not start the batch; the batch is marked FAILED'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/job-batches',
  tags: ['job-batches'],
  summary: 'List batches, newest first',
  request: { query: BatchListQuery },
  responses: { 200: json(z.array(JobBatchResponseSchema), 'One page of batches'), 400: problem('Invalid query parameter') },
});

const get = createRoute({
  method: 'get',
  path: '/job-batches/{batchId}',
  tags: ['job-batches'],
  summary: 'One batch, with its counters, skipped rows and failure reason',
  request: { params: BatchIdParam },
  responses: { 200: json(JobBatchResponseSchema, 'The batch'), 404: problem('No such batch') },
});

const jobsOfBatch = createRoute({
  method: 'get',
  path: '/job-batches/{batchId}/jobs',
  tags: ['job-batches'],
  summary: "The batch's jobs, in input order",
  request: { params: BatchIdParam, query: z.object(PageQuery) },
  responses: { 200: json(z.array(JobResponseSchema), 'One page of jobs'), 404: problem('No such batch') },
});

const cancel = createRoute({
  method: 'post',
  path: '/job-batches/{batchId}/cancel',
  tags: ['job-batches'],
  summary: 'Cancel a batch: no further job starts, running pipelines are stopped, the batch ends CANCELLED',
  request: { params: BatchIdParam, body: jsonBody(CancelRequestSchema, false) },
  responses: {
    200: json(JobBatchResponseSchema, 'The batch, now CANCELLED'),
    404: problem('No such batch'),
    409: problem('The batch already ended'),
  },
});

async function findBatchOr404(batchId: number): Promise<JobBatch> {
  const batch = await JobBatch.query().findById(batchId).withGraphFetched('runDefinition');
  if (!batch) throw notFound('job batch', batchId);
  return batch;
}

export function batchRoutes(deps: ApiDeps) {
  const { config, client } = deps;
  return createRouter()
    .openapi(submit, async (c) => {
      const body = c.req.valid('json');
      try {
        const jobBatchRunDefinitionId = await resolveRunDefinitionId(deps.knex, body.pipelineDefinitionId ?? null);
        const batch = await submitBatch(deps, { ...body, jobBatchRunDefinitionId });
        return c.json(toBatchResponse(config, await findBatchOr404(batch.id)), 201);
      } catch (err) {
        if (err instanceof JobInputError) throw badRequest(err.field, err.message);
        if (err instanceof UnknownRunDefinitionError) throw badRequest('pipelineDefinitionId', err.message);
        if (err instanceof WorkflowStartError) throw new HttpProblem(503, 'Service Unavailable', err.message);
        throw err;
      }
    })
    .openapi(list, async (c) => {
      const { status, submittedBy, page, size } = c.req.valid('query');
      const query = JobBatch.query().withGraphFetched('runDefinition').orderBy([{ column: 'submitted_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
      if (status) query.where({ status });
      if (submittedBy) query.where({ submitted_by: submittedBy });
      const { results, total } = await query.page(page, size);
      c.header('X-Total-Count', String(total));
      return c.json(results.map((batch) => toBatchResponse(config, batch)), 200);
    })
    .openapi(get, async (c) => {
      const batch = await findBatchOr404(c.req.valid('param').batchId);
      const skippedRows = await skippedRowsOf(batch.id);
      const failureReason = batch.status === 'FAILED' ? (await readMemo(client, batchWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, batch.id))).failure : undefined;
      return c.json(
        { ...toBatchResponse(config, batch), skippedRows, ...(typeof failureReason === 'string' ? { failureReason } : {}) },
        200,
      );
    })
    .openapi(jobsOfBatch, async (c) => {
      const batch = await findBatchOr404(c.req.valid('param').batchId);
      const { page, size } = c.req.valid('query');
      const { results, total } = await Job.query().where({ job_batch_id: batch.id }).orderBy('id').page(page, size);
      c.header('X-Total-Count', String(total));
      return c.json(results.map((job) => toJobResponse(config, job)), 200);
    })
    .openapi(cancel, async (c) => {
      const batch = await findBatchOr404(c.req.valid('param').batchId);
      const request = c.req.valid('json') ?? {};
      try {
        const cancelled = await cancelBatchRequest(deps, batch, {
          operator: request.operator ?? 'api',
          reason: request.reason ?? 'cancelled through the API',
        });
        return c.json(toBatchResponse(config, await findBatchOr404(cancelled.id)), 200);
      } catch (err) {
        if (err instanceof NotCancellableError) throw conflict(err.message);
        throw err;
      }
    });
}
