// What setup was given for a wired container (netns/<id>.json): written before setup runs, so
// whoever tears down replays exactly those options (lib/network/wiring.ts).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { writeJsonAtomic } from '../state/atomic.js';
import type { NetavarkOptions, NetavarkStatus, PortMapping } from './netavark.js';
import { netSetupFile } from './network-paths.js';
import type { UserModeHelper } from './user-mode/helper.js';

export interface SetupRecord {
  netns: string;
  options: NetavarkOptions;
  status?: NetavarkStatus;
  /** A user-mode stack (pasta, slirp4netns) uplinks the namespace instead of netavark. */
  userMode?: UserModeHelper;
  /** Rootless bridge networks: the ports published through the user network namespace's uplink, and its forwards' ids. */
  forwards?: { ports: PortMapping[]; ids: number[] };
  /** netavark's --config directory when --network-config-dir chose it: its teardown and rewiring use it too. */
  configDir?: string;
}

/** The context netavark is run with for this wired container: the config directory its setup had. */
export function wiredContext(ctx: Context, setup: SetupRecord): Context {
  const own = ctx.engine?.networkConfigDir;
  if (setup.configDir === own) return ctx;
  return { ...ctx, engine: { ...ctx.engine, networkConfigDir: setup.configDir } };
}

/** What setup was given for a wired container, or undefined when it is not wired. */
export function readSetup(ctx: Context, id: string): SetupRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(netSetupFile(ctx, id), 'utf8')) as SetupRecord;
  } catch {
    return undefined;
  }
}

/**
 * netavark's answer for a wired container (empty when it is not wired). Here rather than in
 * wiring.ts: `inspect` reads it, and loading wiring.ts's network modules cost it a few ms.
 */
export function wiredStatus(ctx: Context, id: string): NetavarkStatus {
  return readSetup(ctx, id)?.status ?? {};
}

export function writeSetup(ctx: Context, id: string, setup: SetupRecord): void {
  writeJsonAtomic(netSetupFile(ctx, id), setup);
}
