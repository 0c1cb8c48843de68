import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseExcelReport, parseTokenUsage, parseWorkflowMetrics, readOutputFile } from '../src/mlops/outputFiles.js';
import { excelBytes, tokenEntry, writeOutputDir } from './mlops-fixtures.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('token_usage.json', () => {
  it('maps each entry, keeping null counts as null', () => {
    const parsed = parseTokenUsage(json([tokenEntry('investigate', 'gpt-4o', 1200, 300, 42.5), tokenEntry('pre_process', null, null, null)]));
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual([
      { node: 'investigate', model: 'gpt-4o', inputTokens: 1200, outputTokens: 300, totalTokens: 1500, durationSeconds: 42.5 },
      { node: 'pre_process', model: null, inputTokens: null, outputTokens: null, totalTokens: null, durationSeconds: 1.5 },
    ]);
  });

  it('skips and reports a bad entry or a repeated node, keeping the rest', () => {
    const parsed = parseTokenUsage(
      json([tokenEntry('filter', 'm', 10, 5), { tool_name: 'investigate', input_tokens: -3 }, tokenEntry('filter', 'm', 1, 1)]),
    );
    expect(parsed.value?.map((n) => n.node)).toEqual(['filter']);
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems[0]).toMatchObject({ file: 'token_usage.json', problem: 'malformed' });
    expect(parsed.problems[0]?.detail).toContain('entry 1: input_tokens');
    expect(parsed.problems[1]?.detail).toContain('node filter repeats');
  });

  it('reports text that is not a JSON array', () => {
    expect(parseTokenUsage(Buffer.from('{"nodes": []}')).problems[0]?.detail).toContain('JSON array');
    expect(parseTokenUsage(Buffer.from('[{')).problems[0]?.detail).toContain('not JSON');
  });
});

describe('workflow_metrics.json', () => {
  it('reads cm and aggregated_metrics', () => {
    const parsed = parseWorkflowMetrics(json({ aggregated_metrics: { accuracy: 0.5, precision: 1, recall: 0.25, f1_score: 0.4 }, cm: { tp: 1, fp: 0, tn: 1, fn: 3 } }));
    expect(parsed.value).toEqual({ cm: { tp: 1, fp: 0, tn: 1, fn: 3 }, aggregatedMetrics: { accuracy: 0.5, precision: 1, recall: 0.25, f1_score: 0.4 } });
  });

  it('names the bad field', () => {
    const parsed = parseWorkflowMetrics(json({ cm: { tp: 1, fp: 'x', tn: 1, fn: 3 } }));
    expect(parsed.value).toBeNull();
    expect(parsed.problems[0]?.detail).toContain('cm.fp');
  });
});

describe('sast_ai_output.xlsx', () => {
  it('counts verdicts by the header name wherever the column is', async () => {
    const bytes = await excelBytes({
      headers: ['Confidence', 'Investigation Result', 'Issue ID', 'Hint'],
      verdicts: ['TRUE POSITIVE', 'FALSE POSITIVE', 'false positive', 'NEEDS REVIEW', 'MAYBE'],
    });
    const parsed = await parseExcelReport(bytes);
    expect(parsed.value?.aiReport).toEqual({
      rows: 5,
      verdicts: { 'TRUE POSITIVE': 1, 'FALSE POSITIVE': 2, 'NEEDS REVIEW': 1 },
      unrecognised: 1,
    });
    expect(parsed.value?.confusionMatrix).toBeNull();
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.detail).toContain('MAYBE');
  });

  it('finds TP/FP/TN/FN by label, with the count in the next cell, tolerating label variants', async () => {
    const bytes = await excelBytes({
      verdicts: ['FALSE POSITIVE'],
      confusionSheet: [
        ['Key', 'TP', 'both say false positive'],
        ['', 'True Positive (TP)', 7],
        ['', 'FP:', 2, '', 'true negatives', 11],
        ['FN', '=1+2'],
      ],
    });
    const parsed = await parseExcelReport(bytes);
    // "=1+2" is a string, not a number: FN is not found.
    expect(parsed.value?.confusionMatrix).toBeNull();
    expect(parsed.problems[0]?.detail).toContain('FN');

    const book = new ExcelJS.Workbook();
    book.addWorksheet('AI report').addRow(['Issue ID', 'Investigation Result']);
    const sheet = book.addWorksheet('Confusion Matrix');
    sheet.addRow(['True Positive (TP)', '', 7]);
    sheet.mergeCells('A1:B1');
    sheet.addRow(['False Positive (FP)', 2]);
    sheet.addRow(['TN', { formula: '5+6', result: 11 }]);
    sheet.addRow(['False Negatives', '4']);
    const merged = await parseExcelReport(Buffer.from(await book.xlsx.writeBuffer()));
    expect(merged.problems).toEqual([]);
    expect(merged.value).toEqual({ aiReport: { rows: 0, verdicts: { 'TRUE POSITIVE': 0, 'FALSE POSITIVE': 0, 'NEEDS REVIEW': 0 }, unrecognised: 0 }, confusionMatrix: { tp: 7, fp: 2, tn: 11, fn: 4 } });
  });

  it('reports a file that is not xlsx, and a workbook without the AI report sheet', async () => {
    expect((await parseExcelReport(Buffer.from('not a zip'))).problems[0]).toMatchObject({ problem: 'malformed' });
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Other');
    const parsed = await parseExcelReport(Buffer.from(await book.xlsx.writeBuffer()));
    expect(parsed.value?.aiReport).toBeNull();
    expect(parsed.problems[0]?.detail).toContain('no sheet "AI report"');
  });
});

describe('readOutputFile', () => {
  it('says missing for an absent file and gives the bytes of a present one', async () => {
    const dir = await writeOutputDir({ tokenUsage: [] });
    expect(await readOutputFile(dir, 'token_usage.json')).toEqual({ bytes: Buffer.from('[]'), problems: [] });
    expect((await readOutputFile(dir, 'workflow_metrics.json')).problems).toEqual([
      { file: 'workflow_metrics.json', problem: 'missing', detail: 'workflow_metrics.json was not written' },
    ]);
  });
});
