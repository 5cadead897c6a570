// Getting one blob into a repository (distribution spec "push"): nothing when it is there
// already (HEAD), a cross-repository mount when the registry has it in another repository,
// otherwise an upload session: one PUT for small blobs, PATCH chunks with Content-Range and a
// closing PUT for large ones. Bodies are re-readable file streams, so an auth retry can resend.
import fs from 'node:fs';
import { Transform } from 'node:stream';
import type { RegistryClient } from './client.js';
import { pushScope } from './client.js';
import { discard, type HttpResponse } from './http.js';
import { RegistryError, unexpectedStatus } from './registry-error.js';

export async function blobExists(client: RegistryClient, repoPath: string, digest: string): Promise<boolean> {
  const res = await client.request('HEAD', `/v2/${repoPath}/blobs/${digest}`, { scopes: [pushScope(repoPath)], followRedirects: true });
  discard(res);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await unexpectedStatus(res, `cannot check blob ${digest} in ${client.registry}/${repoPath}`);
}

/** Asks for a mount from `fromPath` (same registry); false when the registry opened an upload instead. */
export async function mountBlob(client: RegistryClient, repoPath: string, digest: string, fromPath: string): Promise<boolean> {
  const q = new URLSearchParams({ mount: digest, from: fromPath });
  const res = await client.request('POST', `/v2/${repoPath}/blobs/uploads/?${q}`, {
    scopes: [pushScope(repoPath), `repository:${fromPath}:pull`],
    headers: { 'Content-Length': '0' },
  });
  discard(res);
  if (res.status === 201) return true;
  if (res.status === 202 && res.headers.location) {
    // The mount was refused and a session opened: close it, the caller uploads normally.
    const del = await client.request('DELETE', client.url(String(res.headers.location)), { scopes: [pushScope(repoPath)] }).catch(() => undefined);
    if (del) discard(del);
  }
  return false;
}

function location(client: RegistryClient, res: HttpResponse, what: string): URL {
  const loc = res.headers.location;
  if (!loc) throw new RegistryError('invalid', `${what}: the registry sent no upload location`);
  return client.url(String(loc));
}

function fileBody(file: string, start: number, end: number, onBytes?: (n: number) => void): () => NodeJS.ReadableStream {
  return () => {
    const src = fs.createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 });
    if (!onBytes) return src;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    src.on('error', (err) => counter.destroy(err));
    return src.pipe(counter);
  };
}

export interface UploadOptions {
  /** Blobs larger than this go up in PATCH chunks of this size. */
  chunkSize: number;
  onBytes?: (n: number) => void;
}

export async function uploadBlob(client: RegistryClient, repoPath: string, digest: string, size: number, file: string, o: UploadOptions): Promise<void> {
  const scopes = [pushScope(repoPath)];
  const what = `cannot upload blob ${digest} to ${client.registry}/${repoPath}`;
  const start = await client.request('POST', `/v2/${repoPath}/blobs/uploads/`, { scopes, headers: { 'Content-Length': '0' } });
  discard(start);
  if (start.status !== 202) throw await unexpectedStatus(start, what);
  let loc = location(client, start, what);
  const minChunk = Number(start.headers['oci-chunk-min-length']);
  const chunkSize = Math.max(o.chunkSize, Number.isFinite(minChunk) ? minChunk : 0);
  let finalBody: Buffer | (() => NodeJS.ReadableStream) = Buffer.alloc(0);
  let finalLength = 0;
  if (size <= chunkSize) {
    finalBody = fileBody(file, 0, size, o.onBytes);
    finalLength = size;
  } else {
    for (let off = 0; off < size; off += chunkSize) {
      const end = Math.min(size, off + chunkSize);
      const res = await client.request('PATCH', loc, {
        scopes,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${off}-${end - 1}`, 'Content-Length': String(end - off) },
        body: fileBody(file, off, end, o.onBytes),
      });
      discard(res);
      if (res.status !== 202) throw await unexpectedStatus(res, `${what} (chunk ${off}-${end - 1})`);
      loc = location(client, res, what);
    }
  }
  loc = new URL(loc);
  loc.searchParams.set('digest', digest);
  const put = await client.request('PUT', loc, {
    scopes,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(finalLength) },
    body: finalBody,
  });
  discard(put);
  if (put.status !== 201) throw await unexpectedStatus(put, what);
}
