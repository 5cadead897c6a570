// The OCI spec side of podman's run/create flags of #20, part 1 (the record's `extras`): bundle.ts
// calls applyExtrasSpec once config.json is generated; extras-start.ts calls applyJoins again at
// each start, when the containers whose namespaces are joined have their pids of this run.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { readImageFile } from '../oci/user.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { sortMounts, type OciMount } from '../oci/spec-mounts.js';
import type { ContainerRecord, ExtrasConfig } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { zoneFile } from './extras.js';

interface Spec {
  hostname?: string;
  root: { path: string };
  process: { env: string[]; user: { umask?: number } };
  mounts: OciMount[];
  linux: { namespaces: Array<{ type: string; path?: string }>; sysctl?: Record<string, string>; personality?: { domain: string } };
}

const KINDS = ['pid', 'ipc', 'uts', 'cgroup'] as const;
const DEFAULT_ENV = ['PATH', 'TERM', 'container', 'HOSTNAME', 'HOME'];
const SYSTEMD_TMPFS = ['/run', '/run/lock', '/tmp', '/var/log/journal'];

/** The pid of a container whose namespace is joined (0 when it is not running: extras-start.ts starts it first). */
function ownerPid(ctx: Context, id: string): number {
  return loadContainer(ctx, id).state.pid;
}

/**
 * Namespace paths of the containers joined, as of now. (A joined IPC namespace shares System V
 * IPC and message queues; /dev/shm stays the container's own tmpfs: the owner's is a mount in its
 * mount namespace, which cannot be bind-mounted from outside it.)
 */
export function applyJoins(ctx: Context, spec0: Record<string, unknown>, x: ExtrasConfig): void {
  const spec = spec0 as unknown as Spec;
  for (const kind of KINDS) {
    const ns = x.namespaces?.[kind];
    if (!ns) continue;
    const list = spec.linux.namespaces.filter((n) => n.type !== kind);
    const nsPath = ns.mode === 'container' ? `/proc/${ownerPid(ctx, ns.container!)}/ns/${kind}` : ns.mode === 'ns' ? ns.path : undefined;
    if (nsPath) list.push({ type: kind, path: nsPath });
    else if (ns.mode !== 'host') list.push({ type: kind });
    spec.linux.namespaces = list;
  }
}

function setShm(spec: Spec, m: OciMount | undefined): void {
  spec.mounts = spec.mounts.filter((x) => x.destination !== '/dev/shm');
  if (m) spec.mounts.push(m);
  spec.mounts = sortMounts(spec.mounts);
}

function bind(destination: string, source: string, mode: 'ro' | 'rw'): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', 'rprivate', mode] };
}

/** /etc/passwd with --passwd-entry / --hostuser lines, written into the container's upper layer (as podman edits its own). */
function writePasswd(ctx: Context, rec: ContainerRecord, lines: string[]): void {
  const file = path.join(rootfsPaths(ctx, rec.id).upper, 'etc', 'passwd');
  if (fs.existsSync(file)) return;
  const base = readImageFile(rec.layers, 'etc/passwd');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  fs.writeFileSync(file, `${base}${base === '' || base.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n`, { mode: 0o644 });
}

export function applyExtrasSpec(ctx: Context, spec0: Record<string, unknown>, rec: ContainerRecord): void {
  const x = rec.config.extras;
  if (!x) return;
  const spec = spec0 as unknown as Spec;
  applyJoins(ctx, spec0, x);
  // --rootfs without :O: the container runs in the directory itself (its overlay goes unused).
  if (x.rootfs && !x.rootfsOverlay) spec.root.path = x.rootfs;
  const ns = x.namespaces ?? {};
  if (ns.uts?.mode === 'host') delete spec.hostname;
  // (/dev/mqueue stays: an mqueue file system mounted there is the one of the IPC namespace joined.)
  if (ns.ipc?.mode === 'host') setShm(spec, bind('/dev/shm', '/dev/shm', 'rw'));
  if (ns.ipc?.mode === 'none') setShm(spec, undefined);
  if (x.shmSize !== undefined) {
    spec.mounts = spec.mounts.map((m) =>
      m.destination === '/dev/shm' && m.type === 'tmpfs' ? { ...m, options: [...m.options.filter((o) => !o.startsWith('size=')), ...(x.shmSize ? [`size=${x.shmSize}`] : [])] } : m,
    );
  }
  if (x.sysctls) spec.linux.sysctl = { ...spec.linux.sysctl, ...x.sysctls };
  if (x.personality) spec.linux.personality = { domain: x.personality };
  if (x.umask) spec.process.user.umask = parseInt(x.umask, 8);
  if (x.unsetenv || x.unsetenvAll) {
    // The defaults pman adds (processEnv) for names the container's own environment does not set.
    const own = new Set(rec.config.env.map((e) => e.split('=')[0]));
    const unset = new Set(x.unsetenvAll ? DEFAULT_ENV : x.unsetenv);
    spec.process.env = spec.process.env.filter((e) => own.has(e.split('=')[0]) || !unset.has(e.split('=')[0]));
  }
  const added: OciMount[] = [];
  if (x.tz) added.push(bind('/etc/localtime', zoneFile(x.tz), 'ro'));
  if (x.noHosts) spec.mounts = spec.mounts.filter((m) => m.destination !== '/etc/hosts');
  for (const dir of x.chrootDirs ?? []) {
    for (const f of ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']) {
      const m = spec.mounts.find((y) => y.destination === f);
      if (m) added.push({ ...m, destination: path.posix.join(dir, f) });
    }
  }
  if (x.systemd) {
    const taken = new Set(spec.mounts.map((m) => m.destination));
    for (const d of SYSTEMD_TMPFS) {
      if (!taken.has(d)) added.push({ destination: d, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', ...(d === '/run/lock' ? ['noexec'] : []), 'tmpcopyup'] });
    }
  }
  if (x.passwdLines) writePasswd(ctx, rec, x.passwdLines);
  if (added.length) spec.mounts = sortMounts([...spec.mounts, ...added]);
}
