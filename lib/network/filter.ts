// `network ls` and `network prune` filters, as podman reads them: the same key twice matches
// either value, different keys must all match; every label= must match (podman 4.3.1 matches a
// network's labels as a set: `--filter label=a=1 --filter label=b=2` lists only networks with both).
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { NetworkRecord } from './network-record.js';

export interface NetworkFacts {
  /** Number of containers using the network. */
  users: number;
}

type Filter = (n: NetworkRecord, facts: NetworkFacts) => boolean;

const KEYS = ['name', 'id', 'driver', 'label', 'label!', 'dangling', 'until'];

function labelMatch(n: NetworkRecord, value: string): boolean {
  const i = value.indexOf('=');
  const k = i < 0 ? value : value.slice(0, i);
  return k in n.labels && (i < 0 || n.labels[k] === value.slice(i + 1));
}

function nameMatch(name: string, pattern: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

function parseOne(spec: string): { key: string; fn: Filter } {
  const eq = spec.indexOf('=');
  const key = eq > 0 ? spec.slice(0, eq) : '';
  if (!KEYS.includes(key)) throw new InvalidArgumentError(`invalid --filter "${spec}": use KEY=VALUE with KEY one of ${KEYS.join(', ')}`);
  const value = spec.slice(eq + 1);
  switch (key) {
    case 'name':
      return { key, fn: (n) => nameMatch(n.name, value) };
    case 'id':
      return { key, fn: (n) => n.id.startsWith(value) };
    case 'driver':
      return { key, fn: (n) => n.driver === value };
    case 'label':
      return { key, fn: (n) => labelMatch(n, value) };
    case 'label!':
      return { key, fn: (n) => !labelMatch(n, value) };
    case 'dangling': {
      if (value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid --filter "${spec}": use dangling=true or dangling=false`);
      return { key, fn: (_n, f) => (f.users === 0) === (value === 'true') };
    }
    default: {
      const t = parseUntil(value);
      return { key, fn: (n) => Date.parse(n.created) < t };
    }
  }
}

export function networkFilter(specs: string[]): Filter {
  const byKey = new Map<string, Filter[]>();
  for (const s of specs) {
    const { key, fn } = parseOne(s);
    // Each label= its own group, so all must hold.
    const group = key === 'label' ? `label ${byKey.size}` : key;
    byKey.set(group, [...(byKey.get(group) ?? []), fn]);
  }
  return (n, facts) => [...byKey.values()].every((fns) => fns.some((fn) => fn(n, facts)));
}
