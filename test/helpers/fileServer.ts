import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface FileServer {
  url(path: string): string;
  /** Serves `body` at `path` with the status and content type given. */
  set(path: string, body: string, options?: { status?: number; contentType?: string }): void;
}

/** A local HTTP server for the tests' sheets and CSVs: the batch input reader fetches from it as from any host. */
export function useFileServer(): FileServer {
  const files = new Map<string, { body: string; status: number; contentType: string }>();
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
      res.writeHead(file?.status ?? 404, { 'content-type': file?.contentType ?? 'text/plain' });
      res.end(file?.body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: (path) => `${base}${path}`,
    set: (path, body, options = {}) => files.set(path, { body, status: options.status ?? 200, contentType: options.contentType ?? 'text/csv' }),
  };
}
