import { condition, executeChild, workflowInfo } from '@temporalio/workflow';

/**
 * The floor that batchWorkflow is compared against: the same sliding window of child workflows on the same
 * Temporal server, with children that do nothing — no database, no activities, no signals.
 */

export async function emptyChild(): Promise<void> {
  // Nothing: its cost is Temporal's cost of a child workflow.
}

export interface SlidingWindowInput {
  children: number;
  maxParallel: number;
}

/** Starts `children` empty children, at most `maxParallel` at once, and awaits every result. */
export async function slidingWindowParent({ children, maxParallel }: SlidingWindowInput): Promise<number> {
  const { workflowId } = workflowInfo();
  let running = 0;
  const results: Promise<void>[] = [];
  for (let i = 0; i < children; i++) {
    await condition(() => running < maxParallel);
    running += 1;
    results.push(
      executeChild(emptyChild, { workflowId: `${workflowId}-child-${i}` }).finally(() => {
        running -= 1;
      }),
    );
  }
  await Promise.all(results);
  return children;
}
