// `pman system reset`: removes every container (stopped by force), then the whole persistent and
// runtime state directories — images, volumes, networks, names, locks — as podman's reset does.
// Refused while anything under them is still mounted, so it can never delete through a mount.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { PmanError } from '../errors.js';
import { removeContainer } from '../container/remove.js';
import { releaseDefaultBridge } from '../network/bridge-keeper.js';
import { listContainers } from '../state/containers.js';

function mountsUnder(dirs: string[]): string[] {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  } catch {
    return [];
  }
  const targets = lines.map((l) => l.split(' ')[4]).filter(Boolean);
  return targets.filter((t) => dirs.some((d) => t === d || t.startsWith(`${d}/`)));
}

export async function systemReset(ctx: Context): Promise<{ errors: Error[] }> {
  const errors: Error[] = [];
  for (const rec of listContainers(ctx)) {
    try {
      await removeContainer(ctx, rec.id, { force: true, timeout: 0, volumes: true, depend: true });
    } catch (err) {
      errors.push(err as Error);
    }
  }
  const dirs = [ctx.root, ctx.runroot];
  const mounted = mountsUnder(dirs);
  if (mounted.length > 0) {
    throw new PmanError('system', `cannot reset: "${mounted[0]}" is still mounted${errors.length ? ` (${errors[0].message})` : ''}: stop what uses it and run "pman system reset" again`);
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await releaseDefaultBridge(ctx).catch((err) => errors.push(err as Error));
  return { errors };
}
