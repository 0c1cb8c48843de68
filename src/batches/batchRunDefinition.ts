import type { Knex } from 'knex';
import { ensureDefaultRunDefinition } from '../mlops/runDefinitions.js';
import { JobBatchRunDefinition } from '../models/index.js';

export class UnknownRunDefinitionError extends Error {}

/** The run definition a new batch records: the one named, else the built-in sast-ai-workflow definition. */
export async function resolveRunDefinitionId(knex: Knex, pipelineDefinitionId: string | null): Promise<number> {
  if (!pipelineDefinitionId) return (await ensureDefaultRunDefinition(knex)).id;
  const definition = await JobBatchRunDefinition.query(knex).findOne({ pipeline_definition_id: pipelineDefinitionId });
  if (!definition) throw new UnknownRunDefinitionError(`no run definition "${pipelineDefinitionId}" is registered`);
  return definition.id;
}
