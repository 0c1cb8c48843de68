import { ApplicationFailure } from '@temporalio/activity';
import { cancelBatch, findBatch, finishBatch } from '../src/batches/batchRepository.js';
import { prepareBatch, type PreparedBatch } from '../src/batches/prepareBatch.js';
import type { JobBatchStatus } from '../src/models/statuses.js';
import type { ActivityDeps } from './deps.js';

export function batchActivities(deps: ActivityDeps) {
  const { knex } = deps;
  return {
    /** Reads the batch's input and creates its job rows, once; an unreadable input is a result, not a retry. */
    async prepareBatch(batchId: number): Promise<PreparedBatch> {
      const batch = await findBatch(batchId);
      if (!batch) throw ApplicationFailure.nonRetryable(`job_batch ${batchId} does not exist`, 'BatchNotFound');
      return prepareBatch({ config: deps.config, knex, pipelineResources: { runner: deps.runner.kind, concurrencyPerWorker: deps.config.PIPELINE_CONCURRENCY } }, batch);
    },
    async finishBatch(batchId: number, status?: JobBatchStatus): Promise<JobBatchStatus> {
      return finishBatch(knex, batchId, status);
    },
    async cancelBatch(batchId: number): Promise<boolean> {
      return cancelBatch(knex, batchId);
    },
  };
}
