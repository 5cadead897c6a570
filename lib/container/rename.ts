// `pman rename CONTAINER NEWNAME`: the name is the reservation symlink names/<name>; the new one is
// reserved first (atomic, so two renames to one name cannot both win), then the record, then the
// old reservation goes. A running container keeps running, as in podman.
import type { Context } from '../context.js';
import { ConflictError } from '../errors.js';
import { releaseName, reserveName, resolveContainer, updateContainer } from '../state/containers.js';

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
}
