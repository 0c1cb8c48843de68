import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createRunner, type PipelineJob } from '../src/pipeline/runner.js';
import {
  AI_REPORT_COLUMNS,
  GRAPH_NODES,
  metricsFromConfusionMatrix,
  simulatedOutputsFor,
  simulatedRunFails,
  type TokenUsageEntry,
  type WorkflowMetrics,
} from '../src/pipeline/simulatedOutputs.js';
import { SimulatedRunner } from '../src/pipeline/simulatedRunner.js';

const candidateNvrs = Array.from({ length: 200 }, (_, i) => `pkg${i}-1.${i % 7}-${i % 3 + 1}.el10`);
const withGroundTruth = candidateNvrs.find((nvr) => simulatedOutputsFor(nvr).workflowMetrics !== null)!;
const withoutGroundTruth = candidateNvrs.find((nvr) => simulatedOutputsFor(nvr).workflowMetrics === null)!;

function jobFor(packageNvr: string): PipelineJob {
  return {
    jobId: 1,
    batchId: null,
    packageNvr,
    projectName: 'pkg',
    projectVersion: '1',
    repoRemoteUrl: null,
    falsePositivesUrl: null,
    inputReportUrl: null,
    useKnownFalsePositiveFile: true,
    humanVerifiedFilePath: null,
    secretName: null,
  };
}

function runnerWith(env: Record<string, string> = {}) {
  const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PIPELINE_RUNNER: 'simulated', SIMULATED_PIPELINE_MS: '0', ...env });
  return new SimulatedRunner(config, { heartbeatIntervalMs: 20 });
}

let root: string;
let dirCount = 0;
const freshDir = () => join(root, `job-1`, `attempt-${++dirCount}-test`);

async function runToEnd(nvr: string, runner = runnerWith()) {
  const run = await runner.start(jobFor(nvr), freshDir());
  const exit = await runner.watch(run, () => {});
  return { run, exit, outputs: await runner.collectOutputs(run) };
}

async function sheetValues(path: string): Promise<Record<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return Object.fromEntries(
    workbook.worksheets.map((sheet) => {
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return [sheet.name, rows];
    }),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'simulated-runner-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('simulatedOutputsFor', () => {
  it('gives about 60% of NVRs ground truth', () => {
    const share = candidateNvrs.filter((nvr) => simulatedOutputsFor(nvr).workflowMetrics).length / candidateNvrs.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.75);
  });

  it('keeps the confusion matrix consistent with the verdicts (positive class = FALSE POSITIVE)', () => {
    for (const nvr of candidateNvrs) {
      const { issues, workflowMetrics } = simulatedOutputsFor(nvr);
      expect(issues.length).toBeGreaterThanOrEqual(5);
      expect(issues.length).toBeLessThanOrEqual(40);
      if (!workflowMetrics) continue;
      const { cm } = workflowMetrics;
      const falsePositives = issues.filter((issue) => issue.verdict === 'FALSE POSITIVE').length;
      expect(cm.tp + cm.fp).toBe(falsePositives);
      expect(cm.tn + cm.fn).toBe(issues.length - falsePositives);
      expect(workflowMetrics.aggregated_metrics).toEqual(metricsFromConfusionMatrix(cm));
    }
  });

  it('computes metrics with zero_division=0', () => {
    expect(metricsFromConfusionMatrix({ tp: 0, fp: 0, tn: 0, fn: 0 })).toEqual({ accuracy: 0, precision: 0, recall: 0, f1_score: 0 });
    expect(metricsFromConfusionMatrix({ tp: 3, fp: 1, tn: 4, fn: 2 })).toEqual({
      accuracy: 0.7,
      precision: 0.75,
      recall: 0.6,
      f1_score: (2 * 0.75 * 0.6) / 1.35,
    });
  });

  it('decides failure by NVR alone', () => {
    for (const nvr of candidateNvrs) {
      expect(simulatedRunFails(nvr, 0)).toBe(false);
      expect(simulatedRunFails(nvr, 1)).toBe(true);
      expect(simulatedRunFails(nvr, 0.5)).toBe(simulatedRunFails(nvr, 0.5));
    }
    const failing = candidateNvrs.filter((nvr) => simulatedRunFails(nvr, 0.5)).length;
    expect(failing).toBeGreaterThan(60);
    expect(failing).toBeLessThan(140);
  });
});

describe('SimulatedRunner', () => {
  it('is what createRunner builds for PIPELINE_RUNNER=simulated', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', PIPELINE_RUNNER: 'simulated' });
    expect(createRunner(config).kind).toBe('simulated');
  });

  it('writes the same files for the same NVR', async () => {
    const first = await runToEnd(withGroundTruth);
    const second = await runToEnd(withGroundTruth);
    expect(first.exit).toEqual({ status: 'succeeded' });
    expect(second.exit).toEqual({ status: 'succeeded' });
    expect(first.run).toMatchObject({ runner: 'simulated', runUrl: null, resources: { kind: 'simulated' } });
    expect(second.outputs.dir).not.toBe(first.outputs.dir);

    for (const file of ['tokenUsagePath', 'workflowMetricsPath'] as const) {
      expect(await readFile(second.outputs[file], 'utf8')).toBe(await readFile(first.outputs[file], 'utf8'));
    }
    expect(await sheetValues(second.outputs.excelReportPath)).toEqual(await sheetValues(first.outputs.excelReportPath));
  });

  it('writes token usage, the AI report and the metrics in the workflow formats', async () => {
    const expected = simulatedOutputsFor(withGroundTruth);
    const { outputs } = await runToEnd(withGroundTruth);

    const tokenUsage = JSON.parse(await readFile(outputs.tokenUsagePath, 'utf8')) as TokenUsageEntry[];
    expect(tokenUsage).toEqual(expected.tokenUsage);
    expect(tokenUsage.map((entry) => entry.tool_name)).toEqual([...GRAPH_NODES]);
    for (const entry of tokenUsage) {
      expect(Object.keys(entry)).toEqual(['tool_name', 'model', 'input_tokens', 'output_tokens', 'total_tokens', 'duration_seconds']);
      expect(entry.duration_seconds).toBeGreaterThan(0);
      if (['pre_process', 'calculate_metrics', 'write_results'].includes(entry.tool_name)) {
        expect(entry).toMatchObject({ input_tokens: null, output_tokens: null, total_tokens: null });
      } else {
        expect(entry.model).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(entry.total_tokens).toBe(entry.input_tokens! + entry.output_tokens!);
        expect(Number.isInteger(entry.input_tokens)).toBe(true);
      }
    }

    const sheets = await sheetValues(outputs.excelReportPath);
    const [header, ...rows] = sheets['AI report']!;
    expect(header).toEqual([...AI_REPORT_COLUMNS]);
    expect(rows).toHaveLength(expected.issues.length);
    rows.forEach((row, index) => {
      expect(row[0]).toBe(`def${index + 1}`);
      expect(['TRUE POSITIVE', 'FALSE POSITIVE', 'NEEDS REVIEW']).toContain(row[3]);
      expect(row[3]).toBe(expected.issues[index]!.verdict);
      expect(row[7]).toMatch(/^\d{1,2}\.\d%$/);
      expect(String(row[2])).toMatch(/^Error: [A-Z_]+ \(CWE-\d+\):\n/);
    });

    const metrics = JSON.parse(await readFile(outputs.workflowMetricsPath, 'utf8')) as WorkflowMetrics;
    expect(metrics).toEqual(expected.workflowMetrics);
    const { cm, aggregated_metrics: m } = metrics;
    expect(Object.fromEntries(sheets['Confusion Matrix']!)).toEqual({
      TP: cm.tp,
      FP: cm.fp,
      TN: cm.tn,
      FN: cm.fn,
      Accuracy: m.accuracy,
      Precision: m.precision,
      Recall: m.recall,
      'F1 Score': m.f1_score,
    });
    const verdictCounts = rows.filter((row) => row[3] === 'FALSE POSITIVE').length;
    expect(cm.tp + cm.fp).toBe(verdictCounts);
    expect(cm.tn + cm.fn).toBe(rows.length - verdictCounts);
  });

  it('writes no metrics and no confusion matrix without ground truth', async () => {
    const { exit, outputs } = await runToEnd(withoutGroundTruth);
    expect(exit).toEqual({ status: 'succeeded' });
    expect((await readdir(outputs.dir)).sort()).toEqual(['input_artifacts.json', 'sast_ai_output.xlsx', 'token_usage.json']);
    expect(Object.keys(await sheetValues(outputs.excelReportPath))).toEqual(['AI report']);
    const inputs = JSON.parse(await readFile(outputs.inputArtifactsPath, 'utf8')) as { type: string; md5: string }[];
    expect(inputs.map((i) => i.type)).not.toContain('ground_truth');
    expect(inputs.every((i) => /^[0-9a-f]{32}$/.test(i.md5))).toBe(true);
  });

  it('never fails at rate 0 and always fails, writing nothing, at rate 1', async () => {
    expect((await runToEnd(withGroundTruth, runnerWith({ SIMULATED_FAILURE_RATE: '0' }))).exit.status).toBe('succeeded');

    const { exit, outputs } = await runToEnd(withGroundTruth, runnerWith({ SIMULATED_FAILURE_RATE: '1' }));
    expect(exit).toEqual({
      status: 'failed',
      exitCode: null,
      signal: null,
      errorTail: expect.stringMatching(/^simulated failure/),
    });
    expect(await readdir(outputs.dir)).toEqual([]);
  });

  it('cancel ends the wait, writing nothing', async () => {
    const runner = runnerWith({ SIMULATED_PIPELINE_MS: '600000' });
    const run = await runner.start(jobFor(withGroundTruth), freshDir());
    const heartbeat = vi.fn();
    const watching = runner.watch(run, heartbeat);
    await vi.waitFor(() => expect(heartbeat).toHaveBeenCalledWith({ elapsedMs: expect.any(Number) }));

    await runner.cancel(run);
    await expect(watching).resolves.toEqual({ status: 'cancelled' });
    expect(await readdir(run.outputDir)).toEqual([]);
  });

  it('cancel before watch is honoured', async () => {
    const runner = runnerWith({ SIMULATED_PIPELINE_MS: '600000' });
    const run = await runner.start(jobFor(withGroundTruth), freshDir());
    await runner.cancel(run);
    await expect(runner.watch(run, () => {})).resolves.toEqual({ status: 'cancelled' });
  });
});
