import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../src/config.js';
import type { PipelineRunner } from '../src/pipeline/runner.js';

/** What the activities are thin adapters over: the database, the pipeline runner, Temporal itself. */
export interface ActivityDeps {
  config: Config;
  knex: Knex;
  runner: PipelineRunner;
  client: Client;
}
