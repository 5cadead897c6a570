// Real docker-registry (distribution 2.8) instances for the tests, on free loopback ports, each
// with its own storage directory and config: plain HTTP, htpasswd basic auth, TLS, bearer tokens,
// and the storage "redirect" middleware. stop() kills the process and removes its files.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { freePort } from './ports.js';

export interface RegistryConfig {
  dir: string;
  htpasswd?: string;
  tls?: { cert: string; key: string; ca: string };
  token?: { realm: string; service: string; issuer: string; rootCert: string };
  /** Base URL blob GETs are redirected to (storage middleware "redirect"). */
  redirectTo?: string;
}

export interface Registry {
  host: string;
  port: number;
  /** Where the registry keeps its data: <dataDir>/docker/registry/v2/… */
  dataDir: string;
  stop(): Promise<void>;
  /** The storage file of a blob (to corrupt it on purpose). */
  blobFile(digest: string): string;
}

function yaml(cfg: RegistryConfig, port: number, dataDir: string): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (cfg.tls) lines.push('  tls:', `    certificate: ${cfg.tls.cert}`, `    key: ${cfg.tls.key}`);
  if (cfg.htpasswd) lines.push('auth:', '  htpasswd:', '    realm: pman-test', `    path: ${cfg.htpasswd}`);
  if (cfg.token) {
    lines.push('auth:', '  token:', `    realm: ${cfg.token.realm}`, `    service: ${cfg.token.service}`, `    issuer: ${cfg.token.issuer}`, `    rootcertbundle: ${cfg.token.rootCert}`);
  }
  if (cfg.redirectTo) lines.push('middleware:', '  storage:', '    - name: redirect', '      options:', `        baseurl: ${cfg.redirectTo}`);
  return `${lines.join('\n')}\n`;
}

function probe(port: number, ca?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const mod = ca ? https : http;
    const req = mod.get({ host: '127.0.0.1', port, path: '/v2/', ca: ca ? fs.readFileSync(ca) : undefined, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 || res.statusCode === 401);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

export async function startRegistry(cfg: RegistryConfig): Promise<Registry> {
  fs.mkdirSync(cfg.dir, { recursive: true });
  const dataDir = path.join(cfg.dir, 'data');
  let lastErr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(cfg.dir, 'config.yml');
    fs.writeFileSync(config, yaml(cfg, port, dataDir));
    const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    let exited = false;
    child.on('exit', () => (exited = true));
    const deadline = Date.now() + 15_000;
    while (!exited && Date.now() < deadline) {
      if (await probe(port, cfg.tls?.ca)) {
        return {
          host: `127.0.0.1:${port}`,
          port,
          dataDir,
          blobFile: (digest) => path.join(dataDir, 'docker/registry/v2/blobs/sha256', digest.slice(7, 9), digest.slice(7), 'data'),
          stop: async () => {
            if (!exited) {
              child.kill('SIGKILL');
              await new Promise((r) => child.once('exit', r));
            }
          },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    lastErr = stderr.slice(-2000);
  }
  throw new Error(`docker-registry did not start: ${lastErr}`);
}
