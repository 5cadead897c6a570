// The storage flags of create/run (-v, --mount, --tmpfs) parsed into normalised MountConfigs. Pure:
// no file is looked at here (a bind source's existence is checked by the caller), so every syntax
// error is found before anything is created.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import type { MountConfig } from '../../state/container-record.js';
import { NAME_RE } from '../../state/ids.js';

const PROPAGATIONS = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'unbindable', 'runbindable'];
/** Pairs of words where at most one may be given. */
const EXCLUSIVE: Array<[string[], string]> = [
  [['ro', 'rw'], 'ro and rw'],
  [['z', 'Z'], 'z and Z'],
  [['bind', 'rbind'], 'bind and rbind'],
  [['nosuid', 'suid'], 'nosuid and suid'],
  [['nodev', 'dev'], 'nodev and dev'],
  [['noexec', 'exec'], 'noexec and exec'],
  [['copy', 'nocopy'], 'copy and nocopy'],
  [['tmpcopyup', 'notmpcopyup'], 'tmpcopyup and notmpcopyup'],
  [PROPAGATIONS, 'more than one propagation mode'],
];
const COMMON_WORDS = ['ro', 'rw', 'nosuid', 'suid', 'nodev', 'dev', 'noexec', 'exec', ...PROPAGATIONS];
const WORDS: Record<MountConfig['type'], string[]> = {
  bind: [...COMMON_WORDS, 'z', 'Z', 'U', 'bind', 'rbind', 'idmap'],
  volume: [...COMMON_WORDS, 'z', 'Z', 'U', 'bind', 'rbind', 'copy', 'nocopy', 'idmap'],
  tmpfs: [...COMMON_WORDS, 'U', 'tmpcopyup', 'notmpcopyup', 'strictatime', 'relatime', 'noatime', 'atime'],
};
const TMPFS_KEYS = ['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks'];
const UNSUPPORTED: Record<string, string> = {
  O: 'overlay volumes (O) are not supported',
};

/** An absolute, normalised container path (no trailing slash). */
export function containerPath(p: string, flag: string, spec: string): string {
  if (!p) throw new InvalidArgumentError(`invalid ${flag} "${spec}": the container path is empty`);
  if (!p.startsWith('/')) throw new InvalidArgumentError(`invalid ${flag} "${spec}": the container path "${p}" must be absolute`);
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Checks option words for a mount type: known, not duplicated, no contradictions. */
export function checkOptions(type: MountConfig['type'], options: string[], flag: string, spec: string): string[] {
  const seen = new Set<string>();
  for (const o of options) {
    const key = o.includes('=') ? o.slice(0, o.indexOf('=')) : o;
    if (UNSUPPORTED[o]) throw new InvalidArgumentError(`invalid ${flag} "${spec}": ${UNSUPPORTED[o]}`);
    if (type === 'tmpfs' && o.includes('=')) {
      if (!TMPFS_KEYS.includes(key)) throw new InvalidArgumentError(`invalid ${flag} "${spec}": unknown tmpfs option "${key}"`);
      checkTmpfsValue(key, o.slice(key.length + 1), flag, spec);
    } else if (!WORDS[type].includes(o)) {
      throw new InvalidArgumentError(`invalid ${flag} "${spec}": unknown option "${o}" for a ${type} mount`);
    }
    if (seen.has(key)) throw new InvalidArgumentError(`invalid ${flag} "${spec}": option "${key}" given twice`);
    seen.add(key);
  }
  for (const [group, what] of EXCLUSIVE) {
    if (options.filter((o) => group.includes(o)).length > 1) throw new InvalidArgumentError(`invalid ${flag} "${spec}": ${what} cannot be combined`);
  }
  return options;
}

function checkTmpfsValue(key: string, value: string, flag: string, spec: string): void {
  const ok =
    key === 'size' ? /^[0-9]+[kKmMgG%]?$/.test(value) : key === 'mode' ? /^[0-7]{1,4}$/.test(value) : /^[0-9]+[kKmMgG]?$/.test(value);
  if (!ok) throw new InvalidArgumentError(`invalid ${flag} "${spec}": bad value "${value}" for tmpfs option "${key}"`);
}

function splitOptions(s: string | undefined): string[] {
  return s === undefined ? [] : s.split(',').filter((o) => o !== '');
}

/** A -v source: a host path (starts with / or .) or a volume name. */
function volumeSource(src: string, cwd: string, spec: string): { type: 'bind' | 'volume'; source: string } {
  if (src.startsWith('/') || src.startsWith('.')) return { type: 'bind', source: path.resolve(cwd, src) };
  if (!NAME_RE.test(src)) {
    throw new InvalidArgumentError(`invalid --volume "${spec}": "${src}" is neither an absolute host path nor a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)`);
  }
  return { type: 'volume', source: src };
}

/**
 * `-v [SOURCE:]DEST[:OPTIONS]`. SOURCE is a host path or a volume name; without it the mount is a
 * new anonymous volume (source ''). Relative host paths are resolved against cwd, as podman does.
 */
export function parseVolumeFlag(spec: string, cwd: string): MountConfig {
  const parts = spec.split(':');
  if (parts.length > 3 || spec === '') throw new InvalidArgumentError(`invalid --volume "${spec}": use [SOURCE:]DEST[:OPTIONS]`);
  if (parts.length === 1) {
    return { type: 'volume', source: '', destination: containerPath(parts[0], '--volume', spec), options: [] };
  }
  const [src, dst, opts] = parts;
  if (src === '') throw new InvalidArgumentError(`invalid --volume "${spec}": the source is empty`);
  const { type, source } = volumeSource(src, cwd, spec);
  return { type, source, destination: containerPath(dst, '--volume', spec), options: checkOptions(type, splitOptions(opts), '--volume', spec) };
}

/** `--tmpfs DEST[:OPTIONS]`. */
export function parseTmpfsFlag(spec: string): MountConfig {
  const i = spec.indexOf(':');
  const dst = i < 0 ? spec : spec.slice(0, i);
  const opts = i < 0 ? [] : splitOptions(spec.slice(i + 1));
  return { type: 'tmpfs', source: 'tmpfs', destination: containerPath(dst, '--tmpfs', spec), options: checkOptions('tmpfs', opts, '--tmpfs', spec) };
}

function boolValue(key: string, value: string | undefined, spec: string): boolean {
  if (value === undefined || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new InvalidArgumentError(`invalid --mount "${spec}": "${key}" takes true or false, not "${value}"`);
}

/**
 * `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,…]` (docker's and podman's keys).
 */
export function parseMountFlag(spec: string, cwd: string): MountConfig {
  let type: string | undefined;
  let source: string | undefined;
  let target: string | undefined;
  const options: string[] = [];
  for (const field of spec.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    const need = () => {
      if (value === undefined || value === '') throw new InvalidArgumentError(`invalid --mount "${spec}": "${key}" needs a value`);
      return value;
    };
    switch (key) {
      case 'type':
        type = need();
        break;
      case 'source':
      case 'src':
        source = value ?? '';
        break;
      case 'target':
      case 'destination':
      case 'dst':
        target = need();
        break;
      case 'readonly':
      case 'ro':
        if (boolValue(key, value, spec)) options.push('ro');
        break;
      case 'rw':
        if (!boolValue(key, value, spec)) options.push('ro');
        break;
      case 'bind-propagation':
        options.push(need());
        break;
      case 'bind-nonrecursive':
        if (boolValue(key, value, spec)) options.push('bind');
        break;
      case 'relabel': {
        const v = need();
        if (v !== 'shared' && v !== 'private') throw new InvalidArgumentError(`invalid --mount "${spec}": relabel is shared or private`);
        options.push(v === 'shared' ? 'z' : 'Z');
        break;
      }
      case 'u':
      case 'chown':
        if (boolValue(key, value, spec)) options.push('U');
        break;
      case 'idmap':
        if (boolValue(key, value, spec)) options.push('idmap');
        break;
      case 'volume-nocopy':
      case 'nocopy':
        if (boolValue(key, value, spec)) options.push('nocopy');
        break;
      case 'tmpfs-size':
        options.push(`size=${need()}`);
        break;
      case 'tmpfs-mode':
        options.push(`mode=${need()}`);
        break;
      case 'tmpcopyup':
      case 'notmpcopyup':
      case 'nosuid':
      case 'suid':
      case 'nodev':
      case 'dev':
      case 'noexec':
      case 'exec':
        if (value !== undefined) throw new InvalidArgumentError(`invalid --mount "${spec}": "${key}" takes no value`);
        options.push(key);
        break;
      case 'consistency':
        break; // docker for Mac; meaningless on Linux
      case 'volume-driver':
        if (need() !== 'local') throw new InvalidArgumentError(`invalid --mount "${spec}": only the "local" volume driver exists`);
        break;
      default:
        throw new InvalidArgumentError(`invalid --mount "${spec}": unknown key "${key}"`);
    }
  }
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') {
    throw new InvalidArgumentError(`invalid --mount "${spec}": ${type === undefined ? 'type= is required' : `unsupported type "${type}"`}; use bind, volume or tmpfs`);
  }
  if (target === undefined) throw new InvalidArgumentError(`invalid --mount "${spec}": target= is required`);
  const destination = containerPath(target, '--mount', spec);
  checkOptions(type, options, '--mount', spec);
  if (type === 'tmpfs') {
    if (source) throw new InvalidArgumentError(`invalid --mount "${spec}": a tmpfs mount takes no source`);
    return { type, source: 'tmpfs', destination, options };
  }
  if (type === 'bind') {
    if (!source) throw new InvalidArgumentError(`invalid --mount "${spec}": a bind mount needs source=`);
    return { type, source: path.resolve(cwd, source), destination, options };
  }
  if (source && !NAME_RE.test(source)) throw new InvalidArgumentError(`invalid --mount "${spec}": "${source}" is not a valid volume name`);
  return { type, source: source ?? '', destination, options };
}

/** `--volumes-from CONTAINER[:ro|rw]` -> the container reference and the forced mode, if any. */
export function parseVolumesFrom(spec: string): { ref: string; mode?: 'ro' | 'rw' } {
  const [ref, mode, extra] = spec.split(':');
  if (!ref || extra !== undefined || (mode !== undefined && mode !== 'ro' && mode !== 'rw' && mode !== 'z')) {
    throw new InvalidArgumentError(`invalid --volumes-from "${spec}": use CONTAINER[:ro|rw]`);
  }
  return { ref, mode: mode === 'ro' || mode === 'rw' ? mode : undefined };
}

/** Rejects two mounts on one destination (podman: "duplicate mount destination"). */
export function checkDuplicateDestinations(mounts: MountConfig[]): void {
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.destination)) throw new InvalidArgumentError(`duplicate mount destination "${m.destination}": mount only one thing there`);
    seen.add(m.destination);
  }
}

export function isReadOnly(m: MountConfig): boolean {
  return m.options.includes('ro');
}
