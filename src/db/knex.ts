import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { Model } from 'objection';
import pg from 'pg';

/*
 * TIMESTAMP WITHOUT TIME ZONE columns hold UTC. pg would otherwise write a Date in the process's
 * local zone and read the column back as local time, shifting every timestamp when TZ is not UTC.
 */
pg.defaults.parseInputDatesAsUTC = true;
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => new Date(`${v.replace(' ', 'T')}Z`));
// Ids stay far below 2^53; DECIMAL columns hold costs and 4-place scores, exact enough as doubles.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
// Under tsx or vitest the .ts sources run; the build emits .js.
const MIGRATION_EXTENSION = extname(fileURLToPath(import.meta.url));

type Migration = Knex.Migration & { name: string };

/**
 * Loads migrations through this module's own import(), so that they run wherever the code runs
 * (knex's file loader cannot import TypeScript).
 */
const migrationSource: Knex.MigrationSource<Migration> = {
  async getMigrations() {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(MIGRATION_EXTENSION) && !f.endsWith('.d.ts'));
    return Promise.all(
      files.sort().map(async (file) => {
        const { up, down } = (await import(pathToFileURL(join(MIGRATIONS_DIR, file)).href)) as Knex.Migration;
        return { name: file.slice(0, -MIGRATION_EXTENSION.length), up, down };
      }),
    );
  },
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

export function createKnex(databaseUrl: string, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/** Binds every Objection model to this connection pool. */
export function bindModels(knex: Knex): void {
  Model.knex(knex);
}
