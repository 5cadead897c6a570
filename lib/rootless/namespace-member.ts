// Finds a process still living in a user's pman namespace after its pause process died (a shim, or
// a pman command still running), so the namespace can be rejoined instead of replaced: its
// containers' shims and root filesystem mounts exist only in there.
import fs from 'node:fs';
import path from 'node:path';

/** The marker bin/pman exports inside the namespace; its value is the pause.pid directory. */
export const USERNS_ENV = '_PMAN_USERNS';

/** The namespace a process is in ("user:[4026531837]"), undefined if it is gone or not ours to see. */
export function nsOf(pid: number | 'self', ns: string): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return undefined;
  }
}

/** True when the process's environment marks it as a member of the namespace of `dir`. */
function marked(pid: number, dir: string): boolean {
  let env: string;
  try {
    env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return false;
  }
  const prefix = `${USERNS_ENV}=`;
  return env.split('\0').some((kv) => kv.startsWith(prefix) && path.resolve(kv.slice(prefix.length)) === dir);
}

/**
 * A pid of a process of uid that bin/pman put into the namespace of `dir`, or undefined. Container
 * processes are never chosen even if their environment carries the marker: they run in their own
 * PID (and mount) namespace, while pman's own processes share the host's PID namespace.
 */
export function findNamespaceMember(dir: string, uid: number): number | undefined {
  const own = nsOf('self', 'user');
  const ownPid = nsOf('self', 'pid');
  const want = path.resolve(dir);
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!/^[0-9]+$/.test(name)) continue;
    const pid = Number(name);
    try {
      if (fs.statSync(`/proc/${pid}`).uid !== uid) continue;
    } catch {
      continue;
    }
    if (!marked(pid, want)) continue;
    const userns = nsOf(pid, 'user');
    if (userns && userns !== own && nsOf(pid, 'pid') === ownPid) return pid;
  }
  return undefined;
}
