// Record fields of the device, block I/O and extra CPU/memory flags of create/run (podman's
// --device*, --blkio-*, --cpu-period/-quota/-rt-*, --memory-swappiness, --cgroup-conf). Kept in
// their own file and spread into the container record's schema (container-record.ts), so the
// record stays one description while the flags that fill these live beside each other.
import type { RecordType } from './record-type.js';

const integer = { type: 'integer' } as const;

/** A device node made in the container: --device (with its host path and cgroup access). */
export const deviceSchema = {
  type: 'object',
  required: ['path', 'hostPath', 'type', 'major', 'minor', 'fileMode', 'uid', 'gid', 'access'],
  properties: {
    // Where it appears in the container, and the host node it was read from.
    path: { type: 'string', pattern: '^/' },
    hostPath: { type: 'string', pattern: '^/' },
    type: { enum: ['c', 'b'] },
    major: integer,
    minor: integer,
    fileMode: integer,
    uid: integer,
    gid: integer,
    // The device cgroup's permissions: r, w, m.
    access: { type: 'string', pattern: '^[rwm]{1,3}$' },
  },
} as const;

/** --device-cgroup-rule: absent major/minor = any (*). */
const deviceRuleSchema = {
  type: 'object',
  required: ['type', 'access'],
  properties: { type: { enum: ['a', 'b', 'c'] }, major: integer, minor: integer, access: { type: 'string', pattern: '^[rwm]{1,3}$' } },
} as const;

/** A block device's rate limit: bytes or operations per second. */
const throttleSchema = {
  type: 'object',
  required: ['major', 'minor', 'rate'],
  properties: { major: integer, minor: integer, rate: { type: 'integer', minimum: 0 } },
} as const;

const weightDeviceSchema = {
  type: 'object',
  required: ['major', 'minor', 'weight'],
  properties: { major: integer, minor: integer, weight: { type: 'integer', minimum: 10, maximum: 1000 } },
} as const;

/** Spread into the record's resources properties (all optional; they are cgroup settings). */
export const resourcesExtraProperties = {
  deviceCgroupRule: { type: 'array', items: deviceRuleSchema },
  deviceReadBps: { type: 'array', items: throttleSchema },
  deviceWriteBps: { type: 'array', items: throttleSchema },
  deviceReadIops: { type: 'array', items: throttleSchema },
  deviceWriteIops: { type: 'array', items: throttleSchema },
  blkioWeight: { type: 'integer', minimum: 10, maximum: 1000 },
  blkioWeightDevice: { type: 'array', items: weightDeviceSchema },
  // Microseconds.
  cpuPeriod: integer,
  cpuQuota: integer,
  cpuRtPeriod: integer,
  cpuRtRuntime: integer,
  memorySwappiness: { type: 'integer', minimum: 0, maximum: 100 },
  // --cgroup-conf KEY=VALUE (cgroup v2 files of the container's cgroup).
  cgroupConf: { type: 'object', additionalProperties: { type: 'string' } },
} as const;

export type DeviceConfig = RecordType<typeof deviceSchema>;
export type DeviceRuleConfig = RecordType<typeof deviceRuleSchema>;
export type ThrottleConfig = RecordType<typeof throttleSchema>;
export type WeightDeviceConfig = RecordType<typeof weightDeviceSchema>;
