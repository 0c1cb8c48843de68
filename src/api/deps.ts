import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config.js';

export interface ApiDeps {
  config: Config;
  knex: Knex;
  client: Client;
}
