import { createRoute, z } from '@hono/zod-openapi';
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

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3000).unref())]);
    return 'UP';
  } catch (err) {
    return `DOWN - ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function healthRoutes({ config, knex, client }: ApiDeps) {
  return createRouter().openapi(route, async (c) => {
    const [database, temporal] = await Promise.all([
      probe(() => knex.raw('SELECT 1')),
      probe(() => client.workflowService.getSystemInfo({})),
    ]);
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
