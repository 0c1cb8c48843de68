import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { OUTPUT_FILES } from '../pipeline/outputFiles.js';

/**
 * Parsers for the files the sast-ai-workflow leaves in its output directory (anchors §2.4, §2.6).
 * None of them throws on bad content: a missing or malformed file becomes a Problem and the
 * caller writes whatever the other files allow.
 */

export type ProblemKind = 'missing' | 'unreadable' | 'malformed' | 'unpriced';

export interface Problem {
  file: string;
  problem: ProblemKind;
  detail: string;
}

export interface Parsed<T> {
  value: T | null;
  problems: Problem[];
}

/** The bytes of one output file, or null with the reason. */
export async function readOutputFile(
  dir: string,
  file: string,
  missingDetail = `${file} was not written`,
): Promise<{ bytes: Buffer | null; problems: Problem[] }> {
  try {
    return { bytes: await readFile(join(dir, file)), problems: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { bytes: null, problems: [{ file, problem: 'missing', detail: missingDetail }] };
    return { bytes: null, problems: [{ file, problem: 'unreadable', detail: `${file} could not be read (${code ?? 'error'})` }] };
  }
}

function parseJson(file: string, bytes: Buffer): Parsed<unknown> {
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown, problems: [] };
  } catch (error) {
    return { value: null, problems: [{ file, problem: 'malformed', detail: `not JSON: ${(error as Error).message}` }] };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'value'}: ${i.message}`).join('; ');
}

// ---------------------------------------------------------------- token_usage.json

export const TOKEN_USAGE_FILE = OUTPUT_FILES.tokenUsage;

export interface TokenUsageNode {
  node: string;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  durationSeconds: number | null;
}

const tokenCount = z.number().int().nonnegative().nullish();
const tokenUsageEntry = z.object({
  tool_name: z.string().trim().min(1),
  model: z.string().nullish(),
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  total_tokens: tokenCount,
  duration_seconds: z.number().nonnegative().nullish(),
});

/** One entry per graph node; a bad entry is skipped and reported, the others are kept. */
export function parseTokenUsage(bytes: Buffer): Parsed<TokenUsageNode[]> {
  const json = parseJson(TOKEN_USAGE_FILE, bytes);
  if (json.value === null) return { value: null, problems: json.problems };
  if (!Array.isArray(json.value)) {
    return { value: null, problems: [{ file: TOKEN_USAGE_FILE, problem: 'malformed', detail: 'expected a JSON array of node entries' }] };
  }
  const nodes: TokenUsageNode[] = [];
  const problems: Problem[] = [];
  json.value.forEach((raw, index) => {
    const entry = tokenUsageEntry.safeParse(raw);
    if (!entry.success) {
      problems.push({ file: TOKEN_USAGE_FILE, problem: 'malformed', detail: `entry ${index}: ${describeIssues(entry.error)}` });
      return;
    }
    const e = entry.data;
    if (nodes.some((n) => n.node === e.tool_name)) {
      problems.push({ file: TOKEN_USAGE_FILE, problem: 'malformed', detail: `entry ${index}: node ${e.tool_name} repeats; kept the first` });
      return;
    }
    nodes.push({
      node: e.tool_name,
      model: e.model?.trim() || null,
      inputTokens: e.input_tokens ?? null,
      outputTokens: e.output_tokens ?? null,
      totalTokens: e.total_tokens ?? null,
      durationSeconds: e.duration_seconds ?? null,
    });
  });
  return { value: nodes, problems };
}

// ---------------------------------------------------------------- workflow_metrics.json

export const WORKFLOW_METRICS_FILE = OUTPUT_FILES.workflowMetrics;

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'f1_score'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface WorkflowMetrics {
  cm: ConfusionCounts;
  aggregatedMetrics: Partial<Record<MetricName, number | null>> | null;
}

const cell = z.number().int().nonnegative();
const workflowMetricsSchema = z.object({
  aggregated_metrics: z
    .object({ accuracy: z.number().nullish(), precision: z.number().nullish(), recall: z.number().nullish(), f1_score: z.number().nullish() })
    .nullish(),
  cm: z.object({ tp: cell, fp: cell, tn: cell, fn: cell }),
});

export function parseWorkflowMetrics(bytes: Buffer): Parsed<WorkflowMetrics> {
  const json = parseJson(WORKFLOW_METRICS_FILE, bytes);
  if (json.value === null) return { value: null, problems: json.problems };
  const parsed = workflowMetricsSchema.safeParse(json.value);
  if (!parsed.success) {
    return { value: null, problems: [{ file: WORKFLOW_METRICS_FILE, problem: 'malformed', detail: describeIssues(parsed.error) }] };
  }
  const { tp, fp, tn, fn } = parsed.data.cm;
  return { value: { cm: { tp, fp, tn, fn }, aggregatedMetrics: parsed.data.aggregated_metrics ?? null }, problems: [] };
}

// ---------------------------------------------------------------- sast_ai_output.xlsx

export const EXCEL_REPORT_FILE = OUTPUT_FILES.excelReport;

export const VERDICTS = ['TRUE POSITIVE', 'FALSE POSITIVE', 'NEEDS REVIEW'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface AiReport {
  rows: number;
  verdicts: Record<Verdict, number>;
  /** Rows whose Investigation Result is none of VERDICTS; counted in rows, in neither prediction. */
  unrecognised: number;
}

export interface ExcelReport {
  aiReport: AiReport | null;
  /** From the optional "Confusion Matrix" sheet; null when the sheet is absent or unreadable. */
  confusionMatrix: ConfusionCounts | null;
}

const HEADER_SEARCH_ROWS = 10;
const normaliseHeader = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const normaliseVerdict = (s: string) => s.trim().replace(/[\s_]+/g, ' ').toUpperCase();

function worksheet(book: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return book.worksheets.find((w) => normaliseHeader(w.name) === normaliseHeader(name));
}

function readAiReport(sheet: ExcelJS.Worksheet): Parsed<AiReport> {
  const malformed = (detail: string): Parsed<AiReport> => ({
    value: null,
    problems: [{ file: EXCEL_REPORT_FILE, problem: 'malformed', detail: `sheet "AI report": ${detail}` }],
  });
  let headerRow = 0;
  const columns = new Map<string, number>();
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount) && !headerRow; r++) {
    sheet.getRow(r).eachCell((c, col) => {
      if (!columns.has(normaliseHeader(c.text))) columns.set(normaliseHeader(c.text), col);
    });
    if (columns.has('investigation result')) headerRow = r;
    else columns.clear();
  }
  const resultCol = columns.get('investigation result');
  if (!headerRow || resultCol === undefined) return malformed('no header row with an "Investigation Result" column');
  const idCol = columns.get('issue id');

  const report: AiReport = { rows: 0, verdicts: { 'TRUE POSITIVE': 0, 'FALSE POSITIVE': 0, 'NEEDS REVIEW': 0 }, unrecognised: 0 };
  const unknown = new Set<string>();
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const verdict = normaliseVerdict(row.getCell(resultCol).text);
    const issueId = idCol === undefined ? '' : row.getCell(idCol).text.trim();
    if (!verdict && !issueId) continue;
    report.rows++;
    if ((VERDICTS as readonly string[]).includes(verdict)) report.verdicts[verdict as Verdict]++;
    else {
      report.unrecognised++;
      unknown.add(verdict || '(empty)');
    }
  }
  const problems: Problem[] = report.unrecognised
    ? [
        {
          file: EXCEL_REPORT_FILE,
          problem: 'malformed',
          detail: `sheet "AI report": ${report.unrecognised} row(s) with an unrecognised Investigation Result (${[...unknown].join(', ')})`,
        },
      ]
    : [];
  return { value: report, problems };
}

const CELL_LABELS: [keyof ConfusionCounts, RegExp][] = [
  ['tp', /^(TP|TRUE POSITIVES?)$|\(TP\)$/],
  ['fp', /^(FP|FALSE POSITIVES?)$|\(FP\)$/],
  ['tn', /^(TN|TRUE NEGATIVES?)$|\(TN\)$/],
  ['fn', /^(FN|FALSE NEGATIVES?)$|\(FN\)$/],
];

function labelOf(text: string): keyof ConfusionCounts | undefined {
  const label = text.toUpperCase().replace(/[^A-Z()]+/g, ' ').replace(/\s*([()])\s*/g, '$1').trim().replace(/\(/, ' (');
  return CELL_LABELS.find(([, pattern]) => pattern.test(label))?.[0];
}

function countIn(value: ExcelJS.CellValue): number | undefined {
  const raw = value !== null && typeof value === 'object' && 'result' in value ? value.result : value;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The first cell right of the label that is not part of the label's own merged range. */
function rightNeighbour(row: ExcelJS.Row, labelCell: ExcelJS.Cell, col: number): ExcelJS.Cell {
  let next = row.getCell(col + 1);
  for (let c = col + 2; next.isMerged && next.master.address === labelCell.master.address; c++) next = row.getCell(c);
  return next;
}

/** Cells labelled TP/FP/TN/FN (or "True Positive (TP)" and the like) with the count in the next cell. */
function readConfusionSheet(sheet: ExcelJS.Worksheet): Parsed<ConfusionCounts> {
  const found: Partial<ConfusionCounts> = {};
  sheet.eachRow((row) => {
    row.eachCell((c, col) => {
      const key = typeof c.value === 'number' ? undefined : labelOf(c.text);
      if (!key || found[key] !== undefined) return;
      const count = countIn(rightNeighbour(row, c, col).value);
      if (count !== undefined) found[key] = count;
    });
  });
  const absent = CELL_LABELS.map(([k]) => k).filter((k) => found[k] === undefined);
  if (absent.length) {
    return {
      value: null,
      problems: [
        {
          file: EXCEL_REPORT_FILE,
          problem: 'malformed',
          detail: `sheet "Confusion Matrix": no count found for ${absent.map((k) => k.toUpperCase()).join(', ')}`,
        },
      ],
    };
  }
  return { value: found as ConfusionCounts, problems: [] };
}

export async function parseExcelReport(bytes: Buffer): Promise<Parsed<ExcelReport>> {
  const book = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Buffer being generic over its backing store.
    await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    return { value: null, problems: [{ file: EXCEL_REPORT_FILE, problem: 'malformed', detail: `not a readable xlsx: ${(error as Error).message}` }] };
  }
  const reportSheet = worksheet(book, 'AI report');
  const report: Parsed<AiReport> = reportSheet
    ? readAiReport(reportSheet)
    : { value: null, problems: [{ file: EXCEL_REPORT_FILE, problem: 'malformed', detail: 'no sheet "AI report"' }] };
  const matrixSheet = worksheet(book, 'Confusion Matrix');
  const matrix: Parsed<ConfusionCounts> = matrixSheet ? readConfusionSheet(matrixSheet) : { value: null, problems: [] };
  return {
    value: { aiReport: report.value, confusionMatrix: matrix.value },
    problems: [...report.problems, ...matrix.problems],
  };
}

// ---------------------------------------------------------------- input_artifacts.json

/**
 * Our convention for the inputs a run read but the orchestrator did not (the SAST report, the known-false-
 * positives file, the ground truth): `[{"type", "url", "md5", "size"?}]`, written by the pipeline or its
 * wrapper at $INPUT_ARTIFACTS_PATH. The sast-ai-workflow itself does not write it, so its absence is no problem.
 */
export const INPUT_ARTIFACTS_FILE = OUTPUT_FILES.inputArtifacts;

export interface ReportedInput {
  type: 'sast_report' | 'known_false_positives' | 'ground_truth';
  url: string;
  md5: string;
  size: number | null;
}

const reportedInput = z.object({
  type: z.enum(['sast_report', 'known_false_positives', 'ground_truth']),
  url: z.string().trim().min(1).max(500),
  md5: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex digits (an MD5)'),
  size: z.number().int().nonnegative().nullish(),
});

export function parseInputArtifacts(bytes: Buffer): Parsed<ReportedInput[]> {
  const json = parseJson(INPUT_ARTIFACTS_FILE, bytes);
  if (json.value === null) return { value: null, problems: json.problems };
  const parsed = z.array(reportedInput).safeParse(json.value);
  if (!parsed.success) {
    return { value: null, problems: [{ file: INPUT_ARTIFACTS_FILE, problem: 'malformed', detail: describeIssues(parsed.error) }] };
  }
  return { value: parsed.data.map((e) => ({ ...e, md5: e.md5.toLowerCase(), size: e.size ?? null })), problems: [] };
}

// ---------------------------------------------------------------- pipeline_definition.json

/** Our convention: the definition a run ran under, in the shape of POST /run-definitions (docs/mlops.md). */
export const PIPELINE_DEFINITION_FILE = OUTPUT_FILES.pipelineDefinition;

export function parsePipelineDefinition(bytes: Buffer): Parsed<Record<string, unknown>> {
  const json = parseJson(PIPELINE_DEFINITION_FILE, bytes);
  if (json.value === null) return { value: null, problems: json.problems };
  if (typeof json.value !== 'object' || Array.isArray(json.value)) {
    return { value: null, problems: [{ file: PIPELINE_DEFINITION_FILE, problem: 'malformed', detail: 'expected a JSON object' }] };
  }
  return { value: json.value as Record<string, unknown>, problems: [] };
}
