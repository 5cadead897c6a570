// Registry traffic through an HTTP proxy (the settings and which requests bypass it:
// proxy-settings.ts): plain-HTTP requests are sent to the proxy in absolute form; HTTPS goes
// through a CONNECT tunnel, with TLS to the registry inside it.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

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
