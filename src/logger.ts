import { pino } from 'pino';

/** One pino logger for the process; start-up sets its level from the configuration. */
export const logger = pino({ base: { service: 'sast-ai-orchestrator' } });

export function setLogLevel(level: string): void {
  logger.level = level;
}
