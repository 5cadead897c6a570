// /networks/…: pman's bridge networks in Docker's shape (compose creates, inspects, connects and
// removes its project network here).
import { connectContainer, disconnectContainer } from '../container/network-connect.js';
import { removeNetwork } from '../container/remove-network.js';
import { createNetwork } from '../network/create.js';
import type { NetworkRecord } from '../network/network-record.js';
import { loadNetwork } from '../network/networks.js';
import { listNetworksFiltered, pruneNetworks } from '../network/remove.js';
import { listContainers } from '../state/containers.js';
import { isRunning } from '../state/container-status.js';
import type { Call } from './call.js';
import { ApiError, obj, qFilters, str, strList } from './http.js';
import { route, type Route } from './router.js';

function dockerNetwork(call: Call, n: NetworkRecord): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const c of listContainers(call.ctx)) {
    const entry = c.config.network?.networks?.[n.name];
    if (entry && isRunning(c)) containers[c.id] = { Name: c.name, EndpointID: '', MacAddress: entry.mac ?? '', IPv4Address: entry.ip ?? '', IPv6Address: entry.ip6 ?? '' };
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: n.created,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: n.ipv6_enabled,
    IPAM: { Driver: 'default', Options: {}, Config: n.subnets.map((s) => ({ Subnet: s.subnet, Gateway: s.gateway })) },
    Internal: n.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: n.options,
    Labels: n.labels,
  };
}

/** Docker calls pman's default network "bridge". */
function ref(name: string): string {
  return name === 'bridge' ? 'pman' : name;
}

async function list(call: Call): Promise<void> {
  call.json(200, listNetworksFiltered(call.ctx, qFilters(call.query)).map((n) => dockerNetwork(call, n)));
}

async function inspect(call: Call): Promise<void> {
  call.json(200, dockerNetwork(call, loadNetwork(call.ctx, ref(call.params[0]))));
}

async function create(call: Call): Promise<void> {
  const body = await call.body();
  const name = str(body, 'Name');
  if (!name) throw new ApiError(400, 'invalid network config: Name is required');
  const driver = str(body, 'Driver');
  const ipam = (obj(body, 'IPAM').Config as Array<Record<string, unknown>> | null | undefined) ?? [];
  const rec = await createNetwork(call.ctx, {
    name,
    driver: driver || 'bridge',
    subnets: ipam.flatMap((c) => str(c, 'Subnet') || []),
    gateways: ipam.flatMap((c) => str(c, 'Gateway') || []),
    ipRanges: ipam.flatMap((c) => str(c, 'IPRange') || []),
    ipv6: body.EnableIPv6 === true,
    internal: body.Internal === true,
    labels: obj(body, 'Labels') as Record<string, string>,
    options: Object.fromEntries(Object.entries(obj(body, 'Options')).filter(([k]) => !k.startsWith('com.docker.network.'))) as Record<string, string>,
  });
  call.json(201, { Id: rec.id, Warning: '' });
}

async function remove(call: Call): Promise<void> {
  await removeNetwork(call.ctx, ref(call.params[0]), { force: false });
  call.empty(204);
}

async function connect(call: Call): Promise<void> {
  const body = await call.body();
  const container = str(body, 'Container');
  if (!container) throw new ApiError(400, 'invalid request: Container is required');
  const ep = obj(body, 'EndpointConfig');
  await connectContainer(call.ctx, container, ref(call.params[0]), {
    aliases: strList(ep, 'Aliases') ?? undefined,
    ip: str(obj(ep, 'IPAMConfig'), 'IPv4Address') || undefined,
    ip6: str(obj(ep, 'IPAMConfig'), 'IPv6Address') || undefined,
  });
  call.empty(200);
}

async function disconnect(call: Call): Promise<void> {
  const body = await call.body();
  const container = str(body, 'Container');
  if (!container) throw new ApiError(400, 'invalid request: Container is required');
  await disconnectContainer(call.ctx, container, ref(call.params[0]));
  call.empty(200);
}

async function prune(call: Call): Promise<void> {
  call.json(200, { NetworksDeleted: await pruneNetworks(call.ctx, qFilters(call.query)) });
}

export function networkRoutes(): Route[] {
  return [
    route('GET', '/networks', list),
    route('POST', '/networks/create', create),
    route('POST', '/networks/prune', prune),
    route('GET', '/networks/{id}', inspect),
    route('DELETE', '/networks/{id}', remove),
    route('POST', '/networks/{id}/connect', connect),
    route('POST', '/networks/{id}/disconnect', disconnect),
  ];
}
