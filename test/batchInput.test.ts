import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchInputError,
  parseBatchRows,
  readBatchInput,
  type BatchInputOptions,
} from '../src/batches/batchInput.js';
import { csvExportUrl, googleSheetRef } from '../src/batches/googleSheets.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
let requests: string[];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
});

const opts: BatchInputOptions = { timeoutMs: 5_000, maxBytes: 10_000 };
const CSV = 'nvr,inputSourceUrl\r\nsystemd-257-9.el10,https://example.com/systemd.sarif\r\n';

function serve(status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  handler = (_, res) => {
    res.writeHead(status, { 'content-type': 'text/csv; charset=utf-8', ...headers });
    res.end(body);
  };
}

async function readError(url: string, options: BatchInputOptions = opts): Promise<BatchInputError> {
  const error = await readBatchInput(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchInputError);
  return error as BatchInputError;
}

describe('readBatchInput from a CSV URL', () => {
  it('reads the rows and keeps the bytes as read', async () => {
    serve(200, CSV);
    const doc = await readBatchInput(`${base}/batch.csv?token=abc`, opts);
    expect(doc).toMatchObject({
      url: `${base}/batch.csv?token=abc`,
      fetchedUrl: `${base}/batch.csv?token=abc`,
      source: 'csv-url',
      rows: [
        ['nvr', 'inputSourceUrl'],
        ['systemd-257-9.el10', 'https://example.com/systemd.sarif'],
      ],
    });
    expect(doc.content.equals(Buffer.from(CSV))).toBe(true);
    expect(doc.fetchedAt).toBeInstanceOf(Date);
  });

  it('strips a byte-order mark and accepts ragged rows and quoted fields', async () => {
    serve(200, '\uFEFFnvr,inputSourceUrl,notes\n"a-1-1.el9","https://x/y, z"\nb-1-1.el9\n', {
      'content-type': 'application/octet-stream',
    });
    const doc = await readBatchInput(`${base}/batch.csv`, opts);
    expect(doc.rows).toEqual([['nvr', 'inputSourceUrl', 'notes'], ['a-1-1.el9', 'https://x/y, z'], ['b-1-1.el9']]);
  });

  it('follows redirects and reports the final URL', async () => {
    handler = (req, res) => {
      if (req.url === '/old.csv') {
        res.writeHead(302, { location: '/new.csv' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
      }
    };
    const doc = await readBatchInput(`${base}/old.csv`, opts);
    expect(doc.fetchedUrl).toBe(`${base}/new.csv`);
    expect(doc.url).toBe(`${base}/old.csv`);
    expect(requests).toEqual(['/old.csv', '/new.csv']);
  });

  it.each([404, 500])('fails on HTTP %i without echoing the query string', async (status) => {
    serve(status, 'nope', { 'content-type': 'text/plain' });
    const error = await readError(`${base}/batch.csv?token=secret`);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain(`${base}/batch.csv`);
    expect(error.message).not.toContain('secret');
  });

  it('refuses a body whose declared length is over the limit', async () => {
    serve(200, 'x'.repeat(200));
    const error = await readError(`${base}/big.csv`, { ...opts, maxBytes: 100 });
    expect(error.message).toContain('larger than the limit of 100 bytes');
  });

  it('stops reading a streamed body once it passes the limit', async () => {
    handler = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('a,b\n'.repeat(50));
      res.write('a,b\n'.repeat(50));
      res.end();
    };
    const error = await readError(`${base}/stream.csv`, { ...opts, maxBytes: 300 });
    expect(error.message).toContain('larger than the limit of 300 bytes');
  });

  it('recognises an HTML page, e.g. the Google sign-in page of a private sheet', async () => {
    serve(200, '<!DOCTYPE html><html><body>Sign in</body></html>', { 'content-type': 'text/html; charset=utf-8' });
    expect((await readError(`${base}/page`)).message).toContain('HTML page, not CSV');

    serve(200, '\n  <html><body>hi</body></html>', { 'content-type': 'text/plain' });
    expect((await readError(`${base}/page`)).message).toContain('HTML page, not CSV');
  });

  it('refuses other document types and binary content', async () => {
    serve(200, '{"nvr":"x"}', { 'content-type': 'application/json' });
    expect((await readError(`${base}/doc.json`)).message).toContain('application/json, not CSV');

    serve(200, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), { 'content-type': 'application/octet-stream' });
    expect((await readError(`${base}/book.xlsx`)).message).toContain('binary content, not CSV');
  });

  it('refuses malformed CSV', async () => {
    serve(200, 'nvr,url\n"unterminated,x\n');
    expect((await readError(`${base}/bad.csv`)).message).toContain('is not valid CSV');
  });

  it('gives up when the server does not answer in time', async () => {
    handler = () => undefined;
    const error = await readError(`${base}/slow.csv`, { ...opts, timeoutMs: 200 });
    expect(error.message).toContain('did not answer within 200 ms');
  });

  it('reports a server that cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect((await readError(`http://127.0.0.1:${port}/x.csv`)).message).toContain('could not be fetched');
  });

  it.each(['ftp://example.com/a.csv', 'not a url'])('refuses the URL %s', async (url) => {
    expect((await readError(url)).message).toContain('http(s) URL');
  });

  it('returns no rows for an empty body', async () => {
    serve(200, '');
    const doc = await readBatchInput(`${base}/empty.csv`, opts);
    expect(doc.rows).toEqual([]);
    expect(parseBatchRows(doc.rows)).toEqual({ entries: [], skipped: [] });
  });
});

describe('Google Sheet URLs', () => {
  it('maps a sheet URL to its CSV export, keeping the tab', () => {
    const plain = new URL('https://docs.google.com/spreadsheets/d/1AbC-d_E9/edit?usp=sharing');
    expect(csvExportUrl(plain, googleSheetRef(plain)!)).toBe(
      'https://docs.google.com/spreadsheets/d/1AbC-d_E9/export?format=csv',
    );
    const withTab = new URL('https://docs.google.com/spreadsheets/d/1AbC-d_E9/edit#gid=1234');
    expect(googleSheetRef(withTab)).toEqual({ spreadsheetId: '1AbC-d_E9', gid: '1234' });
    expect(csvExportUrl(withTab, googleSheetRef(withTab)!)).toBe(
      'https://docs.google.com/spreadsheets/d/1AbC-d_E9/export?format=csv&gid=1234',
    );
    expect(googleSheetRef(new URL('https://docs.google.com/spreadsheets/d/x/edit?gid=7#gid=7'))?.gid).toBe('7');
    expect(googleSheetRef(new URL('https://example.com/batch.csv'))).toBeNull();
  });

  it('reads a sheet without a service account through its CSV export', async () => {
    serve(200, CSV);
    const doc = await readBatchInput(`${base}/spreadsheets/d/sheet-1/edit#gid=42`, opts);
    expect(requests).toEqual(['/spreadsheets/d/sheet-1/export?format=csv&gid=42']);
    expect(doc).toMatchObject({
      source: 'google-sheets-csv-export',
      fetchedUrl: `${base}/spreadsheets/d/sheet-1/export?format=csv&gid=42`,
    });
    expect(parseBatchRows(doc.rows).entries).toHaveLength(1);
  });
});

describe('readBatchInput through the Google Sheets API', () => {
  const universe = 'sheets-test.example';
  const email = 'reader@project.iam.gserviceaccount.com';
  let dir: string;
  let keyFile: string;
  let publicKey: KeyObject;

  beforeAll(() => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = keys.publicKey;
    dir = mkdtempSync(join(tmpdir(), 'sheets-test-'));
    keyFile = join(dir, 'service_account.json');
    // A non-default universe makes the client sign its own JWT, so no token exchange with Google is needed.
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'project',
        private_key_id: 'key-1',
        private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
        client_email: email,
        client_id: '1',
        universe_domain: universe,
      }),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function sheetOptions(): BatchInputOptions {
    return { ...opts, googleServiceAccountFile: keyFile, googleApiRootUrl: `${base}/` };
  }

  /** Checks the bearer JWT the way Google does: RS256 over header.payload with the service account's key. */
  function authorised(req: IncomingMessage): boolean {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    const [header = '', payload = '', signature = ''] = token.split('.');
    const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; scope?: string };
    return signed && claims.iss === email && claims.scope === 'https://www.googleapis.com/auth/spreadsheets.readonly';
  }

  function sheetsApi(tabs: { sheetId: number; title: string }[], values: Record<string, unknown[][]>): void {
    handler = (req, res) => {
      const url = new URL(req.url ?? '/', base);
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
      if (!authorised(req)) {
        json(401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
        return;
      }
      const valuesMatch = /^\/v4\/spreadsheets\/([^/]+)\/values\/(.+)$/.exec(url.pathname);
      if (valuesMatch?.[1] === 'sheet-1') {
        const range = decodeURIComponent(valuesMatch[2] ?? '');
        json(200, { range, majorDimension: 'ROWS', values: values[range] });
      } else if (url.pathname === '/v4/spreadsheets/sheet-1') {
        json(200, { sheets: tabs.map((t, index) => ({ properties: { ...t, index } })) });
      } else {
        json(404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
      }
    };
  }

  it('reads columns A:Z of the first tab and rebuilds its CSV', async () => {
    sheetsApi(
      [
        { sheetId: 0, title: "Q3 'jobs'" },
        { sheetId: 99, title: 'Other' },
      ],
      {
        "'Q3 ''jobs'''!A:Z": [
          ['Package list'],
          [],
          ['NVR', 'Input Source URL', 'Jira Link'],
          ['systemd-257-9.el10', 'https://example.com/a.sarif', 'https://issues/RHEL-1, "urgent"'],
        ],
      },
    );
    const doc = await readBatchInput('https://docs.google.com/spreadsheets/d/sheet-1/edit', sheetOptions());
    expect(doc.source).toBe('google-sheets-api');
    expect(doc.rows).toEqual([
      ['Package list'],
      [],
      ['NVR', 'Input Source URL', 'Jira Link'],
      ['systemd-257-9.el10', 'https://example.com/a.sarif', 'https://issues/RHEL-1, "urgent"'],
    ]);
    expect(doc.content.toString()).toBe(
      'Package list\r\n\r\nNVR,Input Source URL,Jira Link\r\n' +
        'systemd-257-9.el10,https://example.com/a.sarif,"https://issues/RHEL-1, ""urgent"""\r\n',
    );
    expect(doc.fetchedUrl).toContain(`${base}/v4/spreadsheets/sheet-1/values/`);
    expect(requests[0]).toMatch(/^\/v4\/spreadsheets\/sheet-1\?fields=/);
    expect(parseBatchRows(doc.rows).entries).toEqual([
      expect.objectContaining({ rowNumber: 4, nvr: 'systemd-257-9.el10', jiraLink: 'https://issues/RHEL-1, "urgent"' }),
    ]);
  });

  it('reads the tab named by gid', async () => {
    sheetsApi(
      [
        { sheetId: 0, title: 'First' },
        { sheetId: 99, title: 'Second' },
      ],
      { "'Second'!A:Z": [['nvr', 'gsheeturl']] },
    );
    const doc = await readBatchInput('https://docs.google.com/spreadsheets/d/sheet-1/edit#gid=99', sheetOptions());
    expect(doc.rows).toEqual([['nvr', 'gsheeturl']]);
  });

  it('gives an empty document for an empty tab', async () => {
    sheetsApi([{ sheetId: 0, title: 'Empty' }], {});
    const doc = await readBatchInput('https://docs.google.com/spreadsheets/d/sheet-1/edit', sheetOptions());
    expect(doc.rows).toEqual([]);
    expect(doc.content.length).toBe(0);
  });

  it('fails when the gid names no tab', async () => {
    sheetsApi([{ sheetId: 0, title: 'First' }], {});
    const error = await readError('https://docs.google.com/spreadsheets/d/sheet-1/edit#gid=5', sheetOptions());
    expect(error.message).toContain('no tab with gid 5');
  });

  it('reports the API error of an unknown spreadsheet', async () => {
    sheetsApi([], {});
    const error = await readError('https://docs.google.com/spreadsheets/d/missing/edit', sheetOptions());
    expect(error.message).toContain('HTTP 404');
    expect(error.message).toContain('Requested entity was not found.');
  });

  it('refuses a rebuilt sheet over the size limit', async () => {
    sheetsApi([{ sheetId: 0, title: 'Big' }], { "'Big'!A:Z": [['x'.repeat(500)]] });
    const error = await readError('https://docs.google.com/spreadsheets/d/sheet-1/edit', {
      ...sheetOptions(),
      maxBytes: 100,
    });
    expect(error.message).toContain('larger than the limit of 100 bytes');
  });

  it('names the setting when the service account file cannot be read', async () => {
    const error = await readError('https://docs.google.com/spreadsheets/d/sheet-1/edit', {
      ...sheetOptions(),
      googleServiceAccountFile: join(dir, 'absent.json'),
    });
    expect(error.message).toContain('GOOGLE_SERVICE_ACCOUNT_FILE');
  });
});

describe('parseBatchRows', () => {
  const url = 'https://example.com/report.sarif';

  it('finds the header on any row and numbers rows as in the sheet', () => {
    const { entries, skipped } = parseBatchRows([
      ['Batch for RHEL 10', ''],
      ['', ''],
      [' NVR ', 'Google Sheet URL', 'JIRA link', 'Host', 'OSH Scan ID'],
      ['systemd-257-9.el10', url, 'https://issues.redhat.com/browse/RHEL-1', 'builder-1', '4242'],
      ['openssl-3.0.7-27.el9_4', ` ${url} `],
    ]);
    expect(skipped).toEqual([]);
    expect(entries).toEqual([
      {
        rowNumber: 4,
        nvr: 'systemd-257-9.el10',
        inputSourceUrl: url,
        jiraLink: 'https://issues.redhat.com/browse/RHEL-1',
        hostname: 'builder-1',
        oshScanId: '4242',
      },
      { rowNumber: 5, nvr: 'openssl-3.0.7-27.el9_4', inputSourceUrl: url, jiraLink: null, hostname: null, oshScanId: null },
    ]);
  });

  it.each(['googlesheeturl', 'gsheeturl', 'google_sheet_url', 'inputsourceurl', 'input_source_url', 'Input Source URL'])(
    'accepts %s as the input URL column',
    (header) => {
      expect(parseBatchRows([['nvr', header], ['systemd-257-9.el10', url]]).entries).toHaveLength(1);
    },
  );

  it.each([
    ['jira_link', 'host', 'osh_scan_id'],
    ['jira', 'hostname', 'oshid'],
    ['jiralink', 'hostname', 'oshscanid'],
  ])('reads optional columns %s / %s / %s', (jira, host, osh) => {
    const [entry] = parseBatchRows([
      [osh, 'nvr', host, 'gsheeturl', jira],
      ['7', 'systemd-257-9.el10', 'h', url, 'J'],
    ]).entries;
    expect(entry).toMatchObject({ jiraLink: 'J', hostname: 'h', oshScanId: '7' });
  });

  it('skips unusable rows with a reason, empty rows silently, and duplicates after the first', () => {
    const { entries, skipped } = parseBatchRows([
      ['nvr', 'inputSourceUrl'],
      ['systemd-257-9.el10', url],
      ['', '  '],
      [],
      ['', url],
      ['openssl-3.0.7-27.el9_4', ''],
      ['systemd-257-9.fc40', url],
      ['bash-5.2-1.el10', 'report.sarif'],
      ['systemd-257-9.el10', url],
      ['systemd-257-9.el10', 'https://example.com/other.sarif'],
      ['gcc-14-1.el10'],
    ]);
    expect(entries.map((e) => e.rowNumber)).toEqual([2, 10]);
    expect(skipped).toEqual([
      { rowNumber: 5, nvr: null, reason: 'nvr is empty' },
      { rowNumber: 6, nvr: 'openssl-3.0.7-27.el9_4', reason: 'input URL is empty' },
      {
        rowNumber: 7,
        nvr: 'systemd-257-9.fc40',
        reason: '"systemd-257-9.fc40" is not a valid RHEL NVR (name-version-release with .elN)',
      },
      { rowNumber: 8, nvr: 'bash-5.2-1.el10', reason: 'input URL is not an http(s) URL' },
      { rowNumber: 9, nvr: 'systemd-257-9.el10', reason: 'duplicate of row 2 (same nvr and input URL)' },
      { rowNumber: 11, nvr: 'gcc-14-1.el10', reason: 'input URL is empty' },
    ]);
  });

  it('ignores rows above the header', () => {
    const { entries, skipped } = parseBatchRows([
      ['systemd-257-9.el10', url],
      ['nvr', 'gsheeturl'],
      ['bash-5.2-1.el10', url],
    ]);
    expect(entries.map((e) => e.nvr)).toEqual(['bash-5.2-1.el10']);
    expect(skipped).toEqual([]);
  });

  it('has nothing to do for an empty document or a header alone', () => {
    expect(parseBatchRows([])).toEqual({ entries: [], skipped: [] });
    expect(parseBatchRows([[''], ['', ' ']])).toEqual({ entries: [], skipped: [] });
    expect(parseBatchRows([['nvr', 'gsheeturl']])).toEqual({ entries: [], skipped: [] });
  });

  it('fails when a non-empty document has no header row', () => {
    expect(() => parseBatchRows([['package', 'url'], ['systemd-257-9.el10', url]])).toThrowError(BatchInputError);
    expect(() => parseBatchRows([['nvr', 'url']])).toThrowError(/no header row found.*'nvr'.*'gsheeturl'/);
  });
});
