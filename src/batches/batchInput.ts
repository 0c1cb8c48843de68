import { BatchInputError } from './batchInputError.js';
import { parseCsv, toCsv } from './csvRows.js';
import { describeUrl, fetchLimited } from './fetchLimited.js';
import { csvExportUrl, googleSheetRef, readSheetValues } from './googleSheets.js';

export { BatchInputError } from './batchInputError.js';
export { parseBatchRows, type BatchEntry, type SkippedRow } from './batchRows.js';

export interface BatchInputOptions {
  timeoutMs: number;
  maxBytes: number;
  googleServiceAccountFile?: string;
  /** Tests only: where the Sheets API is served. */
  googleApiRootUrl?: string;
}

export interface BatchInputDocument {
  url: string;
  fetchedUrl: string;
  source: 'google-sheets-api' | 'google-sheets-csv-export' | 'csv-url';
  /** The bytes as read, for hashing; for the Sheets API, the CSV rebuilt from the values. */
  content: Buffer;
  rows: string[][];
  fetchedAt: Date;
}

function httpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new BatchInputError('batchGoogleSheetUrl must be an http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new BatchInputError('batchGoogleSheetUrl must be an http(s) URL');
  }
  return parsed;
}

async function readCsvUrl(
  url: string,
  fetchUrl: string,
  source: BatchInputDocument['source'],
  opts: BatchInputOptions,
): Promise<BatchInputDocument> {
  const body = await fetchLimited(fetchUrl, opts);
  const rows = parseCsv(body.content, body.contentType, describeUrl(body.url));
  return { url, fetchedUrl: body.url, source, content: body.content, rows, fetchedAt: new Date() };
}

/**
 * Reads the rows of a batch's input: a Google Sheet (through the Sheets API when a service account is
 * configured, else its public CSV export) or any CSV URL. Throws BatchInputError when it cannot.
 */
export async function readBatchInput(url: string, opts: BatchInputOptions): Promise<BatchInputDocument> {
  const parsed = httpUrl(url);
  const sheet = googleSheetRef(parsed);
  if (!sheet) return readCsvUrl(url, parsed.href, 'csv-url', opts);
  if (!opts.googleServiceAccountFile) {
    return readCsvUrl(url, csvExportUrl(parsed, sheet), 'google-sheets-csv-export', opts);
  }

  const { rows, fetchedUrl } = await readSheetValues(sheet, {
    serviceAccountFile: opts.googleServiceAccountFile,
    timeoutMs: opts.timeoutMs,
    rootUrl: opts.googleApiRootUrl,
  });
  const content = Buffer.from(toCsv(rows), 'utf8');
  if (content.length > opts.maxBytes) {
    throw new BatchInputError(`spreadsheet ${sheet.spreadsheetId} is larger than the limit of ${opts.maxBytes} bytes`);
  }
  return { url, fetchedUrl, source: 'google-sheets-api', content, rows, fetchedAt: new Date() };
}
