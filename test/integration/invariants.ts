// What must hold of a store after any crash (docs/reliability.md): every reading command works,
// and removing everything frees everything. Used by the failpoint, corrupt-record and leak tests.
import fs from 'node:fs';
import path from 'node:path';
import { until, type TestEnv } from './harness.js';

/** What a store holds on the host: mounts, processes, files, lock directories. */
export interface HostPicture {
  /** Mount points under the test's directory (overlays, network namespaces). */
  mounts: string[];
  /** "pid comm" of processes whose root, cwd, cmdline, open files or unix sockets are in the test's directory. */
  processes: string[];
  /** Every path under --root and --runroot (relative, sorted), log files and the image store left out when asked. */
  files: string[];
}

function walk(dir: string, rel = '', out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(rel, e.name);
    out.push(p);
    // Never into a mount (a container's root, a namespace): the mount itself is what is counted.
    if (e.isDirectory() && !isMountPoint(path.join(dir, p))) walk(dir, p, out);
  }
  return out;
}

function mountPoints(): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((t): t is string => Boolean(t));
}

function isMountPoint(p: string): boolean {
  return mountPoints().includes(p);
}

function link(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}

/** Inodes of unix sockets bound to a path under dir. */
function socketsUnder(dir: string): Set<string> {
  const out = new Set<string>();
  for (const line of fs.readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && cols[7].startsWith(dir)) out.add(`socket:[${cols[6]}]`);
  }
  return out;
}

/** The processes that belong to the store in dir (shims, containers, pman commands). */
export function storeProcesses(dir: string): string[] {
  const sockets = socketsUnder(dir);
  const out: string[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    const base = `/proc/${name}`;
    let hit = link(`${base}/root`).startsWith(dir) || link(`${base}/cwd`).startsWith(dir);
    if (!hit) {
      try {
        hit = fs.readFileSync(`${base}/cmdline`, 'utf8').includes(dir);
      } catch {
        continue;
      }
    }
    if (!hit) {
      try {
        hit = fs.readdirSync(`${base}/fd`).some((fd) => {
          const l = link(`${base}/fd/${fd}`);
          return l.startsWith(dir) || sockets.has(l);
        });
      } catch {
        continue;
      }
    }
    if (!hit) continue;
    let stat = '';
    try {
      stat = fs.readFileSync(`${base}/stat`, 'utf8');
    } catch {
      continue;
    }
    // A zombie waits for its parent: it holds nothing.
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    out.push(`${name} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`);
  }
  return out.sort();
}

/** What a store that has run a container looks like once it is gone: the picture tests compare to. */
export async function pictureAfterOneRun(env: TestEnv): Promise<HostPicture> {
  await env.ok(['run', '--name', 'warm-up', 'busybox', 'true']);
  await env.ok(['rm', 'warm-up']);
  return hostPicture(env);
}

export function hostPicture(env: TestEnv): HostPicture {
  return {
    mounts: mountPoints().filter((m) => m.startsWith(env.dir)).sort(),
    processes: storeProcesses(env.dir),
    files: [...walk(env.root).map((f) => `root/${f}`), ...walk(env.runroot).map((f) => `run/${f}`)].sort(),
  };
}

/** The problems with a store's reading commands: each must exit 0 (a line per failure). */
export async function readingProblems(env: TestEnv): Promise<string[]> {
  const problems: string[] = [];
  const ps = await env.pman(['ps', '-a', '--format', '{{.ID}}']);
  if (ps.exitCode !== 0) problems.push(`ps -a exited ${ps.exitCode}: ${ps.stderr}`);
  const images = await env.pman(['images']);
  if (images.exitCode !== 0) problems.push(`images exited ${images.exitCode}: ${images.stderr}`);
  const volumes = await env.pman(['volume', 'ls']);
  if (volumes.exitCode !== 0) problems.push(`volume ls exited ${volumes.exitCode}: ${volumes.stderr}`);
  for (const id of ps.stdout.split('\n').filter(Boolean)) {
    for (const args of [['inspect', id], ['logs', id]]) {
      const r = await env.pman(args);
      if (r.exitCode !== 0) problems.push(`${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    }
  }
  return problems;
}

/**
 * Removes every container (and with `images`/`volumes`, every image and volume) and returns what
 * is left that should not be: a failing removal, a mount, a process, a file beyond `keep` (the
 * picture taken before the test's containers came), a lock directory.
 */
export async function freeingProblems(env: TestEnv, keep: HostPicture, opts: { images?: boolean; volumes?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  const steps = [['rm', '-af', '-t', '0'], ...(opts.volumes ? [['volume', 'rm', '-af']] : []), ...(opts.images ? [['rmi', '-af']] : [])];
  for (const args of steps) {
    const r = await env.pman(args);
    if (r.exitCode !== 0) problems.push(`${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
  }
  // Shims on their way out after their container was removed finish first (a leaked one never does).
  await until(() => storeProcesses(env.dir).length === 0, 15_000);
  const now = hostPicture(env);
  const kept = new Set(keep.files);
  for (const m of now.mounts) if (!keep.mounts.includes(m)) problems.push(`mount left: ${m}`);
  for (const p of now.processes) problems.push(`process left: ${p}`);
  for (const f of now.files) if (!kept.has(f)) problems.push(`file left: ${f}`);
  return problems;
}
