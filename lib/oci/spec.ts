// Generates the OCI runtime spec (config.json) for a container from its record. Each concern has its
// own generator (spec-mounts, spec-resources, spec-security, spec-identity); this file puts their
// parts together. Defaults follow podman's.
import fs from 'node:fs';
import { cgroupPathOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { specAnnotations, specNamespaces } from './spec-identity.js';
import { INIT_PATH, specMounts } from './spec-mounts.js';
import { RLIM_INFINITY_TEXT, RLIM_INFINITY_TOKEN, specOomScoreAdj, specResources, specRlimits, type HostLimits } from './spec-resources.js';
import type { SeccompProfile } from './seccomp-default.js';
import { specSecurity, type HostDevice } from './spec-security.js';

export { DEFAULT_CAPS, MASKED_PATHS, READONLY_PATHS } from './spec-security.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export { DEFAULT_PIDS_LIMIT } from './spec-resources.js';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

export interface SpecInputs {
  rec: ContainerRecord;
  rootfs: string;
  user: ResolvedUser;
  /** Files pman generates per container, bind-mounted over the image's. */
  etcFiles: { hostname: string; hosts: string; resolvConf: string; containerEnv?: string };
  hostLimits: HostLimits;
  /** Host directory of a named volume's data (needed when the record has volume mounts). */
  volumePath?: (name: string) => string;
  /** Host path of the init binary (catatonit) for --init. */
  initPath?: string;
  /** A --security-opt seccomp=FILE profile, already read and converted. */
  seccompProfile?: SeccompProfile;
  /** The host's devices, for --privileged. */
  hostDevices?: HostDevice[];
  /** The image's architecture (see specSeccomp). */
  imageArchitecture?: string;
  /** A terminal's initial size (runc sets it on the pty before the process starts). */
  consoleSize?: { rows: number; cols: number };
  /** The network namespace pman made for a bridge-networked container (spec-network.ts). */
  netnsPath?: string;
  /** Namespaces joined by path (OCI type -> path): a pod member's, its infra's (docs/pods.md). */
  joinedNamespaces?: Record<string, string>;
}

/**
 * The process environment: image/user env plus the defaults podman adds when missing (TERM=xterm
 * with or without -t: podman's default containers.conf env). Without home, no HOME (the user is
 * not resolved).
 */
export function processEnv(rec: ContainerRecord, home?: string): string[] {
  const env = [...rec.config.env];
  const has = (k: string) => env.some((e) => e.startsWith(`${k}=`));
  if (!has('PATH')) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (!has('TERM')) env.push('TERM=xterm');
  if (!has('container')) env.push('container=pman');
  if (!has('HOSTNAME')) env.push(`HOSTNAME=${rec.config.hostname}`);
  if (home !== undefined && !has('HOME')) env.push(`HOME=${home}`);
  return env;
}

export function generateSpec(inp: SpecInputs): Record<string, unknown> {
  const { rec } = inp;
  let args = [...rec.config.entrypoint, ...rec.config.cmd];
  if (rec.config.init) args = [INIT_PATH, '--', ...args];
  const security = specSecurity({ rec, uid: inp.user.uid, seccompProfile: inp.seccompProfile, hostDevices: inp.hostDevices, imageArchitecture: inp.imageArchitecture });
  const annotations = specAnnotations(rec);
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: rec.config.tty,
      ...(rec.config.tty && inp.consoleSize ? { consoleSize: { height: inp.consoleSize.rows, width: inp.consoleSize.cols } } : {}),
      user: { uid: inp.user.uid, gid: inp.user.gid, additionalGids: inp.user.additionalGids },
      args,
      env: processEnv(rec, inp.user.home),
      cwd: rec.config.workingDir || '/',
      capabilities: security.capabilities,
      rlimits: specRlimits(rec, inp.hostLimits),
      noNewPrivileges: security.noNewPrivileges,
      oomScoreAdj: specOomScoreAdj(rec),
    },
    root: { path: inp.rootfs, readonly: rec.config.readOnly === true },
    // A joined UTS namespace keeps its owner's host name (runc refuses to set one there).
    ...(inp.joinedNamespaces?.uts ? {} : { hostname: rec.config.hostname }),
    mounts: specMounts({ rec, etcFiles: inp.etcFiles, volumePath: inp.volumePath ?? noVolumes, initPath: inp.initPath }),
    ...(annotations ? { annotations } : {}),
    linux: {
      cgroupsPath: cgroupPathOf(rec),
      resources: specResources(rec),
      namespaces: specNamespaces(rec, inp.netnsPath, inp.joinedNamespaces),
      ...security.linux,
    },
  };
}

function noVolumes(name: string): string {
  throw new Error(`no volume store was given for volume "${name}"`);
}

/** Reads config.json text back (unlimited rlimits as the token serializeSpec turns back into 2^64-1). */
export function parseSpec(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(new RegExp(`(:\\s*)${RLIM_INFINITY_TEXT}\\b`, 'g'), `$1"${RLIM_INFINITY_TOKEN}"`)) as Record<string, unknown>;
}

/** config.json text: JSON, except that unlimited rlimits get the exact 2^64-1 JSON numbers cannot hold. */
export function serializeSpec(spec: Record<string, unknown>): string {
  return JSON.stringify(spec, null, 2).replaceAll(`"${RLIM_INFINITY_TOKEN}"`, RLIM_INFINITY_TEXT) + '\n';
}

/** The host's hard limits: a container's default rlimits must fit under them (runc fails otherwise). */
export function hostHardLimits(): { nofile: number; nproc: number } {
  let nofile = 1048576;
  let nproc = 4194304;
  try {
    const text = fs.readFileSync('/proc/self/limits', 'utf8');
    const hard = (label: string) => {
      const line = text.split('\n').find((l) => l.startsWith(label));
      const v = line?.slice(26).trim().split(/\s+/)[1];
      return v && v !== 'unlimited' ? Number(v) : Infinity;
    };
    nofile = Math.min(nofile, hard('Max open files'));
    nproc = Math.min(nproc, hard('Max processes'));
  } catch {
    /* keep the defaults */
  }
  return { nofile, nproc };
}
