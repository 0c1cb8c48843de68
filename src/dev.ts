import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigError, loadConfig, loadDevConfig, type DevConfig } from './config.js';
import { ensureDatabase } from './db/databases.js';
import { startEmbeddedPostgres } from './db/embeddedPostgres.js';
import { logger, setLogLevel } from './logger.js';
import { runServices, stopOnSignals } from './runtime.js';
import { findTemporalCli, TEMPORAL_CLI_HELP } from './temporal/cli.js';
import { startDevServer } from './temporal/devServer.js';
import { ALL_SEARCH_ATTRIBUTES } from './temporal/searchAttributes.js';

/**
 * `npm run dev`: the whole system on one machine with no setup. What is not configured is started here:
 * an embedded PostgreSQL and a Temporal dev server (Web UI on 8233), both keeping their data under
 * DEV_DATA_DIR (.data/), so that runs survive a restart.
 */

const root = fileURLToPath(new URL('..', import.meta.url));

async function startTemporal(dev: DevConfig, dataDir: string): Promise<{ address: string; uiUrl: string; stop(): Promise<void> }> {
  const cliPath = findTemporalCli(process.env, root);
  const dbFile = join(dataDir, 'temporal.sqlite');
  const ports = { port: dev.DEV_TEMPORAL_PORT, uiPort: dev.DEV_TEMPORAL_UI_PORT };
  if (cliPath) {
    const server = await startDevServer({ cliPath, ...ports, namespace: 'default', dbFile });
    return { address: server.address, uiUrl: server.uiUrl!, stop: server.stop };
  }
  // No CLI here: the SDK can download one where the internet can be reached.
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: { ip: '127.0.0.1', ...ports, ui: true, dbFilename: dbFile, searchAttributes: ALL_SEARCH_ATTRIBUTES },
    });
    return { address: env.address, uiUrl: `http://127.0.0.1:${ports.uiPort}`, stop: () => env.teardown() };
  } catch (err) {
    throw new ConfigError(`${TEMPORAL_CLI_HELP} (download failed: ${err instanceof Error ? err.message : String(err)})`);
  }
}

async function main(): Promise<void> {
  const dev = loadDevConfig();
  const dataDir = resolve(root, dev.DEV_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of [...stops].reverse()) await stop().catch((err: unknown) => logger.warn({ err }, 'stop failed'));
  };
  stopOnSignals(stopAll);
  try {
    if (!process.env.DATABASE_URL) {
      const pg = await startEmbeddedPostgres(join(dataDir, 'postgres'), dev.DEV_POSTGRES_PORT);
      stops.push(pg.stop);
      process.env.DATABASE_URL = await ensureDatabase(pg.url, 'sast_ai');
    }
    if (!process.env.TEMPORAL_ADDRESS) {
      const temporal = await startTemporal(dev, dataDir);
      stops.push(temporal.stop);
      process.env.TEMPORAL_ADDRESS = temporal.address;
      process.env.TEMPORAL_UI_URL ??= temporal.uiUrl;
    }
    // The simulated pipeline is the default here only, so that a fresh clone runs end to end.
    process.env.PIPELINE_RUNNER ??= 'simulated';
    process.env.PIPELINE_OUTPUT_ROOT ??= join(dataDir, 'pipeline-runs');
    const config = loadConfig();
    setLogLevel(config.LOG_LEVEL);
    const running = await runServices(config, { api: true, worker: true });
    stops.push(running.stop);
    const databaseShown = new URL(config.DATABASE_URL);
    databaseShown.password = databaseShown.password ? '***' : '';
    console.log(
      [
        '',
        'SAST-AI orchestrator is running (Ctrl-C stops everything):',
        `  API          ${running.apiUrl}   (docs: ${running.apiUrl}/docs)`,
        `  Temporal UI  ${config.TEMPORAL_UI_URL}   (server ${config.TEMPORAL_ADDRESS})`,
        `  Database     ${databaseShown.toString()}`,
        `  Pipeline     ${config.PIPELINE_RUNNER}${config.PIPELINE_RUNNER === 'simulated' ? ` (${config.SIMULATED_PIPELINE_MS} ms per job; not a real analysis)` : ''}`,
        '',
      ].join('\n'),
    );
    await running.done;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.fatal({ err }, 'npm run dev failed');
  process.exit(1);
});
