import { auth as googleAuth, sheets as sheetsClient } from '@googleapis/sheets';
import { BatchInputError } from './batchInputError.js';

const SHEET_ID = /\/spreadsheets\/d\/([a-zA-Z0-9-_]+)/;
const GID = /(?:^|[#&?])gid=(\d+)/;
const READ_ONLY_SCOPE = 'https://www.googleapis.com/auth/spreadsheets.readonly';
const RANGE_COLUMNS = 'A:Z';

export interface GoogleSheetRef {
  spreadsheetId: string;
  /** The tab id from `gid=` in the query or fragment; null means the first tab. */
  gid: string | null;
}

export function googleSheetRef(url: URL): GoogleSheetRef | null {
  const id = SHEET_ID.exec(url.pathname)?.[1];
  if (!id) return null;
  return { spreadsheetId: id, gid: GID.exec(url.search)?.[1] ?? GID.exec(url.hash)?.[1] ?? null };
}

/** The public CSV export of the sheet; asked from the URL's own origin, which is docs.google.com for every real sheet. */
export function csvExportUrl(url: URL, ref: GoogleSheetRef): string {
  const gid = ref.gid === null ? '' : `&gid=${ref.gid}`;
  return `${url.origin}/spreadsheets/d/${ref.spreadsheetId}/export?format=csv${gid}`;
}

export interface SheetsApiOptions {
  serviceAccountFile: string;
  timeoutMs: number;
  rootUrl?: string;
}

export interface SheetValues {
  rows: string[][];
  fetchedUrl: string;
}

function sheetRange(title: string): string {
  return `'${title.replaceAll("'", "''")}'!${RANGE_COLUMNS}`;
}

function apiFailure(spreadsheetId: string, error: unknown, signal: AbortSignal, timeoutMs: number): BatchInputError {
  if (error instanceof BatchInputError) return error;
  if (signal.aborted) {
    return new BatchInputError(`the Google Sheets API did not answer within ${timeoutMs} ms`, { cause: error });
  }
  const { status, message } = error as { status?: number; message?: string };
  const code = typeof status === 'number' ? `HTTP ${status}` : 'an error';
  return new BatchInputError(
    `the Google Sheets API answered ${code} for spreadsheet ${spreadsheetId}: ${message ?? String(error)}`,
    { cause: error },
  );
}

/**
 * Reads columns A:Z of one tab (the gid's, else the first) with a service account.
 * The API client follows the universe domain named in the credentials file, as Google's own clients do.
 */
export async function readSheetValues(ref: GoogleSheetRef, opts: SheetsApiOptions): Promise<SheetValues> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const auth = new googleAuth.GoogleAuth({ keyFile: opts.serviceAccountFile, scopes: [READ_ONLY_SCOPE] });
    // Loading the client up front tells a broken key file apart from an API error.
    const credentials = await auth.getClient().catch((error: unknown) => {
      throw new BatchInputError(
        `the Google service account file (GOOGLE_SERVICE_ACCOUNT_FILE) cannot be used: ${(error as Error).message}`,
      );
    });
    const api = sheetsClient({
      version: 'v4',
      auth,
      universeDomain: credentials.universeDomain,
      ...(opts.rootUrl ? { rootUrl: opts.rootUrl } : {}),
    });

    const spreadsheet = await api.spreadsheets.get(
      { spreadsheetId: ref.spreadsheetId, fields: 'sheets.properties(sheetId,title,index)' },
      { signal },
    );
    const tabs = (spreadsheet.data.sheets ?? []).map((s) => s.properties ?? {});
    const tab = ref.gid === null ? tabs[0] : tabs.find((p) => String(p.sheetId) === ref.gid);
    if (!tab?.title) {
      throw new BatchInputError(
        ref.gid === null
          ? `spreadsheet ${ref.spreadsheetId} has no tabs`
          : `spreadsheet ${ref.spreadsheetId} has no tab with gid ${ref.gid}`,
      );
    }

    const values = await api.spreadsheets.values.get(
      { spreadsheetId: ref.spreadsheetId, range: sheetRange(tab.title), valueRenderOption: 'FORMATTED_VALUE' },
      { signal },
    );
    const rows = (values.data.values ?? []).map((row) => row.map((cell) => (cell == null ? '' : String(cell))));
    return { rows, fetchedUrl: String(values.config.url) };
  } catch (error) {
    throw apiFailure(ref.spreadsheetId, error, signal, opts.timeoutMs);
  }
}
