import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { activityInfo, Context, CancelledFailure } from '@temporalio/activity';
import { setJobRunUrl, transitionJob } from '../src/jobs/jobRepository.js';
import { Job } from '../src/models/index.js';
import type { PipelineExit, PipelineJob, PipelineOutputs, PipelineRun } from '../src/pipeline/runner.js';
import { jobWorkflowId, temporalUiWorkflowUrl } from '../src/temporal/workflowIds.js';
import { pipelineStartedSignal } from '../workflows/definitions.js';
import type { ActivityDeps } from './deps.js';

export type PipelineActivityResult =
  | { ran: false; status: string }
  | { ran: true; exit: PipelineExit; run: PipelineRun; outputs: PipelineOutputs | null };

interface Progress {
  run?: PipelineRun;
}

function pipelineJobOf(job: Job): PipelineJob {
  return {
    jobId: job.id,
    batchId: job.jobBatchId ?? null,
    packageNvr: job.packageNvr ?? '',
    projectName: job.projectName ?? '',
    projectVersion: job.projectVersion ?? '',
    repoRemoteUrl: job.packageSourceCodeUrl ?? null,
    falsePositivesUrl: job.knownFalsePositivesUrl ?? null,
    inputReportUrl: job.googleSheetUrl ?? null,
    useKnownFalsePositiveFile: Boolean(job.knownFalsePositivesUrl),
    humanVerifiedFilePath: null,
    secretName: job.settings?.[0]?.secretName ?? null,
  };
}

export function pipelineActivities({ config, knex, runner, client }: ActivityDeps) {
  return {
    /**
     * Runs on the pipeline task queue, whose worker takes at most PIPELINE_CONCURRENCY at once: holding a slot is
     * what moves the job to RUNNING. Heartbeats carry the run so that a retry after a worker died can reclaim it.
     */
    async runPipeline(jobId: number): Promise<PipelineActivityResult> {
      const ctx = Context.current();
      const info = activityInfo();
      const previous = (info.heartbeatDetails as Progress | undefined)?.run;
      if (previous) await runner.reclaim(previous);

      const workflowId = jobWorkflowId(config.TEMPORAL_WORKFLOW_ID_PREFIX, jobId);
      const runLink = temporalUiWorkflowUrl(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, workflowId);
      const transition = await transitionJob(knex, jobId, 'RUNNING', { tektonUrl: runLink });
      const job = transition && (await Job.query(knex).findById(jobId).withGraphFetched('settings'));
      if (!job) return { ran: false, status: 'MISSING' };
      // A retry finds the job RUNNING already; anything else means it was cancelled or ended meanwhile.
      if (job.status !== 'RUNNING') return { ran: false, status: job.status };

      const outputDir = join(config.PIPELINE_OUTPUT_ROOT, `job-${jobId}`, `attempt-${info.attempt}-${randomBytes(3).toString('hex')}`);
      const run = await runner.start(pipelineJobOf(job), outputDir);
      ctx.heartbeat({ run } satisfies Progress);
      if (run.runUrl) await setJobRunUrl(knex, jobId, run.runUrl);
      await client.workflow
        .getHandle(workflowId)
        .signal(pipelineStartedSignal, { runUrl: run.runUrl ?? runLink })
        .catch(() => undefined); // the UI status is a nicety; the row is the record

      const stop = () => void runner.cancel(run);
      ctx.cancellationSignal.addEventListener('abort', stop, { once: true });
      try {
        const exit = await runner.watch(run, (progress) => ctx.heartbeat({ run, ...progress }));
        if (exit.status === 'cancelled' || ctx.cancellationSignal.aborted) {
          throw new CancelledFailure('pipeline cancelled');
        }
        return { ran: true, exit, run, outputs: await runner.collectOutputs(run).catch(() => null) };
      } finally {
        ctx.cancellationSignal.removeEventListener('abort', stop);
      }
    },
  };
}
