import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CommandRunner, pipelineEnv } from '../src/pipeline/commandRunner.js';
import { UnknownRunError } from '../src/pipeline/localRuns.js';
import { createRunner, type PipelineJob, type PipelineRun } from '../src/pipeline/runner.js';

const job: PipelineJob = {
  jobId: 42,
  batchId: 7,
  packageNvr: 'systemd-257-9.el10',
  projectName: 'systemd',
  projectVersion: '257-9',
  repoRemoteUrl: 'https://example.test/systemd.src.rpm',
  falsePositivesUrl: 'https://example.test/systemd/ignore.err',
  inputReportUrl: 'https://example.test/report.sarif',
  useKnownFalsePositiveFile: true,
  humanVerifiedFilePath: 'https://example.test/ground-truth.xlsx',
  secretName: 'sast-ai-default-llm-creds',
};
const bareJob: PipelineJob = {
  ...job,
  batchId: null,
  repoRemoteUrl: null,
  falsePositivesUrl: null,
  inputReportUrl: null,
  useKnownFalsePositiveFile: false,
  humanVerifiedFilePath: null,
  secretName: null,
};

function runnerFor(command: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    DATABASE_URL: 'postgres://x@127.0.0.1/x',
    PIPELINE_RUNNER: 'command',
    PIPELINE_COMMAND: command,
    ...env,
  });
  return new CommandRunner(config, { heartbeatIntervalMs: 20 });
}

/** A zombie counts as dead: in a container nothing may reap the orphans we kill. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function pidFrom(dir: string, file: string): Promise<number> {
  return vi.waitFor(async () => {
    const pid = Number((await readFile(join(dir, file), 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no pid in ${file} yet`);
    return pid;
  });
}

async function expectDead(pid: number): Promise<void> {
  await vi.waitFor(async () => expect(await isAlive(pid)).toBe(false), { timeout: 10_000 });
}

let root: string;
const started: PipelineRun[] = [];
let dirCount = 0;
const freshDir = () => join(root, `job-42`, `attempt-${++dirCount}-test`);

async function start(runner: CommandRunner, which: PipelineJob = job): Promise<PipelineRun> {
  const run = await runner.start(which, freshDir());
  started.push(run);
  return run;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'command-runner-'));
});

afterAll(async () => {
  for (const run of started) {
    if (run.pid) {
      try {
        process.kill(-run.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await rm(root, { recursive: true, force: true });
});

describe('pipelineEnv', () => {
  it('replaces inherited job variables and drops the orchestrator settings', () => {
    const env = pipelineEnv(bareJob, '/runs/a', {
      PATH: '/usr/bin',
      LLM_API_KEY: 'passed-through-for-the-workflow',
      HUMAN_VERIFIED_FILE_PATH: '/stale/from/worker',
      DATABASE_URL: 'postgres://user:password@db/sast',
      PIPELINE_COMMAND: 'run-it',
    });
    expect(env.PATH).toBe('/usr/bin');
    expect(env.LLM_API_KEY).toBe('passed-through-for-the-workflow');
    expect(env).not.toHaveProperty('HUMAN_VERIFIED_FILE_PATH');
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(env).not.toHaveProperty('PIPELINE_COMMAND');
    expect(env).not.toHaveProperty('REPO_REMOTE_URL');
    expect(env).not.toHaveProperty('SAST_SECRET_NAME');
    expect(env.SAST_BATCH_ID).toBe('');
    expect(env.USE_KNOWN_FALSE_POSITIVE_FILE).toBe('false');
    expect(env.OUTPUT_FILE_PATH).toBe('/runs/a/sast_ai_output.xlsx');
  });
});

describe('CommandRunner', () => {
  it('is what createRunner builds for PIPELINE_RUNNER=command', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PIPELINE_COMMAND: 'true' });
    expect(createRunner(config).kind).toBe('command');
  });

  it('passes the workflow variables to the command, in the output directory', async () => {
    const runner = runnerFor('env > env.txt; pwd > pwd.txt');
    const run = await start(runner);
    await expect(runner.watch(run, () => {})).resolves.toEqual({ status: 'succeeded' });

    const dumped = await readFile(join(run.outputDir, 'env.txt'), 'utf8');
    const env = Object.fromEntries(dumped.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    expect(env).toMatchObject({
      PROJECT_NAME: 'systemd',
      PROJECT_VERSION: '257-9',
      REPO_REMOTE_URL: 'https://example.test/systemd.src.rpm',
      FALSE_POSITIVES_URL: 'https://example.test/systemd/ignore.err',
      INPUT_REPORT_FILE_PATH: 'https://example.test/report.sarif',
      USE_KNOWN_FALSE_POSITIVE_FILE: 'true',
      HUMAN_VERIFIED_FILE_PATH: 'https://example.test/ground-truth.xlsx',
      OUTPUT_DIR: run.outputDir,
      OUTPUT_FILE_PATH: join(run.outputDir, 'sast_ai_output.xlsx'),
      TOKEN_METRICS_PATH: join(run.outputDir, 'token_usage.json'),
      WORKFLOW_JSON_OUTPUT: join(run.outputDir, 'workflow_metrics.json'),
      INPUT_ARTIFACTS_PATH: join(run.outputDir, 'input_artifacts.json'),
      PIPELINE_DEFINITION_PATH: join(run.outputDir, 'pipeline_definition.json'),
      SAST_JOB_ID: '42',
      SAST_BATCH_ID: '7',
      PACKAGE_NVR: 'systemd-257-9.el10',
      SAST_SECRET_NAME: 'sast-ai-default-llm-creds',
      PATH: process.env.PATH,
    });
    expect((await readFile(join(run.outputDir, 'pwd.txt'), 'utf8')).trim()).toBe(run.outputDir);
  });

  it('leaves out what the job does not have', async () => {
    const runner = runnerFor('env > env.txt');
    const run = await start(runner, bareJob);
    await runner.watch(run, () => {});
    const names = (await readFile(join(run.outputDir, 'env.txt'), 'utf8')).split('\n').map((line) => line.split('=')[0]);
    for (const name of ['REPO_REMOTE_URL', 'FALSE_POSITIVES_URL', 'INPUT_REPORT_FILE_PATH', 'HUMAN_VERIFIED_FILE_PATH', 'SAST_SECRET_NAME']) {
      expect(names).not.toContain(name);
    }
    expect(names).toContain('SAST_BATCH_ID');
  });

  it('succeeds, logs both streams, reports heartbeats and where the outputs are', async () => {
    const runner = runnerFor('echo hello; echo note >&2; echo report > "$OUTPUT_FILE_PATH"; sleep 0.2');
    const run = await start(runner);
    expect(run).toMatchObject({ runner: 'command', runUrl: null, resources: { kind: 'local-process' } });
    expect(run.pid).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(run))).toEqual(run);

    const heartbeat = vi.fn();
    await expect(runner.watch(run, heartbeat)).resolves.toEqual({ status: 'succeeded' });
    expect(heartbeat).toHaveBeenCalledWith({ pid: run.pid, elapsedMs: expect.any(Number) });
    expect(await readFile(join(run.outputDir, 'stdout.log'), 'utf8')).toBe('hello\n');
    expect(await readFile(join(run.outputDir, 'stderr.log'), 'utf8')).toBe('note\n');

    const outputs = await runner.collectOutputs(run);
    expect(outputs).toEqual({
      dir: run.outputDir,
      excelReportPath: join(run.outputDir, 'sast_ai_output.xlsx'),
      tokenUsagePath: join(run.outputDir, 'token_usage.json'),
      workflowMetricsPath: join(run.outputDir, 'workflow_metrics.json'),
      inputArtifactsPath: join(run.outputDir, 'input_artifacts.json'),
      pipelineDefinitionPath: join(run.outputDir, 'pipeline_definition.json'),
    });
    expect(await readFile(outputs.excelReportPath, 'utf8')).toBe('report\n');
  });

  it('fails with the exit code and the last 8 KB of stderr', async () => {
    const runner = runnerFor('head -c 20000 /dev/zero | tr "\\0" x >&2; echo; echo "boom at the end" >&2; exit 3');
    const run = await start(runner);
    const exit = await runner.watch(run, () => {});
    expect(exit).toMatchObject({ status: 'failed', exitCode: 3, signal: null });
    if (exit.status !== 'failed') throw new Error('expected failure');
    expect(exit.errorTail.endsWith('boom at the end\n')).toBe(true);
    expect(exit.errorTail.length).toBe(8192);
    expect((await stat(join(run.outputDir, 'stderr.log'))).size).toBeGreaterThan(20000);
  });

  it('fails when the command does not exist', async () => {
    const runner = runnerFor('definitely-not-a-command-4711');
    const run = await start(runner);
    const exit = await runner.watch(run, () => {});
    expect(exit).toMatchObject({ status: 'failed', exitCode: 127 });
    if (exit.status === 'failed') expect(exit.errorTail).toContain('definitely-not-a-command-4711');
  });

  it('fails when sh itself cannot be spawned', async () => {
    const runner = runnerFor('true');
    const path = process.env.PATH;
    process.env.PATH = join(root, 'no-such-bin');
    let run: PipelineRun;
    try {
      run = await start(runner);
    } finally {
      process.env.PATH = path;
    }
    expect(run.pid).toBeUndefined();
    const exit = await runner.watch(run, () => {});
    expect(exit).toMatchObject({ status: 'failed', exitCode: null, signal: null });
    if (exit.status === 'failed') expect(exit.errorTail).toMatch(/could not start sh: .*ENOENT/);
  });

  it('cancel stops the whole process group, grandchildren included', async () => {
    const runner = runnerFor(`sh -c 'sleep 300 & echo $! > grandchild.pid; wait' & echo $! > child.pid; wait`);
    const run = await start(runner);
    const watching = runner.watch(run, () => {});
    const child = await pidFrom(run.outputDir, 'child.pid');
    const grandchild = await pidFrom(run.outputDir, 'grandchild.pid');
    expect(await isAlive(grandchild)).toBe(true);

    await runner.cancel(run);
    await expect(watching).resolves.toEqual({ status: 'cancelled' });
    for (const pid of [run.pid!, child, grandchild]) await expectDead(pid);
  });

  it('cancel kills what ignores SIGTERM once the grace period is over', async () => {
    const runner = runnerFor(`trap '' TERM; sleep 300 & echo $! > child.pid; wait`, { PIPELINE_CANCEL_GRACE_MS: '100' });
    const run = await start(runner);
    const watching = runner.watch(run, () => {});
    const child = await pidFrom(run.outputDir, 'child.pid');

    await runner.cancel(run);
    await expect(watching).resolves.toEqual({ status: 'cancelled' });
    await expectDead(child);
  });

  it('reclaim kills a run a dead worker left behind, and nothing else', async () => {
    const command = 'sleep 300 & echo $! > child.pid; wait';
    const firstWorker = runnerFor(command);
    const run = await start(firstWorker);
    const watching = firstWorker.watch(run, () => {});
    const child = await pidFrom(run.outputDir, 'child.pid');
    const nextWorker = runnerFor(command);

    await nextWorker.reclaim({ ...run, hostname: 'another-host' });
    await nextWorker.reclaim({ ...run, outputDir: join(root, 'some-other-run') });
    expect(await isAlive(child)).toBe(true);

    await nextWorker.reclaim(run);
    await expect(watching).resolves.toMatchObject({ status: 'failed', signal: 'SIGKILL' });
    await expectDead(child);
  });

  it('watch refuses a run another worker process started', async () => {
    const run = await start(runnerFor('exit 0'));
    await expect(runnerFor('exit 0').watch(run, () => {})).rejects.toBeInstanceOf(UnknownRunError);
  });
});
