import { loadConfig } from '../config.js';
import { createKnex } from './knex.js';

/** `npm run migrate` / `npm run migrate:rollback` against DATABASE_URL. */
async function main(): Promise<void> {
  const command = process.argv[2];
  const config = loadConfig();
  const knex = createKnex(config.DATABASE_URL, 1);
  try {
    if (command === 'latest') {
      const [, applied] = await knex.migrate.latest();
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
    } else if (command === 'rollback') {
      const [, undone] = await knex.migrate.rollback(undefined, true);
      console.log(undone.length ? `Rolled back: ${undone.join(', ')}` : 'Nothing to roll back');
    } else {
      throw new Error(`unknown command "${command}" (use latest or rollback)`);
    }
  } finally {
    await knex.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
