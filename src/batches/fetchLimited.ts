import { BatchInputError } from './batchInputError.js';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export interface FetchedBody {
  content: Buffer;
  /** The URL after redirects. */
  url: string;
  contentType: string | null;
}

/** Names a URL in messages without its query string, which may carry an access token. */
export function describeUrl(url: string): string {
  try {
    const { origin, pathname } = new URL(url);
    return origin + pathname;
  } catch {
    return 'the URL';
  }
}

async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number, source: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream, so an endless body is not read to its end.
    if (size > maxBytes) throw new BatchInputError(`${source} is larger than the limit of ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** GETs a URL (following redirects) within a time and size limit; any failure is a BatchInputError. */
export async function fetchLimited(url: string, limits: FetchLimits): Promise<FetchedBody> {
  const source = describeUrl(url);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, {
      redirect: 'follow',
      signal,
      headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new BatchInputError(`${source} answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await response.body?.cancel();
      throw new BatchInputError(`${source} is larger than the limit of ${limits.maxBytes} bytes`);
    }
    const content = response.body ? await readAtMost(response.body, limits.maxBytes, source) : Buffer.alloc(0);
    return { content, url: response.url || url, contentType: response.headers.get('content-type') };
  } catch (error) {
    if (error instanceof BatchInputError) throw error;
    if (signal.aborted) {
      throw new BatchInputError(`${source} did not answer within ${limits.timeoutMs} ms`, { cause: error });
    }
    const cause = (error as Error).cause as Error | undefined;
    throw new BatchInputError(`${source} could not be fetched: ${cause?.message ?? (error as Error).message}`, {
      cause: error,
    });
  }
}
