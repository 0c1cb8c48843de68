import { MlopsConflictError, MlopsInputError, MlopsNotFoundError } from '../../../mlops/errors.js';
import { Job, JobBatch } from '../../../models/index.js';
import { conflict, HttpProblem, notFound } from '../../problem.js';

export { json, jsonBody } from '../../schemas/common.js';

/** The MLOps write errors as problems; their messages already name the field or the conflicting record. */
export function asProblem(error: unknown): unknown {
  if (error instanceof MlopsInputError) return new HttpProblem(400, 'Bad Request', error.message, [{ field: error.field, message: error.message }]);
  if (error instanceof MlopsConflictError) return conflict(error.message);
  if (error instanceof MlopsNotFoundError) return new HttpProblem(404, 'Not Found', error.message);
  return error;
}

export async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asProblem(error);
  }
}

export async function jobOr404(jobId: number): Promise<Job> {
  const job = await Job.query().findById(jobId);
  if (!job) throw notFound('job', jobId);
  return job;
}

export async function batchOr404(batchId: number): Promise<JobBatch> {
  const batch = await JobBatch.query().findById(batchId);
  if (!batch) throw notFound('job batch', batchId);
  return batch;
}

export const notRecorded = (detail: string) => new HttpProblem(404, 'Not Found', detail);
