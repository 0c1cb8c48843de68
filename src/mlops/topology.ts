import type { Knex } from 'knex';
import { z } from 'zod';
import { WorkflowGraphTopology } from '../models/index.js';
import type { TopologyEdge } from '../models/WorkflowGraphTopology.js';
import { canonicalJson } from './canonicalJson.js';
import { MlopsConflictError, MlopsInputError, parseInput } from './errors.js';

/** Pipeline graphs, stored once per distinct edge list. */

const topologyInput = z.object({
  topologyId: z.number().int().positive().optional(),
  description: z.string().nullish(),
  edges: z
    .array(z.object({ from: z.string().trim().min(1), to: z.string().trim().min(1) }))
    .min(1, 'must have at least one edge'),
});

export type TopologyInput = z.input<typeof topologyInput>;

/** Throws naming an edge that closes a cycle (a self-loop included); Kahn's algorithm. */
export function assertAcyclic(edges: readonly TopologyEdge[]): void {
  const indegree = new Map<string, number>();
  for (const { from, to } of edges) {
    indegree.set(from, indegree.get(from) ?? 0);
    indegree.set(to, (indegree.get(to) ?? 0) + 1);
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([n]) => n);
  let visited = 0;
  for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
    visited++;
    for (const e of edges.filter((x) => x.from === node)) {
      const left = (indegree.get(e.to) ?? 0) - 1;
      indegree.set(e.to, left);
      if (left === 0) ready.push(e.to);
    }
  }
  if (visited < indegree.size) {
    const inCycle = edges.find((e) => (indegree.get(e.from) ?? 0) > 0 && (indegree.get(e.to) ?? 0) > 0);
    throw new MlopsInputError('edges', `edges must not form a cycle (${inCycle?.from} -> ${inCycle?.to} is on one)`);
  }
}

function uniqueEdges(edges: readonly TopologyEdge[]): TopologyEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = JSON.stringify([e.from, e.to]);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/**
 * Without a topologyId an identical edge list is reused (a topology is its edges; the description
 * is a label), else the next topology_id is taken. With one, re-registering the same content is a
 * no-op and other content is a conflict. The table lock keeps the max+1 and the checks race-free.
 */
export async function registerTopology(db: Knex, input: TopologyInput): Promise<{ topology: WorkflowGraphTopology; created: boolean }> {
  const t = parseInput(topologyInput, input);
  const edges = uniqueEdges(t.edges.map(({ from, to }) => ({ from, to })));
  assertAcyclic(edges);
  const description = t.description ?? null;
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', ['workflow_graph_topology']);
    if (t.topologyId !== undefined) {
      const existing = await WorkflowGraphTopology.query(trx).findOne({ topology_id: t.topologyId });
      if (existing) {
        if (canonicalJson([existing.edges, existing.description ?? null]) === canonicalJson([edges, description])) {
          return { topology: existing, created: false };
        }
        throw new MlopsConflictError(`topology ${t.topologyId} already exists with other edges or description`);
      }
    } else {
      const same = await WorkflowGraphTopology.query(trx).whereRaw('edges = CAST(? AS jsonb)', [JSON.stringify(edges)]).orderBy('id').first();
      if (same) return { topology: same, created: false };
    }
    const next = await WorkflowGraphTopology.query(trx).max('topology_id as max').first();
    const topologyId = t.topologyId ?? Number((next as unknown as { max: number | null }).max ?? 0) + 1;
    return { topology: await WorkflowGraphTopology.query(trx).insertAndFetch({ topologyId, description, edges }), created: true };
  });
}
