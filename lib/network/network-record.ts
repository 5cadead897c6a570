// The record of a network (networks/<name>/network.json) and of the addresses handed out on it
// (networks/<name>/allocations.json). The network record keeps netavark's own field names (which
// are also podman's network JSON and `network inspect` keys), so it goes to netavark as it is.
import type { RecordType } from '../state/record-type.js';
import { validatorFor } from '../state/validators.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const subnetSchema = {
  type: 'object',
  required: ['subnet', 'gateway'],
  properties: {
    subnet: { type: 'string' },
    gateway: { type: 'string' },
    // --ip-range: the part of the subnet addresses are handed out from.
    lease_range: {
      type: 'object',
      required: ['start_ip', 'end_ip'],
      properties: { start_ip: { type: 'string' }, end_ip: { type: 'string' } },
    },
  },
} as const;

const schema = {
  type: 'object',
  required: ['version', 'name', 'id', 'driver', 'network_interface', 'created', 'subnets', 'ipv6_enabled', 'internal', 'dns_enabled', 'labels', 'options', 'ipam_options'],
  properties: {
    version: { const: 1 },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    id: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    driver: { const: 'bridge' },
    // The host bridge (pman0, pman1 …: never podman's podman0, podman1 …).
    network_interface: { type: 'string' },
    created: { type: 'string' },
    subnets: { type: 'array', items: subnetSchema, minItems: 1, maxItems: 2 },
    // --ipv6: dual stack, an IPv4 subnet first and an IPv6 one (lib/network/subnet6.ts).
    ipv6_enabled: { type: 'boolean' },
    internal: { type: 'boolean' },
    dns_enabled: { type: 'boolean' },
    labels: stringMap,
    options: stringMap,
    ipam_options: stringMap,
  },
} as const;

export type NetworkRecord = RecordType<typeof schema>;
export type NetworkSubnet = RecordType<typeof subnetSchema>;

export const validateNetworkRecord = validatorFor<NetworkRecord>('networkRecord', schema);

const allocationsSchema = {
  type: 'object',
  required: ['version', 'ips'],
  properties: {
    version: { const: 1 },
    // address -> the ID of the container it is given to
    ips: { type: 'object', additionalProperties: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
    // subnet -> the last address it gave (the next one given is the first free after it:
    // next-address.ts); absent = none yet, from the start of the range.
    last: stringMap,
  },
} as const;

export type AllocationsRecord = RecordType<typeof allocationsSchema>;

export const validateAllocationsRecord = validatorFor<AllocationsRecord>('networkAllocations', allocationsSchema);
