// `pman images --filter`: dangling=, intermediate=, reference=, label=, before=, since=, id=,
// until= (created before a time), readonly= (pman has no read-only image stores: none is). As
// in docker, several reference= filters match when any does; all other filters must all match.
// dangling and intermediate are judged against `images`, so give every image (lineage.ts).
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { ImageRecord } from './image-record.js';
import { isDangling, isIntermediate, parentIds } from './lineage.js';
import { createdMs } from './records.js';
import { splitName } from './reference.js';
import { lookupImage } from './resolve.js';

const KEYS = ['dangling', 'intermediate', 'reference', 'label', 'before', 'since', 'id', 'until', 'readonly'];

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A glob (Go path.Match syntax: *, ?, [...]; * does not cross "/") as an anchored RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) throw new InvalidArgumentError(`invalid reference filter "${pattern}": unterminated "["`);
      // Go's classes: [abc], [a-z], [^abc]
      re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether a stored name matches a reference pattern: against the full name, its repository, and
 * every shorter form after a "/" ("busybox", "library/busybox:latest" …).
 */
export function referenceMatches(pattern: RegExp, name: string): boolean {
  const { repository } = splitName(name);
  const forms = new Set<string>();
  for (const s of [name, repository]) {
    forms.add(s);
    for (let i = s.indexOf('/'); i !== -1; i = s.indexOf('/', i + 1)) forms.add(s.slice(i + 1));
  }
  for (const f of forms) if (pattern.test(f)) return true;
  return false;
}

function boolValue(key: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new InvalidArgumentError(`invalid filter "${key}=${value}": the value must be true or false`);
}

type Predicate = (image: ImageRecord) => boolean;

export function filterImages(ctx: Context, images: ImageRecord[], filters: string[]): ImageRecord[] {
  const all: Predicate[] = [];
  const references: RegExp[] = [];
  let parents: Set<string> | undefined;
  const parentsOf = () => (parents ??= parentIds(images));
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq === -1 ? f : f.slice(0, eq);
    const value = eq === -1 ? '' : f.slice(eq + 1);
    if (!KEYS.includes(key)) throw new InvalidArgumentError(`invalid filter "${f}": supported filters are ${KEYS.map((k) => `${k}=`).join(', ')}`);
    if (eq === -1 || value === '') throw new InvalidArgumentError(`invalid filter "${f}": it needs a value (${key}=VALUE)`);
    switch (key) {
      case 'dangling': {
        const want = boolValue(key, value);
        all.push((i) => isDangling(i, parentsOf()) === want);
        break;
      }
      case 'intermediate': {
        const want = boolValue(key, value);
        all.push((i) => isIntermediate(i, parentsOf()) === want);
        break;
      }
      case 'reference':
        references.push(globToRegExp(value));
        break;
      case 'label': {
        const le = value.indexOf('=');
        const k = le === -1 ? value : value.slice(0, le);
        const v = le === -1 ? undefined : value.slice(le + 1);
        all.push((i) => {
          const labels = i.config.Labels ?? {};
          return Object.prototype.hasOwnProperty.call(labels, k) && (v === undefined || labels[k] === v);
        });
        break;
      }
      case 'before':
      case 'since': {
        const pivot = createdMs(lookupImage(ctx, value, images).image);
        all.push(key === 'before' ? (i) => createdMs(i) < pivot : (i) => createdMs(i) > pivot);
        break;
      }
      case 'until': {
        const t = parseUntil(value);
        all.push((i) => createdMs(i) < t);
        break;
      }
      case 'readonly': {
        const want = boolValue(key, value);
        all.push(() => !want);
        break;
      }
      case 'id': {
        const prefix = value.replace(/^sha256:/, '');
        all.push((i) => i.id.startsWith(prefix));
        break;
      }
    }
  }
  if (references.length > 0) all.push((i) => i.names.some((n) => references.some((re) => referenceMatches(re, n))));
  return images.filter((i) => all.every((p) => p(i)));
}
