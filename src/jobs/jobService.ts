import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { logger } from '../logger.js';
import { Job } from '../models/index.js';
import type { JobStatus } from '../models/statuses.js';
import { startJobWorkflow } from '../temporal/starters.js';
import { jobWorkflowId } from '../temporal/workflowIds.js';
import { cancelSignal, type CancelRequest } from '../../workflows/definitions.js';
import { resolveJobInput, type JobRequest } from './jobInput.js';
import { insertJobs, transitionJob } from './jobRepository.js';
import { isTerminalJobStatus } from './transitions.js';

export interface ServiceDeps {
  config: Config;
  knex: Knex;
  client: Client;
}

export type SubmitOutcome =
  | { kind: 'created'; job: Job }
  | { kind: 'cached'; job: Job }
  | { kind: 'existing'; job: Job };

export class WorkflowStartError extends Error {}
export class NotCancellableError extends Error {}

const ACTIVE: JobStatus[] = ['PENDING', 'SCHEDULED', 'RUNNING'];

/**
 * POST /jobs/simple: a finished analysis of the same NVR and input type is returned as a cached result and a
 * running one as an existing run, unless forceRescan. An advisory lock on that key makes two identical
 * submissions at once yield one job.
 */
export async function submitJob(deps: ServiceDeps, request: JobRequest & { secretName?: string | null }): Promise<SubmitOutcome> {
  const { config, knex, client } = deps;
  const input = resolveJobInput(request, {
    knownFalsePositivesUrlTemplate: config.KNOWN_FALSE_POSITIVES_URL_TEMPLATE,
    sourceRpmUrlTemplate: config.SOURCE_RPM_URL_TEMPLATE,
  });
  const outcome = await knex.transaction(async (trx): Promise<SubmitOutcome> => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`job:${input.packageNvr}:${input.inputSourceType}`]);
    if (!request.forceRescan) {
      const same = () => Job.query(trx).where({ package_nvr: input.packageNvr, input_source_type: input.inputSourceType });
      const completed = await same().where('status', 'COMPLETED').orderBy('completed_at', 'desc').first();
      if (completed) return { kind: 'cached', job: completed };
      const running = await same().whereIn('status', ACTIVE).orderBy('created_at', 'desc').first();
      if (running) return { kind: 'existing', job: running };
    }
    const [job] = await insertJobs(trx, [{ ...input, secretName: request.secretName ?? config.DEFAULT_SECRET_NAME }]);
    return { kind: 'created', job: job! };
  });
  if (outcome.kind !== 'created') return outcome;

  try {
    await startJobWorkflow(client, config, outcome.job);
  } catch (err) {
    logger.error({ err, jobId: outcome.job.id }, 'could not start the job workflow');
    await transitionJob(knex, outcome.job.id, 'FAILED');
    throw new WorkflowStartError(`the job was recorded as ${outcome.job.id} but Temporal could not start it: ${String(err)}`);
  }
  return outcome;
}

/**
 * Tells the job's workflow to stop its pipeline, and mirrors CANCELLED at once so that the next read shows it.
 * The guarded transition makes the workflow's own later write a no-op.
 */
export async function cancelJob(deps: ServiceDeps, job: Job, request: CancelRequest): Promise<Job> {
  if (isTerminalJobStatus(job.status)) throw new NotCancellableError(`job ${job.id} is already ${job.status}`);
  try {
    await deps.client.workflow.getHandle(jobWorkflowId(deps.config.TEMPORAL_WORKFLOW_ID_PREFIX, job.id)).signal(cancelSignal, request);
  } catch (err) {
    // No run to tell (never started, or already closed): the row is all there is to cancel.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const result = await transitionJob(deps.knex, job.id, 'CANCELLED');
  if (!result?.applied) throw new NotCancellableError(`job ${job.id} is already ${result?.job.status ?? 'gone'}`);
  logger.info({ jobId: job.id, operator: request.operator, reason: request.reason }, 'job cancelled');
  return result.job;
}
