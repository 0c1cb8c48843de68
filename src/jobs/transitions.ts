import type { JobStatus } from '../models/statuses.js';

/**
 * The job life cycle: PENDING → SCHEDULED → RUNNING → COMPLETED | FAILED, and CANCELLED or FAILED from any
 * non-terminal state. A transition applies only from these previous states, so repeating one is a no-op
 * and a retried or replayed activity can never move a job backwards.
 */
export const ALLOWED_PREVIOUS: Record<JobStatus, readonly JobStatus[]> = {
  PENDING: [],
  SCHEDULED: ['PENDING'],
  RUNNING: ['PENDING', 'SCHEDULED'],
  COMPLETED: ['RUNNING'],
  FAILED: ['PENDING', 'SCHEDULED', 'RUNNING'],
  CANCELLED: ['PENDING', 'SCHEDULED', 'RUNNING'],
};

export const isTerminalJobStatus = (status: JobStatus): boolean =>
  status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
