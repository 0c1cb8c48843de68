import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { configSchema, type Config } from '../config.js';
import { logger } from '../logger.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, startHeartbeat, type LocalRunnerOptions } from './heartbeat.js';
import { LocalRuns } from './localRuns.js';
import { OUTPUT_FILES, outputPaths } from './outputFiles.js';
import { groupBelongsToRun, signalGroup } from './processGroup.js';
import type { Heartbeat, PipelineExit, PipelineJob, PipelineOutputs, PipelineRun, PipelineRunner } from './runner.js';

const ERROR_TAIL_BYTES = 8 * 1024;

/** The orchestrator's own settings (database credentials among them) are none of the pipeline's business. */
const ORCHESTRATOR_SETTINGS = Object.keys(configSchema.shape);

/**
 * The parent's environment plus what sast-ai-workflow reads (anchors §2.4, §2.9) and the job's identity.
 * Values the job lacks are left out, and an inherited value of the same name is removed so it cannot stand in.
 */
export function pipelineEnv(job: PipelineJob, outputDir: string, parentEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const paths = outputPaths(outputDir);
  const jobEnv: Record<string, string | null> = {
    PROJECT_NAME: job.projectName,
    PROJECT_VERSION: job.projectVersion,
    REPO_REMOTE_URL: job.repoRemoteUrl,
    FALSE_POSITIVES_URL: job.falsePositivesUrl,
    INPUT_REPORT_FILE_PATH: job.inputReportUrl,
    USE_KNOWN_FALSE_POSITIVE_FILE: String(job.useKnownFalsePositiveFile),
    HUMAN_VERIFIED_FILE_PATH: job.humanVerifiedFilePath,
    OUTPUT_DIR: outputDir,
    OUTPUT_FILE_PATH: paths.excelReportPath,
    TOKEN_METRICS_PATH: paths.tokenUsagePath,
    WORKFLOW_JSON_OUTPUT: paths.workflowMetricsPath,
    INPUT_ARTIFACTS_PATH: paths.inputArtifactsPath,
    PIPELINE_DEFINITION_PATH: paths.pipelineDefinitionPath,
    SAST_JOB_ID: String(job.jobId),
    SAST_BATCH_ID: job.batchId === null ? '' : String(job.batchId),
    PACKAGE_NVR: job.packageNvr,
    SAST_SECRET_NAME: job.secretName,
  };
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (!(name in jobEnv) && !ORCHESTRATOR_SETTINGS.includes(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(jobEnv)) {
    if (value !== null) env[name] = value;
  }
  return env;
}

type ProcessEnd = { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null } | { kind: 'spawnFailed'; error: Error };

interface LocalProcess {
  ended: Promise<ProcessEnd>;
  hasEnded: boolean;
  cancelRequested: boolean;
  killTimer?: NodeJS.Timeout;
}

/** Runs PIPELINE_COMMAND with `sh -c` as a local process group, one per run. */
export class CommandRunner implements PipelineRunner {
  readonly kind = 'command';
  private readonly processes = new LocalRuns<LocalProcess>();
  private readonly heartbeatIntervalMs: number;

  constructor(
    private readonly config: Pick<Config, 'PIPELINE_COMMAND' | 'PIPELINE_CANCEL_GRACE_MS'>,
    options: LocalRunnerOptions = {},
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  }

  async start(job: PipelineJob, outputDir: string): Promise<PipelineRun> {
    const command = this.config.PIPELINE_COMMAND;
    if (!command) throw new Error('PIPELINE_COMMAND is required for the command runner');
    const dir = resolve(outputDir);
    await mkdir(dir, { recursive: true });

    const startedAt = new Date().toISOString();
    const { pid, local } = await spawnLogged(dir, (stdoutFd, stderrFd) =>
      track(
        spawn('sh', ['-c', command], {
          cwd: dir,
          env: pipelineEnv(job, dir, process.env),
          detached: true, // its own process group, so cancel reaches every descendant
          stdio: ['ignore', stdoutFd, stderrFd],
        }),
      ),
    );

    const host = hostname();
    const run: PipelineRun = {
      runner: this.kind,
      runId: randomUUID(),
      outputDir: dir,
      startedAt,
      runUrl: null,
      ...(pid === undefined ? {} : { pid }),
      hostname: host,
      resources: { kind: 'local-process', host, cpus: availableParallelism() },
    };
    this.processes.add(run, local);
    logger.info({ runId: run.runId, pid, jobId: job.jobId, outputDir: dir }, 'pipeline command started');
    return run;
  }

  async watch(run: PipelineRun, heartbeat: Heartbeat): Promise<PipelineExit> {
    const local = this.processes.get(run);
    const startedMs = Date.parse(run.startedAt);
    const stop = startHeartbeat(this.heartbeatIntervalMs, () =>
      heartbeat({ pid: run.pid ?? null, elapsedMs: Date.now() - startedMs }),
    );
    try {
      const end = await local.ended;
      if (local.cancelRequested) return { status: 'cancelled' };
      if (end.kind === 'spawnFailed') {
        return { status: 'failed', exitCode: null, signal: null, errorTail: `could not start sh: ${end.error.message}` };
      }
      if (end.code === 0) return { status: 'succeeded' };
      return {
        status: 'failed',
        exitCode: end.code,
        signal: end.signal,
        errorTail: await readTail(join(run.outputDir, OUTPUT_FILES.stderrLog), ERROR_TAIL_BYTES),
      };
    } finally {
      stop();
      this.processes.delete(run);
    }
  }

  async cancel(run: PipelineRun): Promise<void> {
    const local = this.processes.find(run);
    if (!local) return this.reclaim(run);
    if (local.hasEnded || local.cancelRequested) return;
    local.cancelRequested = true;
    if (run.pid === undefined) return;
    const pid = run.pid;
    signalGroup(pid, 'SIGTERM');
    local.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.config.PIPELINE_CANCEL_GRACE_MS);
    local.killTimer.unref();
  }

  async collectOutputs(run: PipelineRun): Promise<PipelineOutputs> {
    return outputPaths(run.outputDir);
  }

  async reclaim(run: PipelineRun): Promise<void> {
    if (run.pid === undefined || run.hostname !== hostname()) return;
    if (!(await groupBelongsToRun(run.pid, run.outputDir))) return;
    if (signalGroup(run.pid, 'SIGKILL')) logger.warn({ runId: run.runId, pid: run.pid }, 'killed a left-behind pipeline run');
  }
}

/** Must run in the tick of the spawn: a spawn error is emitted on the next one. */
function track(child: ChildProcess): { pid: number | undefined; local: LocalProcess } {
  const pid = child.pid;
  const local: LocalProcess = {
    hasEnded: false,
    cancelRequested: false,
    ended: new Promise<ProcessEnd>((resolveEnd) => {
      child.on('error', (error) => {
        if (pid === undefined) resolveEnd({ kind: 'spawnFailed', error });
      });
      child.once('exit', (code, signal) => {
        local.hasEnded = true;
        clearTimeout(local.killTimer);
        // Whatever the command left running in its group would be orphaned.
        if (pid !== undefined) signalGroup(pid, 'SIGKILL');
        resolveEnd({ kind: 'exited', code, signal });
      });
    }),
  };
  return { pid, local };
}

/**
 * The child writes straight to the log files, so its output outlives this process and no pipe
 * held open by a grandchild can delay noticing the exit.
 */
async function spawnLogged<T>(dir: string, spawnWith: (stdoutFd: number, stderrFd: number) => T): Promise<T> {
  const stdout = await open(join(dir, OUTPUT_FILES.stdoutLog), 'w');
  try {
    const stderr = await open(join(dir, OUTPUT_FILES.stderrLog), 'w');
    try {
      return spawnWith(stdout.fd, stderr.fd);
    } finally {
      await stderr.close();
    }
  } finally {
    await stdout.close();
  }
}

async function readTail(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
