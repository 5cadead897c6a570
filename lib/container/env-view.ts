// inspect's .Config.Env: the environment the container's process gets, as podman shows its spec's
// (image env, the given variables and the defaults), not only the variables given at create.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { processEnv } from '../oci/spec.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerDir } from '../state/paths.js';

/**
 * The process environment of the container's config.json (written at create, so it holds what
 * --unsetenv and the resolved user's HOME made of it); without a readable one, the record's
 * environment with the defaults that need no user resolved.
 */
export function envView(ctx: Context, rec: ContainerRecord): string[] {
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(containerDir(ctx, rec.id), 'config.json'), 'utf8')) as { process?: { env?: unknown } };
    const env = spec.process?.env;
    if (Array.isArray(env) && env.every((e) => typeof e === 'string')) return env as string[];
  } catch {
    /* no bundle (yet): computed below */
  }
  return processEnv(rec);
}
