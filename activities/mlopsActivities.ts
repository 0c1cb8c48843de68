import { ApplicationFailure } from '@temporalio/activity';
import { ingestJobOutputs } from '../src/mlops/ingest.js';
import { Job } from '../src/models/index.js';
import type { ActivityDeps } from './deps.js';

export function mlopsActivities({ knex }: ActivityDeps) {
  return {
    /** Token usage and cost, quality metrics and output artifacts of one finished pipeline run. */
    async ingestJobOutputs({ jobId, outputDir }: { jobId: number; outputDir: string }) {
      const job = await Job.query().findById(jobId);
      if (!job) throw ApplicationFailure.nonRetryable(`job ${jobId} does not exist`, 'JobNotFound');
      const report = await ingestJobOutputs(knex, {
        jobId,
        batchId: job.jobBatchId ?? null,
        packageName: job.packageName ?? job.packageNvr ?? '',
        startedAt: job.startedAt ?? job.createdAt,
        outputDir,
      });
      return { problems: report.problems.map((p) => `${p.file}: ${p.problem}${p.detail ? ` (${p.detail})` : ''}`) };
    },
  };
}
