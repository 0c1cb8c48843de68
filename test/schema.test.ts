import { existsSync, readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './helpers/database.js';

/**
 * The migrations must build the seed schema exactly: the seed's own DDL runs in a scratch database
 * and the two catalogs are compared column by column, constraint by constraint, index by index.
 */

const seedDdl = readFileSync(new URL('./fixtures/seed-schema.sql', import.meta.url), 'utf8');
const seedMarkdown = new URL('../../shared/seed/IMPLEMENTED_SCHEMA.md', import.meta.url);
const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

async function catalog(knex: Knex) {
  const notKnex = "NOT LIKE 'knex_%'";
  const columns = await knex.raw(`
    SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, numeric_precision,
           numeric_scale, datetime_precision, is_nullable, column_default, is_identity, identity_generation
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name ${notKnex}
    ORDER BY table_name, ordinal_position`);
  const constraints = await knex.raw(`
    SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text ${notKnex}
    ORDER BY 1, 2`);
  const indexes = await knex.raw(`
    SELECT tablename, indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename ${notKnex} ORDER BY 1, 2`);
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}

describe('schema', () => {
  const migrated = useTestDatabase({ migrate: false });
  const seed = useTestDatabase({ migrate: false });

  it('the committed seed DDL is the one in IMPLEMENTED_SCHEMA.md', () => {
    if (!existsSync(seedMarkdown)) return; // shared/ is beside the checkout in CI and on developer machines
    const markdown = normalise(readFileSync(seedMarkdown, 'utf8'));
    const statements = seedDdl.replace(/^--.*$/gm, '').split(/;\s*\n/).map(normalise).filter((s) => s.startsWith('CREATE'));
    expect(statements).toHaveLength(13);
    for (const statement of statements) expect(markdown).toContain(statement);
  });

  it('the seed migration builds exactly the seed schema', async () => {
    await migrated.knex.migrate.up();
    await seed.knex.raw(seedDdl);
    const [ours, theirs] = await Promise.all([catalog(migrated.knex), catalog(seed.knex)]);
    expect(theirs.columns).toHaveLength(95);
    expect(ours.columns).toEqual(theirs.columns);
    expect(ours.constraints).toEqual(theirs.constraints);
    expect(ours.indexes).toEqual(theirs.indexes);
  });

  it('the index migration adds only indexes, and rollback undoes everything', async () => {
    const before = await catalog(migrated.knex);
    await migrated.knex.migrate.latest();
    const after = await catalog(migrated.knex);
    expect(after.columns).toEqual(before.columns);
    expect(after.constraints).toEqual(before.constraints);
    const added = after.indexes.filter((i: { indexname: string }) => !before.indexes.some((b: { indexname: string }) => b.indexname === i.indexname));
    expect(added.map((i: { indexname: string }) => i.indexname).sort()).toEqual([
      'idx_job_batch_run_definition_id',
      'idx_job_batch_submitted_at',
      'idx_job_created_at',
      'idx_job_job_batch_id',
      'idx_job_nvr_source_status',
      'idx_job_package_name_created_at',
      'idx_job_settings_job_id',
      'idx_job_status',
      'idx_pricing_models_model_effective_from',
    ]);

    await migrated.knex.migrate.rollback(undefined, true);
    const empty = await catalog(migrated.knex);
    expect(empty.columns).toEqual([]);
    await migrated.knex.migrate.latest();
    expect((await catalog(migrated.knex)).indexes).toEqual(after.indexes);
  });
});
