// One registry, as the distribution API v2 sees it: finds out how to reach it (https, or plain
// http for loopback and insecure registries), how it wants to be authenticated (a ping of /v2/
// and its WWW-Authenticate challenge), and sends requests with the right Authorization: none,
// Basic, or a Bearer token fetched from the token service for the scopes needed, cached per scope
// set and refreshed on expiry or "insufficient_scope".
import type { Context } from '../context.js';
import { challengeScopes, parseChallenges, type Challenge } from './challenge.js';
import { findCredentials, type Credentials } from './auth-file.js';
import { ConnectionError, discard, readBody, send, type HttpResponse } from './http.js';
import { isLoopbackHost, type RegistryOptions } from './options.js';
import { findRegistryEntry, type RegistriesConf } from './registries-conf.js';
import { RegistryError, errorDetail, statusText } from './registry-error.js';
import { tlsSettingsFor, type TlsSettings } from './tls.js';

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | (() => NodeJS.ReadableStream);
  /** Token scopes the request needs, e.g. ["repository:library/busybox:pull"]. */
  scopes: string[];
  followRedirects?: boolean;
}

interface CachedToken {
  token: string;
  expires: number;
}

const DOCKER_HUB = 'docker.io';

/** The host a registry name is dialled at (docker.io is served by registry-1.docker.io). */
export function endpointHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

export function pullScope(path: string): string {
  return `repository:${path}:pull`;
}

export function pushScope(path: string): string {
  return `repository:${path}:pull,push`;
}

export class RegistryClient {
  private base: URL | undefined;
  private challenges: Challenge[] = [];
  private readonly tokens = new Map<string, CachedToken>();
  private readonly tlsCache = new Map<string, TlsSettings>();
  private readonly insecure: boolean;
  private readonly host: string;
  private pinging: Promise<void> | undefined;
  readonly credentials: Credentials | undefined;

  /**
   * `repository` ("host/path") picks credentials from the auth files (most specific key first);
   * the flags' --creds win over any stored ones.
   */
  constructor(
    private readonly ctx: Context,
    readonly registry: string,
    private readonly opts: RegistryOptions,
    conf: RegistriesConf | undefined,
    repository: string,
  ) {
    const entry = conf ? findRegistryEntry(conf, repository) : undefined;
    if (entry?.blocked) throw new RegistryError('denied', `registry "${registry}" is blocked in the registries configuration`);
    this.host = endpointHost(entry && entry.location !== entry.prefix && !entry.prefix.includes('/') ? entry.location : registry);
    this.insecure = opts.tlsVerify === false || entry?.insecure === true;
    this.credentials = opts.credentials ?? findCredentials([opts.authFile, ...opts.authFallbacks], repository)?.credentials;
  }

  private tlsFor = (host: string): TlsSettings => {
    let t = this.tlsCache.get(host);
    if (!t) {
      t = tlsSettingsFor(this.opts, host, host === this.host ? !this.insecure : true);
      this.tlsCache.set(host, t);
    }
    return t;
  };

  private debug = (msg: string) => this.ctx.debug(`registry ${this.registry}: ${msg}`);

  private unreachable(err: ConnectionError): RegistryError {
    return new RegistryError('unreachable', `cannot reach registry ${this.registry} at ${err.url.origin}: ${err.reason}`, { cause: err });
  }

  /** GET /v2/ without credentials: which scheme works and which challenge the registry sends. */
  ping(): Promise<void> {
    this.pinging ??= this.doPing().catch((err) => {
      this.pinging = undefined;
      throw err;
    });
    return this.pinging;
  }

  private async tryPing(base: URL): Promise<HttpResponse> {
    const res = await send({ method: 'GET', url: new URL('/v2/', base), tlsFor: this.tlsFor, proxy: this.opts.proxy, debug: this.debug, timeoutMs: 30_000 });
    discard(res);
    return res;
  }

  private async doPing(): Promise<void> {
    const https = new URL(`https://${this.host}`);
    const httpAllowed = this.insecure || isLoopbackHost(this.host);
    let res: HttpResponse | undefined;
    let httpsError: ConnectionError | undefined;
    try {
      res = await this.tryPing(https);
      if (res.status === 200 || res.status === 401) this.base = https;
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err;
      httpsError = err;
    }
    if (!this.base && httpAllowed && (this.insecure || !httpsError || httpsError.notTls)) {
      const plain = new URL(`http://${this.host}`);
      try {
        const r = await this.tryPing(plain);
        if (r.status === 200 || r.status === 401) {
          this.base = plain;
          res = r;
        }
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        httpsError ??= err;
      }
    }
    if (!this.base || !res) {
      if (httpsError) throw this.unreachable(httpsError);
      throw new RegistryError('invalid', `${this.registry} does not look like a container registry: GET /v2/ answered ${statusText(res?.status ?? 0)}`);
    }
    this.debug(`using ${this.base.origin}`);
    if (res.status === 401) this.challenges = parseChallenges(String(res.headers['www-authenticate'] ?? ''));
  }

  url(path: string): URL {
    return new URL(path, this.base);
  }

  private bearer(): Challenge | undefined {
    return this.challenges.find((c) => c.scheme === 'bearer');
  }

  private basic(): Challenge | undefined {
    return this.challenges.find((c) => c.scheme === 'basic');
  }

  private basicHeader(c: Credentials): string {
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  /** Fetches (or reuses) a bearer token for these scopes. */
  async token(scopes: string[], fresh = false): Promise<string> {
    const challenge = this.bearer();
    if (!challenge) throw new Error('token() without a bearer challenge');
    const key = [...new Set(scopes)].sort().join(' ');
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expires > Date.now()) return cached.token;
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('invalid', `registry ${this.registry} asks for a bearer token but names no token service (realm)`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError('invalid', `registry ${this.registry} names an invalid token service "${realm}"`);
    }
    const c = this.credentials;
    const headers: Record<string, string> = { Accept: 'application/json' };
    let method = 'GET';
    let body: Buffer | undefined;
    if (c?.identityToken) {
      method = 'POST';
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.identityToken, client_id: 'pman' });
      if (challenge.params.service) form.set('service', challenge.params.service);
      if (key) form.set('scope', key);
      body = Buffer.from(form.toString());
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else {
      if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
      for (const s of [...new Set(scopes)]) url.searchParams.append('scope', s);
      if (c) {
        url.searchParams.set('account', c.username);
        headers.Authorization = this.basicHeader(c);
      }
    }
    let res: HttpResponse;
    try {
      res = await send({ method, url, headers, body, tlsFor: this.tlsFor, proxy: this.opts.proxy, debug: this.debug, followRedirects: method === 'GET', timeoutMs: 30_000 });
    } catch (err) {
      if (err instanceof ConnectionError) throw new RegistryError('unreachable', `cannot reach the token service of ${this.registry} at ${err.url.origin}: ${err.reason}`, { cause: err });
      throw err;
    }
    if (res.status === 401 || res.status === 403) {
      discard(res);
      throw new RegistryError(
        'auth',
        c ? `authentication to ${this.registry} failed: invalid username or password (token service answered ${statusText(res.status)})` : `authentication required by ${this.registry}: log in with "pman login ${this.registry}"`,
        { status: res.status },
      );
    }
    if (res.status !== 200) {
      const detail = await errorDetail(res);
      throw new RegistryError('auth', `cannot get a token for ${this.registry}: token service answered ${statusText(res.status)}${detail ? ` (${detail})` : ''}`, { status: res.status });
    }
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      doc = JSON.parse((await readBody(res, 1 << 20, 'token response')).toString('utf8'));
    } catch {
      throw new RegistryError('invalid', `the token service of ${this.registry} sent an invalid response`);
    }
    const token = typeof doc.token === 'string' && doc.token ? doc.token : typeof doc.access_token === 'string' ? doc.access_token : '';
    if (!token) throw new RegistryError('invalid', `the token service of ${this.registry} sent no token`);
    const lifetime = Math.max(60, typeof doc.expires_in === 'number' ? doc.expires_in : 60);
    const issued = typeof doc.issued_at === 'string' && !Number.isNaN(Date.parse(doc.issued_at)) ? Math.min(Date.parse(doc.issued_at), Date.now()) : Date.now();
    this.tokens.set(key, { token, expires: issued + (lifetime - 10) * 1000 });
    this.debug(`got a token for ${key || 'no scope'} (valid ${lifetime}s)`);
    return token;
  }

  private async authorization(scopes: string[], fresh: boolean): Promise<string | undefined> {
    if (this.bearer()) return `Bearer ${await this.token(scopes, fresh)}`;
    if (this.basic() && this.credentials) return this.basicHeader(this.credentials);
    return undefined;
  }

  /**
   * Sends `method path` with authorization. On a 401 it re-reads the challenge: a bearer
   * "insufficient_scope" (or an expired token) gets a fresh token for the scopes asked and the
   * request is sent once more. Other statuses are returned for the caller to judge.
   */
  async request(method: string, path: string | URL, o: RequestOptions): Promise<HttpResponse> {
    await this.ping();
    let scopes = [...o.scopes];
    let fresh = false;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'User-Agent': 'pman/0.1', ...(o.headers ?? {}) };
      const url = typeof path === 'string' ? this.url(path) : path;
      // An upload Location may point anywhere: credentials go only to the registry itself.
      const auth = url.origin === this.base?.origin ? await this.authorization(scopes, fresh) : undefined;
      if (auth) headers.Authorization = auth;
      let res: HttpResponse;
      try {
        res = await send({ method, url, headers, body: o.body, followRedirects: o.followRedirects, tlsFor: this.tlsFor, proxy: this.opts.proxy, debug: this.debug });
      } catch (err) {
        if (err instanceof ConnectionError) throw this.unreachable(err);
        throw err;
      }
      if (res.status !== 401 || attempt > 0) {
        if (res.status === 401) return this.authFailed(res);
        return res;
      }
      const challenges = parseChallenges(String(res.headers['www-authenticate'] ?? ''));
      const bearer = challenges.find((c) => c.scheme === 'bearer');
      if (bearer) {
        if (!this.bearer()) this.challenges = challenges;
        const wanted = challengeScopes(bearer);
        scopes = [...new Set([...scopes, ...wanted])];
        fresh = true;
        this.debug(`401 ${bearer.params.error ?? ''}: retrying with a token for ${scopes.join(' ')}`);
        discard(res);
        continue;
      }
      if (challenges.some((c) => c.scheme === 'basic') && !this.basic() && this.credentials) {
        this.challenges = challenges;
        discard(res);
        continue;
      }
      return this.authFailed(res);
    }
  }

  private async authFailed(res: HttpResponse): Promise<never> {
    const detail = await errorDetail(res);
    const why = detail ? ` (${detail})` : '';
    if (this.credentials) throw new RegistryError('auth', `authentication to ${this.registry} failed: invalid username or password${why}`, { status: 401 });
    throw new RegistryError('auth', `authentication required by ${this.registry}${why}: log in with "pman login ${this.registry}" or pass --creds`, { status: 401 });
  }

  /**
   * Verifies the client's credentials as login does: GET /v2/ with Basic, or a token request with
   * no scope for bearer registries. Throws RegistryError('auth') when they are refused.
   */
  async checkCredentials(): Promise<void> {
    await this.ping();
    if (this.bearer()) {
      await this.token([], true);
      return;
    }
    if (this.challenges.length === 0) return;
    const res = await this.request('GET', '/v2/', { scopes: [] });
    discard(res);
    if (res.status !== 200) throw new RegistryError('auth', `cannot log in to ${this.registry}: GET /v2/ answered ${statusText(res.status)}`, { status: res.status });
  }
}
