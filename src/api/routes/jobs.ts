import { createRoute, z } from '@hono/zod-openapi';
import { JobInputError } from '../../jobs/jobInput.js';
import { cancelJob, NotCancellableError, submitJob, WorkflowStartError } from '../../jobs/jobService.js';
import { Job } from '../../models/index.js';
import { readMemo } from '../../temporal/memo.js';
import { jobWorkflowId } from '../../temporal/workflowIds.js';
import type { ApiDeps } from '../deps.js';
import { toJobResponse } from '../mappers.js';
import { badRequest, conflict, HttpProblem, notFound } from '../problem.js';
import { createRouter } from '../router.js';
import { IdParam, json, jsonBody, problem } from '../schemas/common.js';
import { CancelRequestSchema, JobCreationSchema, JobListQuery, JobResponseSchema } from '../schemas/jobs.js';


const createJob = createRoute({
  method: 'post',
  path: '/jobs/simple',
  tags: ['jobs'],
  summary: 'Submit one package for analysis',
  request: { body: jsonBody(JobCreationSchema) },
  responses: {
    201: json(JobResponseSchema, 'A new job was created and its workflow started'),
    200: json(JobResponseSchema, 'The same NVR and input type already completed (isCachedResult) or is running (isExistingRun)'),
    400: problem('Invalid input; nothing was written'),
    413: problem('Body too large'),
    503: problem('Temporal could not start the job; the job is marked FAILED'),
  },
});

const listJobs = createRoute({
  method: 'get',
  path: '/jobs',
  tags: ['jobs'],
  summary: 'List jobs, newest first',
  request: { query: JobListQuery },
  responses: { 200: json(z.array(JobResponseSchema), 'One page of jobs'), 400: problem('Invalid query parameter') },
});

const JobIdParam = IdParam('jobId');

const getJob = createRoute({
  method: 'get',
  path: '/jobs/{jobId}',
  tags: ['jobs'],
  summary: 'One job',
  request: { params: JobIdParam },
  responses: { 200: json(JobResponseSchema, 'The job'), 404: problem('No such job') },
});

const cancelJobRoute = createRoute({
  method: 'post',
  path: '/jobs/{jobId}/cancel',
  tags: ['jobs'],
  summary: 'Cancel a job: its running pipeline is stopped and it ends CANCELLED',
  request: { params: JobIdParam, body: jsonBody(CancelRequestSchema, false) },
  responses: {
    200: json(JobResponseSchema, 'The job, now CANCELLED'),
    404: problem('No such job'),
    409: problem('The job already ended'),
  },
});

export function jobRoutes(deps: ApiDeps) {
  const { config, client } = deps;
  return createRouter()
    .openapi(createJob, async (c) => {
      try {
        const outcome = await submitJob(deps, c.req.valid('json'));
        const body = toJobResponse(config, outcome.job, {
          isCachedResult: outcome.kind === 'cached',
          isExistingRun: outcome.kind === 'existing',
        });
        return outcome.kind === 'created' ? c.json(body, 201) : c.json(body, 200);
      } catch (err) {
        if (err instanceof JobInputError) throw badRequest(err.field, err.message);
        if (err instanceof WorkflowStartError) throw new HttpProblem(503, 'Service Unavailable', err.message);
        throw err;
      }
    })
    .openapi(listJobs, async (c) => {
      const { packageName, status, batchId, submittedBy, page, size } = c.req.valid('query');
      const query = Job.query().orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
      if (packageName) query.where({ package_name: packageName });
      if (status) query.where({ status });
      if (batchId) query.where({ job_batch_id: batchId });
      if (submittedBy) query.where({ submitted_by: submittedBy });
      const { results, total } = await query.page(page, size);
      c.header('X-Total-Count', String(total));
      return c.json(results.map((job) => toJobResponse(config, job)), 200);
    })
    .openapi(getJob, async (c) => {
      const { jobId } = c.req.valid('param');
      const job = await Job.query().findById(jobId);
      if (!job) throw notFound('job', jobId);
      const body = toJobResponse(config, job);
      if (job.status !== 'FAILED') return c.json(body, 200);
      const memo = await readMemo(client, jobWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, job.id));
      return c.json({ ...body, failureReason: typeof memo.failure === 'string' ? memo.failure : null }, 200);
    })
    .openapi(cancelJobRoute, async (c) => {
      const { jobId } = c.req.valid('param');
      const request = c.req.valid('json') ?? {};
      const job = await Job.query().findById(jobId);
      if (!job) throw notFound('job', jobId);
      try {
        const cancelled = await cancelJob(deps, job, {
          operator: request.operator ?? 'api',
          reason: request.reason ?? 'cancelled through the API',
        });
        return c.json(toJobResponse(config, cancelled), 200);
      } catch (err) {
        if (err instanceof NotCancellableError) throw conflict(err.message);
        throw err;
      }
    });
}
