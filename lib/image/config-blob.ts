// The OCI image config blob (the JSON whose sha256 is the image ID), read from untrusted
// archives: checked for the fields pman relies on, and reduced to what the image record keeps.
import { InvalidArgumentError } from '../errors.js';
import type { ImageConfigSpec } from './image-record.js';

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfigBlob {
  created?: string;
  author?: string;
  architecture?: string;
  os?: string;
  variant?: string;
  config?: Record<string, unknown>;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [key: string]: unknown;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');
const isObjectMap = (v: unknown): v is Record<string, object> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'object' && s !== null);

/** Parses and checks a config blob; `what` names it in errors. */
export function parseConfigBlob(bytes: Buffer, what: string): ImageConfigBlob {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  const bad = (why: string) => new InvalidArgumentError(`${what} is not an image config: ${why}`);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('it is not a JSON object');
  const c = doc as Record<string, unknown>;
  const rootfs = c.rootfs as { type?: unknown; diff_ids?: unknown } | undefined;
  if (typeof rootfs !== 'object' || rootfs === null) throw bad('it has no "rootfs"');
  if (rootfs.type !== 'layers') throw bad(`its rootfs type is ${JSON.stringify(rootfs.type)}, not "layers"`);
  if (!isStringArray(rootfs.diff_ids ?? [])) throw bad('its rootfs.diff_ids is not a list of digests');
  for (const d of (rootfs.diff_ids ?? []) as string[]) {
    if (!DIGEST_RE.test(d)) throw bad(`its diff ID ${JSON.stringify(d)} is not a sha256 digest`);
  }
  for (const k of ['created', 'author', 'architecture', 'os', 'variant'] as const) {
    if (c[k] !== undefined && typeof c[k] !== 'string') throw bad(`its "${k}" is not a string`);
  }
  if (c.config !== undefined && c.config !== null && (typeof c.config !== 'object' || Array.isArray(c.config))) throw bad('its "config" is not an object');
  if (c.history !== undefined && c.history !== null && !Array.isArray(c.history)) throw bad('its "history" is not a list');
  return { ...c, rootfs: { type: 'layers', diff_ids: (rootfs.diff_ids ?? []) as string[] }, config: (c.config ?? undefined) as Record<string, unknown> | undefined } as ImageConfigBlob;
}

/** The runtime defaults the image record keeps; fields of the wrong type are left out. */
export function runtimeConfig(raw: Record<string, unknown> | undefined): ImageConfigSpec {
  const out: ImageConfigSpec = {};
  if (!raw) return out;
  if (typeof raw.User === 'string') out.User = raw.User;
  if (isStringArray(raw.Env)) out.Env = raw.Env;
  if (raw.Entrypoint === null || isStringArray(raw.Entrypoint)) out.Entrypoint = raw.Entrypoint;
  if (raw.Cmd === null || isStringArray(raw.Cmd)) out.Cmd = raw.Cmd;
  if (typeof raw.WorkingDir === 'string') out.WorkingDir = raw.WorkingDir;
  if (raw.Labels === null || isStringMap(raw.Labels)) out.Labels = raw.Labels;
  if (typeof raw.StopSignal === 'string') out.StopSignal = raw.StopSignal;
  if (isObjectMap(raw.ExposedPorts)) out.ExposedPorts = raw.ExposedPorts;
  if (isObjectMap(raw.Volumes)) out.Volumes = raw.Volumes;
  return out;
}

/** The docker format's health check (durations in nanoseconds), as the config blob holds it. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** The config fields only the docker format has (a build sets them with --format docker). */
export interface DockerOnlyConfig {
  Healthcheck?: HealthConfig;
  Shell?: string[];
  OnBuild?: string[];
}

/** Those fields of a config ("config" of the blob); fields of the wrong type are left out. */
export function dockerOnlyConfig(raw: Record<string, unknown> | undefined): DockerOnlyConfig {
  const out: DockerOnlyConfig = {};
  if (!raw) return out;
  const hc = raw.Healthcheck;
  if (typeof hc === 'object' && hc !== null && !Array.isArray(hc)) {
    const h = hc as Record<string, unknown>;
    const health: HealthConfig = {};
    if (isStringArray(h.Test)) health.Test = h.Test;
    for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) if (typeof h[k] === 'number') health[k] = h[k];
    out.Healthcheck = health;
  }
  if (isStringArray(raw.Shell)) out.Shell = raw.Shell;
  if (isStringArray(raw.OnBuild)) out.OnBuild = raw.OnBuild;
  return out;
}

/** History entries that are well-formed objects (others are dropped). */
export function historyOf(config: ImageConfigBlob): HistoryEntry[] {
  return (config.history ?? []).filter((h): h is HistoryEntry => typeof h === 'object' && h !== null && !Array.isArray(h));
}
