import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp, type App } from '../../src/api/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { setLogLevel } from '../../src/logger.js';
import { createRunner } from '../../src/pipeline/runner.js';
import { connectClient } from '../../src/temporal/client.js';
import { createWorkers, type Workers } from '../../src/temporal/worker.js';
import { useTestDatabase, type TestDatabase } from './database.js';

/** Test code reads response bodies loosely; the assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface TestSystem {
  db: TestDatabase;
  config: Config;
  client: Client;
  app: App;
  workers?: Workers;
  /** Environment a worker process of this test would need (for tests that run one out of process). */
  env: Record<string, string>;
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<ApiResponse>;
}

/**
 * The real thing for one test file: its own database, its own task queue on the shared Temporal dev server,
 * a worker running in this process (unless `worker: false`), and the API app, called in process.
 */
export function useSystem(overrides: Record<string, string> = {}, options: { worker?: boolean } = {}): TestSystem {
  const db = useTestDatabase();
  const system = { db } as TestSystem;
  let workerDone: Promise<void> | undefined;
  beforeAll(async () => {
    setLogLevel('warn');
    const suffix = randomBytes(4).toString('hex');
    system.env = {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `test-${suffix}`,
      // Each file has its own database, so its own ids: its workflow ids must not meet another file's.
      TEMPORAL_WORKFLOW_ID_PREFIX: `test-${suffix}`,
      PIPELINE_RUNNER: 'simulated',
      SIMULATED_PIPELINE_MS: '0',
      PIPELINE_OUTPUT_ROOT: mkdtempSync(join(tmpdir(), 'sast-runs-')),
      PIPELINE_CANCEL_GRACE_MS: '2000',
      PIPELINE_HEARTBEAT_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
      ...overrides,
    };
    system.config = loadConfig(system.env);
    system.client = await connectClient(system.config);
    system.app = createApp({ config: system.config, knex: db.knex, client: system.client });
    if (options.worker !== false) {
      system.workers = await createWorkers({ config: system.config, knex: db.knex, client: system.client, runner: createRunner(system.config) });
      workerDone = system.workers.run();
    }
    system.request = (path, init = {}) => {
      const { json, ...rest } = init;
      return Promise.resolve(
        system.app.request(path, {
          ...rest,
          ...(json !== undefined ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } } : {}),
        }),
      );
    };
  });
  afterAll(async () => {
    system.workers?.shutdown();
    await workerDone;
    await system.client?.connection.close();
  });
  return system;
}
