import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { logger } from '../logger.js';
import type { ApiDeps } from './deps.js';
import { problemResponse, toProblemResponse } from './problem.js';
import { createRouter } from './router.js';
import { batchRoutes } from './routes/batches.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { mlopsRoutes } from './routes/mlops/index.js';

export const API_BASE = '/api/v1';

export function createApp(deps: ApiDeps) {
  const { config } = deps;
  const app = createRouter();
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  app.use('*', cors({ origin: origins.includes('*') ? '*' : origins, allowHeaders: ['Content-Type'], maxAge: 600 }));
  app.use(
    '*',
    bodyLimit({
      maxSize: config.MAX_BODY_BYTES,
      onError: (c) => problemResponse(c, 413, 'Payload Too Large', `the request body exceeds ${config.MAX_BODY_BYTES} bytes`),
    }),
  );

  const api = createRouter();
  api.route('/', healthRoutes(deps));
  api.route('/', jobRoutes(deps));
  api.route('/', batchRoutes(deps));
  api.route('/', mlopsRoutes(deps));
  app.route(API_BASE, api);

  app.doc31(`${API_BASE}/openapi.json`, {
    openapi: '3.1.0',
    info: {
      title: 'SAST-AI Orchestrator API',
      version: config.APP_VERSION,
      description: 'Submit, watch and cancel SAST-AI analyses; read their token usage, cost, quality and lineage.',
    },
  });
  if (config.ENABLE_DOCS) app.get(`${API_BASE}/docs`, swaggerUI({ url: `${API_BASE}/openapi.json` }));

  app.notFound((c) => problemResponse(c, 404, 'Not Found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => toProblemResponse(err, c, (e) => logger.error({ err: e, path: c.req.path }, 'unhandled API error')));
  return app;
}

export type App = ReturnType<typeof createApp>;
