import type { PipelineRun } from './runner.js';

/** Raised for a run this process did not start (e.g. after a worker restart): reclaim it and start anew. */
export class UnknownRunError extends Error {
  constructor(run: PipelineRun) {
    super(`pipeline run ${run.runId} (${run.runner}) was not started by this worker process`);
    this.name = 'UnknownRunError';
  }
}

/** The in-process state of the runs a runner started, by runId. */
export class LocalRuns<T> {
  private readonly runs = new Map<string, T>();

  add(run: PipelineRun, state: T): void {
    this.runs.set(run.runId, state);
  }

  find(run: PipelineRun): T | undefined {
    return this.runs.get(run.runId);
  }

  get(run: PipelineRun): T {
    const state = this.runs.get(run.runId);
    if (state === undefined) throw new UnknownRunError(run);
    return state;
  }

  delete(run: PipelineRun): void {
    this.runs.delete(run.runId);
  }
}
