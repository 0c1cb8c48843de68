import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { slidingWindowParent } from './baselineWorkflows.js';
import { HANG_DEADLINE_MS, withDeadline } from './deadline.js';

const BASELINE_WORKFLOWS_PATH = fileURLToPath(new URL(`./baselineWorkflows${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export interface BaselineRun {
  workflowId: string;
  /** Before start → the parent's result, on this process's monotonic clock. */
  callerMs: number;
  /** The parent's start → close as the Temporal server recorded them. */
  serverMs: number | null;
}

/**
 * N empty children through a sliding window of `maxParallel`, on a worker and task queue of their own, on the
 * same server as our batches: what Temporal itself costs for the shape of a batch.
 */
export async function runBaseline(address: string, namespace: string, children: number, maxParallel: number): Promise<BaselineRun> {
  const taskQueue = `bench-baseline-${randomBytes(3).toString('hex')}`;
  const workerConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const worker = await Worker.create({ connection: workerConnection, namespace, taskQueue, workflowsPath: BASELINE_WORKFLOWS_PATH });
    const workflowId = `${taskQueue}-parent`;
    const started = performance.now();
    const parent = client.workflow.execute<typeof slidingWindowParent>('slidingWindowParent', {
      taskQueue,
      workflowId,
      args: [{ children, maxParallel }],
    });
    await worker.runUntil(withDeadline(parent, HANG_DEADLINE_MS, `baseline ${workflowId} to end`));
    const callerMs = performance.now() - started;
    const { startTime, closeTime } = await client.workflow.getHandle(workflowId).describe();
    return { workflowId, callerMs, serverMs: closeTime ? closeTime.getTime() - startTime.getTime() : null };
  } finally {
    await connection.close();
    await workerConnection.close();
  }
}
