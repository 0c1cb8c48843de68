import type { JobBatchStatus } from '../models/statuses.js';

/**
 * The existing service's rule for a batch that ran to its end: no jobs → COMPLETED_EMPTY; all completed →
 * COMPLETED; every job ended but some failed → COMPLETED_WITH_ERRORS; anything else → FAILED.
 */
export function finalBatchStatus(total: number, completed: number, failed: number): JobBatchStatus {
  if (total === 0) return 'COMPLETED_EMPTY';
  if (completed === total) return 'COMPLETED';
  if (completed + failed === total) return 'COMPLETED_WITH_ERRORS';
  return 'FAILED';
}
