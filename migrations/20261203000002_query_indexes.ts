import type { Knex } from 'knex';

/**
 * Indexes for the service's query paths; the seed's tables themselves are untouched.
 * Each entry says which query it serves (see docs/schema.md).
 */
const INDEXES: { table: string; name: string; columns: string[]; why: string }[] = [
  { table: 'job', name: 'idx_job_job_batch_id', columns: ['job_batch_id'], why: 'GET /job-batches/{id}/jobs, batch counters' },
  { table: 'job', name: 'idx_job_status', columns: ['status'], why: 'GET /jobs?status=' },
  {
    table: 'job',
    name: 'idx_job_package_name_created_at',
    columns: ['package_name', 'created_at'],
    why: 'GET /jobs?packageName= newest first',
  },
  {
    table: 'job',
    name: 'idx_job_nvr_source_status',
    columns: ['package_nvr', 'input_source_type', 'status'],
    why: 'POST /jobs/simple cached-result and existing-run lookups',
  },
  { table: 'job', name: 'idx_job_created_at', columns: ['created_at'], why: 'GET /jobs newest first, unfiltered' },
  { table: 'job_batch', name: 'idx_job_batch_submitted_at', columns: ['submitted_at'], why: 'GET /job-batches newest first' },
  { table: 'job_settings', name: 'idx_job_settings_job_id', columns: ['job_id'], why: 'Job hasMany JobSettings' },
  {
    table: 'pricing_models',
    name: 'idx_pricing_models_model_effective_from',
    columns: ['model_name', 'effective_from'],
    why: 'price in effect for a model at a time; overlap check',
  },
  {
    table: 'job_batch',
    name: 'idx_job_batch_run_definition_id',
    columns: ['job_batch_run_definition_id'],
    why: 'GET /run-definitions/compare: batches run under a definition',
  },
];

export async function up(knex: Knex): Promise<void> {
  for (const { table, name, columns } of INDEXES) {
    await knex.schema.alterTable(table, (t) => t.index(columns, name));
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table, name } of [...INDEXES].reverse()) {
    await knex.schema.alterTable(table, (t) => t.dropIndex([], name));
  }
}
