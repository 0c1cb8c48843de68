/** The value sets of the seed's CHECK constraints. */
export const JOB_STATUSES = ['PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_BATCH_STATUSES = [
  'PROCESSING',
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
  'COMPLETED_EMPTY',
  'FAILED',
  'CANCELLED',
] as const;
export type JobBatchStatus = (typeof JOB_BATCH_STATUSES)[number];

export const INPUT_SOURCE_TYPES = ['SARIF', 'GOOGLE_SHEET'] as const;
export type InputSourceType = (typeof INPUT_SOURCE_TYPES)[number];
