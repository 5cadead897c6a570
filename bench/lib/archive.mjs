// The image archives the load benchmark loads: several layers of generated files (many small
// ones as in a real root filesystem, a few large ones; half random bytes, half repetitive text),
// the first on top of the busybox rootfs, written the way `podman save` writes them
// (docker-archive, plain layers) and the way `podman save --format oci-archive` does (gzip layers).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { run } from './proc.mjs';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');

function content(n, i) {
  if (i % 2 === 0) return randomBytes(n);
  const lines = [];
  let len = 0;
  for (let j = 0; len < n; j++) {
    const line = `${i}-${j} ${WORDS[(j * 7 + i) % WORDS.length]} ${WORDS[(j * 13 + i) % WORDS.length]} ${(j * 2654435761) % 1000003}\n`;
    lines.push(line);
    len += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, n);
}

/** Half the bytes in files of 4-32 KiB (in directories of 100), half in 4 MiB files. */
function writeLayerFiles(dir, bytes, layer) {
  let small = Math.floor(bytes / 2);
  let big = bytes - small;
  for (let i = 0; small > 0; i++) {
    const n = Math.min(small, 4096 * (1 + ((i * 7919 + layer) % 8)));
    const sub = path.join(dir, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}`), content(n, i));
    small -= n;
  }
  for (let i = 0; big > 0; i++) {
    const n = Math.min(big, 4 * 1024 * 1024);
    fs.writeFileSync(path.join(dir, `big-${i}`), content(n, i + layer));
    big -= n;
  }
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

function tarDir(out, dir, members) {
  run(['tar', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', out, '-C', dir, ...members]);
}

/**
 * Writes dir/docker-archive.tar and dir/oci-archive.tar of one image named `name`, `layers`
 * layers of about `totalBytes` uncompressed in all. Returns { dockerArchive, ociArchive, id, uncompressed, compressed, files }.
 */
export function buildLoadArchives({ dir, tarball, layers, totalBytes, name, log }) {
  const docker = path.join(dir, 'docker');
  const oci = path.join(dir, 'oci');
  fs.mkdirSync(docker, { recursive: true });
  fs.mkdirSync(path.join(oci, 'blobs', 'sha256'), { recursive: true });
  const per = Math.floor(totalBytes / layers);
  const diffIds = [];
  const gzDescs = [];
  let uncompressed = 0;
  let compressed = 0;
  let files = 0;
  for (let i = 0; i < layers; i++) {
    const root = path.join(dir, `layer-${i}`);
    writeLayerFiles(path.join(root, `data${i}`), per, i);
    files += Number(run(['sh', '-c', `find "${root}" | wc -l`], { capture: true }).stdout.trim());
    const tarFile = path.join(dir, `layer-${i}.tar`);
    if (i === 0) {
      fs.copyFileSync(tarball, tarFile);
      run(['tar', '--append', '--owner=0', '--group=0', '--numeric-owner', '-f', tarFile, '-C', root, `data${i}`]);
    } else tarDir(tarFile, root, [`data${i}`]);
    fs.rmSync(root, { recursive: true, force: true });
    const tar = fs.readFileSync(tarFile);
    const diff = sha(tar);
    diffIds.push(`sha256:${diff}`);
    fs.renameSync(tarFile, path.join(docker, `${diff}.tar`));
    const gz = zlib.gzipSync(tar, { level: 6 });
    const digest = sha(gz);
    fs.writeFileSync(path.join(oci, 'blobs', 'sha256', digest), gz);
    gzDescs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${digest}`, size: gz.length });
    uncompressed += tar.length;
    compressed += gz.length;
    log(`load: layer ${i + 1}/${layers}: ${(tar.length / 1048576).toFixed(0)} MiB, ${(gz.length / 1048576).toFixed(0)} MiB gzipped`);
  }
  const config = Buffer.from(JSON.stringify({
    created: '2024-01-01T00:00:00Z', architecture: 'amd64', os: 'linux',
    config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_, i) => ({ created: '2024-01-01T00:00:00Z', created_by: `layer ${i}` })),
  }));
  const id = sha(config);
  fs.writeFileSync(path.join(docker, `${id}.json`), config);
  fs.writeFileSync(path.join(docker, 'manifest.json'), JSON.stringify([{ Config: `${id}.json`, RepoTags: [name], Layers: diffIds.map((d) => `${d.slice(7)}.tar`) }]));
  fs.writeFileSync(path.join(oci, 'blobs', 'sha256', id), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${id}`, size: config.length }, layers: gzDescs,
  }));
  fs.writeFileSync(path.join(oci, 'blobs', 'sha256', sha(manifest)), manifest);
  fs.writeFileSync(path.join(oci, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  fs.writeFileSync(path.join(oci, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': name } }] }));
  const dockerArchive = path.join(dir, 'docker-archive.tar');
  const ociArchive = path.join(dir, 'oci-archive.tar');
  tarDir(dockerArchive, docker, fs.readdirSync(docker).sort());
  tarDir(ociArchive, oci, ['oci-layout', 'index.json', 'blobs']);
  fs.rmSync(docker, { recursive: true, force: true });
  fs.rmSync(oci, { recursive: true, force: true });
  return { dockerArchive, ociArchive, id, uncompressed, compressed, files };
}
