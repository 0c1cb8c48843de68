import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import { TransportError } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createApp } from './api/app.js';
import type { Config } from './config.js';
import { bindModels, createKnex } from './db/knex.js';
import { logger } from './logger.js';
import { createRunner } from './pipeline/runner.js';
import { connectClient } from './temporal/client.js';
import { createWorkers } from './temporal/worker.js';

/** Starting and stopping the API and the worker, shared by `npm start`, `npm run api|worker` and `npm run dev`. */

export interface Running {
  stop(): Promise<void>;
  done: Promise<void>;
  apiUrl?: string;
}

export interface Services {
  knex: Knex;
  client: Client;
}

export async function connectServices(config: Config): Promise<Services> {
  const knex = createKnex(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  bindModels(knex);
  const client = await connectClient(config);
  return { knex, client };
}

export async function startApi(config: Config, services: Services): Promise<Running> {
  const app = createApp({ config, ...services });
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
  });
  server.on('close', resolveDone);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const apiUrl = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}/api/v1`;
  logger.info({ apiUrl }, 'API listening');
  return {
    apiUrl,
    done,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function startWorker(config: Config, services: Services): Promise<Running> {
  const workers = await createWorkers({ config, ...services, runner: createRunner(config) });
  const done = workers.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, pipelineConcurrency: config.PIPELINE_CONCURRENCY }, 'worker running');
  return {
    done,
    stop: async () => {
      workers.shutdown();
      await done;
    },
  };
}

/**
 * Starts the worker once Temporal can be reached: until then the process stays up (its API reporting Temporal
 * DOWN) instead of failing, so that an orchestrator such as Kubernetes sees a live process with a clear health.
 */
async function startWorkerWhenReachable(config: Config, services: Services, stopped: AbortSignal): Promise<Running | undefined> {
  for (let attempt = 1; !stopped.aborted; attempt++) {
    try {
      return await startWorker(config, services);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      const retryInMs = Math.min(30_000, 500 * 2 ** attempt);
      logger.warn({ err: err.message, address: config.TEMPORAL_ADDRESS, retryInMs }, 'worker cannot reach Temporal; retrying');
      await sleep(retryInMs, undefined, { signal: stopped }).catch(() => undefined);
    }
  }
  return undefined;
}

/**
 * The API and/or the worker against configured services (they scale apart). The API applies pending
 * migrations first; knex's migration lock makes that safe with several replicas.
 */
export async function runServices(config: Config, roles: { api: boolean; worker: boolean }): Promise<Running> {
  const services = await connectServices(config);
  if (roles.api && config.MIGRATE_ON_START) await services.knex.migrate.latest();
  const stopping = new AbortController();
  const api = roles.api ? await startApi(config, services) : undefined;
  const worker = roles.worker ? startWorkerWhenReachable(config, services, stopping.signal) : undefined;
  if (!roles.api) await worker;
  return {
    apiUrl: api?.apiUrl,
    done: Promise.all([worker?.then((w) => w?.done), api?.done]).then(() => undefined),
    // The API stops taking requests first, then the worker finishes its tasks, then the connections close.
    stop: async () => {
      stopping.abort();
      await api?.stop();
      await (await worker)?.stop();
      await services.knex.destroy();
      await services.client.connection.close();
    },
  };
}

export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
