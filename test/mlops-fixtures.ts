import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Job, JobBatch } from '../src/models/index.js';

/** Output directories of known content, and the job/batch rows the MLOps tables point at. */

export const REPORT_HEADERS = ['Issue ID', 'Issue Name', 'Error', 'Investigation Result', 'Hint', 'Justifications', 'Recommendations', 'Confidence'];

export interface ExcelSpec {
  verdicts: string[];
  /** Header order; defaults to the workflow's. */
  headers?: string[];
  /** Rows of the "Confusion Matrix" sheet; omitted = no sheet. */
  confusionSheet?: (string | number)[][];
}

export async function excelBytes(spec: ExcelSpec): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const report = book.addWorksheet('AI report');
  const headers = spec.headers ?? REPORT_HEADERS;
  report.addRow(headers);
  spec.verdicts.forEach((verdict, i) => {
    const values: Record<string, string> = {
      'Issue ID': `def${i + 1}`,
      'Issue Name': 'RESOURCE_LEAK',
      Error: 'leaked storage',
      'Investigation Result': verdict,
      Confidence: '87.5%',
    };
    report.addRow(headers.map((h) => values[h] ?? ''));
  });
  if (spec.confusionSheet) {
    const sheet = book.addWorksheet('Confusion Matrix');
    for (const row of spec.confusionSheet) sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export interface OutputSpec {
  tokenUsage?: unknown;
  workflowMetrics?: unknown;
  excel?: ExcelSpec | string;
}

/** A temp output directory; a string value is written verbatim (for malformed files). */
export async function writeOutputDir(spec: OutputSpec): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-out-'));
  const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  if (spec.tokenUsage !== undefined) writeFileSync(join(dir, 'token_usage.json'), json(spec.tokenUsage));
  if (spec.workflowMetrics !== undefined) writeFileSync(join(dir, 'workflow_metrics.json'), json(spec.workflowMetrics));
  if (spec.excel !== undefined) {
    writeFileSync(join(dir, 'sast_ai_output.xlsx'), typeof spec.excel === 'string' ? spec.excel : await excelBytes(spec.excel));
  }
  return dir;
}

export const tokenEntry = (tool_name: string, model: string | null, input: number | null, output: number | null, duration = 1.5) => ({
  tool_name,
  model,
  input_tokens: input,
  output_tokens: output,
  total_tokens: input === null || output === null ? null : input + output,
  duration_seconds: duration,
});

export async function insertBatch(): Promise<JobBatch> {
  return JobBatch.query().insertAndFetch({
    batchGoogleSheetUrl: 'https://docs.google.com/spreadsheets/d/abc',
    submittedAt: new Date('2026-01-10T08:00:00Z'),
    status: 'PROCESSING',
  } as Partial<JobBatch>);
}

export async function insertJob(options: { batchId?: number; startedAt?: Date; packageName?: string } = {}): Promise<Job> {
  return Job.query().insertAndFetch({
    jobBatchId: options.batchId ?? null,
    packageName: options.packageName ?? 'systemd',
    packageNvr: 'systemd-257-9.el10',
    status: 'RUNNING',
    createdAt: new Date('2026-01-10T08:00:00Z'),
    startedAt: options.startedAt ?? new Date('2026-01-10T08:01:00Z'),
  } as Partial<Job>);
}
