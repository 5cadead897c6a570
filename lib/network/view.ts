// What users see of a network: podman's `network inspect` document (netavark's field names, which
// the record already uses) and the `network ls` row (Go-template fields as podman names them).
import type { NetworkRecord } from './network-record.js';

export function networkInspectView(n: NetworkRecord): Record<string, unknown> {
  const { version: _version, ...rest } = n;
  return rest;
}

export function networkRow(n: NetworkRecord, noTrunc = false): Record<string, unknown> {
  return {
    ID: noTrunc ? n.id : n.id.slice(0, 12),
    Name: n.name,
    Driver: n.driver,
    NetworkInterface: n.network_interface,
    Created: n.created,
    Subnets: n.subnets,
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    Labels: Object.entries(n.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Options: n.options,
  };
}
