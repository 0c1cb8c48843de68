/** Calls heartbeat now and then every intervalMs until the returned stop function is called. */
export function startHeartbeat(intervalMs: number, beat: () => void): () => void {
  beat();
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}
