import { createRoute } from '@hono/zod-openapi';
import { artifactUses } from '../../../mlops/queries/lineage.js';
import { DataArtifact } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { notFound } from '../../problem.js';
import { createRouter } from '../../router.js';
import { problem } from '../../schemas/common.js';
import { ArtifactDetailsSchema, ArtifactIdParam } from '../../schemas/mlops/records.js';
import { toArtifactDto } from './mappers.js';
import { json } from './shared.js';

const getArtifact = createRoute({
  method: 'get',
  path: '/data-artifacts/{artifactId}',
  tags: ['mlops'],
  summary: 'A data artifact and the batches that consumed or produced it',
  request: { params: ArtifactIdParam },
  responses: { 200: json(ArtifactDetailsSchema, 'The artifact'), 400: problem('Invalid artifactId'), 404: problem('No such artifact') },
});

export function artifactRoutes(deps: ApiDeps) {
  const { knex } = deps;
  return createRouter().openapi(getArtifact, async (c) => {
    const { artifactId } = c.req.valid('param');
    const artifact = await DataArtifact.query(knex).findById(artifactId);
    if (!artifact) throw notFound('data artifact', artifactId);
    return c.json({ ...toArtifactDto(artifact), usedBy: await artifactUses(knex, artifactId) }, 200);
  });
}
