// A user's seccomp profile (--security-opt seccomp=FILE) turned into the OCI form runc takes. Both
// shapes people have are read: the OCI one, and the docker/podman one, whose rules may depend on
// capabilities, architectures and the kernel version (resolved here for this container).
import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import { seccompArchitectures, type SeccompProfile, type SeccompRule } from './seccomp-default.js';

interface Condition {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface FileRule {
  names?: string[];
  name?: string;
  action?: string;
  errnoRet?: number;
  args?: SeccompRule['args'] | null;
  includes?: Condition;
  excludes?: Condition;
}

interface FileProfile {
  defaultAction?: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: Array<{ architecture: string; subArchitectures?: string[] | null }>;
  syscalls?: FileRule[] | null;
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
}

/** Go's architecture names, as docker profiles use them in includes.arches. */
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64', ia32: '386' };

function kernelAtLeast(min: string, release: string): boolean {
  const a = release.split(/[.-]/).map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < b.length; i++) {
    if ((a[i] || 0) !== b[i]) return (a[i] || 0) > b[i];
  }
  return true;
}

function matches(c: Condition | undefined, caps: string[], goArch: string, release: string, any: boolean): boolean {
  if (!c) return !any;
  const tests: boolean[] = [];
  if (c.caps?.length) tests.push(any ? c.caps.some((x) => caps.includes(x)) : c.caps.every((x) => caps.includes(x)));
  if (c.arches?.length) tests.push(c.arches.includes(goArch));
  if (c.minKernel) tests.push(kernelAtLeast(c.minKernel, release));
  if (tests.length === 0) return !any;
  return any ? tests.some(Boolean) : tests.every(Boolean);
}

/** Converts a parsed profile for a container with capability set `caps`. */
export function convertSeccompProfile(p: FileProfile, caps: string[], arch: string = process.arch, release = os.release()): SeccompProfile {
  if (typeof p !== 'object' || p === null || typeof p.defaultAction !== 'string') {
    throw new Error('it has no "defaultAction"');
  }
  const goArch = GO_ARCH[arch] ?? arch;
  let architectures = p.architectures ?? [];
  if (p.archMap?.length) {
    const native = seccompArchitectures(arch)[0];
    const entry = p.archMap.find((m) => m.architecture === native);
    architectures = entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : [];
  }
  const syscalls: SeccompRule[] = [];
  for (const r of p.syscalls ?? []) {
    const names = r.names ?? (r.name ? [r.name] : []);
    if (names.length === 0 || typeof r.action !== 'string') throw new Error('a syscall rule has no names or no action');
    if (!matches(r.includes, caps, goArch, release, false)) continue;
    if (r.excludes && matches(r.excludes, caps, goArch, release, true)) continue;
    const rule: SeccompRule = { names, action: r.action };
    if (r.errnoRet !== undefined) rule.errnoRet = r.errnoRet;
    if (r.args?.length) rule.args = r.args.map((a) => ({ index: a.index, value: a.value, valueTwo: a.valueTwo ?? 0, op: a.op }));
    syscalls.push(rule);
  }
  const out: SeccompProfile = { defaultAction: p.defaultAction, architectures, syscalls };
  if (p.defaultErrnoRet !== undefined) out.defaultErrnoRet = p.defaultErrnoRet;
  if (p.flags?.length) out.flags = p.flags;
  if (p.listenerPath) Object.assign(out, { listenerPath: p.listenerPath, listenerMetadata: p.listenerMetadata ?? '' });
  return out;
}

/** Reads and converts a profile file; any problem is a clear error naming the file. */
export function loadSeccompProfile(file: string, caps: string[]): SeccompProfile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read seccomp profile "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return convertSeccompProfile(JSON.parse(text) as FileProfile, caps);
  } catch (err) {
    throw new InvalidArgumentError(`invalid seccomp profile "${file}": ${(err as Error).message}`);
  }
}
