import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Messages shared by the workflows and the API that sends them. */

export interface CancelRequest {
  operator: string;
  reason: string;
}

export interface PipelineActivityOptions {
  taskQueue: string;
  heartbeatTimeoutMs: number;
  timeoutMinutes: number;
}

/** Sent by the API to a batch or a job; same effect as a cancellation from the Temporal UI, plus who and why. */
export const cancelSignal = defineSignal<[CancelRequest]>('cancel');
/** Sent by the pipeline activity once the pipeline has a slot and has started. */
export const pipelineStartedSignal = defineSignal<[{ runUrl: string | null }]>('pipelineStarted');

export interface BatchProgress {
  batchId: number;
  pendingJobs: number;
  runningJobs: number[];
  cancelRequested: CancelRequest | null;
}
export const batchProgressQuery = defineQuery<BatchProgress>('progress');
export const jobStatusQuery = defineQuery<string>('status');
