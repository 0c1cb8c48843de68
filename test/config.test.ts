import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDevConfig } from '../src/config.js';

/** The environment is read in one place; a wrong one is refused with one line naming each wrong variable. */

const minimal = { DATABASE_URL: 'postgres://sast@db.example:5432/sast', PIPELINE_RUNNER: 'simulated' };

function configError(env: Record<string, string>, load: (env: NodeJS.ProcessEnv) => unknown = loadConfig): string {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      DATABASE_URL: minimal.DATABASE_URL,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      PORT: 8080,
      LOG_LEVEL: 'info',
      PIPELINE_RUNNER: 'simulated',
    });
    expect(config.APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('treats a blank variable as unset', () => {
    expect(loadConfig({ ...minimal, PORT: '', TEMPORAL_ADDRESS: '' })).toMatchObject({ PORT: 8080, TEMPORAL_ADDRESS: '127.0.0.1:7233' });
  });

  it('names a missing DATABASE_URL', () => {
    expect(configError({ PIPELINE_RUNNER: 'simulated' })).toBe('Invalid configuration: DATABASE_URL is required');
  });

  it('names a DATABASE_URL that is not a PostgreSQL URL, without echoing it', () => {
    const message = configError({ ...minimal, DATABASE_URL: 'mysql://sast:hunter2@db.example/sast' });
    expect(message).toMatch(/^Invalid configuration: DATABASE_URL /);
    expect(message).not.toContain('hunter2');
  });

  it.each(['http', '-1', '70000', '80.5'])('names an invalid PORT (%s)', (port) => {
    expect(configError({ ...minimal, PORT: port })).toMatch(/^Invalid configuration: PORT /);
  });

  it('names an invalid LOG_LEVEL', () => {
    expect(configError({ ...minimal, LOG_LEVEL: 'loud' })).toMatch(/^Invalid configuration: LOG_LEVEL .*info/);
  });

  it('requires PIPELINE_COMMAND when PIPELINE_RUNNER=command (the default)', () => {
    const message = configError({ DATABASE_URL: minimal.DATABASE_URL });
    expect(message).toBe(
      'Invalid configuration: PIPELINE_COMMAND is required when PIPELINE_RUNNER=command (set it, or set PIPELINE_RUNNER=simulated)',
    );
    expect(loadConfig({ DATABASE_URL: minimal.DATABASE_URL, PIPELINE_COMMAND: 'sast-ai-workflow' }).PIPELINE_RUNNER).toBe('command');
  });

  it('names every wrong variable at once, on one line', () => {
    const message = configError({ PORT: 'http', LOG_LEVEL: 'loud', PIPELINE_RUNNER: 'simulated' });
    for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL']) expect(message).toContain(name);
  });
});

describe('loadDevConfig', () => {
  it('defaults to .data and the usual ports', () => {
    expect(loadDevConfig({})).toEqual({ DEV_DATA_DIR: '.data', DEV_POSTGRES_PORT: 54329, DEV_TEMPORAL_PORT: 7233, DEV_TEMPORAL_UI_PORT: 8233 });
  });

  it('takes other ports and names a wrong one', () => {
    expect(loadDevConfig({ DEV_TEMPORAL_PORT: '17233', DEV_DATA_DIR: '/tmp/x' })).toMatchObject({ DEV_TEMPORAL_PORT: 17233, DEV_DATA_DIR: '/tmp/x' });
    expect(configError({ DEV_TEMPORAL_UI_PORT: 'ui' }, loadDevConfig)).toMatch(/^Invalid configuration: DEV_TEMPORAL_UI_PORT /);
  });
});

describe('npm start with a wrong environment', () => {
  it('exits non-zero printing one line that names DATABASE_URL', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: DATABASE_URL is required/);
  });
});
