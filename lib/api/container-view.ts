// Containers in Docker's shapes: the list entry of /containers/json and the inspect document,
// built on pman's own (podman-shaped) inspect view, with the fields Docker clients read differently.
import type { Context } from '../context.js';
import { containerPorts, networkSettings } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { containerSizes, type ContainerSizes } from '../container/size.js';
import { inspectView, NO_HEALTH, psRow } from '../container/view.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';

function networkMode(rec: ContainerRecord): string {
  const n = rec.config.network;
  if (!n || n.mode === 'none') return 'none';
  if (n.mode === 'host') return 'host';
  const names = Object.keys(n.networks ?? {});
  return names.length === 1 ? names[0] : 'bridge';
}

function exposedPorts(rec: ContainerRecord): Record<string, object> {
  const out: Record<string, object> = {};
  for (const p of containerPorts(rec)) for (let i = 0; i < p.range; i++) out[`${p.containerPort + i}/${p.protocol}`] = {};
  for (const e of rec.config.network?.expose ?? []) out[e.includes('/') ? e : `${e}/tcp`] = {};
  return out;
}

function dockerPorts(ports: Record<string, Array<{ HostIp: string; HostPort: string }>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, list] of Object.entries(ports ?? {})) out[k] = list.map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort }));
  return out;
}

/**
 * Docker lists the container's short ID among its aliases on every network (compose checks for
 * it to tell a container it already connected from one it must disconnect and connect again).
 */
function withShortId(rec: ContainerRecord, networks: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, n] of Object.entries((networks ?? {}) as Record<string, Record<string, unknown>>)) {
    const aliases = (n.Aliases as string[] | undefined) ?? [];
    out[name] = { ...n, Aliases: [...aliases, shortId(rec.id)] };
  }
  return out;
}

function nonZero(sizes: ContainerSizes): Partial<ContainerSizes> {
  return Object.fromEntries(Object.entries(sizes).filter(([, n]) => n !== 0));
}

function dockerState(state: Record<string, unknown>): Record<string, unknown> {
  if (state.Health !== NO_HEALTH) return state;
  const { Health: _none, ...rest } = state;
  return rest;
}

/** size (?size=1): SizeRw and SizeRootFs, as `inspect --size` fills them. */
export function dockerInspect(ctx: Context, rec: ContainerRecord, { size = false } = {}): Record<string, unknown> {
  const v = inspectView(ctx, rec, { size });
  const config = v.Config as Record<string, unknown>;
  const host = v.HostConfig as Record<string, unknown>;
  const policy = rec.config.restartPolicy;
  const net = v.NetworkSettings as Record<string, unknown>;
  return {
    ...v,
    Name: `/${rec.name}`,
    Image: `sha256:${rec.image}`,
    // Docker has no Health without a check or a result (compose reads its absence as "no check").
    State: dockerState(v.State as Record<string, unknown>),
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    // Docker names the wildcard host address where podman leaves it empty.
    NetworkSettings: { ...net, Ports: dockerPorts(net.Ports as Record<string, Array<{ HostIp: string; HostPort: string }>>), Networks: withShortId(rec, net.Networks) },
    Config: { ...config, ExposedPorts: exposedPorts(rec), Volumes: null, OnBuild: null },
    HostConfig: {
      ...host,
      NetworkMode: networkMode(rec),
      RestartPolicy: { Name: policy?.name ?? 'no', MaximumRetryCount: policy?.maximumRetryCount ?? 0 },
      LogConfig: { Type: rec.config.logDriver, Config: {} },
      Binds: (rec.config.mounts ?? []).filter((m) => m.type !== 'tmpfs').map((m) => `${m.source}:${m.destination}`),
    },
  };
}

/**
 * layerSizes, when given (?size=1), adds SizeRw and SizeRootFs as `ps --size` computes them (the
 * image layers' bytes counted once per listing); as Docker's, a size of 0 is left out.
 */
export function dockerListEntry(ctx: Context, rec: ContainerRecord, layerSizes?: Map<string, number>): Record<string, unknown> {
  const row = psRow(rec, true);
  // Only the networks: the whole inspect view would also read the container's config.json and
  // its exec sessions, for every container listed.
  const net = (networkSettings(ctx, networkHolder(ctx, rec)) as Record<string, unknown>).Networks ?? {};
  const ports: Array<Record<string, unknown>> = [];
  for (const p of containerPorts(rec)) {
    for (let i = 0; i < p.range; i++) {
      ports.push({ IP: p.hostIp || '0.0.0.0', PrivatePort: p.containerPort + i, PublicPort: p.hostPort + i, Type: p.protocol });
    }
  }
  return {
    Id: rec.id,
    Names: [`/${rec.name}`],
    Image: rec.imageName,
    ImageID: `sha256:${rec.image}`,
    Command: [...rec.config.entrypoint, ...rec.config.cmd].join(' '),
    Created: Math.floor(Date.parse(rec.created) / 1000),
    Ports: ports,
    Labels: rec.config.labels,
    State: rec.state.status,
    Status: row.Status,
    ...(layerSizes ? nonZero(containerSizes(ctx, rec, layerSizes)) : {}),
    HostConfig: { NetworkMode: networkMode(rec) },
    NetworkSettings: { Networks: net },
    Mounts: (rec.config.mounts ?? []).map((m) => ({
      Type: m.type,
      Name: m.type === 'volume' ? m.source : '',
      Source: m.source,
      Destination: m.destination,
      Mode: '',
      RW: !m.options.includes('ro'),
      Propagation: '',
    })),
  };
}
