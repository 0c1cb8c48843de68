import type { Client } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app.js';
import { APP_VERSION, loadConfig } from '../src/config.js';
import { bindModels, createKnex } from '../src/db/knex.js';
import { runServices, type Running } from '../src/runtime.js';
import { connectClient } from '../src/temporal/client.js';
import { freePort } from './globalSetup.js';
import { useSystem } from './helpers/system.js';

/** GET /api/v1/health: UP only when PostgreSQL and Temporal both answer; 503 naming the one that does not. */

const system = useSystem({}, { worker: false });
// Nothing listens on port 1 of the loopback interface.
const DEAD_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/x';
const DEAD_TEMPORAL_ADDRESS = '127.0.0.1:1';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

interface HealthBody {
  status: 'UP' | 'DOWN';
  dependencies: Record<string, string>;
}

async function deadTemporalClient(): Promise<Client> {
  const client = await connectClient({ TEMPORAL_ADDRESS: DEAD_TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: 'default' });
  closers.push(() => client.connection.close());
  return client;
}

describe('GET /api/v1/health', () => {
  it('is 200 with both dependencies UP', async () => {
    const res = await system.request('/api/v1/health');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      status: 'UP',
      timestamp: expect.any(String),
      version: APP_VERSION,
      component: 'sast-ai-orchestrator',
      message: 'All dependencies are available',
      dependencies: { database: 'UP', temporal: 'UP' },
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
  });

  it('is 503 with the database DOWN and the reason', async () => {
    const knex = createKnex(DEAD_DATABASE_URL, 1);
    closers.push(() => knex.destroy());
    const app = createApp({ config: system.config, knex, client: system.client });
    const res = await app.request('/api/v1/health');
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body).toMatchObject({ status: 'DOWN', message: 'A dependency is unavailable', dependencies: { temporal: 'UP' } });
    expect(body.dependencies.database).toMatch(/^DOWN - .*ECONNREFUSED/);
  });

  it('is 503 with Temporal DOWN, from a client made while Temporal cannot be reached', async () => {
    const app = createApp({ config: system.config, knex: system.db.knex, client: await deadTemporalClient() });
    const res = await app.request('/api/v1/health');
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body).toMatchObject({ status: 'DOWN', dependencies: { database: 'UP' } });
    // Refused at once: the probe makes one attempt and says why it failed.
    expect(body.dependencies.temporal).toMatch(/^DOWN - 14 UNAVAILABLE: .*ECONNREFUSED/);
  });

  it('answers again and again while Temporal stays down', async () => {
    const app = createApp({ config: system.config, knex: system.db.knex, client: await deadTemporalClient() });
    const statuses = await Promise.all([1, 2, 3].map(async () => (await app.request('/api/v1/health')).status));
    expect(statuses).toEqual([503, 503, 503]);
  });

  it('the API process starts and reports Temporal DOWN when Temporal cannot be reached', async () => {
    const config = loadConfig({ ...system.env, TEMPORAL_ADDRESS: DEAD_TEMPORAL_ADDRESS, HOST: '127.0.0.1', PORT: String(await freePort()) });
    let running: Running | undefined;
    try {
      // API and worker, as `npm start` runs them: the worker waits for Temporal instead of failing the start.
      running = await runServices(config, { api: true, worker: true });
      const res = await fetch(`${running.apiUrl}/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as HealthBody;
      expect(body.dependencies).toMatchObject({ database: 'UP', temporal: expect.stringMatching(/^DOWN - /) });
    } finally {
      await running?.stop();
      // runServices bound the models to its own pool, now closed.
      bindModels(system.db.knex);
    }
  });
});
