import type { Client } from '@temporalio/client';

/** What a workflow wrote in its memo (failure reasons, skipped rows), or {} when Temporal has no such run. */
export async function readMemo(client: Client, workflowId: string): Promise<Record<string, unknown>> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return (description.memo ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}
