// The image config blob (config.md) as pman keeps it: the runtime defaults copied into the
// image record with their types checked (the config comes from a registry: hostile input), and
// the diff IDs that every downloaded layer must match.
import type { ImageConfigSpec } from '../image/image-record.js';
import { RegistryError } from './registry-error.js';

export interface ParsedConfig {
  created: string;
  architecture: string;
  os: string;
  variant?: string;
  config: ImageConfigSpec;
  diffIds: string[];
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isObjectMap = (v: unknown): v is Record<string, object> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));

function runtimeDefaults(c: unknown): ImageConfigSpec {
  if (typeof c !== 'object' || c === null) return {};
  const s = c as Record<string, unknown>;
  const out: ImageConfigSpec = {};
  if (typeof s.User === 'string') out.User = s.User;
  if (isStrings(s.Env)) out.Env = s.Env;
  if (s.Entrypoint === null || isStrings(s.Entrypoint)) out.Entrypoint = s.Entrypoint;
  if (s.Cmd === null || isStrings(s.Cmd)) out.Cmd = s.Cmd;
  if (typeof s.WorkingDir === 'string') out.WorkingDir = s.WorkingDir;
  if (s.Labels === null) out.Labels = null;
  else if (typeof s.Labels === 'object' && !Array.isArray(s.Labels) && Object.values(s.Labels as object).every((v) => typeof v === 'string')) {
    out.Labels = s.Labels as Record<string, string>;
  }
  if (typeof s.StopSignal === 'string') out.StopSignal = s.StopSignal;
  if (isObjectMap(s.ExposedPorts)) out.ExposedPorts = s.ExposedPorts;
  if (isObjectMap(s.Volumes)) out.Volumes = s.Volumes;
  return out;
}

export function parseImageConfig(bytes: Buffer, what: string, layerCount: number): ParsedConfig {
  let doc: Record<string, unknown>;
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    doc = v as Record<string, unknown>;
  } catch {
    throw new RegistryError('invalid', `invalid image config of ${what}: not a JSON object`);
  }
  const rootfs = doc.rootfs as { diff_ids?: unknown } | undefined;
  const diffIds = rootfs?.diff_ids;
  if (!isStrings(diffIds) || !diffIds.every((d) => DIGEST_RE.test(d))) {
    throw new RegistryError('invalid', `invalid image config of ${what}: rootfs.diff_ids is missing or not a list of sha256 digests`);
  }
  if (diffIds.length !== layerCount) {
    throw new RegistryError('invalid', `invalid image of ${what}: the manifest has ${layerCount} layers but the config lists ${diffIds.length} diff IDs`);
  }
  return {
    created: typeof doc.created === 'string' ? doc.created : '1970-01-01T00:00:00Z',
    architecture: typeof doc.architecture === 'string' ? doc.architecture : '',
    os: typeof doc.os === 'string' ? doc.os : '',
    variant: typeof doc.variant === 'string' ? doc.variant : undefined,
    config: runtimeDefaults(doc.config),
    diffIds,
  };
}
