import { BaseModel } from './BaseModel.js';

export interface TopologyEdge {
  from: string;
  to: string;
}

export class WorkflowGraphTopology extends BaseModel {
  static override tableName = 'workflow_graph_topology';
  static override jsonAttributes = ['edges'];

  id!: number;
  topologyId!: number;
  description?: string | null;
  edges!: TopologyEdge[];

  static override jsonSchema = {
    type: 'object',
    required: ['topologyId', 'edges'],
    properties: {
      topologyId: { type: 'integer' },
      description: { type: ['string', 'null'] },
      edges: { type: 'array' },
    },
  };
}
