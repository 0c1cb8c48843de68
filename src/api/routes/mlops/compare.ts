import { createRoute } from '@hono/zod-openapi';
import { compareRunDefinitions } from '../../../mlops/queries/compare.js';
import { JobBatchRunDefinition } from '../../../models/index.js';
import type { ApiDeps } from '../../deps.js';
import { HttpProblem } from '../../problem.js';
import { createRouter } from '../../router.js';
import { problem } from '../../schemas/common.js';
import { CompareQuery, ComparisonSchema } from '../../schemas/mlops/compare.js';
import { json } from './shared.js';

const compare = createRoute({
  method: 'get',
  path: '/run-definitions/compare',
  tags: ['run-definitions'],
  summary: "The same packages under two run definitions: each side's latest completed run, and b − a",
  request: { query: CompareQuery },
  responses: {
    200: json(ComparisonSchema, 'The comparison'),
    400: problem('a or b missing'),
    404: problem('a or b names no run definition'),
  },
});

async function definitionPk(param: 'a' | 'b', pipelineDefinitionId: string): Promise<{ pk: number; label: string }> {
  const definition = await JobBatchRunDefinition.query().findOne({ pipeline_definition_id: pipelineDefinitionId });
  if (!definition) {
    const message = `run definition ${pipelineDefinitionId} does not exist`;
    throw new HttpProblem(404, 'Not Found', `query parameter ${param}: ${message}`, [{ field: param, message }]);
  }
  return { pk: definition.id, label: pipelineDefinitionId };
}

/** Mounted before /run-definitions/{pipelineDefinitionId}, which would otherwise take "compare" as an id. */
export function compareRoutes(deps: ApiDeps) {
  return createRouter().openapi(compare, async (c) => {
    const { a, b } = c.req.valid('query');
    const [defA, defB] = await Promise.all([definitionPk('a', a), definitionPk('b', b)]);
    return c.json(await compareRunDefinitions(deps.knex, defA, defB), 200);
  });
}
