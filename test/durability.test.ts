import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Job, JobBatch } from '../src/models/index.js';
import { useSystem } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

// The worker runs as its own process (npm run worker), so that the test can kill it like a crashed pod.
const system = useSystem({ PIPELINE_RUNNER: 'command', PIPELINE_COMMAND: 'sleep 1', PIPELINE_CONCURRENCY: '2' }, { worker: false });
const root = fileURLToPath(new URL('..', import.meta.url));
const workers: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    cwd: root,
    env: { ...process.env, ...system.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
});

describe('a worker killed mid-batch', () => {
  it('loses nothing: a new worker completes the batch, each job in exactly one terminal state', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const res = await system.request('/api/v1/job-batches', {
      method: 'POST',
      json: { jobs: names.map((n) => ({ packageNvr: `${n}-1.0-1.el10`, inputSourceUrl: 'https://docs.google.com/spreadsheets/d/r' })), maxParallelJobs: 2 },
    });
    expect(res.status).toBe(201);
    const { batchId } = await res.json();

    const first = startWorkerProcess();
    await waitFor('a job to be running on the first worker', async () =>
      (await Job.query().where({ job_batch_id: batchId, status: 'RUNNING' }).resultSize()) > 0 ? true : undefined,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const runningWhenKilled = await Job.query().where({ job_batch_id: batchId, status: 'RUNNING' });
    expect(runningWhenKilled.length).toBeGreaterThan(0);

    startWorkerProcess();
    const batch = await waitFor(
      'the batch to complete on the second worker',
      async () => {
        const b = await JobBatch.query().findById(batchId);
        return b?.status === 'PROCESSING' ? undefined : b;
      },
      150_000,
    );
    expect(batch).toMatchObject({ status: 'COMPLETED', totalJobs: 6, completedJobs: 6, failedJobs: 0 });
    const jobs = await Job.query().where({ job_batch_id: batchId });
    expect(jobs.map((j) => j.status)).toEqual(Array(6).fill('COMPLETED'));
    expect(jobs.every((j) => j.startedAt && j.completedAt && !j.cancelledAt)).toBe(true);
  }, 240_000);
});
