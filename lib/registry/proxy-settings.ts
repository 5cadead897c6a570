// HTTP_PROXY, HTTPS_PROXY and NO_PROXY (and their lower-case forms) for registry traffic, with the
// rules podman follows (Go's ProxyFromEnvironment): the upper-case variable wins; a proxy without
// a scheme is http://; "localhost" and loopback addresses never go through a proxy; NO_PROXY is a
// comma list of "*", IP addresses, CIDR ranges (matching addresses written as such), and host
// names with an optional port ("example.com" matches it and its subdomains, ".example.com" and
// "*.example.com" only the subdomains). Plain-HTTP requests are sent to the proxy in absolute
// form; HTTPS goes through a CONNECT tunnel, with TLS to the registry inside it (proxy.ts).
//
// This file is the settings and the routing decision only: `pman run` reads the settings with its
// registry options (lib/registry/options.ts), and loading node:http, https and tls for that cost
// every run a few ms. The tunnel itself is lib/registry/proxy.ts.
import net from 'node:net';
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
