// `pman top`: the processes of a running container, found through its cgroup and described from
// /proc, with podman's (ps AIX-style) descriptors. PIDs are shown as the container sees them, user
// names come from the container's own /etc/passwd and /etc/group.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { cgroupPids } from '../cgroup/cgroup.js';
import { parseGroup, parsePasswd } from '../oci/user.js';
import { cgroupPathOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { ConfinedRoot } from '../util/confined-fs.js';
import { goDuration } from '../format/duration.js';
import { reconcile } from './reconcile.js';
import { readProcStat } from '../util/proc.js';
import { assertCan } from '../state/container-status.js';
import { capabilityNames, processLabel, startTime } from './top-extra.js';

/** Descriptor -> header, with the %-letter aliases ps and podman accept. */
const DESCRIPTORS: Record<string, string> = {
  user: 'USER',
  ruser: 'RUSER',
  group: 'GROUP',
  rgroup: 'RGROUP',
  pid: 'PID',
  ppid: 'PPID',
  pgid: 'PGID',
  pcpu: '%CPU',
  etime: 'ELAPSED',
  time: 'TIME',
  tty: 'TTY',
  args: 'COMMAND',
  comm: 'COMMAND',
  nice: 'NI',
  vsz: 'VSZ',
  rss: 'RSS',
  state: 'STATE',
  hpid: 'HPID',
  huser: 'HUSER',
  hgroup: 'HGROUP',
  seccomp: 'SECCOMP',
  capeff: 'EFFECTIVE CAPS',
  capamb: 'AMBIENT CAPS',
  capbnd: 'BOUNDING CAPS',
  capinh: 'INHERITED CAPS',
  capprm: 'PERMITTED CAPS',
  label: 'LABEL',
  groups: 'GROUPS',
  hgroups: 'HGROUPS',
  stime: 'STIME',
};
const ALIASES: Record<string, string> = {
  '%C': 'pcpu',
  '%G': 'group',
  '%P': 'ppid',
  '%U': 'user',
  '%a': 'args',
  '%c': 'comm',
  '%g': 'rgroup',
  '%n': 'nice',
  '%p': 'pid',
  '%r': 'pgid',
  '%t': 'etime',
  '%u': 'ruser',
  '%x': 'time',
  '%y': 'tty',
  '%z': 'vsz',
};

export const DEFAULT_DESCRIPTORS = ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args'];

/** A descriptor (or %-alias) top reads itself; other words go to ps(1) (top-extra.ts). */
export function isDescriptor(word: string): boolean {
  return DESCRIPTORS[ALIASES[word] ?? word.toLowerCase()] !== undefined;
}

/** Splits "pid,user args" into known descriptors. */
export function parseDescriptors(args: string[]): string[] {
  const words = args.flatMap((a) => a.split(/[,\s]+/)).filter(Boolean);
  if (words.length === 0) return DEFAULT_DESCRIPTORS;
  return words.map((w) => {
    const d = ALIASES[w] ?? w.toLowerCase();
    if (!DESCRIPTORS[d]) throw new InvalidArgumentError(`unknown top descriptor "${w}": use ${Object.keys(DESCRIPTORS).join(', ')}`);
    return d;
  });
}

interface ProcInfo {
  hostPid: number;
  pid: number;
  hostPpid: number;
  pgid: number;
  state: string;
  ttyNr: number;
  nice: number;
  cpuTicks: number;
  startTicks: number;
  vsizeKb: number;
  rssKb: number;
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  comm: string;
  args: string;
  seccomp: string;
  capEff: string;
  capAmb: string;
  capBnd: string;
  capInh: string;
  capPrm: string;
  groups: number[];
}

const CLK_TCK = 100;
const PAGE_KB = 4;

function readProc(hostPid: number): ProcInfo | undefined {
  const st = readProcStat(hostPid);
  if (!st) return undefined;
  const { comm, rest: f } = st;
  try {
    const status = fs.readFileSync(`/proc/${hostPid}/status`, 'utf8');
    const cmdline = fs.readFileSync(`/proc/${hostPid}/cmdline`, 'utf8');
    const field = (name: string) => status.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
    const nspid = field('NSpid').split(/\s+/);
    const [uid, euid] = field('Uid').split(/\s+/).map(Number);
    const [gid, egid] = field('Gid').split(/\s+/).map(Number);
    return {
      hostPid,
      pid: Number(nspid[nspid.length - 1]) || hostPid,
      hostPpid: Number(f[1]),
      pgid: Number(f[2]),
      state: f[0],
      ttyNr: Number(f[4]),
      nice: Number(f[16]),
      cpuTicks: Number(f[11]) + Number(f[12]),
      startTicks: Number(f[19]),
      vsizeKb: Math.round(Number(f[20]) / 1024),
      rssKb: Number(f[21]) * PAGE_KB,
      uid,
      euid,
      gid,
      egid,
      comm,
      args: cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1).join(' ') || `[${comm}]`,
      seccomp: ['disabled', 'strict', 'filter'][Number(field('Seccomp'))] ?? '?',
      capEff: field('CapEff'),
      capAmb: field('CapAmb'),
      capBnd: field('CapBnd'),
      capInh: field('CapInh'),
      capPrm: field('CapPrm'),
      groups: field('Groups').split(/\s+/).filter(Boolean).map(Number),
    };
  } catch {
    return undefined; // exited while we looked
  }
}

function uptimeSeconds(): number {
  return Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

function ttyName(nr: number): string {
  if (nr === 0) return '?';
  const major = (nr >> 8) & 0xfff;
  const minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return 'tty';
  return `${major}:${minor}`;
}

/** Name tables from a file ('' -> numbers only). */
function names(text: string, parse: (t: string) => Array<{ name: string; id: number }>): (id: number) => string {
  const m = new Map(parse(text).map((e) => [e.id, e.name]));
  return (id) => m.get(id) ?? String(id);
}

export interface TopResult {
  headers: string[];
  rows: string[][];
}

/** The table of a running container's processes for the given descriptors. */
export async function topContainer(ctx: Context, rec0: ContainerRecord, descriptors: string[]): Promise<TopResult> {
  const rec = await reconcile(ctx, rec0);
  assertCan(rec, 'top');
  const procs = cgroupPids(cgroupPathOf(rec))
    .map(readProc)
    .filter((p): p is ProcInfo => p !== undefined)
    .sort((a, b) => a.pid - b.pid);
  let passwd = '';
  let group = '';
  try {
    const root = ConfinedRoot.open(`/proc/${rec.state.pid}/root`);
    try {
      passwd = root.readFile('/etc/passwd');
      group = root.readFile('/etc/group');
    } finally {
      root.close();
    }
  } catch {
    /* the container is gone or its files unreadable: numeric IDs */
  }
  const user = names(passwd, (t) => parsePasswd(t).map((e) => ({ name: e.name, id: e.uid })));
  const grp = names(group, (t) => parseGroup(t).map((e) => ({ name: e.name, id: e.gid })));
  const hostUser = names(readHost('/etc/passwd'), (t) => parsePasswd(t).map((e) => ({ name: e.name, id: e.uid })));
  const hostGroup = names(readHost('/etc/group'), (t) => parseGroup(t).map((e) => ({ name: e.name, id: e.gid })));
  const nsPid = new Map(procs.map((p) => [p.hostPid, p.pid]));
  const now = uptimeSeconds();
  const cell = (p: ProcInfo, d: string): string => {
    const elapsed = Math.max(0, now - p.startTicks / CLK_TCK);
    switch (d) {
      case 'user':
        return user(p.euid);
      case 'ruser':
        return user(p.uid);
      case 'group':
        return grp(p.egid);
      case 'rgroup':
        return grp(p.gid);
      case 'pid':
        return String(p.pid);
      case 'ppid':
        return String(nsPid.get(p.hostPpid) ?? 0);
      case 'pgid':
        return String(nsPid.get(p.pgid) ?? p.pgid);
      case 'pcpu':
        return (elapsed > 0 ? (p.cpuTicks / CLK_TCK / elapsed) * 100 : 0).toFixed(3);
      case 'etime':
        return goDuration(elapsed * 1e9);
      case 'time':
        return goDuration((p.cpuTicks / CLK_TCK) * 1e9);
      case 'tty':
        return ttyName(p.ttyNr);
      case 'args':
        return p.args;
      case 'comm':
        return p.comm;
      case 'nice':
        return String(p.nice);
      case 'vsz':
        return String(p.vsizeKb);
      case 'rss':
        return String(p.rssKb);
      case 'state':
        return p.state;
      case 'hpid':
        return String(p.hostPid);
      case 'huser':
        return hostUser(p.euid);
      case 'hgroup':
        return hostGroup(p.egid);
      case 'seccomp':
        return p.seccomp;
      case 'capamb':
        return capabilityNames(p.capAmb);
      case 'capbnd':
        return capabilityNames(p.capBnd);
      case 'capinh':
        return capabilityNames(p.capInh);
      case 'capprm':
        return capabilityNames(p.capPrm);
      case 'label':
        return processLabel(p.hostPid);
      case 'groups':
        return p.groups.map(grp).join(',');
      case 'hgroups':
        return p.groups.join(',');
      case 'stime':
        return startTime(p.startTicks, CLK_TCK);
      default:
        return capabilityNames(p.capEff);
    }
  };
  return { headers: descriptors.map((d) => DESCRIPTORS[d]), rows: procs.map((p) => descriptors.map((d) => cell(p, d))) };
}

function readHost(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
