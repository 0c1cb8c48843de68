/** Deterministic workflow ids: one run per job or batch, found by id in the Temporal UI. */
export const batchWorkflowId = (batchId: number): string => `sast-batch-${batchId}`;
export const jobWorkflowId = (jobId: number): string => `sast-job-${jobId}`;

export function temporalUiWorkflowUrl(uiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${uiBaseUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
