import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { PipelineJob, PipelineOutputs } from './runner.js';

/**
 * Made-up but well-formed sast-ai-workflow outputs (anchors §2.4–§2.6), fixed by the package NVR alone, so
 * demos and benchmarks exercise ingestion and tests can predict exactly what will be ingested.
 */

export const GRAPH_NODES = [
  'pre_process',
  'filter',
  'investigate',
  'summarize_justifications',
  'calculate_metrics',
  'write_results',
] as const;

export const AI_REPORT_SHEET = 'AI report';
export const CONFUSION_MATRIX_SHEET = 'Confusion Matrix';
export const AI_REPORT_COLUMNS = [
  'Issue ID',
  'Issue Name',
  'Error',
  'Investigation Result',
  'Hint',
  'Justifications',
  'Recommendations',
  'Confidence',
] as const;

export type Verdict = 'TRUE POSITIVE' | 'FALSE POSITIVE' | 'NEEDS REVIEW';

export interface TokenUsageEntry {
  tool_name: string;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  duration_seconds: number;
}

export interface SimulatedIssue {
  id: string;
  name: string;
  error: string;
  verdict: Verdict;
  hint: string;
  justifications: string;
  recommendations: string;
  /** Percent with one decimal, written as e.g. "87.5%". */
  confidence: number;
}

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface WorkflowMetrics {
  aggregated_metrics: { accuracy: number; precision: number; recall: number; f1_score: number };
  cm: ConfusionMatrix;
}

export interface SimulatedOutputs {
  tokenUsage: TokenUsageEntry[];
  issues: SimulatedIssue[];
  /** Null for the NVRs that have no ground truth. */
  workflowMetrics: WorkflowMetrics | null;
}

const GROUND_TRUTH_SHARE = 0.6;

/** Deterministic per node, as a real deployment configures one model per role. */
const NODE_MODELS: Partial<Record<(typeof GRAPH_NODES)[number], string>> = {
  filter: 'meta-llama/Llama-3.3-70B-Instruct',
  investigate: 'meta-llama/Llama-3.3-70B-Instruct',
  summarize_justifications: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503',
};

const ISSUE_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['RESOURCE_LEAK', 772],
  ['OVERRUN', 119],
  ['UNINIT', 457],
  ['NULL_RETURNS', 476],
  ['USE_AFTER_FREE', 416],
  ['INTEGER_OVERFLOW', 190],
  ['BUFFER_SIZE', 120],
  ['TAINTED_SCALAR', 20],
  ['CHECKED_RETURN', 252],
];
const SOURCE_FILES = ['main.c', 'util.c', 'parser.c', 'io.c', 'config.c', 'log.c'];

/** A uniform number in [0, 1) fixed by (nvr, purpose). */
function hashUnit(nvr: string, purpose: string): number {
  return createHash('sha256').update(`${purpose}\0${nvr}`).digest().readUInt32LE(0) / 2 ** 32;
}

/** mulberry32, seeded from the NVR: a small PRNG whose sequence is the same on every platform. */
function seededRandom(nvr: string, purpose: string): () => number {
  let state = Math.floor(hashUnit(nvr, purpose) * 2 ** 32);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Whether the simulated run of this NVR fails at the given rate; the same NVR always decides the same way. */
export function simulatedRunFails(nvr: string, failureRate: number): boolean {
  return hashUnit(nvr, 'failure') < failureRate;
}

function simulatedIssue(random: () => number, index: number): SimulatedIssue {
  const [type, cwe] = pick(random, ISSUE_TYPES);
  const file = pick(random, SOURCE_FILES);
  const line = intBetween(random, 10, 2000);
  const roll = random();
  const verdict: Verdict = roll < 0.55 ? 'FALSE POSITIVE' : roll < 0.85 ? 'TRUE POSITIVE' : 'NEEDS REVIEW';
  const location = `src/${file}:${line}`;
  const texts: Record<Verdict, Pick<SimulatedIssue, 'hint' | 'justifications' | 'recommendations'>> = {
    'FALSE POSITIVE': {
      hint: `The ${type} reported at ${location} cannot happen on any reachable path.`,
      justifications: `The value is checked before use at ${location}; the flagged path is infeasible.`,
      recommendations: '',
    },
    'TRUE POSITIVE': {
      hint: `The ${type} at ${location} is reachable with attacker-controlled input.`,
      justifications: `No check guards the flagged operation at ${location}.`,
      recommendations: `Add a check before the operation at ${location}.`,
    },
    'NEEDS REVIEW': {
      hint: `The evidence for the ${type} at ${location} is inconclusive.`,
      justifications: `The investigation stopped before it could rule the path in or out.`,
      recommendations: `Review ${location} by hand.`,
    },
  };
  return {
    id: `def${index + 1}`,
    name: type,
    error: `Error: ${type} (CWE-${cwe}):\n${location}: ${type.toLowerCase()}: simulated finding`,
    verdict,
    ...texts[verdict],
    confidence: Math.round((30 + random() * 69.9) * 10) / 10,
  };
}

function tokenEntry(random: () => number, node: (typeof GRAPH_NODES)[number], issueCount: number): TokenUsageEntry {
  const model = NODE_MODELS[node] ?? null;
  if (!model) {
    const seconds = Number((0.1 + random() * 2).toFixed(3));
    return { tool_name: node, model, input_tokens: null, output_tokens: null, total_tokens: null, duration_seconds: seconds };
  }
  // Investigation runs an agent loop per issue, so it dominates tokens and time.
  const work = issueCount * (node === 'investigate' ? 10 : 1);
  const input = work * intBetween(random, 600, 2500);
  const output = work * intBetween(random, 40, 250);
  return {
    tool_name: node,
    model,
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    duration_seconds: Number((work * (0.5 + random() * 3)).toFixed(3)),
  };
}

/** Precision, recall and F1 with zero_division=0, as sklearn computes them in the real workflow (anchors §2.5). */
export function metricsFromConfusionMatrix(cm: ConfusionMatrix): WorkflowMetrics['aggregated_metrics'] {
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
  const precision = ratio(cm.tp, cm.tp + cm.fp);
  const recall = ratio(cm.tp, cm.tp + cm.fn);
  return {
    accuracy: ratio(cm.tp + cm.tn, cm.tp + cm.fp + cm.tn + cm.fn),
    precision,
    recall,
    f1_score: ratio(2 * precision * recall, precision + recall),
  };
}

/** Positive class = FALSE POSITIVE: the human label decides the cell within the AI's verdict. */
function simulatedGroundTruth(nvr: string, issues: SimulatedIssue[]): WorkflowMetrics | null {
  if (hashUnit(nvr, 'ground-truth') >= GROUND_TRUTH_SHARE) return null;
  const random = seededRandom(nvr, 'human-labels');
  const cm: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const issue of issues) {
    const aiSaysFalsePositive = issue.verdict === 'FALSE POSITIVE';
    const humanSaysFalsePositive = random() < (aiSaysFalsePositive ? 0.85 : 0.2);
    if (aiSaysFalsePositive) cm[humanSaysFalsePositive ? 'tp' : 'fp'] += 1;
    else cm[humanSaysFalsePositive ? 'fn' : 'tn'] += 1;
  }
  return { aggregated_metrics: metricsFromConfusionMatrix(cm), cm };
}

export function simulatedOutputsFor(nvr: string): SimulatedOutputs {
  const random = seededRandom(nvr, 'report');
  const issueCount = intBetween(random, 5, 40);
  const issues = Array.from({ length: issueCount }, (_, index) => simulatedIssue(random, index));
  const tokenUsage = GRAPH_NODES.map((node) => tokenEntry(random, node, issueCount));
  return { tokenUsage, issues, workflowMetrics: simulatedGroundTruth(nvr, issues) };
}

export function formatConfidence(confidence: number): string {
  return `${confidence.toFixed(1)}%`;
}

async function writeExcelReport(path: string, outputs: SimulatedOutputs): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'sast-ai-orchestrator (simulated pipeline)';
  // Fixed so the same NVR gives the same document properties.
  workbook.created = workbook.modified = new Date(Date.UTC(2025, 0, 1));

  const report = workbook.addWorksheet(AI_REPORT_SHEET);
  report.addRow([...AI_REPORT_COLUMNS]).font = { bold: true };
  for (const issue of outputs.issues) {
    const row = report.addRow([
      issue.id,
      issue.name,
      issue.error,
      issue.verdict,
      issue.hint,
      issue.justifications,
      issue.recommendations,
      formatConfidence(issue.confidence),
    ]);
    // The real report marks low confidence in red.
    if (issue.confidence < 50) row.getCell(AI_REPORT_COLUMNS.length).font = { color: { argb: 'FFFF0000' } };
  }

  if (outputs.workflowMetrics) {
    const { cm, aggregated_metrics: m } = outputs.workflowMetrics;
    workbook.addWorksheet(CONFUSION_MATRIX_SHEET).addRows([
      ['TP', cm.tp],
      ['FP', cm.fp],
      ['TN', cm.tn],
      ['FN', cm.fn],
      ['Accuracy', m.accuracy],
      ['Precision', m.precision],
      ['Recall', m.recall],
      ['F1 Score', m.f1_score],
    ]);
  }
  // Stored, not deflated: a simulated report is small, and skipping compression cuts writing and reading it back by about a third.
  await workbook.xlsx.writeFile(path, { zip: { compression: 'STORE' } });
}

export interface InputArtifactEntry {
  type: 'sast_report' | 'known_false_positives' | 'ground_truth';
  url: string;
  md5: string;
}

/**
 * The inputs a simulated run stands for, as a real pipeline would report them in input_artifacts.json: the
 * job's report and known-false-positives URLs, and the ground truth when there is one. Nothing is downloaded,
 * so each hash is that of a stand-in content fixed by the URL.
 */
export function simulatedInputs(job: PipelineJob, outputs: SimulatedOutputs): InputArtifactEntry[] {
  const entry = (type: InputArtifactEntry['type'], url: string | null) =>
    url ? [{ type, url, md5: createHash('md5').update(`simulated ${type}: ${url}`).digest('hex') }] : [];
  return [
    ...entry('sast_report', job.inputReportUrl),
    ...entry('known_false_positives', job.useKnownFalsePositiveFile ? job.falsePositivesUrl : null),
    ...entry('ground_truth', outputs.workflowMetrics ? (job.humanVerifiedFilePath ?? `simulated://ground-truth/${job.packageNvr}`) : null),
  ];
}

export async function writeSimulatedOutputs(outputs: SimulatedOutputs, paths: PipelineOutputs, job?: PipelineJob): Promise<void> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(paths.tokenUsagePath, json(outputs.tokenUsage));
  if (outputs.workflowMetrics) await writeFile(paths.workflowMetricsPath, json(outputs.workflowMetrics));
  if (job) await writeFile(paths.inputArtifactsPath, json(simulatedInputs(job, outputs)));
  await writeExcelReport(paths.excelReportPath, outputs);
}
