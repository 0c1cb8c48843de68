import { createRequire } from 'node:module';
import { arch, cpus, hostname, release, totalmem, type } from 'node:os';
import type { Knex } from 'knex';
import { z } from 'zod';
import { JobBatchExecutionContext } from '../models/index.js';
import { canonicalJson, sha256Hex } from './canonicalJson.js';
import { parseInput } from './errors.js';

/** Where and with which configuration a batch ran: one row per batch, written once. */

const CONFIG_HASH_LENGTH = 16;
const CONFIG_VERSION_MAX = 50;

/**
 * `<appVersion>-<first 16 hex of sha256(canonical JSON)>`: equal configurations give equal versions
 * whatever their key order. Pass only non-secret settings (src/config.ts effectiveRunConfig).
 */
export function configVersion(effectiveConfig: Record<string, unknown>, appVersion: string): string {
  const hash = sha256Hex(canonicalJson(effectiveConfig)).slice(0, CONFIG_HASH_LENGTH);
  return `${appVersion.slice(0, CONFIG_VERSION_MAX - CONFIG_HASH_LENGTH - 1)}-${hash}`;
}

function temporalSdkVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('@temporalio/worker/package.json') as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface HardwareSpec extends Record<string, unknown> {
  cpus: number;
  cpuModel: string | null;
  memoryBytes: number;
  os: string;
  arch: string;
  nodeVersion: string;
  temporalSdkVersion: string;
  hostname: string;
  pipelineResources?: Record<string, unknown>;
}

export function workerHardwareSpec(extra: { pipelineResources?: Record<string, unknown> } = {}): HardwareSpec {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? null,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    arch: arch(),
    nodeVersion: process.version,
    temporalSdkVersion: temporalSdkVersion(),
    hostname: hostname(),
    ...(extra.pipelineResources ? { pipelineResources: extra.pipelineResources } : {}),
  };
}

const contextInput = z.object({
  batchId: z.number().int().positive(),
  environment: z.string().trim().min(1).max(100),
  configVersion: z.string().trim().min(1).max(CONFIG_VERSION_MAX),
  hwSpec: z.record(z.string(), z.unknown()),
});

export interface ExecutionContextInput {
  environment: string;
  configVersion: string;
  hwSpec: Record<string, unknown>;
}

/**
 * DO NOTHING on conflict: the context is that of the batch's first run; a retried or resumed batch
 * on another worker does not rewrite where it started. Returns the stored row.
 */
export async function recordExecutionContext(db: Knex, batchId: number, context: ExecutionContextInput): Promise<JobBatchExecutionContext> {
  const row = parseInput(contextInput, { batchId, ...context });
  await JobBatchExecutionContext.query(db)
    .insert({ id: row.batchId, environment: row.environment, configVersion: row.configVersion, hwSpec: row.hwSpec })
    .onConflict('id')
    .ignore();
  return JobBatchExecutionContext.query(db).findById(row.batchId).throwIfNotFound();
}
