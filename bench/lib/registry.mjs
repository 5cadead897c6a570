// A throw-away docker-registry on a loopback port for the pull benchmark, and the image it serves:
// several layers of generated files (half random bytes, half repetitive text, so gzip has real
// work but cannot shrink everything), written as an OCI layout and copied in with skopeo.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { BenchError, run } from './proc.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function probe(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Starts docker-registry (plain HTTP) with its storage under dir; resolves to { host, stop }. */
export async function startRegistry(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, [
    'version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:', `  addr: 127.0.0.1:${port}`, '',
  ].join('\n'));
  let child;
  try {
    child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  } catch (e) {
    throw new BenchError(`Cannot start docker-registry: ${e.message} (apt-get install docker-registry)`);
  }
  let exited = false;
  child.on('exit', () => { exited = true; });
  child.on('error', () => { exited = true; });
  const deadline = Date.now() + 15_000;
  while (!exited && Date.now() < deadline) {
    if (await probe(port)) {
      return {
        host: `127.0.0.1:${port}`,
        stop() { if (!exited) child.kill('SIGKILL'); },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new BenchError('Cannot start docker-registry: it did not answer on /v2/ within 15 s (is the package docker-registry installed?)');
}

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');

/** A layer's files: `bytes` in total, 4 MiB each, alternating random and text. */
function writeLayerFiles(dir, bytes, seed) {
  fs.mkdirSync(dir, { recursive: true });
  const fileSize = 4 * 1024 * 1024;
  let left = bytes;
  for (let i = 0; left > 0; i++) {
    const n = Math.min(fileSize, left);
    let data;
    if (i % 2 === 0) data = randomBytes(n);
    else {
      const lines = [];
      let len = 0;
      for (let j = 0; len < n; j++) {
        const line = `${seed}-${i}-${j} ${WORDS[(j * 7 + seed) % WORDS.length]} ${WORDS[(j * 13 + i) % WORDS.length]} ${j * 2654435761 % 1000003}\n`;
        lines.push(line);
        len += line.length;
      }
      data = Buffer.from(lines.join('')).subarray(0, n);
    }
    fs.writeFileSync(path.join(dir, `file-${String(i).padStart(3, '0')}`), data);
    left -= n;
  }
}

const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * Builds an OCI layout with `layers` gzip layers totalling about `totalBytes` uncompressed (the
 * first holds the busybox rootfs too) and copies it to `dest` with skopeo. Returns sizes.
 */
export function seedImage({ dir, tarball, layers, totalBytes, dest, log }) {
  const layout = path.join(dir, 'layout');
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  const per = Math.floor(totalBytes / layers);
  const descs = [];
  const diffIds = [];
  let compressed = 0;
  for (let i = 0; i < layers; i++) {
    const root = path.join(dir, `layer-${i}`);
    writeLayerFiles(path.join(root, `data${i}`), per, i + 1);
    const tarFile = path.join(dir, `layer-${i}.tar`);
    if (i === 0) {
      fs.copyFileSync(tarball, tarFile);
      run(['tar', '--append', '-f', tarFile, '-C', root, `data${i}`]);
    } else {
      run(['tar', '-cf', tarFile, '-C', root, `data${i}`]);
    }
    const tar = fs.readFileSync(tarFile);
    const gz = zlib.gzipSync(tar, { level: 6 });
    const digest = sha(gz);
    fs.writeFileSync(path.join(layout, 'blobs', 'sha256', digest.slice(7)), gz);
    descs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: gz.length });
    diffIds.push(sha(tar));
    compressed += gz.length;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(tarFile);
    log(`pull: layer ${i + 1}/${layers}: ${(tar.length / 1048576).toFixed(0)} MiB, ${(gz.length / 1048576).toFixed(0)} MiB gzipped`);
  }
  const config = Buffer.from(JSON.stringify({
    created: '2024-01-01T00:00:00Z', architecture: 'amd64', os: 'linux',
    config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds },
  }));
  const configDigest = sha(config);
  fs.writeFileSync(path.join(layout, 'blobs', 'sha256', configDigest.slice(7)), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers: descs,
  }));
  const manifestDigest = sha(manifest);
  fs.writeFileSync(path.join(layout, 'blobs', 'sha256', manifestDigest.slice(7)), manifest);
  fs.writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }));
  run(['skopeo', 'copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${dest}`], { timeoutMs: 600_000 });
  fs.rmSync(layout, { recursive: true, force: true });
  return { compressed, uncompressed: per * layers, configId: configDigest.slice(7) };
}
