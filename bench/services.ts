import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createApp, type App } from '../src/api/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { dropDatabase, ensureDatabase } from '../src/db/databases.js';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres.js';
import { bindModels, createKnex } from '../src/db/knex.js';
import { createRunner } from '../src/pipeline/runner.js';
import { findTemporalCli, TEMPORAL_CLI_HELP } from '../src/temporal/cli.js';
import { connectClient } from '../src/temporal/client.js';
import { startDevServer } from '../src/temporal/devServer.js';
import { createWorkers, WORKFLOWS_PATH } from '../src/temporal/worker.js';
import { freePort } from '../test/globalSetup.js';
import type { CleanupStack } from './cleanup.js';

/** What every scenario shares: a Temporal dev server, a fresh migrated database, a directory for pipeline outputs. */
export interface Infrastructure {
  temporalAddress: string;
  temporalNamespace: string;
  temporalCliPath: string;
  databaseUrl: string;
  knex: Knex;
  outputRoot: string;
  /** Our workflows, bundled once for every scenario's worker. */
  workflowBundle: { code: string };
}

/** Starts what the tests start (test/globalSetup.ts, test/helpers/database.ts); every step registers its undoing. */
export async function startInfrastructure(
  env: NodeJS.ProcessEnv,
  projectRoot: string,
  cleanup: CleanupStack,
): Promise<Infrastructure> {
  const temporalCliPath = findTemporalCli(env, projectRoot);
  if (!temporalCliPath) throw new Error(TEMPORAL_CLI_HELP);

  let serverUrl = env.TEST_DATABASE_URL || env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sast-bench-pg-'));
    cleanup.push('removing the embedded PostgreSQL data', () => rmSync(dataDir, { recursive: true, force: true }));
    const embedded = await startEmbeddedPostgres(dataDir, await freePort());
    cleanup.push('stopping the embedded PostgreSQL', () => embedded.stop());
    serverUrl = embedded.url;
  }
  const temporalNamespace = 'default';
  const temporal = await startDevServer({ cliPath: temporalCliPath, port: await freePort(), namespace: temporalNamespace, startupTimeoutMs: 120_000 });
  cleanup.push('stopping the Temporal dev server', () => temporal.stop());

  const databaseName = `sast_bench_${randomBytes(6).toString('hex')}`;
  const adminUrl = serverUrl;
  cleanup.push(`dropping database ${databaseName}`, () => dropDatabase(adminUrl, databaseName));
  const databaseUrl = await ensureDatabase(serverUrl, databaseName);
  const knex = createKnex(databaseUrl, 10);
  cleanup.push('closing the database pool', () => knex.destroy());
  await knex.migrate.latest();
  bindModels(knex);

  const outputRoot = mkdtempSync(join(tmpdir(), 'sast-bench-runs-'));
  cleanup.push('removing the pipeline outputs', () => rmSync(outputRoot, { recursive: true, force: true }));

  const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  return { temporalAddress: temporal.address, temporalNamespace, temporalCliPath, databaseUrl, knex, outputRoot, workflowBundle };
}

/** One scenario's orchestrator: its own task queue and workflow id prefix, our worker in this process, the API app. */
export interface Orchestrator {
  config: Config;
  client: Client;
  app: App;
  stop(): Promise<void>;
}

export interface OrchestratorSettings {
  label: string;
  pipelineMs: number;
  pipelineConcurrency: number;
}

export async function startOrchestrator(infra: Infrastructure, settings: OrchestratorSettings): Promise<Orchestrator> {
  const name = `bench-${settings.label}-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_NAMESPACE: infra.temporalNamespace,
    TEMPORAL_TASK_QUEUE: name,
    TEMPORAL_WORKFLOW_ID_PREFIX: name,
    PIPELINE_RUNNER: 'simulated',
    SIMULATED_PIPELINE_MS: String(settings.pipelineMs),
    SIMULATED_FAILURE_RATE: '0',
    PIPELINE_CONCURRENCY: String(settings.pipelineConcurrency),
    PIPELINE_OUTPUT_ROOT: infra.outputRoot,
    LOG_LEVEL: 'warn',
  });
  const client = await connectClient(config);
  try {
    const app = createApp({ config, knex: infra.knex, client });
    const workers = await createWorkers({ config, knex: infra.knex, client, runner: createRunner(config) }, { workflowBundle: infra.workflowBundle });
    const done = workers.run();
    // Seen at once rather than as a batch that never ends; stop() still rethrows it.
    done.catch((err: unknown) => console.error(`worker of ${name} failed:`, err));
    return {
      config,
      client,
      app,
      async stop() {
        workers.shutdown();
        await done;
        await client.connection.close();
      },
    };
  } catch (err) {
    await client.connection.close();
    throw err;
  }
}
