import { parse } from 'csv-parse/sync';
import { BatchInputError } from './batchInputError.js';

/**
 * Content types a CSV is served with in practice (IIS sends .csv as vnd.ms-excel, S3 as octet-stream);
 * anything else (HTML, JSON, xlsx, images) is some other document.
 */
const CSV_CONTENT_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  'text/plain',
  'application/octet-stream',
  'binary/octet-stream',
  'application/vnd.ms-excel',
]);

const HTML_START = /^\s*<(!doctype|html|head|body)\b/i;

/** Parses CSV bytes into rows; one record is one sheet row, so row i is sheet row i + 1. */
export function parseCsv(content: Buffer, contentType: string | null, source: string): string[][] {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  const text = content.toString('utf8');
  if (mediaType?.includes('html') || HTML_START.test(text.replace(/^\uFEFF/, ''))) {
    throw new BatchInputError(
      `${source} returned an HTML page, not CSV (a Google Sheet read without a service account must be shared with "anyone with the link")`,
    );
  }
  if (mediaType && !CSV_CONTENT_TYPES.has(mediaType)) {
    throw new BatchInputError(`${source} returned ${mediaType}, not CSV`);
  }
  if (content.includes(0)) {
    throw new BatchInputError(`${source} returned binary content, not CSV`);
  }
  try {
    return parse(content, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
  } catch (error) {
    throw new BatchInputError(`${source} is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** RFC 4180 text of rows read through the Sheets API, so the batch can record and hash what it read. */
export function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
