import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DataArtifact } from '../models/index.js';
import { MlopsInputError, parseInput } from './errors.js';

/**
 * Content-addressed artifacts. dvc_hash follows DVC 3.x (`hash: md5`): the MD5 of the file's bytes
 * as they are, equal to `md5sum`. DVC 2.x's legacy `md5-dos2unix` normalised CRLF in text files
 * first (peers §4.1); we do not, so a DVC 2 repository may show another hash for a CRLF text file.
 */

export const ARTIFACT_TYPES = [
  'batch_input',
  'sast_report',
  'known_false_positives',
  'ground_truth',
  'excel_report',
  'token_usage',
  'workflow_metrics',
] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

const MD5_HEX = /^[0-9a-f]{32}$/;

export const md5Hex = (content: Buffer | string) => createHash('md5').update(content).digest('hex');

/** Streams the file, so a large input is never held in memory. */
export async function md5File(path: string): Promise<{ hash: string; size: number }> {
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { hash: hash.digest('hex'), size };
}

/** The same bytes are one artifact wherever and whenever they were seen. */
export const artifactIdFor = (md5: string) => `md5-${md5}`;

const artifactInput = z.object({
  type: z.enum(ARTIFACT_TYPES),
  name: z.string().trim().min(1).max(255),
  version: z.string().trim().min(1).max(100).optional(),
  content: z.union([z.instanceof(Buffer), z.string()]).optional(),
  filePath: z.string().min(1).optional(),
  /** For a remote input the orchestrator does not read itself: the md5 the pipeline reported. */
  reportedHash: z
    .string()
    .transform((h) => h.trim().toLowerCase())
    .pipe(z.string().regex(MD5_HEX, 'must be 32 hex digits (an MD5)'))
    .optional(),
  url: z.string().min(1).optional(),
  dvcPath: z.string().trim().min(1).max(500).optional(),
  size: z.number().int().nonnegative().optional(),
  fetchedAt: z.date().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type RecordArtifactInput = z.input<typeof artifactInput>;

export interface RecordedArtifact {
  artifactId: string;
  dvcHash: string;
  /** False when these bytes were already recorded (then the stored row, first seen, stands). */
  created: boolean;
}

async function contentHash(a: z.output<typeof artifactInput>): Promise<{ hash: string; size: number | undefined; hashSource: string }> {
  const sources = [a.content !== undefined, a.filePath !== undefined, a.reportedHash !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new MlopsInputError('content', 'give exactly one of content, filePath or reportedHash');
  if (a.content !== undefined) return { hash: md5Hex(a.content), size: Buffer.byteLength(a.content), hashSource: 'computed' };
  if (a.filePath !== undefined) return { ...(await md5File(a.filePath)), hashSource: 'computed' };
  return { hash: a.reportedHash as string, size: a.size, hashSource: 'pipeline-reported' };
}

/**
 * INSERT … ON CONFLICT (artifact_id) DO NOTHING: recording the same bytes twice (a retry, or
 * another job with the same input) returns the same id and leaves the first row as it was.
 */
export async function recordArtifact(db: Knex, input: RecordArtifactInput): Promise<RecordedArtifact> {
  const a = parseInput(artifactInput, input);
  const { hash, size, hashSource } = await contentHash(a);
  const artifactId = artifactIdFor(hash);
  const dvcPath = a.dvcPath ?? a.url ?? `${a.type}/${a.name}`;
  if (dvcPath.length > 500) throw new MlopsInputError('dvcPath', 'dvcPath (or url standing for it) must be at most 500 characters');
  const row = DataArtifact.fromJson({
    artifactId,
    artifactType: a.type,
    name: a.name,
    version: a.version ?? `md5:${hash.slice(0, 8)}`,
    dvcPath,
    dvcHash: hash,
    metadata: {
      ...a.metadata,
      url: a.url ?? null,
      size: size ?? null,
      fetchedAt: (a.fetchedAt ?? new Date()).toISOString(),
      hashAlgorithm: 'md5',
      hashSource,
      dvc: { version: 3, hash: 'md5' },
    },
    createdAt: new Date(),
  });
  // Through knex, because only its RETURNING tells an insert from an ignored conflict.
  const inserted = await db(DataArtifact.tableName).insert(row.$toDatabaseJson()).onConflict('artifact_id').ignore().returning('artifact_id');
  return { artifactId, dvcHash: hash, created: inserted.length > 0 };
}
