/** The arithmetic of the benchmark, apart from anything that runs, so that each number is computed one way. */

/** The makespan of a perfect scheduler: full windows of `parallel` jobs, one after the other. */
export function idealMakespanMs(jobs: number, parallel: number, durationMs: number): number {
  return Math.ceil(jobs / parallel) * durationMs;
}

/** ideal / measured; 1 is perfect. Null when nothing could be measured (or nothing was to be waited for). */
export function efficiency(idealMs: number, measuredMs: number): number | null {
  return measuredMs > 0 && idealMs > 0 ? idealMs / measuredMs : null;
}

export function perSecond(count: number, elapsedMs: number): number | null {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : null;
}

export function ratio(numerator: number | null, denominator: number | null): number | null {
  return numerator !== null && denominator ? numerator / denominator : null;
}

/** Nearest-rank percentile: a value that was measured, never interpolated (with 40 samples, p99 is the maximum). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

export interface LatencyStats {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export function latencyStats(values: readonly number[]): LatencyStats {
  return {
    count: values.length,
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    minMs: values.length ? Math.min(...values) : null,
    maxMs: values.length ? Math.max(...values) : null,
  };
}
