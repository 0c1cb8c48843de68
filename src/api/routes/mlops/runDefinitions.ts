import { createRoute, z } from '@hono/zod-openapi';
import { deleteRunDefinition, runDefinitionDetails } from '../../../mlops/queries/definitions.js';
import { registerRunDefinition } from '../../../mlops/runDefinitions.js';
import { JobBatchRunDefinition, WorkflowGraphTopology } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { badRequest, notFound } from '../../problem.js';
import { createRouter } from '../../router.js';
import { problem } from '../../schemas/common.js';
import {
  DefinitionListQuery,
  PipelineDefinitionIdParam,
  RunDefinitionCreateSchema,
  RunDefinitionDetailsSchema,
  RunDefinitionSchema,
} from '../../schemas/mlops/definitions.js';
import { toRunDefinitionDto } from './mappers.js';
import { json, jsonBody, mapErrors } from './shared.js';

const register = createRoute({
  method: 'post',
  path: '/run-definitions',
  tags: ['run-definitions'],
  summary: 'Register a run definition (immutable: the same content again is a no-op)',
  request: { body: jsonBody(RunDefinitionCreateSchema) },
  responses: {
    201: json(RunDefinitionSchema, 'Registered'),
    200: json(RunDefinitionSchema, 'Already registered with identical content'),
    400: problem('Invalid input'),
    409: problem('The pipelineDefinitionId exists with other content'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/run-definitions',
  tags: ['run-definitions'],
  summary: 'Run definitions, newest first',
  request: { query: DefinitionListQuery },
  responses: { 200: json(z.array(RunDefinitionSchema), 'One page of run definitions'), 400: problem('Invalid query parameter') },
});

const get = createRoute({
  method: 'get',
  path: '/run-definitions/{pipelineDefinitionId}',
  tags: ['run-definitions'],
  summary: 'One run definition, its topology and the batches run under it',
  request: { params: PipelineDefinitionIdParam },
  responses: { 200: json(RunDefinitionDetailsSchema, 'The run definition'), 404: problem('No such run definition') },
});

const remove = createRoute({
  method: 'delete',
  path: '/run-definitions/{pipelineDefinitionId}',
  tags: ['run-definitions'],
  summary: 'Remove a run definition no batch ran under',
  request: { params: PipelineDefinitionIdParam },
  responses: { 204: { description: 'Removed' }, 404: problem('No such run definition'), 409: problem('Batches refer to it') },
});

/** The API names topologies by topology_id; the write function takes the row's primary key. */
async function topologyPk(topologyId: number | undefined): Promise<number | undefined> {
  if (topologyId === undefined) return undefined;
  const topology = await WorkflowGraphTopology.query().findOne({ topology_id: topologyId });
  if (!topology) throw badRequest('topologyId', `topology ${topologyId} does not exist`);
  return topology.id;
}

const withTopology = (id: number) => JobBatchRunDefinition.query().findById(id).withGraphFetched('topology').throwIfNotFound();

export function runDefinitionRoutes(deps: ApiDeps) {
  const { knex } = deps;
  return createRouter()
    .openapi(register, async (c) => {
      const { topologyId, ...body } = c.req.valid('json');
      const workflowGraphTopologyId = await topologyPk(topologyId);
      const { definition, created } = await mapErrors(() => registerRunDefinition(knex, { ...body, workflowGraphTopologyId }));
      const dto = toRunDefinitionDto(await withTopology(definition.id));
      return created ? c.json(dto, 201) : c.json(dto, 200);
    })
    .openapi(list, async (c) => {
      const { page, size } = c.req.valid('query');
      const { results, total } = await JobBatchRunDefinition.query(knex)
        .withGraphFetched('topology')
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .page(page, size);
      c.header('X-Total-Count', String(total));
      return c.json(results.map(toRunDefinitionDto), 200);
    })
    .openapi(get, async (c) => {
      const { pipelineDefinitionId } = c.req.valid('param');
      const found = await runDefinitionDetails(knex, pipelineDefinitionId);
      if (!found) throw notFound('run definition', pipelineDefinitionId);
      return c.json({ ...toRunDefinitionDto(found.definition), batches: found.batches }, 200);
    })
    .openapi(remove, async (c) => {
      await mapErrors(() => deleteRunDefinition(knex, c.req.valid('param').pipelineDefinitionId));
      return c.body(null, 204);
    });
}
