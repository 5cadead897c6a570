// What a COPY or ADD will write, worked out before anything is written: each source (a path or
// glob in the context, or in another stage's or image's root) becomes a list of entries with
// their place in the image, following docker's rules for trailing slashes and directories. The
// list's digest is the step's cache key, so an unchanged COPY is not redone.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError, systemError } from '../errors.js';
import { hasGlob, pathPattern, type IgnoreRules } from './ignore.js';

export interface CopySource {
  /** Host directory the sources are relative to (the context, or a mounted stage root). */
  root: string;
  /** How messages name it: "the build context", "stage builder". */
  what: string;
  ignore: IgnoreRules;
}

export interface PlannedEntry {
  /** Host path of the source. */
  src: string;
  /** Absolute path in the image. */
  dst: string;
  stat: fs.Stats;
  /** An archive ADD unpacks rather than copies. */
  unpack?: boolean;
  /** A source directory itself: its contents go to dst, which keeps its own metadata (or gets 0755). */
  top?: boolean;
}

/** Resolves a source argument to context-relative paths (globs expanded, ignored paths dropped). */
function resolveSource(source: CopySource, arg: string, keyword: string): string[] {
  const clean = path.posix.normalize(`/${arg}`).slice(1).replace(/\/+$/, '');
  if (path.posix.normalize(arg).startsWith('../') || path.posix.normalize(arg) === '..') {
    throw new InvalidArgumentError(`${keyword} source "${arg}" is outside ${source.what}`);
  }
  if (!hasGlob(clean)) {
    if (clean !== '' && source.ignore.excludes(clean)) throw new NotFoundError(`${keyword} source "${arg}" is excluded by the ignore file of ${source.what}`);
    try {
      fs.lstatSync(path.join(source.root, clean));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${keyword} source "${arg}" does not exist in ${source.what}`);
      throw systemError(`read ${keyword} source "${arg}"`, err);
    }
    return [clean];
  }
  // Glob: walk only as deep as the pattern has elements.
  const parts = clean.split('/');
  let found = [''];
  for (let i = 0; i < parts.length; i++) {
    const re = pathPattern(parts[i]);
    const next: string[] = [];
    for (const dir of found) {
      let names: string[];
      try {
        names = fs.readdirSync(path.join(source.root, dir));
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        const rel = dir ? `${dir}/${n}` : n;
        if (re.test(n) && !source.ignore.excludes(rel)) next.push(rel);
      }
    }
    found = next;
  }
  if (found.length === 0) throw new NotFoundError(`${keyword} source "${arg}" matches no file in ${source.what}`);
  return found;
}

/** Everything below a source directory, parents before children, ignored paths left out. */
function walk(source: CopySource, rel: string, dst: string, out: PlannedEntry[]): void {
  const dir = path.join(source.root, rel);
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (err) {
    throw systemError(`read "${dir}"`, err);
  }
  for (const n of names) {
    const childRel = rel ? `${rel}/${n}` : n;
    const src = path.join(source.root, childRel);
    const stat = fs.lstatSync(src);
    const excluded = source.ignore.excludes(childRel);
    if (excluded && !(stat.isDirectory() && source.ignore.hasExceptions)) continue;
    const childDst = path.posix.join(dst, n);
    if (stat.isDirectory()) {
      const at = out.length;
      walk(source, childRel, childDst, out);
      // An excluded directory only appears as the parent of a re-included file.
      if (!excluded || out.length > at) out.splice(at, 0, { src, dst: childDst, stat });
    } else if (!excluded) out.push({ src, dst: childDst, stat });
  }
}

export interface PlanOptions {
  keyword: 'COPY' | 'ADD';
  sources: string[];
  dest: string;
  /** The stage's working directory, for a relative destination. */
  workdir: string;
  /** True when the destination exists in the image as a directory. */
  destIsDir: (abs: string) => boolean;
  /** ADD: is this file an archive to unpack? */
  isArchive?: (hostPath: string) => boolean;
}

export function planCopy(source: CopySource, o: PlanOptions): PlannedEntry[] {
  const dest = o.dest.startsWith('/') ? o.dest : path.posix.join(o.workdir || '/', o.dest);
  const trailing = o.dest.endsWith('/') || o.dest === '.' || o.dest.endsWith('/.');
  const rels = o.sources.flatMap((s) => resolveSource(source, s, o.keyword));
  const absDest = path.posix.normalize(dest);
  if (rels.length > 1 && !trailing && !o.destIsDir(absDest)) {
    throw new InvalidArgumentError(`${o.keyword} with more than one source needs a directory destination ending in "/", not "${o.dest}"`);
  }
  const out: PlannedEntry[] = [];
  for (const rel of rels) {
    const src = path.join(source.root, rel);
    const stat = fs.lstatSync(src);
    if (stat.isDirectory()) {
      out.push({ src, dst: absDest, stat, top: true });
      walk(source, rel, absDest, out);
    } else if (o.isArchive?.(src)) {
      out.push({ src, dst: absDest, stat, unpack: true });
    } else {
      const intoDir = trailing || rels.length > 1 || o.destIsDir(absDest);
      out.push({ src, dst: intoDir ? path.posix.join(absDest, path.basename(rel)) : absDest, stat });
    }
  }
  return out;
}

function hashFile(h: ReturnType<typeof createHash>, file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** The digest of what a plan copies (names, kinds, modes, sizes, contents, link targets; not times). */
export function planDigest(plan: PlannedEntry[]): string {
  const h = createHash('sha256');
  for (const e of plan) {
    const st = e.stat;
    h.update(`${e.dst}\0${e.unpack ? 'unpack' : ''}\0${st.mode}\0`);
    if (st.isFile()) {
      h.update(`${st.size}\0`);
      hashFile(h, e.src);
    } else if (st.isSymbolicLink()) h.update(fs.readlinkSync(e.src));
    h.update('\n');
  }
  return h.digest('hex');
}
