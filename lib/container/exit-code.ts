// `pman wait`: a container's exit code once it has stopped, also for a --rm container that is
// already removed (its shim keeps the code in the runtime directory for this).
import fs from 'node:fs';
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { recordPath } from '../state/containers.js';
import { ID_RE } from '../state/ids.js';
import { exitCodeFile } from '../state/paths.js';
import { waitForExit, type Heard } from './wait.js';

/** The exit code a --rm container's shim kept when it removed the container, if any. */
function keptExitCode(ctx: Context, id: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(exitCodeFile(ctx, id), 'utf8').trim();
  } catch {
    return undefined;
  }
  return /^-?[0-9]+$/.test(text) ? Number(text) : undefined;
}

/** For the full ID of a container already removed by --rm: the exit code its shim kept. */
export function removedExitCode(ctx: Context, ref: string): number | undefined {
  if (!ID_RE.test(ref) || fs.existsSync(recordPath(ctx, ref))) return undefined;
  return keptExitCode(ctx, ref);
}

/** Waits until the container has stopped and returns its exit code (-1 when none is known). */
export async function waitExitCode(ctx: Context, rec: ContainerRecord): Promise<number> {
  const heard: Heard = {};
  const after = await waitForExit(ctx, rec.id, -1, heard);
  if (after) return after.state.exitCode;
  // Removed meanwhile by --rm: its Exit frame said the code, or (nobody was connected to hear it)
  // its shim kept it.
  return heard.exitCode ?? keptExitCode(ctx, rec.id) ?? -1;
}
