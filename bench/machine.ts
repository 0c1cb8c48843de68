import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { Knex } from 'knex';

const run = promisify(execFile);

export interface MachineFacts {
  cpus: number;
  cpuModel: string | null;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string | null;
  temporalSdk: string | null;
  postgres: string | null;
  gitCommit: string | null;
  loadAverageAtStart: number[];
}

/** 1, 5 and 15 minutes: how busy the shared machine was, which the timings depend on most. */
export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

async function firstLine(file: string, args: string[], cwd?: string): Promise<string | null> {
  try {
    const { stdout } = await run(file, args, { cwd, timeout: 10_000 });
    return stdout.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

/** What the numbers depend on; anything that cannot be read is null rather than an error. */
export async function machineFacts(projectRoot: string, temporalCliPath: string, knex: Knex): Promise<MachineFacts> {
  const packageJson = JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8')) as { dependencies?: Record<string, string> };
  const postgres = await knex
    .raw('SHOW server_version')
    .then((r: { rows: { server_version: string }[] }) => r.rows[0]?.server_version ?? null)
    .catch(() => null);
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? null,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    temporalCli: await firstLine(temporalCliPath, ['--version']),
    temporalSdk: packageJson.dependencies?.['@temporalio/worker'] ?? null,
    postgres,
    gitCommit: await firstLine('git', ['rev-parse', '--short', 'HEAD'], projectRoot),
    loadAverageAtStart: loadAverage(),
  };
}
