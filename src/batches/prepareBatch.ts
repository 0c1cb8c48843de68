import type { Knex } from 'knex';
import { effectiveRunConfig, type Config } from '../config.js';
import { JobInputError, resolveJobInput } from '../jobs/jobInput.js';
import type { NewJob } from '../jobs/jobRepository.js';
import { recordArtifact } from '../mlops/artifacts.js';
import { configVersion, recordExecutionContext, workerHardwareSpec } from '../mlops/executionContext.js';
import { linkBatchArtifacts } from '../mlops/lineage.js';
import { DataArtifact, Job, JobBatchDataLineage, type JobBatch } from '../models/index.js';
import { BatchInputError, parseBatchRows, readBatchInput, type SkippedRow } from './batchInput.js';
import { createBatchJobs } from './batchRepository.js';

/** job_batch.batch_google_sheet_url of a batch whose jobs came inline in the request (the column is NOT NULL). */
export const INLINE_BATCH_INPUT = 'inline';

export type PreparedBatch = { ok: true; jobIds: number[]; skippedRows: number } | { ok: false; reason: string };

export interface PrepareDeps {
  config: Config;
  knex: Knex;
  pipelineResources?: Record<string, unknown>;
}

/**
 * The batch's first step, run once by an activity: record where and on what it runs, read its input (a
 * sheet or CSV, recorded as an artifact with the rows that were skipped and why), and create one job per
 * valid row. An unreadable input is a result (the batch ends FAILED), not an error to retry.
 */
export async function prepareBatch(deps: PrepareDeps, batch: JobBatch): Promise<PreparedBatch> {
  const { config, knex } = deps;
  await recordExecutionContext(knex, batch.id, {
    environment: config.ENVIRONMENT,
    configVersion: configVersion(effectiveRunConfig(config), config.APP_VERSION),
    hwSpec: workerHardwareSpec({ pipelineResources: deps.pipelineResources }),
  });

  const existing = await Job.query(knex).select('id').where({ job_batch_id: batch.id }).orderBy('id');
  if (batch.batchGoogleSheetUrl === INLINE_BATCH_INPUT || existing.length > 0) {
    return { ok: true, jobIds: existing.map((j) => j.id), skippedRows: (await skippedRowsOf(batch.id)).length };
  }

  let document;
  try {
    document = await readBatchInput(batch.batchGoogleSheetUrl, {
      timeoutMs: config.INPUT_FETCH_TIMEOUT_MS,
      maxBytes: config.INPUT_MAX_BYTES,
      googleServiceAccountFile: config.GOOGLE_SERVICE_ACCOUNT_FILE,
    });
  } catch (err) {
    if (err instanceof BatchInputError) return { ok: false, reason: `the batch input could not be read: ${err.message}` };
    throw err;
  }

  let parsed;
  try {
    parsed = parseBatchRows(document.rows);
  } catch (err) {
    if (err instanceof BatchInputError) return { ok: false, reason: `the batch input is not usable: ${err.message}` };
    throw err;
  }
  const skipped: SkippedRow[] = [...parsed.skipped];
  const jobs: NewJob[] = [];
  for (const entry of parsed.entries) {
    try {
      const input = resolveJobInput(
        {
          packageNvr: entry.nvr,
          inputSourceUrl: entry.inputSourceUrl,
          submittedBy: batch.submittedBy,
          useKnownFalsePositiveFile: batch.useKnownFalsePositiveFile,
          jiraLink: entry.jiraLink,
          hostname: entry.hostname,
          oshScanId: entry.oshScanId,
        },
        { knownFalsePositivesUrlTemplate: config.KNOWN_FALSE_POSITIVES_URL_TEMPLATE, sourceRpmUrlTemplate: config.SOURCE_RPM_URL_TEMPLATE },
      );
      jobs.push({ ...input, secretName: config.DEFAULT_SECRET_NAME });
    } catch (err) {
      if (!(err instanceof JobInputError)) throw err;
      skipped.push({ rowNumber: entry.rowNumber, nvr: entry.nvr, reason: `${err.field}: ${err.message}` });
    }
  }

  const artifact = await recordArtifact(knex, {
    type: 'batch_input',
    name: `batch-${batch.id}-input.csv`,
    content: document.content,
    url: document.url,
    dvcPath: `batches/${batch.id}/input.csv`,
    fetchedAt: document.fetchedAt,
    metadata: { source: document.source, fetchedUrl: document.fetchedUrl, rows: document.rows.length, jobs: jobs.length, skippedRows: skipped },
  });
  await linkBatchArtifacts(knex, batch.id, [{ artifactId: artifact.artifactId, role: 'input', artifactType: 'batch_input' }]);
  const jobIds = await createBatchJobs(knex, batch.id, jobs);
  return { ok: true, jobIds, skippedRows: skipped.length };
}

/**
 * The rows of a batch's input that did not become jobs, as recorded with its input artifact. The same sheet
 * content read by two batches is one artifact, and the rows skipped in it are the same for both.
 */
export async function skippedRowsOf(batchId: number): Promise<SkippedRow[]> {
  const lineage = await JobBatchDataLineage.query().findById(batchId);
  const input = (lineage?.inputArtifacts as { artifactId: string; artifactType: string }[] | undefined)?.find(
    (entry) => entry.artifactType === 'batch_input',
  );
  if (!input) return [];
  const artifact = await DataArtifact.query().findById(input.artifactId);
  return ((artifact?.metadata as { skippedRows?: SkippedRow[] } | undefined)?.skippedRows ?? []);
}
