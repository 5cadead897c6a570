// Downloading one blob as a stream that checks itself: every byte goes through sha256 on its way
// to the consumer, and the stream fails at the end (before the consumer can commit anything) when
// the size or digest is not what the manifest promised. A connection that breaks mid-way is
// resumed with a Range request from the last byte received, a few times, with a short back-off.
import { createHash } from 'node:crypto';
import type { RegistryClient } from './client.js';
import { pullScope } from './client.js';
import { discard, type HttpResponse } from './http.js';
import type { Descriptor } from './manifest.js';
import { RegistryError, unexpectedStatus } from './registry-error.js';

export interface BlobFetchOptions {
  /** Called with each chunk's size as it arrives. */
  onBytes?: (n: number) => void;
  /** Attempts after the first (default 3). */
  retries?: number;
  /** Back-off base in ms (default 200, doubled per attempt). */
  backoffMs?: number;
  debug?: (msg: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function contentRangeStart(res: HttpResponse): number | undefined {
  const m = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
  return m ? Number(m[1]) : undefined;
}

export async function* fetchBlob(client: RegistryClient, repoPath: string, desc: Descriptor, o: BlobFetchOptions = {}): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  const retries = o.retries ?? 3;
  const where = `${client.registry}/${repoPath}`;
  let received = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      o.debug?.(`blob ${desc.digest.slice(7, 19)}: resuming at byte ${received} (attempt ${attempt + 1}): ${(lastError as Error)?.message}`);
      await sleep((o.backoffMs ?? 200) * 2 ** (attempt - 1));
    }
    const headers: Record<string, string> = {};
    if (received > 0) headers.Range = `bytes=${received}-`;
    let res: HttpResponse;
    try {
      res = await client.request('GET', `/v2/${repoPath}/blobs/${desc.digest}`, { scopes: [pullScope(repoPath)], headers, followRedirects: true });
    } catch (err) {
      if (err instanceof RegistryError && err.kind === 'unreachable' && attempt < retries) {
        lastError = err;
        continue;
      }
      throw err;
    }
    let skip = 0;
    if (res.status === 206 && received > 0) {
      if (contentRangeStart(res) !== received) {
        discard(res);
        throw new RegistryError('server', `cannot resume blob ${desc.digest} from ${where}: the registry answered with the wrong range`);
      }
    } else if (res.status === 200) {
      skip = received; // the server ignored Range: drop what we already have
    } else if (res.status >= 500 && attempt < retries) {
      lastError = new Error(`HTTP ${res.status}`);
      discard(res);
      continue;
    } else {
      if (res.status === 404) {
        discard(res);
        throw new RegistryError('not-found', `blob ${desc.digest} not found in ${where}`, { status: 404 });
      }
      throw await unexpectedStatus(res, `cannot fetch blob ${desc.digest} from ${where}`);
    }
    try {
      for await (const raw of res.body) {
        let chunk = raw as Buffer;
        if (skip > 0) {
          const drop = Math.min(skip, chunk.length);
          skip -= drop;
          chunk = chunk.subarray(drop);
          if (chunk.length === 0) continue;
        }
        received += chunk.length;
        if (received > desc.size) {
          res.body.destroy();
          throw new RegistryError('invalid', `blob ${desc.digest} from ${where} is larger than the ${desc.size} bytes its manifest says; nothing was stored`);
        }
        hash.update(chunk);
        o.onBytes?.(chunk.length);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      lastError = err;
      if (attempt < retries) continue;
      throw new RegistryError('unreachable', `cannot fetch blob ${desc.digest} from ${where}: the transfer broke off after ${received} of ${desc.size} bytes (${(err as Error).message})`, { cause: err });
    }
    if (received < desc.size) {
      lastError = new Error(`connection closed after ${received} of ${desc.size} bytes`);
      if (attempt < retries) continue;
      throw new RegistryError('unreachable', `cannot fetch blob ${desc.digest} from ${where}: the transfer broke off after ${received} of ${desc.size} bytes`);
    }
    const actual = `sha256:${hash.digest('hex')}`;
    if (actual !== desc.digest) {
      throw new RegistryError('invalid', `blob ${desc.digest} from ${where} has the wrong digest (got ${actual}): the data is corrupt; nothing was stored`);
    }
    return;
  }
  throw new RegistryError('unreachable', `cannot fetch blob ${desc.digest} from ${where}: ${(lastError as Error)?.message ?? 'giving up'}`);
}

/** A small blob (a config) read whole, capped and verified. */
export async function fetchSmallBlob(client: RegistryClient, repoPath: string, desc: Descriptor, limit: number, what: string): Promise<Buffer> {
  if (desc.size > limit) throw new RegistryError('invalid', `${what} ${desc.digest} is ${desc.size} bytes, more than the ${limit} bytes allowed`);
  const parts: Buffer[] = [];
  for await (const c of fetchBlob(client, repoPath, desc)) parts.push(c);
  return Buffer.concat(parts);
}
