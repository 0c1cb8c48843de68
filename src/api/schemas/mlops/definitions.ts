import { z } from '@hono/zod-openapi';
import { JOB_BATCH_STATUSES } from '../../../models/statuses.js';
import { PageQuery } from '../common.js';
import { JsonObject } from './common.js';

const Edge = z.object({ from: z.string().min(1), to: z.string().min(1) }).openapi('TopologyEdge');

export const TopologySchema = z
  .object({ topologyId: z.number().int(), description: z.string().nullable(), edges: z.array(Edge) })
  .openapi('Topology');

export const TopologyDetailsSchema = TopologySchema.extend({
  pipelineDefinitionIds: z.array(z.string()).openapi({ description: 'Run definitions with this graph' }),
}).openapi('TopologyDetails');

export const TopologyCreateSchema = z
  .object({
    topologyId: z.number().int().positive().optional().openapi({ description: 'Default: an identical stored graph, else the next free id' }),
    description: z.string().nullish(),
    edges: z.array(Edge).min(1).openapi({ description: 'A directed acyclic graph of the pipeline nodes' }),
  })
  .openapi('TopologyCreate');

export const TopologyIdParam = z.object({
  topologyId: z.coerce.number().int().positive().openapi({ param: { name: 'topologyId', in: 'path' }, example: 1 }),
});

export const RunDefinitionSchema = z
  .object({
    pipelineDefinitionId: z.string(),
    name: z.string(),
    version: z.string(),
    gitHash: z.string(),
    description: z.string().nullable(),
    metadata: JsonObject,
    topology: TopologySchema.nullable(),
    createdAt: z.string(),
  })
  .openapi('RunDefinition');

export const RunDefinitionDetailsSchema = RunDefinitionSchema.extend({
  batches: z.array(z.object({ batchId: z.number().int(), status: z.enum(JOB_BATCH_STATUSES) })).openapi({ description: 'Batches run under this definition' }),
}).openapi('RunDefinitionDetails');

export const RunDefinitionCreateSchema = z
  .object({
    pipelineDefinitionId: z.string().min(1).max(255).openapi({ example: 'sast-ai-workflow-prompts-v2' }),
    name: z.string().min(1).max(255),
    version: z.string().min(1).max(50),
    gitHash: z.string().min(1).max(40),
    description: z.string().nullish(),
    metadata: JsonObject.openapi({
      description: 'Free-form; testingDataNvrsVersion, promptsVersion, knownNonIssuesVersion and sastAiImage appear in /mlops-batch views',
    }),
    edges: z.array(Edge).optional().openapi({ description: 'The graph, registered as a topology (or reused if identical)' }),
    topologyId: z.number().int().positive().optional().openapi({ description: 'An already registered topology, instead of edges' }),
  })
  .openapi('RunDefinitionCreate');

export const PipelineDefinitionIdParam = z.object({
  pipelineDefinitionId: z.string().min(1).max(255).openapi({ param: { name: 'pipelineDefinitionId', in: 'path' }, example: 'sast-ai-workflow-default' }),
});

export const DefinitionListQuery = z.object(PageQuery);
