import type { Config } from '../config.js';
import { CommandRunner } from './commandRunner.js';
import { SimulatedRunner } from './simulatedRunner.js';

/** What a runner needs to know about a job; built by the caller from the job row. */
export interface PipelineJob {
  jobId: number;
  batchId: number | null;
  packageNvr: string;
  projectName: string;
  projectVersion: string;
  repoRemoteUrl: string | null;
  falsePositivesUrl: string | null;
  inputReportUrl: string | null;
  useKnownFalsePositiveFile: boolean;
  humanVerifiedFilePath: string | null;
  /** Only the secret's name; its value never passes through the orchestrator. */
  secretName: string | null;
}

/** A started run. JSON-serialisable because it travels in Temporal heartbeat details. */
export interface PipelineRun {
  runner: string;
  runId: string;
  outputDir: string;
  /** ISO timestamp */
  startedAt: string;
  runUrl: string | null;
  pid?: number;
  hostname?: string;
  resources?: Record<string, unknown>;
}

export type PipelineExit =
  | { status: 'succeeded' }
  | { status: 'failed'; exitCode: number | null; signal: string | null; errorTail: string }
  | { status: 'cancelled' };

/** Where the workflow's output files should be; any of them may be missing. */
export interface PipelineOutputs {
  dir: string;
  excelReportPath: string;
  tokenUsagePath: string;
  workflowMetricsPath: string;
  inputArtifactsPath: string;
  pipelineDefinitionPath: string;
}

export type Heartbeat = (progress: Record<string, unknown>) => void;

export interface PipelineRunner {
  readonly kind: string;
  /** Creates outputDir (mkdir -p) and starts the run there. */
  start(job: PipelineJob, outputDir: string): Promise<PipelineRun>;
  /** Resolves when the run ends; calls heartbeat at least every few seconds while it runs. */
  watch(run: PipelineRun, heartbeat: Heartbeat): Promise<PipelineExit>;
  /** Stops the run; watch() then resolves { status: 'cancelled' }. */
  cancel(run: PipelineRun): Promise<void>;
  collectOutputs(run: PipelineRun): Promise<PipelineOutputs>;
  /** Best effort: stop a run left behind by an earlier attempt whose worker died (same host only). */
  reclaim(run: PipelineRun): Promise<void>;
}

export function createRunner(config: Config): PipelineRunner {
  switch (config.PIPELINE_RUNNER) {
    case 'command':
      return new CommandRunner(config);
    case 'simulated':
      return new SimulatedRunner(config);
  }
}
