// containers.conf's merged, checked result kept in a small JSON file, so that `pman run` does not
// load and run the TOML parser each time (Debian's /usr/share file alone is 24 KB). The cache is
// keyed by the file sequence (which the environment selects) and by the identity of every path
// the sequence consulted: device, inode, size, mtime and ctime in nanoseconds, or its absence.
// Any change to a file, a drop-in directory's entries or a file's appearance is a miss. The
// cache is untrusted input: anything unexpected in it is a miss, and a miss rewrites it
// atomically. Writing it is best effort (a read-only runtime directory only costs the parse).
import fs from 'node:fs';
import path from 'node:path';
import { callerIds } from '../context.js';
import { writeFileAtomic } from '../state/atomic.js';
import { CONF_FIELDS, checkedContainersConf, containersConfSequence, loadContainersConf, sequenceFiles, type ConfStep, type ContainersConf } from './containers-conf.js';

// 2: [engine] hooks_dir kept (a result cached before it lacks the key).
const VERSION = 2;

/**
 * A file changed less than this long before it was read may change again within the same
 * timestamp tick without its ctime moving (the "racy" case git knows): such a read is not cached.
 */
const RACY_NS = 1_000_000_000n;

interface CacheFile {
  v: number;
  sequence: ConfStep[];
  /** Every path consulted, with its identity (null: absent). */
  sources: Array<[string, string | null]>;
  /** The fields the writer knew (CONF_FIELDS): another pman's list is a miss. */
  fields: string[];
  conf: ContainersConf;
}

/** A path's identity: what changes when its content or, for a directory, its entries change. */
function identity(p: string): { id: string | null; ctimeNs: bigint } {
  try {
    const st = fs.statSync(p, { bigint: true, throwIfNoEntry: false });
    if (!st) return { id: null, ctimeNs: 0n };
    return { id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`, ctimeNs: st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs };
  } catch (err) {
    // Unreadable (EACCES on a parent…): the load reports it; the cache only needs a stable key.
    return { id: `error:${(err as NodeJS.ErrnoException).code}`, ctimeNs: 0n };
  }
}

function sameSequence(a: unknown, b: ConfStep[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fromCache(file: string, sequence: ConfStep[]): ContainersConf | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = raw as Partial<CacheFile>;
  if (c.v !== VERSION || !sameSequence(c.sequence, sequence) || !Array.isArray(c.sources)) return undefined;
  if (JSON.stringify(c.fields) !== JSON.stringify(CONF_FIELDS)) return undefined;
  for (const source of c.sources) {
    if (!Array.isArray(source) || source.length !== 2 || typeof source[0] !== 'string' || (source[1] !== null && typeof source[1] !== 'string')) return undefined;
    if (identity(source[0]).id !== source[1]) return undefined;
  }
  return checkedContainersConf(c.conf);
}

type Identified = [string, ReturnType<typeof identity>];

/**
 * The identities of the paths a load of `sequence` consults: its directories first (before they
 * are listed, so an entry added meanwhile shows as a change), then its files and drop-ins.
 */
function consulted(sequence: ConfStep[]): Identified[] {
  const dirs = sequence.filter((s) => s.dir).map((s): Identified => [s.dir!, identity(s.dir!)]);
  return [...dirs, ...sequenceFiles(sequence).map((p): Identified => [p, identity(p)])];
}

/**
 * loadContainersConf through the cache file `file` (in the user's runtime directory). `nowNs`
 * (wall clock, ns) is for tests of the racy case.
 */
export function loadContainersConfCached(sequence: ConfStep[], file: string, nowNs: bigint = BigInt(Date.now()) * 1_000_000n): ContainersConf {
  const cached = fromCache(file, sequence);
  if (cached) return cached;
  // Identities first, then the read: a change in between makes the next run miss, never hit stale.
  const sources = consulted(sequence);
  const conf = loadContainersConf(sequence);
  if (conf.files.length === 0 || sources.some(([, id]) => nowNs - id.ctimeNs < RACY_NS)) return conf;
  const entry: CacheFile = { v: VERSION, sequence, sources: sources.map(([p, id]) => [p, id.id]), fields: CONF_FIELDS, conf };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, JSON.stringify(entry));
  } catch {
    /* best effort: the next run parses again */
  }
  return conf;
}

let lastRead: { key: string; conf: ContainersConf } | undefined;

/**
 * containers.conf as the environment selects it, through the cache in the store's runtime
 * directory (`<runroot>/containers-conf.json`, per user, tmpfs). Read once per process: a command
 * that needs it twice (run's defaults, then its events backend) reads it once, and
 * `pman system service` keeps what it read when it started, as podman's service does.
 */
export function containersConfFor(env: NodeJS.ProcessEnv, runroot: string): ContainersConf {
  const sequence = containersConfSequence(env, callerIds(env).uid !== 0);
  const cache = path.join(runroot, 'containers-conf.json');
  const key = JSON.stringify([sequence, cache]);
  if (lastRead?.key !== key) lastRead = { key, conf: loadContainersConfCached(sequence, cache) };
  return lastRead.conf;
}
