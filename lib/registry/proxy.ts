// HTTP_PROXY, HTTPS_PROXY and NO_PROXY (and their lower-case forms) for registry traffic, with the
// rules podman follows (Go's ProxyFromEnvironment): the upper-case variable wins; a proxy without
// a scheme is http://; "localhost" and loopback addresses never go through a proxy; NO_PROXY is a
// comma list of "*", IP addresses, CIDR ranges (matching addresses written as such), and host
// names with an optional port ("example.com" matches it and its subdomains, ".example.com" and
// "*.example.com" only the subdomains). Plain-HTTP requests are sent to the proxy in absolute
// form; HTTPS goes through a CONNECT tunnel, with TLS to the registry inside it.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { InvalidArgumentError } from '../errors.js';

export interface ProxySettings {
  http?: URL;
  https?: URL;
  noProxy: string;
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) if (env[n]) return env[n];
  return undefined;
}

function proxyUrl(value: string | undefined, name: string): URL | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new InvalidArgumentError(`invalid ${name} "${value}": use http://HOST:PORT`);
  }
  if (url.protocol !== 'http:') throw new InvalidArgumentError(`invalid ${name} "${value}": only http:// proxies are supported`);
  return url;
}

/** The proxy settings of the environment, or undefined when no proxy is set. */
export function proxySettingsFromEnv(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpValue = envAny(env, 'HTTP_PROXY', 'http_proxy');
  const httpsValue = envAny(env, 'HTTPS_PROXY', 'https_proxy');
  if (!httpValue && !httpsValue) return undefined;
  return {
    http: proxyUrl(httpValue, env.HTTP_PROXY ? 'HTTP_PROXY' : 'http_proxy'),
    https: proxyUrl(httpsValue, env.HTTPS_PROXY ? 'HTTPS_PROXY' : 'https_proxy'),
    noProxy: envAny(env, 'NO_PROXY', 'no_proxy') ?? '',
  };
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const family = net.isIP(base);
  if (family === 0 || net.isIP(ip) !== family || !Number.isInteger(bits)) return false;
  const list = new net.BlockList();
  list.addSubnet(base, bits, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a request to host:port bypasses the proxy under NO_PROXY (and the loopback rule). */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (net.isIP(host) && (/^127\./.test(host) || host === '::1')) return true;
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (net.isIP(host) && ipInCidr(host, entry)) return true;
      continue;
    }
    let entryPort = '';
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    if (m) {
      entry = m[1].replace(/^\[|\]$/g, '');
      entryPort = m[2];
    }
    if (entryPort && entryPort !== port) continue;
    if (net.isIP(entry)) {
      if (entry === host) return true;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.') ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** The proxy a request to `url` goes through, if any. */
export function proxyFor(settings: ProxySettings | undefined, url: URL): URL | undefined {
  if (!settings) return undefined;
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (!proxy) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return bypassesProxy(url.hostname, port, settings.noProxy) ? undefined : proxy;
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** Request options for a plain-HTTP request through the proxy (absolute-form target). */
export function viaHttpProxy(proxy: URL, url: URL, headers: Record<string, string>): http.RequestOptions {
  return { host: proxy.hostname, port: proxy.port || 80, path: url.href, headers: { ...headers, host: url.host, ...proxyAuth(proxy) } };
}

/** An https agent whose connections are CONNECT tunnels through the proxy. */
export class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    opts: https.AgentOptions,
  ) {
    super(opts);
  }

  override createConnection(options: http.RequestOptions & tls.ConnectionOptions, done?: (err: Error | null, stream: Duplex) => void): undefined {
    const target = `${options.host}:${options.port}`;
    let settled = false;
    const finish = (err: Error | null, socket?: Duplex) => {
      if (settled) return;
      settled = true;
      done?.(err, socket as Duplex);
    };
    const req = http.request({ host: this.proxy.hostname, port: this.proxy.port || 80, method: 'CONNECT', path: target, headers: { host: target, ...proxyAuth(this.proxy) } });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(Object.assign(new Error(`proxy ${this.proxy.host} refused CONNECT ${target}: ${res.statusCode} ${res.statusMessage ?? ''}`.trim()), { code: 'EPROXY' }));
        return;
      }
      const host = String(options.host ?? '');
      const secure = tls.connect({ ...options, socket, servername: net.isIP(host) ? undefined : host });
      secure.once('secureConnect', () => finish(null, secure));
      secure.once('error', (err) => finish(err));
    });
    req.once('error', (err) => finish(err));
    req.end();
    return undefined;
  }
}
