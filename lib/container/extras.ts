// podman's run/create flags of #20, part 1, checked against the host and other containers and
// turned into the record's `extras` (lib/state/container-extras.ts) at create; the OCI spec side
// is lib/oci/spec-extras.ts, the shim side lib/shim/run-extras.ts, the start side
// lib/container/extras-start.ts. Loaded only when one of these flags is given.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { parsePasswd } from '../oci/user.js';
import { DEFAULT_PATH, type ResolvedUser } from '../oci/spec.js';
import type { ExtrasConfig, NamespaceConfig } from '../state/container-record.js';
import type { ImageRecord } from '../image/image-record.js';
import { resolveContainer } from '../state/containers.js';
import {
  checkCgroupsMode,
  checkTimeZoneName,
  expandEnvMerge,
  NS_FLAG,
  parseAttach,
  parseCount,
  parseNamespace,
  parsePersonality,
  parseShmSize,
  parseSysctls,
  parseSystemdMode,
  parseUmask,
  passwdEntry,
  runsSystemd,
  type NamespaceKind,
  type SharedNamespaces,
} from './parse/extras.js';
import { applyExtrasConf, type ExtrasConfDefaults } from './extras-conf.js';
import { mergeEnv } from './parse/env.js';
import { containerCgroupPath } from '../cgroup/cgroup.js';
import { parseCgroupParent } from '../cgroup/parent.js';
import { rootlessUnsupported } from '../rootless/unsupported.js';

/** The flags as given (lib/commands/create-podman-flags.ts). */
export interface ExtrasOptions {
  cwd: string;
  /** pman's own NOTIFY_SOCKET, for --sdnotify conmon. */
  notifySocket?: string;
  attach: string[];
  pidfile?: string;
  conmonPidfile?: string;
  timeout?: string;
  requires: string[];
  rootfs: boolean;
  initCtr?: string;
  pid?: string;
  ipc?: string;
  uts?: string;
  cgroupns?: string;
  cgroupParent?: string;
  cgroups?: string;
  shmSize?: string;
  sysctls: string[];
  personality?: string;
  tz?: string;
  umask?: string;
  unsetenv: string[];
  unsetenvAll: boolean;
  envMerge: string[];
  passwd: boolean;
  passwdEntry?: string;
  hostusers: string[];
  noHosts: boolean;
  chrootDirs: string[];
  preserveFds?: string;
  sdnotify?: string;
  systemd?: string;
  seccompPolicy?: string;
  /** containers.conf's defaults for the flags above that were not given (lib/container/conf-defaults.ts). */
  conf?: ExtrasConfDefaults;
}

/** The options when none of these flags was given (a systemd command still gets --systemd's default). */
export function noExtras(): ExtrasOptions {
  return { cwd: '/', attach: [], requires: [], rootfs: false, sysctls: [], unsetenv: [], unsetenvAll: false, envMerge: [], passwd: true, hostusers: [], noHosts: false, chrootDirs: [] };
}

/** What create.ts knows when it prepares these flags. */
export interface ExtrasFacts {
  command: string[];
  user: ResolvedUser;
  /** The image's /etc/passwd text. */
  passwdText: string;
  /** The container's network mode (host: no net.* sysctls). */
  networkMode?: string;
  /** --add-host entries given (podman refuses them with --no-hosts). */
  addHosts: number;
  /** The image's environment and the environment given (host env, env files, -e), in order. */
  imageEnv: string[];
  givenEnv: string[][];
  stopSignalGiven: boolean;
  /** --rootfs: the directory and whether it is overlaid (:O). */
  rootfsDir?: string;
  rootfsOverlay?: boolean;
  /** The OCI runtime binary (runc before 1.2 ignores linux.personality). */
  runtime: string;
  /** The new container's ID (its cgroup path under --cgroup-parent). */
  id: string;
}

export interface PreparedExtras {
  extras: ExtrasConfig;
  env: string[];
  /** --uts host: the host's name, unless --hostname was given. */
  hostname?: string;
  /** --systemd: SIGRTMIN+3, unless --stop-signal was given. */
  stopSignal?: string;
}

const absolute = (p: string, cwd: string) => path.resolve(cwd, p);

/** The namespaces the container does not own (the host's or another container's): no sysctls there. */
function sharedNamespaces(ns: ExtrasConfig['namespaces'], networkMode: string | undefined): SharedNamespaces {
  const notOwn = (m: NamespaceConfig | undefined) => m !== undefined && m.mode !== 'private' && m.mode !== 'shareable' && m.mode !== 'none';
  return { net: networkMode === 'host' || networkMode === 'container' || networkMode === 'ns', ipc: notOwn(ns?.ipc), uts: notOwn(ns?.uts) };
}

function containerId(ctx: Context, ref: string, flag: string): string {
  try {
    return resolveContainer(ctx, ref).id;
  } catch (err) {
    if (err instanceof NotFoundError) throw new InvalidArgumentError(`invalid ${flag}: no container "${ref}"`);
    throw err;
  }
}

function namespaces(ctx: Context, o: ExtrasOptions): ExtrasConfig['namespaces'] {
  const given: Array<[NamespaceKind, string | undefined]> = [['pid', o.pid], ['ipc', o.ipc], ['uts', o.uts], ['cgroup', o.cgroupns]];
  const out: NonNullable<ExtrasConfig['namespaces']> = {};
  for (const [kind, value] of given) {
    if (value === undefined) continue;
    const ns = parseNamespace(kind, value);
    let cfg: NamespaceConfig;
    if (ns.mode === 'container') cfg = { mode: 'container', container: containerId(ctx, ns.ref, `${NS_FLAG[kind]} "${value}"`) };
    else if (ns.mode === 'ns') {
      if (!fs.existsSync(ns.path)) throw new InvalidArgumentError(`invalid ${NS_FLAG[kind]} "${value}": no such namespace file`);
      cfg = { mode: 'ns', path: ns.path };
    } else cfg = { mode: ns.mode };
    out[kind] = cfg;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The time zone file the container's /etc/localtime shows: the host's own, or /usr/share/zoneinfo/NAME. */
export function zoneFile(tz: string, what = '--tz'): string {
  checkTimeZoneName(tz, what);
  const file = tz === 'local' ? '/etc/localtime' : path.join('/usr/share/zoneinfo', tz);
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
    return fs.realpathSync(file);
  } catch {
    throw new InvalidArgumentError(tz === 'local' ? `${what} local: the host has no /etc/localtime; give a zone name` : `invalid ${what} "${tz}": unknown time zone (no ${file} on the host)`);
  }
}

/** A host user's /etc/passwd line, by name or UID. */
function hostUserLine(ref: string): string {
  const text = fs.readFileSync('/etc/passwd', 'utf8');
  const line = text.split('\n').find((l) => {
    const f = l.split(':');
    return f.length === 7 && (f[0] === ref || f[2] === ref);
  });
  if (!line) throw new InvalidArgumentError(`invalid --hostuser "${ref}": no such user in the host's /etc/passwd`);
  return line;
}

function passwdLines(o: ExtrasOptions, f: ExtrasFacts): string[] {
  if (!o.passwd) return [];
  const have = parsePasswd(f.passwdText);
  const lines: string[] = [];
  if (o.passwdEntry !== undefined && !have.some((p) => p.uid === f.user.uid)) {
    const username = String(f.user.uid);
    lines.push(passwdEntry(o.passwdEntry, { username, uid: f.user.uid, gid: f.user.gid, name: username, home: f.user.home }));
  }
  for (const u of o.hostusers) {
    const line = hostUserLine(u);
    if (!have.some((p) => p.name === line.split(':')[0])) lines.push(line);
  }
  return lines;
}

function environment(o: ExtrasOptions, f: ExtrasFacts): string[] {
  const unset = new Set(o.unsetenv);
  const imageEnv = o.unsetenvAll ? [] : f.imageEnv.filter((e) => !unset.has(e.split('=')[0]));
  let env = mergeEnv(imageEnv, ...f.givenEnv);
  // ${PATH} of an image without PATH is the default PATH the container would get (processEnv).
  for (const m of o.envMerge) env = mergeEnv(env, [expandEnvMerge(m, env.some((e) => e.startsWith('PATH=')) ? env : [`PATH=${DEFAULT_PATH}`, ...env])]);
  return env;
}

/** runc applies linux.personality from 1.2 on; an older one would silently run the container as LINUX. */
function checkPersonalitySupport(runtime: string): void {
  let text = '';
  try {
    text = execFileSync(runtime, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    /* unknown: refused below */
  }
  const m = /version (\d+)\.(\d+)/.exec(text);
  if (!m || Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 2)) {
    throw new InvalidArgumentError(`--personality LINUX32 is not supported with ${runtime} ${m ? `${m[1]}.${m[2]}` : '(version unknown)'}: runc applies a personality from version 1.2 on, and would run the container as LINUX`);
  }
}

/**
 * --rootfs PATH[:O]: an exploded root file system instead of an image. It is the container's one
 * overlay layer either way; without :O the container runs in PATH itself (applyExtrasSpec sets
 * the spec's root), with :O in the overlay, so PATH stays unchanged. The stand-in image has no ID
 * (nothing counts it as an image's user) and the directory as its name.
 */
export function rootfsImage(arg: string, cwd: string): { dir: string; overlay: boolean; image: ImageRecord } {
  const overlay = arg.endsWith(':O');
  const dir = path.resolve(cwd, overlay ? arg.slice(0, -2) : arg);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`invalid --rootfs "${arg}": no such directory; give the root file system's directory (PATH or PATH:O)`);
  if (dir === '/') throw new InvalidArgumentError('invalid --rootfs "/": the host\'s own root cannot be a container\'s');
  const image: ImageRecord = { id: '', names: [dir], digest: '', created: new Date(0).toISOString(), size: 0, architecture: os.arch() === 'x64' ? 'amd64' : os.arch(), os: 'linux', config: {}, layers: [], diffIds: [] };
  return { dir, overlay, image };
}

/**
 * --cgroup-parent of a container (a pod's members get the pod's cgroup as theirs:
 * lib/container/create.ts) or of a pod: the cgroup path `under` names below the checked parent,
 * undefined for the default. Rootless containers have no cgroup to place.
 */
export function cgroupPathFor(ctx: Context, given: string | undefined, under: (parent: string) => string): string | undefined {
  const parent = given === undefined ? undefined : parseCgroupParent(given);
  if (parent === undefined) return undefined;
  if (ctx.rootless) throw rootlessUnsupported('--cgroup-parent', "it places the container's cgroup, and rootless containers get none (an unprivileged user cannot create cgroups on cgroup v1, and pman uses no delegated v2 subtree; podman's runc fails the same way at start)");
  return under(parent);
}

/** Checks these flags and computes the record's extras; creates nothing. */
export function prepareExtras(ctx: Context, o: ExtrasOptions, f: ExtrasFacts): PreparedExtras {
  if (o.initCtr !== undefined) throw new InvalidArgumentError('--init-ctr is not supported: pman pods have no init containers (use --requires to order starts)');
  if (o.preserveFds !== undefined && parseCount(o.preserveFds, '--preserve-fds') > 0) {
    throw new InvalidArgumentError('--preserve-fds is not supported by pman create: pman passes descriptors to the process that starts with them, with pman run (and pman exec)');
  }
  if (o.cgroups !== undefined) checkCgroupsMode(o.cgroups);
  if (o.seccompPolicy !== undefined && o.seccompPolicy !== 'default') {
    throw new InvalidArgumentError(o.seccompPolicy === 'image' ? "--seccomp-policy image is not supported yet: use --security-opt seccomp=FILE with the image's profile" : `invalid --seccomp-policy "${o.seccompPolicy}": use default or image`);
  }
  if (o.sdnotify !== undefined && o.sdnotify !== 'conmon' && o.sdnotify !== 'ignore') {
    throw new InvalidArgumentError(o.sdnotify === 'container' ? '--sdnotify container is not supported: pman does not proxy the NOTIFY_SOCKET into containers; use conmon (READY=1 once the container runs) or ignore' : `invalid --sdnotify "${o.sdnotify}": use conmon or ignore`);
  }
  const x: ExtrasConfig = {};
  const cgroupPath = cgroupPathFor(ctx, o.cgroupParent, (parent) => containerCgroupPath(f.id, parent));
  if (cgroupPath) x.cgroupPath = cgroupPath;
  if (o.rootfs) {
    x.rootfs = f.rootfsDir;
    if (f.rootfsOverlay) x.rootfsOverlay = true;
  }
  const attach = parseAttach(o.attach);
  if (attach.length) x.attach = attach;
  if (o.pidfile !== undefined) x.pidfile = absolute(o.pidfile, o.cwd);
  if (o.conmonPidfile !== undefined) x.conmonPidfile = absolute(o.conmonPidfile, o.cwd);
  if (o.timeout !== undefined) {
    const t = parseCount(o.timeout, '--timeout');
    if (t > 0) x.timeout = t;
  }
  const requires = o.requires.flatMap((r) => r.split(',')).filter(Boolean);
  if (requires.length) x.requires = [...new Set(requires.map((r) => containerId(ctx, r, `--requires "${r}"`)))];
  const ns = namespaces(ctx, o);
  if (ns) x.namespaces = ns;
  if (o.shmSize !== undefined) {
    const ipc = ns?.ipc?.mode;
    if (ipc === 'host' || ipc === 'container' || ipc === 'none') throw new InvalidArgumentError(`--shm-size cannot be used with --ipc ${o.ipc}: the container has no /dev/shm of its own`);
    x.shmSize = parseShmSize(o.shmSize);
  }
  const shared = sharedNamespaces(ns, f.networkMode);
  if (o.sysctls.length) x.sysctls = parseSysctls(o.sysctls, shared);
  if (o.personality !== undefined) {
    x.personality = parsePersonality(o.personality);
    if (x.personality === 'LINUX32') checkPersonalitySupport(f.runtime);
  }
  if (o.tz !== undefined) {
    zoneFile(o.tz);
    x.tz = o.tz;
  }
  if (o.umask !== undefined) x.umask = parseUmask(o.umask);
  if (o.unsetenv.length) x.unsetenv = o.unsetenv;
  if (o.unsetenvAll) x.unsetenvAll = true;
  if (o.noHosts) {
    if (f.addHosts > 0) throw new InvalidArgumentError('--no-hosts and --add-host cannot be used together: without /etc/hosts there is nowhere to add the entries');
    x.noHosts = true;
  }
  const chroots = o.chrootDirs.flatMap((d) => d.split(',')).filter(Boolean);
  for (const d of chroots) {
    if (!d.startsWith('/') || d.split('/').includes('..')) throw new InvalidArgumentError(`invalid --chrootdirs "${d}": use an absolute path inside the container`);
  }
  if (chroots.length) x.chrootDirs = chroots.map((d) => path.posix.normalize(d));
  const systemd = o.systemd === undefined ? 'true' : parseSystemdMode(o.systemd);
  if (systemd === 'always' || (systemd === 'true' && runsSystemd(f.command))) x.systemd = true;
  const lines = passwdLines(o, f);
  if (lines.length) x.passwdLines = lines;
  if (o.conf) applyExtrasConf(x, o.conf, { shared, ipcMode: ns?.ipc?.mode, addHosts: f.addHosts, zoneFile });
  if (o.sdnotify === 'conmon' && o.notifySocket?.startsWith('/')) {
    x.sdnotify = 'conmon';
    x.notifySocket = o.notifySocket;
  } else if (o.sdnotify === 'ignore') x.sdnotify = 'ignore';
  return {
    extras: x,
    env: environment(o, f),
    hostname: ns?.uts?.mode === 'host' ? os.hostname() : ns?.uts?.mode === 'container' ? resolveContainer(ctx, ns.uts.container!).config.hostname : undefined,
    stopSignal: x.systemd && !f.stopSignalGiven ? 'SIGRTMIN+3' : undefined,
  };
}
