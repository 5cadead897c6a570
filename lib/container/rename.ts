// `pman rename CONTAINER NEWNAME`: the name is the reservation symlink names/<name>; the new one is
// reserved first (atomic, so two renames to one name cannot both win), then the record, then the
// old reservation goes. A running container keeps running, as in podman.
import type { Context } from '../context.js';
import { ConflictError } from '../errors.js';
import fs from 'node:fs';
import path from 'node:path';
import { loadContainer, releaseName, reserveName, resolveContainer, updateContainer } from '../state/containers.js';
import { containerDir } from '../state/paths.js';
import { containerEnv } from './bundle.js';

export async function renameContainer(ctx: Context, ref: string, newName: string): Promise<void> {
  const { id, name } = resolveContainer(ctx, ref);
  if (name === newName) throw new ConflictError(`the container name "${newName}" is already in use by ${id.slice(0, 12)}: choose another name`);
  reserveName(ctx, newName, id);
  let old: string | undefined;
  try {
    await updateContainer(ctx, id, (rec) => {
      old = rec.name;
      rec.name = newName;
    });
  } catch (err) {
    releaseName(ctx, newName, id);
    throw err;
  }
  if (old !== undefined) releaseName(ctx, old, id);
  // /run/.containerenv names the container: a running one sees the new name at once (a bind of the file).
  const envFile = path.join(containerDir(ctx, id), 'containerenv');
  if (fs.existsSync(envFile)) fs.writeFileSync(envFile, containerEnv(ctx, loadContainer(ctx, id)));
}
