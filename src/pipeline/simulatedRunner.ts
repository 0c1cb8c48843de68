import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, startHeartbeat, type LocalRunnerOptions } from './heartbeat.js';
import { LocalRuns } from './localRuns.js';
import { outputPaths } from './outputFiles.js';
import type { Heartbeat, PipelineExit, PipelineJob, PipelineOutputs, PipelineRun, PipelineRunner } from './runner.js';
import { simulatedOutputsFor, simulatedRunFails, writeSimulatedOutputs } from './simulatedOutputs.js';

interface SimulatedRun {
  job: PipelineJob;
  abort: AbortController;
}

/** For demos and benchmarks, not a real analysis: runs nothing, waits, then writes outputs fixed by the NVR. */
export class SimulatedRunner implements PipelineRunner {
  readonly kind = 'simulated';
  private readonly runs = new LocalRuns<SimulatedRun>();
  private readonly heartbeatIntervalMs: number;

  constructor(
    private readonly config: Pick<Config, 'SIMULATED_PIPELINE_MS' | 'SIMULATED_FAILURE_RATE'>,
    options: LocalRunnerOptions = {},
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  }

  async start(job: PipelineJob, outputDir: string): Promise<PipelineRun> {
    const dir = resolve(outputDir);
    await mkdir(dir, { recursive: true });
    const run: PipelineRun = {
      runner: this.kind,
      runId: randomUUID(),
      outputDir: dir,
      startedAt: new Date().toISOString(),
      runUrl: null,
      resources: { kind: 'simulated' },
    };
    this.runs.add(run, { job, abort: new AbortController() });
    return run;
  }

  async watch(run: PipelineRun, heartbeat: Heartbeat): Promise<PipelineExit> {
    const local = this.runs.get(run);
    const startedMs = Date.parse(run.startedAt);
    const stop = startHeartbeat(this.heartbeatIntervalMs, () => heartbeat({ elapsedMs: Date.now() - startedMs }));
    try {
      const remainingMs = Math.max(0, this.config.SIMULATED_PIPELINE_MS - (Date.now() - startedMs));
      await sleep(remainingMs, undefined, { signal: local.abort.signal });
    } catch (error) {
      if (local.abort.signal.aborted) return { status: 'cancelled' };
      throw error;
    } finally {
      stop();
      this.runs.delete(run);
    }
    if (simulatedRunFails(local.job.packageNvr, this.config.SIMULATED_FAILURE_RATE)) {
      return {
        status: 'failed',
        exitCode: null,
        signal: null,
        errorTail: `simulated failure for ${local.job.packageNvr} (SIMULATED_FAILURE_RATE=${this.config.SIMULATED_FAILURE_RATE})`,
      };
    }
    await writeSimulatedOutputs(simulatedOutputsFor(local.job.packageNvr), outputPaths(run.outputDir), local.job);
    return { status: 'succeeded' };
  }

  async cancel(run: PipelineRun): Promise<void> {
    this.runs.find(run)?.abort.abort();
  }

  async collectOutputs(run: PipelineRun): Promise<PipelineOutputs> {
    return outputPaths(run.outputDir);
  }

  /** Nothing of a simulated run outlives the process that started it. */
  async reclaim(_run: PipelineRun): Promise<void> {}
}
