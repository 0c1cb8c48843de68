import { createRoute } from '@hono/zod-openapi';
import { JobMetrics, JobTokenUsage, type Job } from '../../../models/index.js';
import { readMemo } from '../../../temporal/memo.js';
import { jobWorkflowId } from '../../../temporal/workflowIds.js';
import type { ApiDeps } from '../../deps.js';
import { createRouter } from '../../router.js';
import { IdParam, problem } from '../../schemas/common.js';
import { JobMetricsSchema, TokenUsageSchema } from '../../schemas/mlops/records.js';
import { jobOr404, json, notRecorded } from './shared.js';
import { toJobMetricsDto, toTokenUsageDto } from './mappers.js';

const JobIdParam = IdParam('jobId');

const tokenUsage = createRoute({
  method: 'get',
  path: '/jobs/{jobId}/token-usage',
  tags: ['mlops'],
  summary: "A job's tokens per node and their estimated cost",
  request: { params: JobIdParam },
  responses: { 200: json(TokenUsageSchema, 'The token usage'), 404: problem('No such job, or none recorded for it yet') },
});

const metrics = createRoute({
  method: 'get',
  path: '/jobs/{jobId}/metrics',
  tags: ['mlops'],
  summary: "A job's verdict counts and, with ground truth, its quality",
  request: { params: JobIdParam },
  responses: { 200: json(JobMetricsSchema, 'The metrics'), 404: problem('No such job, or none recorded for it yet') },
});

/** Both rows are written when the job's pipeline outputs are ingested, so a 404 on them says "not yet". */
export function jobRecordRoutes(deps: ApiDeps) {
  const { knex, client, config } = deps;

  /** Why there is no row: the problems the job's workflow found in the pipeline's outputs, if any. */
  async function outputProblems(job: Job): Promise<string> {
    const memo = await readMemo(client, jobWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, job.id));
    const problems = Array.isArray(memo.outputProblems) ? (memo.outputProblems as string[]) : [];
    return problems.length ? `; the pipeline's outputs had these problems: ${problems.join('; ')}` : '';
  }

  return createRouter()
    .openapi(tokenUsage, async (c) => {
      const job = await jobOr404(c.req.valid('param').jobId);
      const row = await JobTokenUsage.query(knex).findById(job.id);
      if (!row) {
        throw notRecorded(`job ${job.id} (${job.status}) has no token usage recorded; it is recorded when its pipeline finishes${await outputProblems(job)}`);
      }
      return c.json(toTokenUsageDto(row), 200);
    })
    .openapi(metrics, async (c) => {
      const job = await jobOr404(c.req.valid('param').jobId);
      const row = await JobMetrics.query(knex).findById(job.id);
      if (!row) {
        throw notRecorded(`job ${job.id} (${job.status}) has no metrics recorded; they are recorded when its pipeline finishes${await outputProblems(job)}`);
      }
      return c.json(toJobMetricsDto(row), 200);
    });
}
