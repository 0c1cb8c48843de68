import { createRoute, z } from '@hono/zod-openapi';
import { deleteTopology, topologyDetails } from '../../../mlops/queries/definitions.js';
import { registerTopology } from '../../../mlops/topology.js';
import { WorkflowGraphTopology } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { notFound } from '../../problem.js';
import { createRouter } from '../../router.js';
import { problem } from '../../schemas/common.js';
import { DefinitionListQuery, TopologyCreateSchema, TopologyDetailsSchema, TopologyIdParam, TopologySchema } from '../../schemas/mlops/definitions.js';
import { toTopologyDto } from './mappers.js';
import { json, jsonBody, mapErrors } from './shared.js';

const register = createRoute({
  method: 'post',
  path: '/topologies',
  tags: ['run-definitions'],
  summary: 'Register a pipeline graph (immutable: the same content again is a no-op)',
  request: { body: jsonBody(TopologyCreateSchema) },
  responses: {
    201: json(TopologySchema, 'Registered'),
    200: json(TopologySchema, 'An identical graph was already registered'),
    400: problem('Invalid input, e.g. a cycle'),
    409: problem('The topologyId exists with other content'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/topologies',
  tags: ['run-definitions'],
  summary: 'Pipeline graphs, by topologyId',
  request: { query: DefinitionListQuery },
  responses: { 200: json(z.array(TopologySchema), 'One page of topologies'), 400: problem('Invalid query parameter') },
});

const get = createRoute({
  method: 'get',
  path: '/topologies/{topologyId}',
  tags: ['run-definitions'],
  summary: 'One pipeline graph and the run definitions using it',
  request: { params: TopologyIdParam },
  responses: { 200: json(TopologyDetailsSchema, 'The topology'), 404: problem('No such topology') },
});

const remove = createRoute({
  method: 'delete',
  path: '/topologies/{topologyId}',
  tags: ['run-definitions'],
  summary: 'Remove a pipeline graph no run definition uses',
  request: { params: TopologyIdParam },
  responses: { 204: { description: 'Removed' }, 404: problem('No such topology'), 409: problem('Run definitions use it') },
});

export function topologyRoutes(deps: ApiDeps) {
  const { knex } = deps;
  return createRouter()
    .openapi(register, async (c) => {
      const { topology, created } = await mapErrors(() => registerTopology(knex, c.req.valid('json')));
      return created ? c.json(toTopologyDto(topology), 201) : c.json(toTopologyDto(topology), 200);
    })
    .openapi(list, async (c) => {
      const { page, size } = c.req.valid('query');
      const { results, total } = await WorkflowGraphTopology.query(knex).orderBy('topology_id').page(page, size);
      c.header('X-Total-Count', String(total));
      return c.json(results.map(toTopologyDto), 200);
    })
    .openapi(get, async (c) => {
      const { topologyId } = c.req.valid('param');
      const found = await topologyDetails(knex, topologyId);
      if (!found) throw notFound('topology', topologyId);
      return c.json({ ...toTopologyDto(found.topology), pipelineDefinitionIds: found.pipelineDefinitionIds }, 200);
    })
    .openapi(remove, async (c) => {
      await mapErrors(() => deleteTopology(knex, c.req.valid('param').topologyId));
      return c.body(null, 204);
    });
}
