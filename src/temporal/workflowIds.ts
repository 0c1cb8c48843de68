/**
 * Deterministic workflow ids: one run per job or batch, found by id in the Temporal UI. The prefix
 * (TEMPORAL_WORKFLOW_ID_PREFIX) keeps deployments that share a namespace, each with its own database
 * and so its own ids, apart.
 */
export const batchWorkflowId = (prefix: string, batchId: number): string => `${prefix}-batch-${batchId}`;
export const jobWorkflowId = (prefix: string, jobId: number): string => `${prefix}-job-${jobId}`;

export function temporalUiWorkflowUrl(uiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${uiBaseUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
