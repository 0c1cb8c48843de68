import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres.js';
import { findTemporalCli, TEMPORAL_CLI_HELP } from '../src/temporal/cli.js';
import { startDevServer } from '../src/temporal/devServer.js';

/**
 * One Temporal dev server for the whole run, and the PostgreSQL server each test file makes its own
 * database on: TEST_DATABASE_URL, else DATABASE_URL, else an embedded one under .data/.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseServerUrl: string;
  }
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export default async function setup(project: TestProject) {
  const cliPath = findTemporalCli(process.env, projectRoot);
  if (!cliPath) throw new Error(TEMPORAL_CLI_HELP);

  let databaseServerUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  // A data directory of this run's own, so that two test runs on one machine never share a server.
  const embeddedDir = databaseServerUrl ? undefined : mkdtempSync(join(tmpdir(), 'sast-test-pg-'));
  // Under root, PostgreSQL runs as the postgres user, which must be able to enter the directory.
  if (embeddedDir) chmodSync(embeddedDir, 0o755);
  const embedded = embeddedDir ? await startEmbeddedPostgres(embeddedDir, await freePort()) : undefined;
  databaseServerUrl ??= embedded!.url;

  const temporal = await startDevServer({ cliPath, port: await freePort(), namespace: 'default', startupTimeoutMs: 120_000 });
  project.provide('temporalAddress', temporal.address);
  project.provide('databaseServerUrl', databaseServerUrl);

  return async () => {
    await temporal.stop();
    await embedded?.stop();
    if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
  };
}
