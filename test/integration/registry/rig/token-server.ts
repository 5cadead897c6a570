// A small token service for docker-registry's "token" auth, written for the tests: it checks Basic
// credentials, grants the scopes a user may have, and signs an RS256 JWT with an x5c header that
// the registry verifies against the signing certificate. It records every request.
import { createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

export interface TokenRequest {
  method: string;
  scopes: string[];
  account?: string;
  /** The user the Basic credentials proved, undefined for anonymous. */
  user?: string;
  grantType?: string;
}

export interface TokenServer {
  url: string;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(opts: {
  port: number;
  service: string;
  issuer: string;
  key: string;
  cert: string;
  users: Record<string, string>;
  /** Actions granted to anonymous requests on a repository (default: pull on public/*). */
  anonymous?: (repo: string) => string[];
  expiresIn?: number;
  /** Grant only "pull" the first time a user asks for "push" (so the registry answers insufficient_scope). */
  underGrantFirstPush?: boolean;
}): Promise<TokenServer> {
  const underGranted = new Set<string>();
  const key = createPrivateKey(fs.readFileSync(opts.key));
  const certDer = new X509Certificate(fs.readFileSync(opts.cert)).raw;
  const requests: TokenRequest[] = [];
  const anonymous = opts.anonymous ?? ((repo: string) => (repo.startsWith('public/') ? ['pull'] : []));

  const sign = (sub: string, access: Array<{ type: string; name: string; actions: string[] }>) => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
    const claims = { iss: opts.issuer, sub, aud: opts.service, exp: now + (opts.expiresIn ?? 300), nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = createSign('RSA-SHA256').update(input).sign(key);
    return `${input}.${b64url(sig)}`;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let params = url.searchParams;
      if (req.method === 'POST') params = new URLSearchParams(Buffer.concat(chunks).toString());
      const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
      let user: string | undefined;
      const auth = req.headers.authorization;
      if (auth?.startsWith('Basic ')) {
        const plain = Buffer.from(auth.slice(6), 'base64').toString();
        const colon = plain.indexOf(':');
        const u = plain.slice(0, colon);
        if (opts.users[u] === undefined || opts.users[u] !== plain.slice(colon + 1)) {
          requests.push({ method: req.method ?? '', scopes, account: params.get('account') ?? undefined, grantType: params.get('grant_type') ?? undefined });
          res.writeHead(401, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] }));
          return;
        }
        user = u;
      }
      if (params.get('grant_type') === 'refresh_token') {
        const t = params.get('refresh_token') ?? '';
        user = Object.keys(opts.users).find((u) => `refresh-${u}` === t);
        if (!user) {
          res.writeHead(401).end();
          return;
        }
      }
      requests.push({ method: req.method ?? '', scopes, account: params.get('account') ?? undefined, user, grantType: params.get('grant_type') ?? undefined });
      const access = scopes.flatMap((s) => {
        const [type, name, actions] = s.split(':');
        if (type !== 'repository' || !name || !actions) return [];
        let granted = user ? actions.split(',') : actions.split(',').filter((a) => anonymous(name).includes(a));
        if (user && opts.underGrantFirstPush && granted.includes('push') && !underGranted.has(`${user} ${name}`)) {
          underGranted.add(`${user} ${name}`);
          granted = granted.filter((a) => a !== 'push');
        }
        return granted.length ? [{ type, name, actions: granted }] : [];
      });
      const token = sign(user ?? '', access);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token, access_token: token, expires_in: opts.expiresIn ?? 300, issued_at: new Date().toISOString() }));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${opts.port}/token`,
    requests,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
