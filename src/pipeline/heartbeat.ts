/** Calls heartbeat now and then every intervalMs until the returned stop function is called. */
export function startHeartbeat(intervalMs: number, beat: () => void): () => void {
  beat();
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}

/** How a runner that runs in this process is tuned; tests beat faster. */
export interface LocalRunnerOptions {
  heartbeatIntervalMs?: number;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
