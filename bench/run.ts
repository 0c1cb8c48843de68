import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { setLogLevel } from '../src/logger.js';
import { stopOnSignals } from '../src/runtime.js';
import { runBaseline } from './baseline.js';
import { runBatch, type BatchRun } from './batchRun.js';
import { CleanupStack } from './cleanup.js';
import { runSpansMs } from './jobSpans.js';
import { loadAverage, machineFacts } from './machine.js';
import { efficiency, idealMakespanMs, latencyStats, perSecond, ratio } from './measure.js';
import { MIRROR_LATENCY_METHOD, mirrorLatencies } from './mirror.js';
import { BenchParamError, readBenchParams, USAGE, type BenchParams } from './params.js';
import { CAVEAT, summaryLines, writeResults, type BenchResults } from './report.js';
import { startInfrastructure, startOrchestrator, type Infrastructure, type OrchestratorSettings } from './services.js';

/**
 * `npm run bench`: a benchmark, not a test. Starts its own Temporal dev server and database like the tests do,
 * runs three measurements through the real API, worker and workflows, writes bench/results/, and exits 0
 * whatever the timings are (non-zero only when something broke).
 */

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(projectRoot, 'bench', 'results');

/** One batch through an orchestrator of its own, stopped before the next measurement starts. */
async function measureBatch(infra: Infrastructure, cleanup: CleanupStack, settings: OrchestratorSettings, jobs: number): Promise<BatchRun> {
  const system = await startOrchestrator(infra, settings);
  const stop = cleanup.push(`stopping the ${settings.label} worker`, () => system.stop());
  try {
    return await runBatch(system, settings.label, jobs, settings.pipelineConcurrency);
  } finally {
    await stop();
  }
}

async function mirrorStats(infra: Infrastructure, batchId: number) {
  const { latenciesMs, unmeasuredJobs } = await mirrorLatencies(infra.outputRoot, batchId);
  return { ...latencyStats(latenciesMs), unmeasuredJobs };
}

async function bench(p: BenchParams, cleanup: CleanupStack): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  console.log('bench: starting a Temporal dev server and a fresh database…');
  const infra = await startInfrastructure(process.env, projectRoot, cleanup);
  const machine = await machineFacts(projectRoot, infra.temporalCliPath, infra.knex);

  console.log(`bench: scheduling — ${p.jobs} jobs × ${p.durationMs} ms, at most ${p.parallel} at once…`);
  const scheduling = await measureBatch(infra, cleanup, { label: 'sched', pipelineMs: p.durationMs, pipelineConcurrency: p.parallel }, p.jobs);
  const ideal = idealMakespanMs(p.jobs, p.parallel, p.durationMs);

  console.log(`bench: throughput — ${p.overheadJobs} jobs × 0 ms, at most ${p.overheadParallel} at once…`);
  const ours = await measureBatch(infra, cleanup, { label: 'tput', pipelineMs: 0, pipelineConcurrency: p.overheadParallel }, p.overheadJobs);
  console.log(`bench: baseline — ${p.overheadJobs} empty child workflows, at most ${p.overheadParallel} at once…`);
  const baseline = await runBaseline(infra.temporalAddress, infra.temporalNamespace, p.overheadJobs, p.overheadParallel);
  const oursRate = perSecond(ours.totalJobs, ours.callerMakespanMs);
  const baselineRate = perSecond(p.overheadJobs, baseline.callerMs);

  return {
    benchmark: 'sast-ai-orchestrator',
    startedAt,
    finishedAt: new Date().toISOString(),
    caveat: CAVEAT,
    machine: { ...machine, loadAverageAtEnd: loadAverage() },
    parameters: p,
    scheduling: {
      pipelineConcurrency: p.parallel,
      idealMakespanMs: ideal,
      run: scheduling,
      efficiencyDatabase: efficiency(ideal, scheduling.databaseMakespanMs),
      efficiencyCaller: efficiency(ideal, scheduling.callerMakespanMs),
      runSpan: latencyStats(await runSpansMs(scheduling.batchId)),
    },
    overhead: {
      pipelineConcurrency: p.overheadParallel,
      ours: { ...ours, jobsPerSecondCaller: oursRate, jobsPerSecondDatabase: perSecond(ours.totalJobs, ours.databaseMakespanMs) },
      baseline: {
        ...baseline,
        jobsPerSecondCaller: baselineRate,
        jobsPerSecondServer: baseline.serverMs === null ? null : perSecond(p.overheadJobs, baseline.serverMs),
      },
      ratio: ratio(oursRate, baselineRate),
      order:
        'Our batch ran first, on its own worker, which was stopped before the baseline started on a worker and task queue of its ' +
        'own on the same dev server. Both rates are jobs / (submit → result) on the caller\'s clock; both include starting the parent.',
    },
    mirrorLatency: {
      method: MIRROR_LATENCY_METHOD,
      scheduling: await mirrorStats(infra, scheduling.batchId),
      overhead: await mirrorStats(infra, ours.batchId),
    },
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let params: BenchParams;
  try {
    params = readBenchParams(argv, process.env);
  } catch (err) {
    if (!(err instanceof BenchParamError)) throw err;
    console.error(err.message);
    return 2;
  }
  // Before any connection: the SDK's worker chatter would bury the summary.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  setLogLevel('warn');
  const cleanup = new CleanupStack();
  stopOnSignals(() => cleanup.run());
  try {
    const results = await bench(params, cleanup);
    const paths = writeResults(RESULTS_DIR, results);
    console.log(['', ...summaryLines(results), `results: ${paths.json}`, `         ${paths.md}`].join('\n'));
    return 0;
  } catch (err) {
    console.error('bench: failed:', err);
    return 1;
  } finally {
    console.log('bench: cleaning up…');
    await cleanup.run();
  }
}

process.exit(await main());
