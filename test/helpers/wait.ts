import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` returns a value that is not undefined; fails with `what` after the bound. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, boundMs = 90_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
