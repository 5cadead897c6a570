// What --secret adds to a container's spec (docs/secrets.md): resolved to the store's secrets at
// create (resolveSecretRequests), then at bundle time each mount secret is copied into the
// container's directory with its uid, gid and mode and bind-mounted read-only, and each env
// secret becomes a variable of the process. The copy is the container's own: replacing or
// removing the secret afterwards does not change it (so removal is allowed while containers use it, as in podman).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { readSecretData, resolveSecret } from '../secret/secrets.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerDir } from '../state/paths.js';
import type { SecretRef } from '../state/secret-ref-schema.js';
import type { SecretRequest } from './parse/secrets.js';

export function resolveSecretRequests(ctx: Context, reqs: SecretRequest[]): SecretRef[] {
  return reqs.map(({ source, ...r }) => {
    const s = resolveSecret(ctx, source);
    return { ...r, id: s.id, name: s.name };
  });
}

interface SpecShape {
  process?: { env?: string[] };
  mounts?: Array<{ destination: string; type: string; source: string; options: string[] }>;
}

/** Writes the mount secrets' files and adds them and the env secrets to spec (in place). */
export function applySecrets<T extends object>(ctx: Context, spec: T, rec: ContainerRecord): T {
  const refs = rec.config.secrets ?? [];
  if (!refs.length) return spec;
  const s = spec as SpecShape;
  const dir = path.join(containerDir(ctx, rec.id), 'secrets');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o700 });
  for (const [i, ref] of refs.entries()) {
    const data = readSecretData(ctx, resolveSecret(ctx, ref.id));
    if (ref.type === 'env') {
      s.process ??= {};
      s.process.env = [...(s.process.env ?? []).filter((e) => !e.startsWith(`${ref.target}=`)), `${ref.target}=${data.toString('utf8')}`];
      continue;
    }
    const file = path.join(dir, String(i));
    fs.writeFileSync(file, data, { mode: 0o600 });
    fs.chownSync(file, ref.uid ?? 0, ref.gid ?? 0);
    fs.chmodSync(file, ref.mode ?? 0o444);
    s.mounts = [...(s.mounts ?? []).filter((m) => m.destination !== ref.target), { destination: ref.target, type: 'bind', source: file, options: ['bind', 'ro', 'nosuid', 'nodev', 'noexec', 'rprivate'] }];
  }
  // The container's processes pass through dir to reach their files (mode 0700 would stop a non-root uid).
  fs.chmodSync(dir, 0o711);
  return spec;
}
