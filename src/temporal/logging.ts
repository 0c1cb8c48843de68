import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { logger } from '../logger.js';

const TEMPORAL_LEVEL: Record<string, 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

let installed = false;

/**
 * The Temporal SDK's own logs (worker state, bundling, core warnings) through our pino logger and LOG_LEVEL,
 * instead of its default console output. Once per process, before the first worker connects.
 */
export function routeTemporalLogs(level: string): void {
  if (installed) return;
  installed = true;
  const write = ({ level: entryLevel, message, meta }: LogEntry) => {
    const method = entryLevel.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    logger[method]({ temporal: meta }, message);
  };
  try {
    Runtime.install({ logger: new DefaultLogger(TEMPORAL_LEVEL[level] ?? 'INFO', write) });
  } catch {
    // The runtime exists already (made by an earlier connection in this process): its logger stays.
  }
}
