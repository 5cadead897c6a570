// Where an archive member may go. Names are cleaned lexically (a leading "/" is stripped as tar
// does, "." dropped, ".." popped) and anything that would climb above the root is refused. On
// disk, every parent is then checked with lstat: a parent that is a symlink (one the archive made
// earlier) is refused instead of followed, so nothing is ever written outside the root.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';

export function unsafe(name: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`unsafe archive entry "${name}": ${reason}`);
}

/** The cleaned components of a member name ([] for the root itself); throws when it escapes. */
export function cleanName(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw unsafe(name, 'the path escapes the extraction root through ".."');
      out.pop();
    } else out.push(part);
  }
  return out;
}

/** True when a relative symlink target, seen from the link's directory, climbs above the root. */
export function symlinkEscapes(linkDir: string[], target: string): boolean {
  if (target.startsWith('/')) return false; // absolute targets resolve inside the container's root
  let depth = linkDir.length;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (depth === 0) return true;
      depth--;
    } else depth++;
  }
  return false;
}

/**
 * Verifies (and creates when missing) the parent directories of `parts` under `root` without
 * following symlinks. `known` caches directories already verified in this extraction.
 */
export function ensureParents(root: string, parts: string[], name: string, known: Set<string>, create: boolean): string {
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = path.join(cur, parts[i]);
    if (known.has(cur)) continue;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const shown = parts.slice(0, i + 1).join('/');
    if (st === undefined) {
      if (!create) throw unsafe(name, `"${shown}" does not exist in this layer`);
      fs.mkdirSync(cur, { mode: 0o755 });
      fs.chmodSync(cur, 0o755);
    } else if (st.isSymbolicLink()) {
      throw unsafe(name, `its parent "${shown}" is a symlink; writing through it could leave the extraction root`);
    } else if (!st.isDirectory()) {
      throw unsafe(name, `its parent "${shown}" is not a directory`);
    }
    known.add(cur);
  }
  return parts.length === 0 ? root : path.join(root, ...parts);
}

/** Forgets cached directories at and below `p` (after it was removed or replaced). */
export function forgetBelow(known: Set<string> | Map<string, unknown>, p: string): void {
  const prefix = p + '/';
  for (const k of known.keys()) if (k === p || k.startsWith(prefix)) known.delete(k);
}
