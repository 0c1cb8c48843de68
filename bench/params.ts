import { parseArgs } from 'node:util';

/** What one benchmark run measures; the defaults finish in a few minutes on a 2-core machine. */
export interface BenchParams {
  /** Scheduling efficiency: `jobs` jobs of `durationMs` each through a window of `parallel`. */
  jobs: number;
  durationMs: number;
  parallel: number;
  /** Orchestration overhead: `overheadJobs` zero-length jobs through a window of `overheadParallel`. */
  overheadJobs: number;
  overheadParallel: number;
}

// maxParallelJobs is at most 100 in the API; a larger window would be refused at submission.
// Inline jobs are at most 10,000 per batch.
const SPECS = {
  jobs: { flag: 'jobs', env: 'BENCH_JOBS', fallback: 40, min: 1, max: 10_000 },
  durationMs: { flag: 'duration-ms', env: 'BENCH_DURATION_MS', fallback: 1000, min: 0, max: 3_600_000 },
  parallel: { flag: 'parallel', env: 'BENCH_PARALLEL', fallback: 5, min: 1, max: 100 },
  overheadJobs: { flag: 'overhead-jobs', env: 'BENCH_OVERHEAD_JOBS', fallback: 200, min: 1, max: 10_000 },
  overheadParallel: { flag: 'overhead-parallel', env: 'BENCH_OVERHEAD_PARALLEL', fallback: 20, min: 1, max: 100 },
} as const;

type Key = keyof typeof SPECS;
const KEYS = Object.keys(SPECS) as Key[];

export const USAGE = `npm run bench -- ${KEYS.map((k) => `[--${SPECS[k].flag} N]`).join(' ')}\n${KEYS.map(
  (k) => `  --${SPECS[k].flag} (env ${SPECS[k].env}, default ${SPECS[k].fallback})`,
).join('\n')}`;

export class BenchParamError extends Error {}

/** Command line first, then BENCH_* environment variables, then the defaults. */
export function readBenchParams(argv: string[], env: NodeJS.ProcessEnv): BenchParams {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(KEYS.map((k) => [SPECS[k].flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new BenchParamError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const entries = KEYS.map((key) => {
    const spec = SPECS[key];
    const raw = values[spec.flag] ?? env[spec.env];
    if (raw === undefined || raw === '') return [key, spec.fallback] as const;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < spec.min || value > spec.max) {
      throw new BenchParamError(`--${spec.flag} (${spec.env}) must be a whole number from ${spec.min} to ${spec.max}, got "${raw}"`);
    }
    return [key, value] as const;
  });
  return Object.fromEntries(entries) as unknown as BenchParams;
}
