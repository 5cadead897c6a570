// Choosing events as `pman events` (and the API) does: --since/--until and --filter, podman's
// keys. The same key given twice matches either value; different keys must all match.
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { PmanEvent } from './events-file.js';

const KEYS = ['type', 'event', 'status', 'container', 'image', 'label', 'volume', 'network'];

export type EventFilter = (e: PmanEvent) => boolean;

/** An RFC 3339 time in nanoseconds since the epoch, exactly (events differ by nanoseconds). */
export function timeNs(text: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const sec = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(sec)) return undefined;
  return BigInt(sec) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** A moment of --since/--until in nanoseconds: an RFC 3339 time, Unix seconds, a Go duration before now, or a date. */
export function parseMoment(flag: string, value: string): bigint {
  const exact = timeNs(value);
  if (exact !== undefined) return exact;
  try {
    return BigInt(parseUntil(value)) * 1_000_000n;
  } catch {
    throw new InvalidArgumentError(`invalid --${flag} "${value}": use a timestamp, Unix seconds or a duration like 10m or 1h30m`);
  }
}

function one(spec: string): { key: string; test: EventFilter } {
  const eq = spec.indexOf('=');
  const key = eq > 0 ? spec.slice(0, eq) : '';
  if (!KEYS.includes(key)) throw new InvalidArgumentError(`invalid --filter "${spec}": use KEY=VALUE with a key of ${KEYS.join(', ')}`);
  const value = spec.slice(eq + 1);
  const nameOrId = (e: PmanEvent) => e.Name === value || e.ID === value || (value.length >= 3 && e.ID.startsWith(value));
  switch (key) {
    case 'type':
      return { key, test: (e) => e.Type === value };
    case 'event':
    case 'status':
      return { key: 'event', test: (e) => e.Status === value };
    case 'container':
      return { key, test: (e) => e.Type === 'container' && nameOrId(e) };
    case 'volume':
      return { key, test: (e) => e.Type === 'volume' && nameOrId(e) };
    case 'network':
      return { key, test: (e) => e.Type === 'network' && (e.Attributes?.network === value || nameOrId(e)) };
    case 'image':
      return { key, test: (e) => e.Image === value || (e.Type === 'image' && nameOrId(e)) || (e.Image !== undefined && e.Image.split('/').pop() === value) };
    default: {
      // label=KEY or label=KEY=VALUE, matched against the attributes (a container's labels).
      const i = value.indexOf('=');
      const k = i < 0 ? value : value.slice(0, i);
      return { key, test: (e) => e.Attributes !== undefined && k in e.Attributes && (i < 0 || e.Attributes[k] === value.slice(i + 1)) };
    }
  }
}

export interface EventSelection {
  /** Nanoseconds since the epoch. */
  since?: bigint;
  until?: bigint;
  filters: string[];
}

/** The predicate of a selection; every filter is checked before anything is read. */
export function eventSelector(sel: EventSelection): EventFilter {
  const byKey = new Map<string, EventFilter[]>();
  for (const spec of sel.filters) {
    const f = one(spec);
    byKey.set(f.key, [...(byKey.get(f.key) ?? []), f.test]);
  }
  return (e) => {
    const t = timeNs(e.Time) ?? BigInt(Date.parse(e.Time) || 0) * 1_000_000n;
    if (sel.since !== undefined && t < sel.since) return false;
    if (sel.until !== undefined && t > sel.until) return false;
    return [...byKey.values()].every((fs) => fs.some((f) => f(e)));
  };
}
