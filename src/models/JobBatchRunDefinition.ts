import { BaseModel } from './BaseModel.js';
import { WorkflowGraphTopology } from './WorkflowGraphTopology.js';

export class JobBatchRunDefinition extends BaseModel {
  static override tableName = 'job_batch_run_definitions';
  static override jsonAttributes = ['metadata'];

  id!: number;
  pipelineDefinitionId!: string;
  name!: string;
  version!: string;
  gitHash!: string;
  description?: string | null;
  workflowGraphTopologyId?: number | null;
  metadata!: Record<string, unknown>;
  createdAt!: Date;
  topology?: WorkflowGraphTopology | null;

  static override jsonSchema = {
    type: 'object',
    required: ['pipelineDefinitionId', 'name', 'version', 'gitHash', 'metadata'],
    properties: {
      pipelineDefinitionId: { type: 'string', minLength: 1, maxLength: 255 },
      name: { type: 'string', minLength: 1, maxLength: 255 },
      version: { type: 'string', minLength: 1, maxLength: 50 },
      gitHash: { type: 'string', minLength: 1, maxLength: 40 },
      description: { type: ['string', 'null'] },
      workflowGraphTopologyId: { type: ['integer', 'null'] },
      metadata: { type: 'object' },
    },
  };

  static override get relationMappings() {
    return {
      topology: {
        relation: BaseModel.BelongsToOneRelation,
        modelClass: WorkflowGraphTopology,
        join: { from: 'job_batch_run_definitions.workflow_graph_topology_id', to: 'workflow_graph_topology.id' },
      },
    };
  }
}
