import type { Knex } from 'knex';
import { z } from 'zod';
import { JobBatchRunDefinition, WorkflowGraphTopology } from '../models/index.js';
import type { TopologyEdge } from '../models/WorkflowGraphTopology.js';
import { canonicalJson } from './canonicalJson.js';
import { MlopsConflictError, MlopsInputError, parseInput } from './errors.js';
import { EXCEL_REPORT_FILE, TOKEN_USAGE_FILE, WORKFLOW_METRICS_FILE } from './outputFiles.js';
import { registerTopology } from './topology.js';

/** The sast-ai-workflow's linear LangGraph (anchors §2.1). */
export const DEFAULT_WORKFLOW_EDGES: readonly TopologyEdge[] = [
  { from: 'pre_process', to: 'filter' },
  { from: 'filter', to: 'investigate' },
  { from: 'investigate', to: 'summarize_justifications' },
  { from: 'summarize_justifications', to: 'calculate_metrics' },
  { from: 'calculate_metrics', to: 'write_results' },
];

export const DEFAULT_PIPELINE_DEFINITION_ID = 'sast-ai-workflow-default';
/** Version of this description of the graph: bump it whenever DEFAULT_WORKFLOW_EDGES or the metadata change. */
export const DEFAULT_PIPELINE_VERSION = '1.0.0';
/** The sast-ai-workflow commit the graph was read from (anchors §0); its full hash was not recorded. */
export const DEFAULT_PIPELINE_GIT_HASH = 'ee0fdb0';

const runDefinitionInput = z
  .object({
    pipelineDefinitionId: z.string().trim().min(1).max(255),
    name: z.string().trim().min(1).max(255),
    version: z.string().trim().min(1).max(50),
    gitHash: z.string().trim().min(1).max(40),
    description: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()),
    edges: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
    workflowGraphTopologyId: z.number().int().positive().nullish(),
  })
  .refine((d) => d.edges === undefined || d.workflowGraphTopologyId == null, {
    path: ['edges'],
    message: 'give either edges or workflowGraphTopologyId, not both',
  });

export type RunDefinitionInput = z.input<typeof runDefinitionInput>;

const COMPARED = ['name', 'version', 'gitHash', 'description', 'metadata', 'workflowGraphTopologyId'] as const;

async function topologyPk(trx: Knex.Transaction, d: z.output<typeof runDefinitionInput>): Promise<number | null> {
  if (d.edges) return (await registerTopology(trx, { description: `${d.name} ${d.version}`, edges: d.edges })).topology.id;
  if (d.workflowGraphTopologyId == null) return null;
  if (!(await WorkflowGraphTopology.query(trx).findById(d.workflowGraphTopologyId))) {
    throw new MlopsInputError('workflowGraphTopologyId', `workflowGraphTopologyId ${d.workflowGraphTopologyId} does not exist`);
  }
  return d.workflowGraphTopologyId;
}

/**
 * Idempotent for identical content; other content under an existing pipelineDefinitionId is a
 * conflict, because batches already point at the stored definition.
 */
export async function registerRunDefinition(db: Knex, input: RunDefinitionInput): Promise<{ definition: JobBatchRunDefinition; created: boolean }> {
  const d = parseInput(runDefinitionInput, input);
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`run_definitions:${d.pipelineDefinitionId}`]);
    const wanted = {
      pipelineDefinitionId: d.pipelineDefinitionId,
      name: d.name,
      version: d.version,
      gitHash: d.gitHash,
      description: d.description ?? null,
      metadata: d.metadata,
      workflowGraphTopologyId: await topologyPk(trx, d),
    };
    const existing = await JobBatchRunDefinition.query(trx).findOne({ pipeline_definition_id: d.pipelineDefinitionId });
    if (existing) {
      const differing = COMPARED.filter((k) => canonicalJson(existing[k] ?? null) !== canonicalJson(wanted[k]));
      if (!differing.length) return { definition: existing, created: false };
      throw new MlopsConflictError(`run definition ${d.pipelineDefinitionId} already exists with another ${differing.join(', ')}`);
    }
    return { definition: await JobBatchRunDefinition.query(trx).insertAndFetch({ ...wanted, createdAt: new Date() }), created: true };
  });
}

export async function ensureDefaultRunDefinition(db: Knex): Promise<JobBatchRunDefinition> {
  const { definition } = await registerRunDefinition(db, {
    pipelineDefinitionId: DEFAULT_PIPELINE_DEFINITION_ID,
    name: 'sast-ai-workflow',
    version: DEFAULT_PIPELINE_VERSION,
    gitHash: DEFAULT_PIPELINE_GIT_HASH,
    description: 'The sast-ai-workflow LangGraph run by the orchestrator when a batch names no other definition',
    metadata: {
      repository: 'https://github.com/RHEcosystemAppEng/sast-ai-workflow',
      entrypoint: 'nat run --config_file src/sast_agent_workflow/configs/config.yml',
      outputs: [EXCEL_REPORT_FILE, TOKEN_USAGE_FILE, WORKFLOW_METRICS_FILE],
    },
    edges: [...DEFAULT_WORKFLOW_EDGES],
  });
  return definition;
}
