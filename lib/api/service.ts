// `pman system service`: serves the Docker Engine API on a unix socket. There is no daemon behind
// it: every request calls the same library functions as the CLI (same state, same locks), the
// containers belong to their shims, and the service exits after --time seconds without a request
// or a hijacked stream (podman's rule). Loaded only by `pman system service`.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { Call, type ServiceConfig } from './call.js';
import { ApiError } from './http.js';
import { API_VERSION, findRoute, MIN_API_VERSION, splitVersion, type Route } from './router.js';
import { allRoutes } from './routes.js';

export interface ServiceOptions {
  /** unix:///path or a plain path; undefined: <runroot>/pman.sock. */
  uri?: string;
  /** Seconds without activity before the service exits; 0 never. */
  idleSeconds: number;
  /** A listening socket handed over by socket activation (LISTEN_FDS), used as is. */
  listenFd?: number;
  /** Called once the socket listens (with its path, or the fd). */
  onListening?: (where: string) => void;
  config: ServiceConfig;
}

/** The socket path from `unix:///path` (or a bare absolute path). */
export function socketPathOf(ctx: Context, uri: string | undefined): string {
  if (uri === undefined || uri === '') return path.join(ctx.runroot, 'pman.sock');
  const p = uri.startsWith('unix://') ? uri.slice('unix://'.length) : uri;
  if (!p.startsWith('/') || /^[a-z]+:\/\//.test(uri.replace(/^unix:\/\//, ''))) {
    throw new InvalidArgumentError(`invalid service address "${uri}": use unix:///absolute/path.sock (only unix sockets are served)`);
  }
  return p;
}

/** A socket file left by a service that died can go; one another service listens on cannot. */
async function clearStaleSocket(file: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new InvalidArgumentError(`cannot serve on "${file}": it exists and is not a socket; remove it or choose another path`);
  const live = await new Promise<boolean>((resolve) => {
    const s = net.connect(file);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (live) throw new PmanError('conflict', `cannot serve on "${file}": another service is listening there`);
  fs.unlinkSync(file);
}

function listen(server: http.Server, target: { path: string } | { fd: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Serves until idle for opts.idleSeconds (or closed by a signal); resolves when done. */
export async function serveApi(ctx: Context, opts: ServiceOptions): Promise<void> {
  const routes = allRoutes();
  // Every attach session adds listeners on process (its terminal restore): many at once are normal here.
  process.setMaxListeners(0);
  let active = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const server = http.createServer({ keepAliveTimeout: 5000 });

  const arm = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (active === 0 && opts.idleSeconds > 0) idleTimer = setTimeout(stop, opts.idleSeconds * 1000);
  };
  const begin = (closeEmitter: NodeJS.EventEmitter) => {
    active++;
    arm();
    let ended = false;
    closeEmitter.once('close', () => {
      if (ended) return;
      ended = true;
      active--;
      arm();
    });
  };
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  function stop(): void {
    server.close(() => finish());
    // Idle keep-alive connections would hold close() open: none of them carries a request.
    for (const s of sockets) if (!(s as net.Socket & { _httpMessage?: unknown })._httpMessage) s.destroy();
    finish();
  }

  const dispatch = (req: http.IncomingMessage, res: http.ServerResponse | undefined, socket: net.Socket | undefined, head: Buffer | undefined) => {
    const url = new URL(req.url ?? '/', 'http://pman');
    const { path: p, version } = splitVersion(url.pathname);
    const call = new Call(ctx, opts.config, req, [], url.searchParams, res, socket, head);
    if (res) {
      res.setHeader('Api-Version', API_VERSION);
      res.setHeader('Server', `pman/${API_VERSION}`);
      res.setHeader('Docker-Experimental', 'false');
      res.setHeader('Ostype', 'linux');
    }
    if (version && Number(version) < Number(MIN_API_VERSION)) {
      call.error(new ApiError(400, `client version ${version} is too old: the minimum supported API version is ${MIN_API_VERSION}`));
      return;
    }
    const found = findRoute(routes, req.method ?? 'GET', p);
    if (!found) {
      call.error(new ApiError(404, `page not found: ${req.method} ${url.pathname}`));
      return;
    }
    if ('allowed' in found) {
      call.error(new ApiError(405, `method ${req.method} not allowed for ${url.pathname}: use ${found.allowed.join(', ')}`));
      return;
    }
    (call as { params: string[] }).params = found.params;
    ctx.debug(`api: ${req.method} ${req.url}`);
    found.route.handler(call).catch((err: unknown) => {
      ctx.debug(`api: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      call.error(err);
    });
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    begin(res);
    dispatch(req, res, undefined, undefined);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    begin(socket);
    socket.on('error', () => undefined);
    dispatch(req, undefined, socket, head);
  });
  server.on('clientError', (_err: Error, socket: net.Socket) => {
    // A malformed request: answered and dropped; nobody else notices.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"message":"malformed HTTP request"}');
    else socket.destroy();
  });

  let file: string | undefined;
  if (opts.listenFd !== undefined) {
    await listen(server, { fd: opts.listenFd });
    opts.onListening?.(`fd ${opts.listenFd}`);
  } else {
    file = socketPathOf(ctx, opts.uri);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await clearStaleSocket(file);
    // Owner-only from the first moment: the umask covers the window between bind and chmod.
    const old = process.umask(0o177);
    try {
      await listen(server, { path: file });
    } finally {
      process.umask(old);
    }
    fs.chmodSync(file, 0o600);
    opts.onListening?.(file);
  }
  arm();
  const onSignal = () => stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    await done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    if (idleTimer) clearTimeout(idleTimer);
    if (file) {
      try {
        fs.unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  }
}

export type { Route };
