// HTTP_PROXY / HTTPS_PROXY / NO_PROXY for registry traffic. A tiny proxy on 127.0.0.1 stands in
// front of real docker-registries (one plain HTTP, one TLS) and records what it was asked for; it
// only ever connects to 127.0.0.1. The registries are named "vm:PORT" ("vm" is in this machine's
// /etc/hosts as 127.0.0.1, and is not a name the loopback rule exempts from proxying), so pman may
// reach them either way: only the proxy's record tells whether a request went through it.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { RegistryFixture } from './rig/fixture.js';
import { buildLayout, skopeoCopy } from './rig/images.js';
import { makePki } from './rig/certs.js';
import { startRegistry, type Registry } from './rig/registry-server.js';

interface Proxy {
  url: string;
  seen: string[];
  stop(): Promise<void>;
}

/** Forwards absolute-form requests and CONNECT tunnels, always to 127.0.0.1 at the asked port. */
function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const up = http.request({ host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const port = Number(String(req.url).split(':').pop());
    const up = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    for (const s of [up, client]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === up ? client : up).destroy());
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        stop: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

let fx: RegistryFixture;
let plain: Registry;
let secure: Registry;
let proxy: Proxy;

beforeAll(async () => {
  fx = await RegistryFixture.create({ image: false });
  plain = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'plain') }));
  const pki = makePki(path.join(fx.dir, 'pki'));
  secure = fx.onCleanup(await startRegistry({ dir: path.join(fx.dir, 'secure'), tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert } }));
  const layout = buildLayout(path.join(fx.dir, 'oci'), 'latest', [{ os: 'linux', architecture: 'amd64', layers: [{ tar: fx.busybox(), compression: 'gzip' }] }]);
  skopeoCopy(layout, `${plain.host}/test/busybox:latest`);
  const caDir = path.join(fx.dir, 'ca');
  fs.mkdirSync(caDir);
  fs.copyFileSync(pki.caCert, path.join(caDir, 'ca.crt'));
  skopeoCopy(layout, `${secure.host}/test/busybox:latest`, { certDir: caDir });
  proxy = fx.onCleanup(await startProxy());
  // The plain registry, under its "vm" name, is spoken to over HTTP.
  fx.registriesConf(`unqualified-search-registries = []\n[[registry]]\nlocation = "vm:${plain.port}"\ninsecure = true\n`);
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
});

async function pullVia(env: Record<string, string>, image: string, extra: string[] = []): Promise<string[]> {
  const before = proxy.seen.length;
  const store = await fx.freshStore();
  const r = await fx.pman(['pull', '-q', ...extra, image], { root: store, env });
  if (r.exitCode !== 0) throw new Error(`pull ${image} exited ${r.exitCode}: ${r.stderr}`);
  expect(r.stdout).toMatch(/^[0-9a-f]{64}$/);
  return proxy.seen.slice(before);
}

describe('registry access through a proxy', () => {
  it('HTTP_PROXY carries plain-HTTP requests (absolute form) to the registry', async () => {
    const seen = await pullVia({ HTTP_PROXY: proxy.url }, `vm:${plain.port}/test/busybox`);
    expect(seen).toContain(`GET http://vm:${plain.port}/v2/`);
    expect(seen).toContain(`GET http://vm:${plain.port}/v2/test/busybox/manifests/latest`);
    expect(seen.some((l) => l.startsWith(`GET http://vm:${plain.port}/v2/test/busybox/blobs/sha256:`))).toBe(true);
  });

  it('https_proxy (lower case) tunnels HTTPS with CONNECT, and TLS runs inside the tunnel', async () => {
    const seen = await pullVia({ https_proxy: proxy.url }, `vm:${secure.port}/test/busybox`, ['--tls-verify=false']);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([`CONNECT vm:${secure.port}`]));
  });

  it('NO_PROXY (host, host:port, CIDR-free "*") and loopback addresses bypass the proxy', async () => {
    expect(await pullVia({ HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,vm' }, `vm:${plain.port}/test/busybox`)).toEqual([]);
    expect(await pullVia({ HTTP_PROXY: proxy.url, no_proxy: `vm:${plain.port}` }, `vm:${plain.port}/test/busybox`)).toEqual([]);
    expect(await pullVia({ HTTPS_PROXY: proxy.url, NO_PROXY: '*' }, `vm:${secure.port}/test/busybox`, ['--tls-verify=false'])).toEqual([]);
    expect(await pullVia({ HTTP_PROXY: proxy.url }, `${plain.host}/test/busybox`)).toEqual([]);
    // A NO_PROXY entry for another port does not apply.
    expect((await pullVia({ HTTP_PROXY: proxy.url, NO_PROXY: 'vm:1' }, `vm:${plain.port}/test/busybox`)).length).toBeGreaterThan(0);
  });

  it('a proxy that is not there fails the pull naming the proxy', async () => {
    const store = await fx.freshStore();
    const dead = await startProxy();
    await dead.stop();
    const r = await fx.pman(['pull', '-q', `vm:${plain.port}/test/busybox`], { root: store, env: { HTTP_PROXY: dead.url, HTTPS_PROXY: dead.url } });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(`connection refused (through the proxy ${dead.url.slice(7)})`);
  });
});
