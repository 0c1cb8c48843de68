import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchRun } from './batchRun.js';
import type { BaselineRun } from './baseline.js';
import type { MachineFacts } from './machine.js';
import type { LatencyStats } from './measure.js';
import type { BenchParams } from './params.js';

export const CAVEAT =
  'Measured on a shared 2-core machine that also runs the Temporal dev server and PostgreSQL; other work may have ' +
  'run at the same time. The numbers are indicative, not a performance guarantee.';

export interface BenchResults {
  benchmark: 'sast-ai-orchestrator';
  startedAt: string;
  finishedAt: string;
  caveat: string;
  machine: MachineFacts & { loadAverageAtEnd: number[] };
  parameters: BenchParams;
  scheduling: {
    pipelineConcurrency: number;
    idealMakespanMs: number;
    run: BatchRun;
    efficiencyDatabase: number | null;
    efficiencyCaller: number | null;
    /** Row RUNNING → COMPLETED per job. */
    runSpan: LatencyStats;
  };
  overhead: {
    pipelineConcurrency: number;
    ours: BatchRun & { jobsPerSecondCaller: number | null; jobsPerSecondDatabase: number | null };
    baseline: BaselineRun & { jobsPerSecondCaller: number | null; jobsPerSecondServer: number | null };
    /** ours / baseline, both on the caller's clock (submit → result). */
    ratio: number | null;
    order: string;
  };
  mirrorLatency: {
    method: string;
    scheduling: LatencyStats & { unmeasuredJobs: number };
    overhead: LatencyStats & { unmeasuredJobs: number };
  };
}

const ms = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} ms`);
const num = (v: number | null, digits = 2) => (v === null ? 'n/a' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

export function renderMarkdown(r: BenchResults): string {
  const { parameters: p, scheduling: s, overhead: o, mirrorLatency: m, machine } = r;
  return `# Benchmark ${r.startedAt}

${r.caveat}

Machine: ${machine.cpus} CPUs (${machine.cpuModel ?? 'unknown'}), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, \
Temporal CLI ${machine.temporalCli ?? 'unknown'}, SDK ${machine.temporalSdk ?? 'unknown'}, PostgreSQL ${machine.postgres ?? 'unknown'}, \
commit ${machine.gitCommit ?? 'unknown'}; load average (1 / 5 / 15 min) ${machine.loadAverageAtStart.join(' / ')} at start, \
${machine.loadAverageAtEnd.join(' / ')} at end.

| Measure | Parameters | Result |
|---|---|---|
| Scheduling efficiency (ideal / measured, database span) | ${p.jobs} jobs × ${p.durationMs} ms, maxParallelJobs ${p.parallel}, PIPELINE_CONCURRENCY ${s.pipelineConcurrency} | **${pct(s.efficiencyDatabase)}**: ideal ${ms(s.idealMakespanMs)}, measured ${ms(s.run.databaseMakespanMs)} (caller ${ms(s.run.callerMakespanMs)}, ${pct(s.efficiencyCaller)}) |
| Job row RUNNING → COMPLETED, scheduling batch | pipeline ${p.durationMs} ms | p50 ${ms(s.runSpan.p50Ms)}, p99 ${ms(s.runSpan.p99Ms)} |
| Throughput, ours | ${p.overheadJobs} jobs × 0 ms, maxParallelJobs ${p.overheadParallel} | **${num(o.ours.jobsPerSecondCaller)} jobs/s** (${ms(o.ours.callerMakespanMs)}; database span ${num(o.ours.jobsPerSecondDatabase)} jobs/s) |
| Throughput, baseline (empty child workflows) | ${p.overheadJobs} children, at most ${p.overheadParallel} at once | **${num(o.baseline.jobsPerSecondCaller)} jobs/s** (${ms(o.baseline.callerMs)}; server span ${num(o.baseline.jobsPerSecondServer)} jobs/s) |
| Orchestration overhead ratio (ours / baseline) | caller's clock | **${num(o.ratio, 3)}** |
| Mirror latency, scheduling batch | ${m.scheduling.count} jobs | p50 **${ms(m.scheduling.p50Ms)}**, p99 **${ms(m.scheduling.p99Ms)}** (min ${ms(m.scheduling.minMs)}, max ${ms(m.scheduling.maxMs)}) |
| Mirror latency, throughput batch | ${m.overhead.count} jobs | p50 **${ms(m.overhead.p50Ms)}**, p99 **${ms(m.overhead.p99Ms)}** (min ${ms(m.overhead.minMs)}, max ${ms(m.overhead.maxMs)}) |

- Scheduling: batch submitted → batch row terminal, from job_batch.submitted_at and last_updated_at; the caller's span is \
POST → batch workflow result. Batch ${s.run.batchId} ended ${s.run.status} (${s.run.completedJobs} completed, ${s.run.failedJobs} failed of ${s.run.totalJobs}). \
A job's RUNNING → COMPLETED span is the pipeline plus what holding its slot costs around it; the rest of the makespan beyond the \
ideal is spent between one job's end and the next one's start in the same slot.
- Overhead: ${o.order} Batch ${o.ours.batchId} ended ${o.ours.status} (${o.ours.completedJobs} completed, ${o.ours.failedJobs} failed of ${o.ours.totalJobs}).
- Mirror latency: ${m.method} Percentiles are nearest-rank (with fewer than 100 samples p99 is the maximum).
`;
}

export function summaryLines(r: BenchResults): string[] {
  const { scheduling: s, overhead: o, mirrorLatency: m } = r;
  return [
    `scheduling efficiency ${pct(s.efficiencyDatabase)} (ideal ${ms(s.idealMakespanMs)}, measured ${ms(s.run.databaseMakespanMs)}, caller ${ms(s.run.callerMakespanMs)})`,
    `throughput ours ${num(o.ours.jobsPerSecondCaller)} jobs/s, baseline ${num(o.baseline.jobsPerSecondCaller)} jobs/s, ratio ${num(o.ratio, 3)}`,
    `mirror latency p50 ${ms(m.scheduling.p50Ms)}, p99 ${ms(m.scheduling.p99Ms)} (d=${r.parameters.durationMs} ms batch); ` +
      `p50 ${ms(m.overhead.p50Ms)}, p99 ${ms(m.overhead.p99Ms)} (d=0 batch)`,
  ];
}

/** bench/results/<ISO timestamp>-<commit or "nogit">.{json,md}; colons left out so that the names work everywhere. */
export function writeResults(dir: string, r: BenchResults): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const base = join(dir, `${stamp}-${r.machine.gitCommit ?? 'nogit'}`);
  const paths = { json: `${base}.json`, md: `${base}.md` };
  writeFileSync(paths.json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(paths.md, renderMarkdown(r));
  return paths;
}
