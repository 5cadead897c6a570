// What `pman info` reports, in podman's shape: the host, the OCI runtime and its version, security,
// where state lives and how much of it there is. Data only; the command chooses YAML, JSON or a template.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cgroupVersion } from '../cgroup/cgroup.js';
import type { Context } from '../context.js';
import { goArch, versionInfo } from './version.js';
import { PROJECT_ROOT } from '../project.js';
import { DEFAULT_CAPS } from '../oci/spec-security.js';
import { listImageRecords } from '../image/records.js';
import { volumesDir } from '../state/paths.js';
import { isPaused, isRunning, isRunningNotPaused } from '../state/container-status.js';
import { listContainers } from '../state/containers.js';

/** podman's `info` document (its JSON keys); templates see podman's Go field names (goNames below). */
export interface SystemInfo {
  host: Record<string, unknown> & {
    arch: string;
    os: 'linux';
    hostname: string;
    cgroupVersion: string;
    ociRuntime: { name: string; package: string; path: string; version: string };
    security: { rootless: boolean } & Record<string, unknown>;
  };
  store: Record<string, unknown> & {
    graphRoot: string;
    runRoot: string;
    graphDriverName: 'overlay';
    containerStore: { number: number; paused: number; running: number; stopped: number };
  };
  registries: Record<string, unknown>;
  plugins: { volume: string[]; network: string[]; log: string[]; authorization: null };
  version: Record<string, unknown>;
}

/**
 * The first line of `<runtime> --version`. Plain execFile, not execa: this is the only process info
 * runs, and execa (a quarter of the CLI bundle) is kept for helper processes off the hot path.
 */
function runtimeVersion(runtime: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(runtime, ['--version'], (err, stdout) => {
      if (err) resolve(`not available (${err.message.split('\n')[0]})`);
      else resolve(stdout.trimEnd());
    });
  });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The first directory of PATH holding `name`, or ''. */
function which(name: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = path.join(dir || '.', name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return '';
}

function distribution(): { distribution: string; version: string; codename?: string } {
  const fields = Object.fromEntries(
    readText('/etc/os-release')
      .split('\n')
      .map((l) => /^([A-Z_]+)=("?)(.*)\2$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[3]]),
  );
  return { distribution: fields.ID ?? 'unknown', version: fields.VERSION_ID ?? 'unknown', ...(fields.VERSION_CODENAME ? { codename: fields.VERSION_CODENAME } : {}) };
}

/** The CPU time since boot by kind, as podman's cpuUtilization shows it (percent, 2 decimals). */
function cpuUtilization(): { userPercent: number; systemPercent: number; idlePercent: number } {
  const [, ...v] = (readText('/proc/stat').split('\n')[0] ?? '').trim().split(/\s+/);
  const n = v.map(Number);
  const total = n.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) || 1;
  const pct = (x: number) => Math.round((10000 * (x || 0)) / total) / 100;
  return { userPercent: pct(n[0] + n[1]), systemPercent: pct(n[2]), idlePercent: pct(n[3]) };
}

function meminfo(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readText('/proc/meminfo'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * podman 4.3.1's uptime text: whole hours, the minutes of the hour rounded (56m 42s is "57m", and
 * 59m 50s "60m"), whole seconds ("0h 57m 42.00s"), and from the first hour the whole hours in
 * days ("3h 14m 38.00s (Approximately 0.12 days)").
 */
export function uptimeText(secs: number): string {
  const whole = Math.floor(secs);
  const h = Math.floor(whole / 3600);
  const text = `${h}h ${roundHalfEven(whole % 3600, 60)}m ${whole % 60}.00s`;
  if (h === 0) return text;
  const days = roundHalfEven(h * 100, 24);
  return `${text} (Approximately ${Math.floor(days / 100)}.${String(days % 100).padStart(2, '0')} days)`;
}

// a / b rounded to an integer as Go's %.0f rounds an exact quotient: a half goes to the even side.
function roundHalfEven(a: number, b: number): number {
  const q = Math.floor(a / b);
  const twice = 2 * (a % b);
  return twice > b || (twice === b && q % 2 === 1) ? q + 1 : q;
}

function cgroupControllers(v: number): string[] {
  if (v === 2) return readText('/sys/fs/cgroup/cgroup.controllers').trim().split(/\s+/).filter(Boolean);
  return readText('/proc/cgroups')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .filter((f) => f[3] === '1')
    .map((f) => f[0]);
}

function diskSpace(dir: string): { allocated: number; used: number } {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const st = fs.statfsSync(d);
      return { allocated: st.blocks * st.bsize, used: (st.blocks - st.bfree) * st.bsize };
    } catch {
      if (d === path.dirname(d)) return { allocated: 0, used: 0 };
    }
  }
}

export async function systemInfo(ctx: Context): Promise<SystemInfo> {
  const runtimeText = await runtimeVersion(ctx.runtime);
  const recs = listContainers(ctx);
  const cgv = cgroupVersion();
  const v = versionInfo().Client;
  const space = diskSpace(ctx.root);
  const slirp = which('slirp4netns');
  return {
    host: {
      arch: goArch(),
      buildahVersion: '',
      cgroupManager: 'cgroupfs',
      cgroupVersion: `v${cgv}`,
      cgroupControllers: cgroupControllers(cgv),
      // pman's shim is what podman's conmon is.
      conmon: { package: '', path: path.join(PROJECT_ROOT, 'dist/bundle/shim-entry.cjs'), version: `pman shim ${v.Version}` },
      cpus: os.cpus().length,
      cpuUtilization: cpuUtilization(),
      distribution: distribution(),
      eventLogger: 'file',
      hostname: os.hostname(),
      idMappings: { gidmap: null, uidmap: null },
      kernel: os.release(),
      logDriver: 'k8s-file',
      memFree: os.freemem(),
      memTotal: os.totalmem(),
      networkBackend: 'netavark',
      ociRuntime: { name: path.basename(ctx.runtime), package: '', path: which(ctx.runtime) || ctx.runtime, version: runtimeText },
      os: 'linux',
      remoteSocket: { path: '' },
      serviceIsRemote: false,
      security: {
        apparmorEnabled: false,
        capabilities: DEFAULT_CAPS.join(','),
        rootless: ctx.rootless,
        seccompEnabled: true,
        // pman's default profile is built in (lib/oci/seccomp-default.ts), not a file.
        seccompProfilePath: '',
        selinuxEnabled: false,
      },
      slirp4netns: { executable: slirp, package: '', version: '' },
      swapFree: meminfo('SwapFree'),
      swapTotal: meminfo('SwapTotal'),
      uptime: uptimeText(os.uptime()),
      linkmode: 'dynamic',
      // Kept from pman's earlier info (scripts read it); podman has it under security.
      rootless: ctx.rootless,
    },
    store: {
      configFile: '',
      containerStore: {
        number: recs.length,
        paused: recs.filter(isPaused).length,
        running: recs.filter(isRunningNotPaused).length,
        stopped: recs.filter((r) => !isRunning(r)).length,
      },
      graphDriverName: 'overlay',
      graphOptions: {},
      graphRoot: ctx.root,
      graphRootAllocated: space.allocated,
      graphRootUsed: space.used,
      graphStatus: { 'Backing Filesystem': '', 'Native Overlay Diff': 'true', 'Supports d_type': 'true', 'Using metacopy': 'false' },
      imageCopyTmpDir: '/var/tmp',
      imageStore: { number: listImageRecords(ctx).length },
      runRoot: ctx.runroot,
      volumePath: volumesDir(ctx),
    },
    registries: {},
    plugins: { volume: ['local'], network: ['bridge'], log: ['k8s-file', 'json-file', 'none'], authorization: null },
    version: { APIVersion: v.APIVersion, Version: v.Version, GoVersion: v.GoVersion, GitCommit: v.GitCommit, BuiltTime: v.BuiltTime, Built: v.Built, OsArch: v.OsArch, Os: v.Os, NodeVersion: v.NodeVersion },
  };
}

/** JSON keys whose Go field name is not the key with its first letter upper-cased. */
const GO_NAMES: Record<string, string> = {
  cgroupVersion: 'CgroupsVersion',
  cpus: 'CPUs',
  cpuUtilization: 'CPUUtilization',
  idMappings: 'IDMappings',
  gidmap: 'GIDMap',
  uidmap: 'UIDMap',
  ociRuntime: 'OCIRuntime',
  os: 'OS',
  slirp4netns: 'Slirp4NetNS',
  apparmorEnabled: 'AppArmorEnabled',
  capabilities: 'DefaultCapabilities',
  seccompEnabled: 'SECCOMPEnabled',
  seccompProfilePath: 'SECCOMPProfilePath',
  selinuxEnabled: 'SELinuxEnabled',
};

/**
 * The same document for `--format` templates: podman's templates name its Go fields
 * (`{{.Host.OCIRuntime.Name}}`, `{{.Store.GraphDriverName}}`), its JSON the json tags. Each object
 * gets its Go names as non-enumerable properties beside the JSON keys, so `{{json .}}` still prints
 * the JSON document and earlier templates (`{{.host.arch}}`) keep working.
 */
export function goNames<T>(doc: T): T {
  if (Array.isArray(doc)) return doc.map(goNames) as T;
  if (doc === null || typeof doc !== 'object') return doc;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    const value = goNames(v);
    out[k] = value;
    const go = GO_NAMES[k] ?? (/^[a-z]/.test(k) ? k[0].toUpperCase() + k.slice(1) : k);
    if (go !== k && !(go in out)) Object.defineProperty(out, go, { value, enumerable: false });
  }
  return out as T;
}
