import { readFile } from 'node:fs/promises';

/** Sends signal (0 = probe) to every process in the group; false when the group is gone or not ours to signal. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

/**
 * Whether process group pgid is still the one a run started with OUTPUT_DIR=outputDir. The leader's initial
 * environment tells a recycled pid apart (Linux /proc). Once the leader is gone, the kernel does not hand its pid
 * out again while the group has members, so a live group is still the run's.
 */
export async function groupBelongsToRun(pgid: number, outputDir: string): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  try {
    const environ = await readFile(`/proc/${pgid}/environ`, 'latin1');
    return environ.split('\0').includes(`OUTPUT_DIR=${outputDir}`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
