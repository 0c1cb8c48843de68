import { basename } from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { recordArtifact, type ArtifactType } from './artifacts.js';
import { parseInput } from './errors.js';
import { linkBatchArtifacts } from './lineage.js';
import { writeJobMetrics, type GroundTruth, type JobMetricsSummary } from './metrics.js';
import {
  EXCEL_REPORT_FILE,
  INPUT_ARTIFACTS_FILE,
  PIPELINE_DEFINITION_FILE,
  TOKEN_USAGE_FILE,
  WORKFLOW_METRICS_FILE,
  parseExcelReport,
  parseInputArtifacts,
  parsePipelineDefinition,
  parseTokenUsage,
  parseWorkflowMetrics,
  readOutputFile,
  type Parsed,
  type Problem,
} from './outputFiles.js';
import { loadPrices } from './pricing.js';
import { recordReportedDefinition } from './reportedDefinition.js';
import type { RunDefinitionInput } from './runDefinitions.js';
import { writeTokenUsage, type TokenTotals } from './tokenUsage.js';

/**
 * Turns one finished run's output directory into MLOps rows, in one transaction. Every write is an
 * upsert keyed by the job, batch or content, so a retried activity changes nothing. Bad files are
 * reported, never thrown; only a database failure throws (and the activity retries).
 *
 * A row whose NOT NULL columns a file would have to supply is skipped rather than filled with
 * invented zeros: no token_usage.json → no job_token_usage; no readable "AI report" → no job_metrics.
 */

export interface IngestInput {
  jobId: number;
  batchId?: number | null;
  packageName: string;
  /** The job's start time; node costs use the prices in effect then. */
  startedAt: Date;
  outputDir: string;
}

export interface IngestResult {
  problems: Problem[];
  tokenUsage: (TokenTotals & { estimatedCost: number; currency: string; unpricedNodes: string[] }) | null;
  metrics: JobMetricsSummary | null;
  artifacts: { type: ArtifactType; file: string; artifactId: string }[];
}

const OUTPUT_ARTIFACTS: { file: string; type: ArtifactType; missingDetail?: string }[] = [
  { file: EXCEL_REPORT_FILE, type: 'excel_report' },
  { file: TOKEN_USAGE_FILE, type: 'token_usage' },
  { file: WORKFLOW_METRICS_FILE, type: 'workflow_metrics', missingDetail: `${WORKFLOW_METRICS_FILE} was not written (normal when the run had no ground truth)` },
];

const ingestInput = z.object({
  jobId: z.number().int().positive(),
  batchId: z.number().int().positive().nullish(),
  packageName: z.string().max(255),
  startedAt: z.date(),
  outputDir: z.string().min(1),
});

function fileNameOf(url: string): string {
  try {
    return basename(new URL(url, 'file:///').pathname);
  } catch {
    return '';
  }
}

async function parseIf<T>(bytes: Buffer | null, parse: (b: Buffer) => Parsed<T> | Promise<Parsed<T>>): Promise<Parsed<T>> {
  return bytes ? parse(bytes) : { value: null, problems: [] };
}

export async function ingestJobOutputs(db: Knex, request: IngestInput): Promise<IngestResult> {
  const input = parseInput(ingestInput, request);
  const files = await Promise.all(OUTPUT_ARTIFACTS.map((a) => readOutputFile(input.outputDir, a.file, a.missingDetail)));
  const [excelFile, tokenFile, metricsFile] = files.map((f) => f.bytes);
  const [excel, usage, workflowMetrics] = await Promise.all([
    parseIf(excelFile ?? null, parseExcelReport),
    parseIf(tokenFile ?? null, parseTokenUsage),
    parseIf(metricsFile ?? null, parseWorkflowMetrics),
  ]);
  const manifest = await readOutputFile(input.outputDir, INPUT_ARTIFACTS_FILE);
  const reportedInputs = await parseIf(manifest.bytes, parseInputArtifacts);
  const definitionFile = await readOutputFile(input.outputDir, PIPELINE_DEFINITION_FILE);
  const reportedDefinition = await parseIf(definitionFile.bytes, parsePipelineDefinition);
  const fileProblems = [
    ...files.flatMap((f) => f.problems),
    ...excel.problems,
    ...usage.problems,
    ...workflowMetrics.problems,
    ...reportedInputs.problems,
    ...reportedDefinition.problems,
  ];

  const sheetMatrix = excel.value?.confusionMatrix;
  const groundTruth: GroundTruth | null = workflowMetrics.value
    ? { cm: workflowMetrics.value.cm, source: 'workflow_metrics.json', pipelineReported: workflowMetrics.value.aggregatedMetrics }
    : sheetMatrix
      ? { cm: sheetMatrix, source: 'Confusion Matrix sheet', pipelineReported: null }
      : null;

  return db.transaction(async (trx) => {
    const models = [...new Set((usage.value ?? []).flatMap((n) => (n.model ? [n.model] : [])))];
    const tokenUsage = usage.value
      ? await writeTokenUsage(trx, {
          jobId: input.jobId,
          usage: usage.value,
          pricedAt: input.startedAt,
          parseProblems: usage.problems,
          prices: await loadPrices(trx, models),
        })
      : null;
    const problems = [
      ...fileProblems,
      ...(tokenUsage?.breakdown.problems.filter((p) => p.problem === 'unpriced') ?? []),
      ...(reportedDefinition.value ? await recordReportedDefinition(trx, reportedDefinition.value as RunDefinitionInput, input.batchId) : []),
    ];

    const report = excel.value?.aiReport;
    const metrics = report
      ? await writeJobMetrics(trx, {
          jobId: input.jobId,
          packageName: input.packageName,
          report,
          groundTruth,
          nodes: usage.value ?? [],
          problems,
        })
      : null;

    const artifacts: IngestResult['artifacts'] = [];
    for (const [i, spec] of OUTPUT_ARTIFACTS.entries()) {
      const content = files[i]?.bytes;
      if (!content) continue;
      const { artifactId } = await recordArtifact(trx, {
        type: spec.type,
        name: spec.file,
        content,
        dvcPath: `jobs/${input.jobId}/${spec.file}`,
        metadata: { jobId: input.jobId },
      });
      artifacts.push({ type: spec.type, file: spec.file, artifactId });
    }
    // Inputs the orchestrator did not read itself carry the hash the pipeline reports.
    const inputs: { artifactId: string; type: ArtifactType }[] = [];
    for (const reported of reportedInputs.value ?? []) {
      const { artifactId } = await recordArtifact(trx, {
        type: reported.type,
        name: fileNameOf(reported.url) || reported.type,
        reportedHash: reported.md5,
        url: reported.url,
        ...(reported.size !== null ? { size: reported.size } : {}),
        metadata: { jobId: input.jobId },
      });
      inputs.push({ artifactId, type: reported.type });
    }
    if (input.batchId != null && artifacts.length + inputs.length > 0) {
      await linkBatchArtifacts(trx, input.batchId, [
        ...inputs.map((a) => ({ artifactId: a.artifactId, role: 'input' as const, artifactType: a.type, jobId: input.jobId })),
        ...artifacts.map((a) => ({ artifactId: a.artifactId, role: 'output' as const, artifactType: a.type, jobId: input.jobId })),
      ]);
    }

    return {
      problems,
      tokenUsage: tokenUsage && {
        totalInputTokens: tokenUsage.totalInputTokens,
        totalOutputTokens: tokenUsage.totalOutputTokens,
        totalTokens: tokenUsage.totalTokens,
        estimatedCost: tokenUsage.estimatedCost,
        currency: tokenUsage.breakdown.currency,
        unpricedNodes: tokenUsage.breakdown.nodes.filter((n) => n.unpriced).map((n) => n.node),
      },
      metrics,
      artifacts,
    };
  });
}
