// A container's files over the API: archive get (a tar of a path, with its stat in a header),
// archive put (a tar unpacked into a directory: hostile input, through `pman cp -`'s extractor),
// and changes (the container's upper layer against its image).
import fs from 'node:fs';
import path from 'node:path';
import { copyFiles, statContainerPath } from '../container/cp.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { resolveContainer } from '../state/containers.js';
import type { Call } from './call.js';
import { ApiError } from './http.js';
import { route, type Route } from './router.js';

function pathQuery(call: Call): string {
  const p = call.query.get('path');
  if (!p) throw new ApiError(400, 'missing path: give the path inside the container as ?path=');
  return p;
}

/** Docker's X-Docker-Container-Path-Stat: base64 of {name, size, mode (Go's FileMode bits), mtime, linkTarget}. */
async function statHeader(call: Call, p: string): Promise<string> {
  const rec = resolveContainer(call.ctx, call.params[0]);
  const { stat, linkTarget } = await statContainerPath(call.ctx, rec.id, p);
  if (!stat) throw new ApiError(404, `could not find the file ${p} in container ${rec.name}`);
  return Buffer.from(JSON.stringify({ name: path.posix.basename(p) || '/', size: stat.size, mode: goFileMode(stat), mtime: stat.mtime.toISOString(), linkTarget })).toString('base64');
}

/** Go's os.FileMode bits of a file (Go's type bits, not the kernel's), by Go's bit numbers. */
const GO_MODE_BITS: Array<[(st: fs.Stats) => boolean, number]> = [
  [(st) => st.isDirectory(), 31],
  [(st) => st.isSymbolicLink(), 27],
  [(st) => st.isBlockDevice() || st.isCharacterDevice(), 26],
  [(st) => st.isFIFO(), 25],
  [(st) => st.isSocket(), 24],
  [(st) => (st.mode & 0o4000) !== 0, 23],
  [(st) => (st.mode & 0o2000) !== 0, 22],
  [(st) => st.isCharacterDevice(), 21],
  [(st) => (st.mode & 0o1000) !== 0, 20],
];

/**
 * A stat's mode as Go's os.FileMode, the unsigned number the docker CLI decodes (a directory has
 * bit 31: JavaScript's bitwise operators would make that a negative number, which the CLI cannot
 * decode, and `docker cp DIR ctr:/existing-dir` would then copy DIR's contents instead of DIR).
 */
export function goFileMode(st: fs.Stats): number {
  return GO_MODE_BITS.reduce((mode, [is, bit]) => (is(st) ? mode + 2 ** bit : mode), st.mode & 0o777);
}

async function head(call: Call): Promise<void> {
  const header = await statHeader(call, pathQuery(call));
  call.headers({ 'X-Docker-Container-Path-Stat': header });
  call.empty(200);
}

async function get(call: Call): Promise<void> {
  const p = pathQuery(call);
  const header = await statHeader(call, p);
  call.headers({ 'X-Docker-Container-Path-Stat': header });
  const out = call.stream('application/x-tar');
  await copyFiles(call.ctx, { source: `${call.params[0]}:${p}`, destination: '-', archive: true, stdout: out }, '/');
  out.end();
}

async function put(call: Call): Promise<void> {
  const p = pathQuery(call);
  await copyFiles(call.ctx, { source: '-', destination: `${call.params[0]}:${p}`, archive: true, stdin: call.bodyStream() }, '/');
  call.empty(200);
}

/** Kind: 0 modified, 1 added, 2 deleted (an overlay whiteout). */
async function changes(call: Call): Promise<void> {
  const rec = resolveContainer(call.ctx, call.params[0]);
  const upper = rootfsPaths(call.ctx, rec.id).upper;
  const out: Array<{ Path: string; Kind: number }> = [];
  const inLower = (rel: string) => rec.layers.some((l) => fs.existsSync(path.join(l, rel)));
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(upper, rel)).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const r = path.posix.join(rel, n);
      const st = fs.lstatSync(path.join(upper, r));
      if (st.isCharacterDevice() && st.rdev === 0) out.push({ Path: `/${r}`, Kind: 2 });
      else {
        out.push({ Path: `/${r}`, Kind: inLower(r) ? 0 : 1 });
        if (st.isDirectory()) walk(r);
      }
    }
  };
  walk('');
  call.json(200, out.length ? out : null);
}

export function archiveRoutes(): Route[] {
  return [
    route('HEAD', '/containers/{id}/archive', head),
    route('GET', '/containers/{id}/archive', get),
    route('PUT', '/containers/{id}/archive', put),
    route('GET', '/containers/{id}/changes', changes),
  ];
}
