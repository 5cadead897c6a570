// `volume ls` and `volume prune` filters, as podman reads them: the same key given twice matches
// either value (OR), different keys must all match (AND).
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { VolumeRecord } from './volume-record.js';
import { listedOptions } from './volumes.js';

export interface VolumeFacts {
  /** Number of containers using the volume. */
  users: number;
}

type Filter = (v: VolumeRecord, facts: VolumeFacts) => boolean;

const KEYS = ['name', 'label', 'label!', 'driver', 'opt', 'dangling', 'anonymous', 'until'];

function labelMatch(v: VolumeRecord, value: string): boolean {
  const i = value.indexOf('=');
  const k = i < 0 ? value : value.slice(0, i);
  return k in v.labels && (i < 0 || v.labels[k] === value.slice(i + 1));
}

function parseOne(spec: string): { key: string; fn: Filter } {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`invalid --filter "${spec}": use KEY=VALUE (${KEYS.join(', ')})`);
  const key = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  const bool = () => {
    if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid --filter "${spec}": use ${key}=true or ${key}=false`);
    return value === 'true';
  };
  switch (key) {
    case 'name':
      return { key, fn: (v) => v.name.includes(value) || v.name === value };
    case 'label':
      return { key, fn: (v) => labelMatch(v, value) };
    case 'label!':
      return { key, fn: (v) => !labelMatch(v, value) };
    case 'driver':
      return { key, fn: (v) => v.driver === value };
    case 'opt': {
      // podman's reading: KEY (or KEY=) matches an option of that exact name, KEY=VALUE one with
      // that value too; the options are those inspect lists (o=uid=1000 also gives UID=1000).
      const i = value.indexOf('=');
      const k = i < 0 ? value : value.slice(0, i);
      const want = i < 0 ? '' : value.slice(i + 1);
      return {
        key,
        fn: (v) => {
          const opts = listedOptions(v);
          return Object.hasOwn(opts, k) && (want === '' || opts[k] === want);
        },
      };
    }
    case 'dangling': {
      const want = bool();
      return { key, fn: (_v, f) => (f.users === 0) === want };
    }
    case 'anonymous': {
      const want = bool();
      return { key, fn: (v) => v.anonymous === want };
    }
    case 'until': {
      const t = parseUntil(value);
      return { key, fn: (v) => Date.parse(v.created) < t };
    }
    default:
      throw new InvalidArgumentError(`invalid --filter "${spec}": unknown key "${key}"; use ${KEYS.join(', ')}`);
  }
}

/** Compiles every filter first, so a bad one fails before any work. */
export function volumeFilter(specs: string[]): (v: VolumeRecord, facts: VolumeFacts) => boolean {
  const byKey = new Map<string, Filter[]>();
  for (const s of specs) {
    const { key, fn } = parseOne(s);
    byKey.set(key, [...(byKey.get(key) ?? []), fn]);
  }
  return (v, facts) => [...byKey.values()].every((fs) => fs.some((f) => f(v, facts)));
}
