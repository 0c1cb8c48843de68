import { describe, expect, it } from 'vitest';
import { useSystem } from './helpers/system.js';

const system = useSystem({ CORS_ORIGINS: 'https://dashboard.example, https://other.example' }, { worker: false });

describe('the HTTP surface', () => {
  it('serves an OpenAPI document that lists every route the API answers', async () => {
    const res = await system.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    // Every route registered in the app, except the document and the docs page themselves, is in the document.
    const served = system.app.routes
      .filter((r) => r.method !== 'ALL' && !r.path.endsWith('/openapi.json') && !r.path.endsWith('/docs'))
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(served)].sort()).toEqual([...new Set(documented)].sort());
    expect(documented).toEqual(expect.arrayContaining(['POST /api/v1/jobs/simple', 'POST /api/v1/job-batches', 'GET /api/v1/health']));
    expect(doc.components.schemas.JobCreationDto.properties.packageNvr).toBeDefined();
  });

  it('serves interactive docs', async () => {
    const res = await system.request('/api/v1/docs');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/api/v1/openapi.json');
  });

  it('answers CORS preflights for the configured origins only', async () => {
    const allowed = await system.request('/api/v1/jobs/simple', {
      method: 'OPTIONS',
      headers: { origin: 'https://dashboard.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    const other = await system.request('/api/v1/jobs', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown route with a problem', async () => {
    const res = await system.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).detail).toContain('/api/v1/nothing-here');
  });
});
