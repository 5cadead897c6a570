// What users see of a network: podman's `network inspect` document (netavark's field names, which
// the record already uses) and the `network ls` row (Go-template fields as podman names them).
import { goTime } from '../format/go-time.js';
import type { NetworkRecord } from './network-record.js';

export function networkInspectView(n: NetworkRecord): Record<string, unknown> {
  const { version: _version, ...rest } = n;
  // A Go time: RFC3339Nano in JSON (no trailing zeros), as podman writes it.
  return { ...rest, created: goTime(n.created) };
}

export function networkRow(n: NetworkRecord, noTrunc = false): Record<string, unknown> {
  return {
    ID: noTrunc ? n.id : n.id.slice(0, 12),
    Name: n.name,
    Driver: n.driver,
    NetworkInterface: n.network_interface,
    Created: goTime(n.created),
    Subnets: n.subnets.map(goSubnet),
    IPv6Enabled: n.ipv6_enabled,
    Internal: n.internal,
    DNSEnabled: n.dns_enabled,
    Labels: Object.entries(n.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Options: n.options,
  };
}

/**
 * A subnet as podman's Go struct: templates read `{{.Subnet}} {{.Gateway}}` (podman's field names,
 * getters here), `{{json .Subnets}}` prints netavark's keys (the struct's JSON tags, own fields).
 */
class GoSubnet {
  constructor(
    readonly subnet: string,
    readonly gateway: string,
    readonly lease_range?: { start_ip: string; end_ip: string },
  ) {}

  get Subnet(): string {
    return this.subnet;
  }

  get Gateway(): string {
    return this.gateway;
  }

  get LeaseRange(): { StartIP: string; EndIP: string } | null {
    return this.lease_range ? { StartIP: this.lease_range.start_ip, EndIP: this.lease_range.end_ip } : null;
  }
}

function goSubnet(s: NetworkRecord['subnets'][number]): GoSubnet {
  return new GoSubnet(s.subnet, s.gateway, s.lease_range);
}

/** What an inspect template sees: the document, the Go field names, and Labels as podman's map. */
export function networkTemplateView(n: NetworkRecord): Record<string, unknown> {
  return { ...networkInspectView(n), ...networkRow(n, true), Labels: Object.assign(Object.create(null) as Record<string, string>, n.labels) };
}
