import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';

/**
 * A client whose connection is made on first use: the API starts, and its health reports Temporal DOWN,
 * while Temporal cannot be reached; calls succeed once it can.
 */
export async function connectClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Promise<Client> {
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export const pipelineTaskQueue = (taskQueue: string): string => `${taskQueue}-pipelines`;

/** Activity options for pipelines, handed to the workflows in their input so that workflow code reads no config. */
export function pipelineActivityOptions(config: Config) {
  return {
    taskQueue: pipelineTaskQueue(config.TEMPORAL_TASK_QUEUE),
    heartbeatTimeoutMs: config.PIPELINE_HEARTBEAT_TIMEOUT_MS,
    timeoutMinutes: config.PIPELINE_TIMEOUT_MINUTES,
  };
}
