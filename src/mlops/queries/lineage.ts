import type { Knex } from 'knex';
import { DataArtifact, JobBatch, JobBatchDataLineage } from '../../models/index.js';

/** A batch's lineage entries with their artifacts, and the reverse: the batches that touched an artifact. */

export interface StoredLineageEntry {
  artifactId: string;
  role: 'input' | 'output';
  artifactType: string;
  jobId?: number;
}

export async function batchLineage(db: Knex, batchId: number) {
  const lineage = await JobBatchDataLineage.query(db).findById(batchId);
  if (!lineage) return null;
  const entries = lineage.inputArtifacts as StoredLineageEntry[];
  const artifacts = await DataArtifact.query(db).findByIds([...new Set(entries.map((e) => e.artifactId))]);
  const byId = new Map(artifacts.map((a) => [a.artifactId, a]));
  return { lineage, entries: entries.map((entry) => ({ entry, artifact: byId.get(entry.artifactId) ?? null })) };
}

export interface ArtifactUse {
  batchId: number;
  batchStatus: JobBatch['status'];
  roles: ('input' | 'output')[];
  /** The jobs the entries name (an input of the whole batch names none). */
  jobIds: number[];
}

interface UseRow {
  batch_id: number;
  status: JobBatch['status'];
  role: 'input' | 'output';
  job_id: string | null;
}

export async function artifactUses(db: Knex, artifactId: string): Promise<ArtifactUse[]> {
  const { rows } = await db.raw<{ rows: UseRow[] }>(
    `SELECT l.id AS batch_id, b.status, e->>'role' AS role, e->>'jobId' AS job_id
       FROM job_batch_data_lineage l
       JOIN job_batch b ON b.id = l.id
       CROSS JOIN LATERAL jsonb_array_elements(l.input_artifacts) AS e
      WHERE l.input_artifacts @> CAST(? AS jsonb) AND e->>'artifactId' = ?
      ORDER BY l.id, 3, (e->>'jobId')::bigint NULLS FIRST`,
    [JSON.stringify([{ artifactId }]), artifactId],
  );
  const uses = new Map<number, ArtifactUse>();
  for (const r of rows) {
    const use = uses.get(r.batch_id) ?? { batchId: r.batch_id, batchStatus: r.status, roles: [], jobIds: [] };
    if (!use.roles.includes(r.role)) use.roles.push(r.role);
    if (r.job_id !== null && !use.jobIds.includes(Number(r.job_id))) use.jobIds.push(Number(r.job_id));
    uses.set(r.batch_id, use);
  }
  return [...uses.values()];
}
