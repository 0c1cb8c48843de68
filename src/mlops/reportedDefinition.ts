import type { Knex } from 'knex';
import { JobBatch } from '../models/index.js';
import { MlopsConflictError, MlopsInputError } from './errors.js';
import { PIPELINE_DEFINITION_FILE, type Problem } from './outputFiles.js';
import { DEFAULT_PIPELINE_DEFINITION_ID, registerRunDefinition, type RunDefinitionInput } from './runDefinitions.js';

/**
 * A pipeline may report the definition it ran under (name, version, git hash, graph) in
 * $PIPELINE_DEFINITION_PATH. It is registered like one submitted over the API; a batch that was submitted
 * without naming a definition then records the reported one instead of the built-in default. A report that
 * contradicts a registered definition, or the one the batch named, is a problem, not a change.
 */
export async function recordReportedDefinition(
  db: Knex,
  reported: RunDefinitionInput,
  batchId: number | null | undefined,
): Promise<Problem[]> {
  const problem = (detail: string): Problem[] => [{ file: PIPELINE_DEFINITION_FILE, problem: 'malformed', detail }];
  let definitionId: number;
  try {
    definitionId = (await registerRunDefinition(db, reported)).definition.id;
  } catch (error) {
    if (error instanceof MlopsConflictError || error instanceof MlopsInputError) return problem(error.message);
    throw error;
  }
  if (batchId == null) return [];

  const batch = await JobBatch.query(db).findById(batchId).withGraphFetched('runDefinition');
  if (!batch || batch.jobBatchRunDefinitionId === definitionId) return [];
  const named = batch.runDefinition?.pipelineDefinitionId;
  if (named && named !== DEFAULT_PIPELINE_DEFINITION_ID) {
    return problem(`the pipeline reported ${reported.pipelineDefinitionId}, but batch ${batchId} runs under ${named}`);
  }
  // Guarded: only a batch still on the default (or on none) takes the reported definition, once.
  await db('job_batch')
    .update({ job_batch_run_definition_id: definitionId })
    .where({ id: batchId })
    .where((q) => q.whereNull('job_batch_run_definition_id').orWhere('job_batch_run_definition_id', batch.jobBatchRunDefinitionId ?? null));
  return [];
}
