// Small HTTP servers the registry tests put around or beside docker-registry: a static file
// server for the "redirect" storage middleware (recording what each request carried), a proxy
// that breaks blob transfers off mid-way, and a fake registry that answers with whatever a test
// needs (garbage, oversized or unknown manifests).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface TestServer {
  url: string;
  host: string;
  stop(): Promise<void>;
}

function listen(server: http.Server): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        stop: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** Serves files under `root` (the registry's data dir) and records each request's headers. */
export async function startStaticServer(root: string): Promise<TestServer & { requests: Array<{ path: string; headers: http.IncomingHttpHeaders }> }> {
  const requests: Array<{ path: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ path: p, headers: req.headers });
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const size = fs.statSync(file).size;
    res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return { ...(await listen(server)), requests };
}

/**
 * Forwards everything to `target`; the first `breaks` blob GETs without a Range header are cut
 * after `cutAt` bytes of body (the socket is destroyed). Records the Range headers it saw.
 */
export async function startBreakingProxy(target: string, opts: { breaks: number; cutAt: number }): Promise<TestServer & { ranges: string[]; cuts: () => number }> {
  const ranges: string[] = [];
  let cuts = 0;
  const server = http.createServer((req, res) => {
    const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '');
    if (isBlob && req.headers.range) ranges.push(String(req.headers.range));
    const up = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const long = Number(upRes.headers['content-length']) > opts.cutAt;
      if (isBlob && long && !req.headers.range && upRes.statusCode === 200 && cuts < opts.breaks) {
        cuts++;
        let sent = 0;
        upRes.on('data', (chunk: Buffer) => {
          if (sent >= opts.cutAt) return;
          const part = chunk.subarray(0, opts.cutAt - sent);
          sent += part.length;
          res.write(part);
          if (sent >= opts.cutAt) {
            upRes.destroy();
            setTimeout(() => res.socket?.destroy(), 20);
          }
        });
        return;
      }
      upRes.pipe(res);
    });
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  return { ...(await listen(server)), ranges, cuts: () => cuts };
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** A pretend registry: /v2/ answers 200, other paths go to `route` (404 when it returns undefined). */
export async function startFakeRegistry(route: (method: string, path: string) => FakeResponse | undefined): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    if (p === '/v2/' || p === '/v2') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    const r = route(req.method ?? 'GET', p) ?? { status: 404, body: JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }) };
    const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
    res.writeHead(r.status, { 'Content-Length': String(body.length), ...(r.headers ?? {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return listen(server);
}
