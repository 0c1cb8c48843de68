import type { Knex } from 'knex';
import { z } from 'zod';
import { JobBatchDataLineage } from '../models/index.js';
import { ARTIFACT_TYPES } from './artifacts.js';
import { parseInput } from './errors.js';

/**
 * The artifacts a batch consumed and produced, one row per batch. The input_artifacts column holds
 * both roles (the seed has no other place for outputs); each entry says which it is.
 */

export const DEFAULT_TRANSFORMATION = 'sast_ai_triage';

const lineageEntry = z.object({
  artifactId: z.string().trim().min(1).max(255),
  role: z.enum(['input', 'output']),
  artifactType: z.enum(ARTIFACT_TYPES),
  jobId: z.number().int().positive().optional(),
});
const lineageInput = z.object({
  batchId: z.number().int().positive(),
  entries: z.array(lineageEntry),
  transformationType: z.string().trim().min(1).max(100),
});

export type LineageEntry = z.input<typeof lineageEntry>;

export const lineageIdFor = (batchId: number) => `lineage-batch-${batchId}`;

/** The distinct entries of a jsonb array expression, in a fixed order (jsonb DISTINCT compares structurally). */
const distinctEntries = (array: string) =>
  `(SELECT coalesce(jsonb_agg(e ORDER BY e->>'role', (e->>'jobId')::bigint NULLS FIRST, e->>'artifactType', e->>'artifactId'), '[]'::jsonb)
    FROM (SELECT DISTINCT e FROM jsonb_array_elements(${array}) AS x(e)) AS d)`;

/**
 * One statement, so the row lock ON CONFLICT DO UPDATE takes makes concurrent jobs of a batch merge
 * one after the other, each into the latest entries: none is lost, and a repeated call adds nothing.
 */
export async function linkBatchArtifacts(
  db: Knex,
  batchId: number,
  entries: readonly LineageEntry[],
  transformationType: string = DEFAULT_TRANSFORMATION,
): Promise<JobBatchDataLineage> {
  const input = parseInput(lineageInput, { batchId, entries, transformationType });
  const { rows } = await db.raw<{ rows: Record<string, unknown>[] }>(
    `INSERT INTO ${JobBatchDataLineage.tableName} AS l (id, lineage_id, input_artifacts, transformation_type, created_at)
     SELECT :id, :lineageId, ${distinctEntries('CAST(:entries AS jsonb)')}, :transformationType, :createdAt
     ON CONFLICT (id) DO UPDATE SET input_artifacts = ${distinctEntries('l.input_artifacts || EXCLUDED.input_artifacts')}
     RETURNING *`,
    {
      id: input.batchId,
      lineageId: lineageIdFor(input.batchId),
      entries: JSON.stringify(input.entries),
      transformationType: input.transformationType,
      createdAt: new Date(),
    },
  );
  return JobBatchDataLineage.fromDatabaseJson(rows[0] as Record<string, unknown>);
}
