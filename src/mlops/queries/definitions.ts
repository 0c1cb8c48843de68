import type { Knex } from 'knex';
import { JobBatch, JobBatchRunDefinition, WorkflowGraphTopology } from '../../models/index.js';
import { MlopsConflictError, MlopsNotFoundError } from '../errors.js';

/**
 * Reads and removals of run definitions and topologies. Both are immutable once registered, so the
 * only change is removing one nothing refers to; the foreign keys back the check against a racing insert.
 */

const isForeignKeyViolation = (error: unknown) => (error as { code?: string }).code === '23503';

export async function runDefinitionDetails(db: Knex, pipelineDefinitionId: string) {
  const definition = await JobBatchRunDefinition.query(db).findOne({ pipeline_definition_id: pipelineDefinitionId }).withGraphFetched('topology');
  if (!definition) return null;
  const batches = await JobBatch.query(db).where({ job_batch_run_definition_id: definition.id }).select('id', 'status').orderBy('id');
  return { definition, batches: batches.map((b) => ({ batchId: b.id, status: b.status })) };
}

export async function deleteRunDefinition(db: Knex, pipelineDefinitionId: string): Promise<void> {
  try {
    await db.transaction(async (trx) => {
      const definition = await JobBatchRunDefinition.query(trx).findOne({ pipeline_definition_id: pipelineDefinitionId }).forUpdate();
      if (!definition) throw new MlopsNotFoundError(`run definition ${pipelineDefinitionId} does not exist`);
      const batches = await JobBatch.query(trx).where({ job_batch_run_definition_id: definition.id }).select('id').orderBy('id');
      if (batches.length) {
        throw new MlopsConflictError(
          `run definition ${pipelineDefinitionId} is used by ${batches.length} batch(es) (${batches.slice(0, 10).map((b) => b.id).join(', ')}${batches.length > 10 ? ', …' : ''})`,
        );
      }
      await JobBatchRunDefinition.query(trx).deleteById(definition.id);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new MlopsConflictError(`run definition ${pipelineDefinitionId} is used by a batch`);
    throw error;
  }
}

export async function topologyDetails(db: Knex, topologyId: number) {
  const topology = await WorkflowGraphTopology.query(db).findOne({ topology_id: topologyId });
  if (!topology) return null;
  const definitions = await JobBatchRunDefinition.query(db)
    .where({ workflow_graph_topology_id: topology.id })
    .select('pipeline_definition_id')
    .orderBy('pipeline_definition_id');
  return { topology, pipelineDefinitionIds: definitions.map((d) => d.pipelineDefinitionId) };
}

export async function deleteTopology(db: Knex, topologyId: number): Promise<void> {
  try {
    await db.transaction(async (trx) => {
      const topology = await WorkflowGraphTopology.query(trx).findOne({ topology_id: topologyId }).forUpdate();
      if (!topology) throw new MlopsNotFoundError(`topology ${topologyId} does not exist`);
      const users = await JobBatchRunDefinition.query(trx).where({ workflow_graph_topology_id: topology.id }).select('pipeline_definition_id');
      if (users.length) {
        throw new MlopsConflictError(`topology ${topologyId} is used by run definition(s) ${users.map((d) => d.pipelineDefinitionId).join(', ')}`);
      }
      await WorkflowGraphTopology.query(trx).deleteById(topology.id);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new MlopsConflictError(`topology ${topologyId} is used by a run definition`);
    throw error;
  }
}
