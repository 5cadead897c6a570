// --device, --device-cgroup-rule and the --device-{read,write}-{bps,iops} throttles of create/run,
// with podman's syntax. The host's device nodes are looked up here (stat), so a missing or wrong
// path fails at create, naming the flag; the results are record fields (lib/state/resources-extra-schema.ts).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { deviceNumbers, hostDevices } from '../../oci/host-devices.js';
import type { DeviceConfig, DeviceRuleConfig, ThrottleConfig } from '../../state/resources-extra-schema.js';
import { parseBytes } from './resources.js';

const ACCESS = /^[rwm]{1,3}$/;

/** Looks a host path up: stat (following links, as podman) or an error naming the flag. */
function statDevice(hostPath: string, flag: string, spec: string): fs.Stats {
  try {
    return fs.statSync(hostPath);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new InvalidArgumentError(`invalid ${flag} "${spec}": ${hostPath}: ${why}`);
  }
}

/**
 * `--device HOST[:CONTAINER][:PERMS]`: the node (or every node under a directory) made in the
 * container with the host's numbers and mode, and allowed in its device cgroup with PERMS (rwm).
 */
export function parseDevice(spec: string): DeviceConfig[] {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new InvalidArgumentError(`invalid --device "${spec}": use HOST[:CONTAINER][:PERMISSIONS], e.g. /dev/fuse or /dev/sdc:/dev/xvdc:rw`);
  const hostPath = parts[0];
  let target = hostPath;
  let access = 'rwm';
  if (parts.length === 3) [, target, access] = parts;
  else if (parts.length === 2) {
    if (ACCESS.test(parts[1])) access = parts[1];
    else target = parts[1];
  }
  if (!path.isAbsolute(hostPath) || !path.isAbsolute(target)) throw new InvalidArgumentError(`invalid --device "${spec}": device paths must be absolute`);
  if (!ACCESS.test(access)) throw new InvalidArgumentError(`invalid --device "${spec}": permissions "${access}" must be a combination of r, w and m`);
  target = path.posix.normalize(target);
  const st = statDevice(hostPath, '--device', spec);
  if (st.isDirectory()) {
    // podman: every device below a directory, at the same place below the container path.
    const found = hostDevices(hostPath);
    if (found.length === 0) throw new InvalidArgumentError(`invalid --device "${spec}": ${hostPath} holds no device nodes`);
    return found.map((d) => ({ ...d, hostPath: d.path, path: path.posix.join(target, path.relative(hostPath, d.path)), access }));
  }
  if (!st.isCharacterDevice() && !st.isBlockDevice()) throw new InvalidArgumentError(`invalid --device "${spec}": ${hostPath} is not a device node`);
  const { major, minor } = deviceNumbers(st.rdev);
  return [{ path: target, hostPath, type: st.isCharacterDevice() ? 'c' : 'b', major, minor, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid, access }];
}

/** `--device-cgroup-rule 'c 1:3 mr'` (type a, b or c; numbers or *; access rwm), as the kernel's devices.allow. */
export function parseDeviceRule(spec: string): DeviceRuleConfig {
  const m = /^([abc]) (\*|[0-9]+):(\*|[0-9]+) ([rwm]{1,3})$/.exec(spec.trim());
  if (!m) throw new InvalidArgumentError(`invalid --device-cgroup-rule "${spec}": use "TYPE MAJOR:MINOR ACCESS", e.g. 'c 1:3 mr' (type a, b or c; * for any number)`);
  const rule: DeviceRuleConfig = { type: m[1] as DeviceRuleConfig['type'], access: m[4] };
  if (m[2] !== '*') rule.major = Number(m[2]);
  if (m[3] !== '*') rule.minor = Number(m[3]);
  return rule;
}

/** A block device's numbers, for the throttle and weight flags. */
export function blockDevice(devicePath: string, flag: string, spec: string): { major: number; minor: number } {
  const st = statDevice(devicePath, flag, spec);
  if (!st.isBlockDevice()) throw new InvalidArgumentError(`invalid ${flag} "${spec}": ${devicePath} is not a block device`);
  return deviceNumbers(st.rdev);
}

/** `--device-read-bps /dev/sda:1mb` (bytes with units) or `--device-read-iops /dev/sda:1000` (a count). */
export function parseThrottle(spec: string, flag: string, unit: 'bytes' | 'count'): ThrottleConfig {
  const at = spec.lastIndexOf(':');
  if (at <= 0) throw new InvalidArgumentError(`invalid ${flag} "${spec}": use DEVICE:RATE, e.g. /dev/sda:${unit === 'bytes' ? '1mb' : '1000'}`);
  const rateText = spec.slice(at + 1);
  let rate: number;
  if (unit === 'bytes') rate = parseBytes(rateText, flag);
  else {
    if (!/^[0-9]+$/.test(rateText)) throw new InvalidArgumentError(`invalid ${flag} "${spec}": the rate must be a whole number of operations per second`);
    rate = Number(rateText);
  }
  return { ...blockDevice(spec.slice(0, at), flag, spec), rate };
}
