import { parseNvr } from '../jobs/nvr.js';
import { BatchInputError } from './batchInputError.js';

export interface BatchEntry {
  /** 1-based sheet row. */
  rowNumber: number;
  nvr: string;
  inputSourceUrl: string;
  jiraLink: string | null;
  hostname: string | null;
  oshScanId: string | null;
}

export interface SkippedRow {
  rowNumber: number;
  nvr: string | null;
  reason: string;
}

/**
 * Accepted spellings of each column, after trimming, lower-casing and removing whitespace.
 * The first spelling-lists are the existing orchestrator's CsvFieldMapper; a few short forms are added.
 */
const COLUMNS = {
  nvr: ['nvr'],
  inputSourceUrl: ['googlesheeturl', 'gsheeturl', 'google_sheet_url', 'inputsourceurl', 'input_source_url'],
  jiraLink: ['jiralink', 'jira_link', 'jira'],
  hostname: ['hostname', 'host'],
  oshScanId: ['oshscanid', 'osh_scan_id', 'oshid'],
} as const;

type Column = keyof typeof COLUMNS;
type ColumnIndexes = Record<Column, number | null>;

function normaliseHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/\s+/g, '');
}

function columnIndexes(row: string[]): ColumnIndexes {
  const headers = row.map(normaliseHeader);
  const find = (column: Column) => {
    const index = headers.findIndex((h) => (COLUMNS[column] as readonly string[]).includes(h));
    return index >= 0 ? index : null;
  };
  return {
    nvr: find('nvr'),
    inputSourceUrl: find('inputSourceUrl'),
    jiraLink: find('jiraLink'),
    hostname: find('hostname'),
    oshScanId: find('oshScanId'),
  };
}

function isBlank(row: string[]): boolean {
  return row.every((cell) => cell.trim() === '');
}

function cell(row: string[], index: number | null): string | null {
  const value = index === null ? undefined : row[index]?.trim();
  return value ? value : null;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The row's nvr and URL when it can become a job, else why not. */
function checkRow(nvr: string | null, url: string | null): { nvr: string; url: string } | string {
  if (!nvr && !url) return 'nvr and input URL are both empty';
  if (!nvr) return 'nvr is empty';
  if (!url) return 'input URL is empty';
  if (!parseNvr(nvr)) return `"${nvr}" is not a valid RHEL NVR (name-version-release with .elN)`;
  if (!isHttpUrl(url)) return 'input URL is not an http(s) URL';
  return { nvr, url };
}

/**
 * Turns sheet rows into batch entries. The header is the first row holding both required columns, wherever it is;
 * rows above it are ignored. A document with no content at all has no entries (the batch ends COMPLETED_EMPTY).
 */
export function parseBatchRows(rows: string[][]): { entries: BatchEntry[]; skipped: SkippedRow[] } {
  const entries: BatchEntry[] = [];
  const skipped: SkippedRow[] = [];
  if (rows.every(isBlank)) return { entries, skipped };

  const hasRequired = (c: ColumnIndexes) => c.nvr !== null && c.inputSourceUrl !== null;
  const headerIndex = rows.findIndex((row) => hasRequired(columnIndexes(row)));
  if (headerIndex < 0) {
    throw new BatchInputError(
      `no header row found: a row must name the columns 'nvr' and one of ${COLUMNS.inputSourceUrl.map((c) => `'${c}'`).join(', ')}`,
    );
  }
  const columns = columnIndexes(rows[headerIndex] ?? []);

  const seen = new Map<string, number>();
  for (const [index, row] of rows.entries()) {
    if (index <= headerIndex || isBlank(row)) continue;
    const rowNumber = index + 1;
    const checked = checkRow(cell(row, columns.nvr), cell(row, columns.inputSourceUrl));
    if (typeof checked === 'string') {
      skipped.push({ rowNumber, nvr: cell(row, columns.nvr), reason: checked });
      continue;
    }
    const { nvr, url } = checked;
    const key = `${nvr}\n${url}`;
    const firstRow = seen.get(key);
    if (firstRow !== undefined) {
      skipped.push({ rowNumber, nvr, reason: `duplicate of row ${firstRow} (same nvr and input URL)` });
      continue;
    }
    seen.set(key, rowNumber);
    entries.push({
      rowNumber,
      nvr,
      inputSourceUrl: url,
      jiraLink: cell(row, columns.jiraLink),
      hostname: cell(row, columns.hostname),
      oshScanId: cell(row, columns.oshScanId),
    });
  }
  return { entries, skipped };
}
