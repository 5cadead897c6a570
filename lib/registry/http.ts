// The HTTP transport under the registry client: node:http/https with keep-alive agents per host
// and TLS setting, redirects followed by hand so that Authorization never goes to another origin
// (a blob redirect to a CDN must not carry the registry credentials), and network failures turned
// into one error type with a reason a user can read.
import http from 'node:http';
import https from 'node:https';
import type { TlsSettings } from './tls.js';
import { TunnelAgent, viaHttpProxy } from './proxy.js';
import { proxyFor, type ProxySettings } from './proxy-settings.js';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  /** The URL that answered (after redirects). */
  url: URL;
}

export interface SendOptions {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A buffer, or a function making a fresh stream (so a request can be sent again). */
  body?: Buffer | (() => NodeJS.ReadableStream);
  followRedirects?: boolean;
  tlsFor: (host: string) => TlsSettings;
  /** Socket idle timeout. */
  timeoutMs?: number;
  debug?: (msg: string) => void;
  /** HTTP(S)_PROXY and NO_PROXY (proxy.ts). */
  proxy?: ProxySettings;
}

/** The request never got an HTTP answer. */
export class ConnectionError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly url: URL,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'ConnectionError';
  }

  /** The server is not speaking TLS (a plain-HTTP registry dialled over https). */
  get notTls(): boolean {
    return this.code === 'EPROTO' || this.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol/i.test(this.message);
  }
}

const TLS_REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate signed by unknown authority (self-signed chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host name',
};

function describe(err: NodeJS.ErrnoException, url: URL): ConnectionError {
  const code = err.code ?? 'EUNKNOWN';
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'temporary failure in name resolution',
    ETIMEDOUT: 'timed out',
    ECONNRESET: 'connection reset by peer',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed by peer',
  };
  let reason = TLS_REASONS[code] ?? reasons[code] ?? err.message;
  if (TLS_REASONS[code]) reason += ' (use --cert-dir or a certs.d directory with its CA, or --tls-verify=false)';
  if (code === 'EPROTO' || /wrong version number/i.test(err.message)) reason = 'TLS handshake failed: the server does not speak TLS';
  return new ConnectionError(code, reason, url, { cause: err });
}

const agents = new Map<string, http.Agent>();

function agentFor(url: URL, tls: TlsSettings, proxy: URL | undefined): http.Agent {
  const key = `${url.protocol}//${url.host}|${tls.id}|${proxy?.href ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    const tlsOptions = { keepAlive: true, maxSockets: 16, rejectUnauthorized: tls.verify, ca: tls.ca, cert: tls.cert, key: tls.key };
    a =
      url.protocol === 'https:'
        ? proxy
          ? new TunnelAgent(proxy, tlsOptions)
          : new https.Agent(tlsOptions)
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
    agents.set(key, a);
  }
  return a;
}

/** Lets the process exit without waiting for idle keep-alive sockets. */
export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

function once(o: SendOptions, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const proxy = proxyFor(o.proxy, url);
    const agent = agentFor(url, o.tlsFor(url.host), proxy);
    const req =
      proxy && url.protocol === 'http:'
        ? http.request({ ...viaHttpProxy(proxy, url, headers), method: o.method, agent })
        : (url.protocol === 'https:' ? https : http).request(url, { method: o.method, headers, agent });
    let settled = false;
    const fail = (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      const e = describe(err, url);
      reject(proxy ? new ConnectionError(e.code, `${e.reason} (through the proxy ${proxy.host})`, url, { cause: err }) : e);
    };
    req.setTimeout(o.timeoutMs ?? 60_000, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', fail);
    req.on('response', (res) => {
      settled = true;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
    });
    if (o.body === undefined) req.end();
    else if (Buffer.isBuffer(o.body)) req.end(o.body);
    else {
      const src = o.body();
      src.on('error', (err) => req.destroy(err as Error));
      src.pipe(req);
    }
  });
}

/** Reads and discards a response body (so its socket can be reused). */
export function discard(res: HttpResponse): void {
  res.body.resume();
  res.body.on('error', () => undefined);
}

/** Sends one request, following redirects for GET/HEAD when asked. Throws ConnectionError. */
export async function send(o: SendOptions): Promise<HttpResponse> {
  let url = o.url;
  let headers = { ...(o.headers ?? {}) };
  for (let hops = 0; ; hops++) {
    o.debug?.(`${o.method} ${url.origin}${url.pathname}`);
    const res = await once(o, url, headers);
    const location = res.headers.location;
    if (!o.followRedirects || ![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
    if (hops >= 10) {
      discard(res);
      throw new ConnectionError('EREDIRECT', 'too many redirects', url);
    }
    discard(res);
    const next = new URL(location, url);
    if (next.origin !== url.origin) {
      // Credentials belong to the registry: never hand them to a storage backend or CDN.
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    }
    o.debug?.(`redirected (${res.status}) to ${next.origin}${next.pathname}`);
    url = next;
  }
}

/** Reads a whole response body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy();
    throw new BodyTooLargeError(what, limit);
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.body.destroy();
        throw new BodyTooLargeError(what, limit);
      }
      parts.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw describe(err as NodeJS.ErrnoException, res.url);
  }
  return Buffer.concat(parts, size);
}

export class BodyTooLargeError extends Error {
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} is larger than ${limit} bytes`);
  }
}
