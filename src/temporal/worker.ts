import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import { pipelineTaskQueue } from './client.js';
import { routeTemporalLogs } from './logging.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL(`../../workflows/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export interface Workers {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Two workers in one process: the orchestration queue runs the workflows and the short database activities;
 * the pipeline queue runs at most PIPELINE_CONCURRENCY pipelines at once, across all batches.
 */
export async function createWorkers(deps: ActivityDeps, options: { workflowBundle?: { code: string } } = {}): Promise<Workers> {
  const { config } = deps;
  routeTemporalLogs(config.LOG_LEVEL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const activities = createActivities(deps);
  const orchestration = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
  });
  const pipelines = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: pipelineTaskQueue(config.TEMPORAL_TASK_QUEUE),
    activities: { runPipeline: activities.runPipeline },
    maxConcurrentActivityTaskExecutions: config.PIPELINE_CONCURRENCY,
  });
  return {
    async run() {
      try {
        await Promise.all([orchestration.run(), pipelines.run()]);
      } finally {
        await connection.close();
      }
    },
    shutdown() {
      for (const worker of [orchestration, pipelines]) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      }
    },
  };
}
