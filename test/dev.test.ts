import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { jobWorkflowId } from '../src/temporal/workflowIds.js';
import type { ApiResponse } from './helpers/system.js';
import { waitFor } from './helpers/wait.js';

/**
 * `npm run dev` on a machine with nothing configured: it starts its own PostgreSQL and Temporal, serves the API
 * and the Temporal UI, runs a job, stops everything on Ctrl-C, and keeps the runs across a restart.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
// Readable by others: under root the embedded PostgreSQL runs as the postgres user and must reach its data.
const dataDir = mkdtempSync(join(tmpdir(), 'sast-dev-test-'));
chmodSync(dataDir, 0o755);

interface Dev {
  child: ChildProcess;
  api: string;
  uiUrl: string;
  temporalAddress: string;
  exited: Promise<number | null>;
  output(): string;
}

/**
 * Free ports below Linux's ephemeral range (32768 and up), which the kernel never hands out to the processes that
 * bind port 0 meanwhile (other test files' servers, the Temporal CLI's own HTTP and metrics ports): a port found
 * free here stays free until npm run dev binds it.
 */
async function quietPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.includes(port) && (await isFree(port))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function startDev(): Promise<Dev> {
  const [postgresPort, temporalPort, uiPort, apiPort] = await quietPorts(4);
  // Nothing configured: no DATABASE_URL, no TEMPORAL_ADDRESS.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
    DEV_DATA_DIR: dataDir,
    DEV_POSTGRES_PORT: String(postgresPort),
    DEV_TEMPORAL_PORT: String(temporalPort),
    DEV_TEMPORAL_UI_PORT: String(uiPort),
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
  };
  // Its own process group, which receives the SIGINT as a terminal's Ctrl-C would deliver it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/dev.ts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    api: `http://127.0.0.1:${apiPort}/api/v1`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    exited,
    output: () => output,
  };
}

/** Polls `check` until it answers, failing at once (with the dev output) if the dev process ends first. */
async function whileRunning<T>(dev: Dev, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const died = dev.exited.then((code) => {
    throw new Error(`npm run dev exited (${code}) while waiting for ${what}:\n${dev.output()}`);
  });
  return Promise.race([waitFor(what, check, 120_000), died]);
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: ApiResponse extends { json(): Promise<infer B> } ? B : never }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

function processTable(): { pid: number; ppid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
}

function descendants(pid: number): { pid: number; args: string }[] {
  const table = processTable();
  const found: { pid: number; args: string }[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Ctrl-C; resolves once the process and everything it started are gone. */
async function interrupt(dev: Dev): Promise<number | null> {
  const started = descendants(dev.child.pid!);
  // What it started: the embedded PostgreSQL and the Temporal dev server, both on this data directory.
  expect(started.some((p) => p.args.includes('postgres') && p.args.includes(join(dataDir, 'postgres')))).toBe(true);
  expect(started.some((p) => p.args.includes('start-dev') && p.args.includes(join(dataDir, 'temporal.sqlite')))).toBe(true);

  process.kill(-dev.child.pid!, 'SIGINT');
  const code = await dev.exited;
  const stillAlive = () => {
    const alive = new Set(processTable().map((p) => p.pid));
    return started.filter((p) => alive.has(p.pid));
  };
  // Bounded, for a process that has been signalled but not yet reaped; the assertion below names any left.
  await waitFor('the processes npm run dev started to end', async () => (stillAlive().length === 0 ? true : undefined), 20_000).catch(() => undefined);
  expect(stillAlive()).toEqual([]);
  expect(processTable().filter((p) => p.args.includes(dataDir))).toEqual([]);
  return code;
}

const running: Dev[] = [];
afterAll(() => {
  for (const dev of running) if (dev.child.exitCode === null) process.kill(-dev.child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run dev', () => {
  let jobId: number;

  it('serves the API with both dependencies UP and the Temporal UI, runs a job, and stops everything on Ctrl-C', async () => {
    const dev = await startDev();
    running.push(dev);

    const health = await whileRunning(dev, 'the API health', async () => {
      const res = await json(`${dev.api}/health`).catch(() => undefined);
      return res?.status === 200 ? res.body : undefined;
    });
    expect(health).toMatchObject({ status: 'UP', dependencies: { database: 'UP', temporal: 'UP' } });

    const ui = await whileRunning(dev, 'the Temporal UI', async () => {
      const res = await fetch(dev.uiUrl).catch(() => undefined);
      return res?.status === 200 ? await res.text() : undefined;
    });
    expect(ui).toContain('<html');

    const submitted = await json(`${dev.api}/jobs/simple`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ packageNvr: 'systemd-257-9.el10', inputSourceUrl: 'https://docs.google.com/spreadsheets/d/abc' }),
    });
    expect(submitted.status).toBe(201);
    jobId = submitted.body.jobId;
    const done = await whileRunning(dev, `job ${jobId} to end`, async () => {
      const { body } = await json(`${dev.api}/jobs/${jobId}`);
      return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(body.status) ? body : undefined;
    });
    expect(done.status).toBe('COMPLETED');

    expect(await interrupt(dev)).toBe(0);
  });

  it('keeps the runs across a restart on the same data directory', async () => {
    const dev = await startDev();
    running.push(dev);
    await whileRunning(dev, 'the API health', async () => {
      const res = await json(`${dev.api}/health`).catch(() => undefined);
      return res?.status === 200 ? res.body : undefined;
    });

    const job = await json(`${dev.api}/jobs/${jobId}`);
    expect(job).toMatchObject({ status: 200, body: { jobId, status: 'COMPLETED' } });
    // Temporal's own history survived as well.
    const connection = await Connection.connect({ address: dev.temporalAddress });
    try {
      const description = await new Client({ connection }).workflow.getHandle(jobWorkflowId('sast', jobId)).describe();
      expect(description.status.name).toBe('COMPLETED');
    } finally {
      await connection.close();
    }

    expect(await interrupt(dev)).toBe(0);
  });
});
