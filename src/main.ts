import { ConfigError, loadConfig } from './config.js';
import { logger, setLogLevel } from './logger.js';
import { runServices, stopOnSignals } from './runtime.js';

/** `npm start` (API and worker), `npm run api`, `npm run worker`. */

async function main(): Promise<void> {
  const role = process.argv[2];
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const running = await runServices(config, { api: role !== 'worker', worker: role !== 'api' });
  stopOnSignals(running.stop);
  // A worker that started in the background and failed for good ends the process like a failed start.
  await running.done;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    logger.fatal({ err }, 'stopped on an error');
  }
  process.exit(1);
});
