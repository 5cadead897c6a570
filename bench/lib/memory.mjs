// Per-process memory from /proc: PSS (resident memory with shared pages divided among their
// users, the fair share of one process), RSS, and private pages (what the process alone costs).
import fs from 'node:fs';
import { BenchError, sleep } from './proc.mjs';

/** Reads /proc/PID/smaps_rollup; values in KiB. */
export function smapsRollup(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch (e) {
    throw new BenchError(`Cannot read "/proc/${pid}/smaps_rollup": ${e.code ?? e.message}`);
  }
  const field = (name) => {
    const m = text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'));
    if (!m) throw new BenchError(`Cannot read "/proc/${pid}/smaps_rollup": no ${name} field`);
    return Number(m[1]);
  };
  return { rss: field('Rss'), pss: field('Pss'), private: field('Private_Clean') + field('Private_Dirty') };
}

function readProc(pid, file) {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** PIDs whose command line contains needle. */
export function pidsMatching(needle) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = readProc(entry, 'cmdline');
    if (cmdline?.split('\0').join(' ').includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

export function parentPid(pid) {
  const m = readProc(pid, 'status')?.match(/^PPid:\s+(\d+)/m);
  return m ? Number(m[1]) : undefined;
}

function isAncestor(ancestor, pid) {
  for (let p = pid, hops = 0; p && p > 1 && hops < 64; hops++) {
    if (p === ancestor) return true;
    p = parentPid(p);
  }
  return false;
}

/**
 * Finds the pman shim of a container just started: a process running `dist/bundle/shim-entry.cjs` that
 * did not exist before, and (when the container's pid is known) is its ancestor, the subreaper.
 */
export function findShim(before, containerPid, { needle = 'dist/bundle/shim-entry.cjs', timeoutMs = 5000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = pidsMatching(needle).filter((p) => !before.has(p));
    const byParent = containerPid ? fresh.filter((p) => isAncestor(p, containerPid)) : [];
    if (byParent.length === 1) return byParent[0];
    if (fresh.length === 1) return fresh[0];
    if (Date.now() > deadline) {
      throw new BenchError(`Cannot find the shim of the new container: ${fresh.length} new processes match "${needle}"`
        + (containerPid ? ` and none is an ancestor of container pid ${containerPid}` : ''));
    }
    sleep(100);
  }
}
