// Helpers for the build tests: a context directory made from a map of files, and a look into
// the built image's files (through `pman run`, as a user would).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestEnv } from '../harness.js';

/** Writes files (path -> content; a trailing "/" makes a directory) under a new context dir. */
export function makeContext(env: TestEnv, name: string, files: Record<string, string>): string {
  const dir = path.join(env.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, body] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (rel.endsWith('/')) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, body);
    }
  }
  return dir;
}

/** Runs a shell command in a throwaway container of the image and returns its output. */
export async function inImage(env: TestEnv, image: string, script: string): Promise<string> {
  return env.ok(['run', '--rm', '--entrypoint', 'sh', image, '-c', script]);
}

/** The image's config as `pman image inspect` shows it. */
export async function imageConfig(env: TestEnv, image: string): Promise<Record<string, unknown>> {
  const out = JSON.parse(await env.ok(['image', 'inspect', image])) as Array<{ Config: Record<string, unknown> }>;
  return out[0].Config;
}

/** No build container is left behind (pman ps -a is empty). */
export async function noContainers(env: TestEnv): Promise<boolean> {
  return (await env.ok(['ps', '-a', '-q'])).trim() === '';
}

/** The image's whole config blob (with the docker-only fields image inspect leaves out), from `pman save`. */
export async function configBlob(env: TestEnv, image: string): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(env.dir, 'saved-'));
  await env.ok(['save', '-o', path.join(work, 'image.tar'), image]);
  execFileSync('tar', ['-xf', path.join(work, 'image.tar'), '-C', work]);
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'manifest.json'), 'utf8')) as Array<{ Config: string }>;
  return JSON.parse(fs.readFileSync(path.join(work, manifest[0].Config), 'utf8')) as Record<string, unknown>;
}

/** The manifest the store keeps for an image, as `save --format oci-archive` hands it out. */
export async function storedManifest(env: TestEnv, image: string): Promise<{ mediaType: string; config: { mediaType: string }; layers: Array<{ mediaType: string }> }> {
  const work = fs.mkdtempSync(path.join(env.dir, 'saved-oci-'));
  await env.ok(['save', '--format', 'oci-archive', '-o', path.join(work, 'image.tar'), image]);
  execFileSync('tar', ['-xf', path.join(work, 'image.tar'), '-C', work]);
  const index = JSON.parse(fs.readFileSync(path.join(work, 'index.json'), 'utf8')) as { manifests: Array<{ mediaType: string; digest: string }> };
  return JSON.parse(fs.readFileSync(path.join(work, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'));
}

