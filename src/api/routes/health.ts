import { createRoute, z } from '@hono/zod-openapi';
import { Connection } from '@temporalio/client';
import { createRouter } from '../router.js';
import type { ApiDeps } from '../deps.js';

const HealthResponse = z
  .object({
    status: z.enum(['UP', 'DOWN']),
    timestamp: z.string(),
    version: z.string(),
    component: z.string(),
    message: z.string(),
    dependencies: z.record(z.string(), z.string()),
  })
  .openapi('HealthResponseDto');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Health of the service and of its database and Temporal',
  responses: {
    200: { description: 'All dependencies are UP', content: { 'application/json': { schema: HealthResponse } } },
    503: { description: 'A dependency is DOWN', content: { 'application/json': { schema: HealthResponse } } },
  },
});

const PROBE_TIMEOUT_MS = 3000;

/** UP, or DOWN with the reason; never waits longer than PROBE_TIMEOUT_MS, so a health check answers while a dependency hangs. */
async function probe(check: (deadline: number) => Promise<unknown>): Promise<string> {
  const deadline = Date.now() + PROBE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(deadline), timeout]);
    return 'UP';
  } catch (err) {
    return `DOWN - ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({ config, knex, client }: ApiDeps) {
  /*
   * A probe is one attempt, on a connection of its own to the same server without the client's retry interceptor:
   * the client's retries outlive the probe on timers, and would fire on a closed channel once the client is closed.
   */
  let probeConnection: Connection | undefined;
  const probeTemporal = (deadline: number) => {
    probeConnection ??= Connection.lazy({ ...(client.connection as Connection).options, interceptors: [] });
    const connection = probeConnection;
    // Just after the probe's own deadline, so that the probe's message ("no answer within 3 s") is the one reported.
    return connection.withDeadline(deadline + 500, () => connection.workflowService.getSystemInfo({}));
  };
  return createRouter().openapi(route, async (c) => {
    const [database, temporal] = await Promise.all([probe(() => knex.raw('SELECT 1')), probe(probeTemporal)]);
    const dependencies = { database, temporal };
    const up = Object.values(dependencies).every((v) => v === 'UP');
    const body = {
      status: up ? ('UP' as const) : ('DOWN' as const),
      timestamp: new Date().toISOString(),
      version: config.APP_VERSION,
      component: 'sast-ai-orchestrator',
      message: up ? 'All dependencies are available' : 'A dependency is unavailable',
      dependencies,
    };
    return up ? c.json(body, 200) : c.json(body, 503);
  });
}
