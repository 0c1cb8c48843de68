import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, inject } from 'vitest';
import { dropDatabase, ensureDatabase } from '../../src/db/databases.js';
import { bindModels, createKnex } from '../../src/db/knex.js';

export interface TestDatabase {
  knex: Knex;
  url: string;
  name: string;
}

/** A freshly migrated database of this test file's own, bound to the Objection models; dropped afterwards. */
export function useTestDatabase(options: { migrate?: boolean } = {}): TestDatabase {
  const db = {} as TestDatabase;
  const serverUrl = inject('databaseServerUrl');
  beforeAll(async () => {
    db.name = `sast_test_${randomBytes(6).toString('hex')}`;
    db.url = await ensureDatabase(serverUrl, db.name);
    db.knex = createKnex(db.url, 5);
    if (options.migrate !== false) await db.knex.migrate.latest();
    bindModels(db.knex);
  });
  afterAll(async () => {
    await db.knex?.destroy();
    if (db.name) await dropDatabase(serverUrl, db.name);
  });
  return db;
}
