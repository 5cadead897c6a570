// `pman network connect/disconnect/reload`: a container's networks changed after create, running
// or not. The record is changed under the container's lock; a running container is wired or
// unwired for that one network on the namespace it has (lib/network/rewire.ts); its /etc/hosts and
// /etc/resolv.conf are rewritten in place (they are bind-mounted: a rename would not be seen).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, InvalidStateError } from '../errors.js';
import { allocateAddress, releaseAddresses } from '../network/ipam.js';
import { loadNetwork } from '../network/networks.js';
import { rewire, unwireOne, wireOneMore } from '../network/rewire.js';
import { isWired, wiredAddresses } from '../network/wiring.js';
import { bridgeEtc } from '../oci/spec-network.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { listContainers, resolveContainer, updateContainer } from '../state/containers.js';
import { objectEvent } from '../events/events-file.js';
import { containerDir } from '../state/paths.js';

export interface ConnectOptions {
  ip?: string;
  ip6?: string;
  mac?: string;
  aliases?: string[];
}

function readHostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function rewriteEtc(ctx: Context, rec: ContainerRecord): void {
  const etc = bridgeEtc(ctx, rec, readHostFile('/etc/resolv.conf'), wiredAddresses(ctx, rec.id));
  fs.writeFileSync(path.join(containerDir(ctx, rec.id), 'hosts'), etc.hosts);
  fs.writeFileSync(path.join(containerDir(ctx, rec.id), 'resolv.conf'), etc.resolvConf);
}

function bridgeOnly(rec: ContainerRecord, verb: string): void {
  if (rec.config.network?.mode !== 'bridge') {
    throw new InvalidArgumentError(`cannot ${verb} container "${rec.name}": its network mode is ${rec.config.network?.mode ?? 'none'}, only containers on bridge networks can change networks`);
  }
}

export async function connectContainer(ctx: Context, ref: string, netRef: string, opts: ConnectOptions): Promise<void> {
  const net = loadNetwork(ctx, netRef);
  const found = resolveContainer(ctx, ref);
  bridgeOnly(found, 'connect');
  if (found.config.network?.networks?.[net.name]) throw new ConflictError(`container "${found.name}" is already connected to network "${net.name}"`);
  const ip = await allocateAddress(ctx, net, found.id, opts.ip);
  const ip6 = net.ipv6_enabled || opts.ip6 ? await allocateAddress(ctx, net, found.id, opts.ip6, 6).catch(async (err) => {
    await releaseAddresses(ctx, net.name, found.id);
    throw err;
  }) : undefined;
  const rec = await updateContainer(ctx, found.id, (r) => {
    const networks = (r.config.network!.networks ??= {});
    const used = new Set(Object.values(networks).map((e) => e.interface));
    let i = 0;
    while (used.has(`eth${i}`)) i++;
    networks[net.name] = { interface: `eth${i}`, ...(ip ? { ip } : {}), ...(ip6 ? { ip6 } : {}), ...(opts.mac ? { mac: opts.mac } : {}), ...(opts.aliases?.length ? { aliases: opts.aliases } : {}) };
  });
  try {
    if (isRunning(rec) && isWired(ctx, rec.id)) await wireOneMore(ctx, rec, net.name);
  } catch (err) {
    await updateContainer(ctx, rec.id, (r) => void delete r.config.network!.networks![net.name]);
    await releaseAddresses(ctx, net.name, rec.id);
    throw err;
  }
  rewriteEtc(ctx, rec);
  objectEvent(ctx, 'network', 'connect', rec.id, rec.name, { Attributes: { network: net.name } });
}

export async function disconnectContainer(ctx: Context, ref: string, netRef: string): Promise<void> {
  const net = loadNetwork(ctx, netRef);
  const found = resolveContainer(ctx, ref);
  bridgeOnly(found, 'disconnect');
  const names = Object.keys(found.config.network?.networks ?? {});
  if (!names.includes(net.name)) throw new InvalidArgumentError(`container "${found.name}" is not connected to network "${net.name}"`);
  if (names.length === 1) throw new InvalidStateError(`cannot disconnect container "${found.name}" from "${net.name}": it is its only network`);
  if (isRunning(found) && isWired(ctx, found.id)) await unwireOne(ctx, found, net.name);
  const rec = await updateContainer(ctx, found.id, (r) => void delete r.config.network!.networks![net.name]);
  await releaseAddresses(ctx, net.name, rec.id);
  rewriteEtc(ctx, rec);
  objectEvent(ctx, 'network', 'disconnect', rec.id, rec.name, { Attributes: { network: net.name } });
}

/** Re-creates the rules and interfaces of the given running containers (or all with `all`); returns the ones reloaded. */
export async function reloadContainers(ctx: Context, refs: string[], all: boolean): Promise<string[]> {
  const targets = all ? listContainers(ctx).filter((c) => isRunning(c) && isWired(ctx, c.id)) : refs.map((r) => resolveContainer(ctx, r));
  const done: string[] = [];
  for (const rec of targets) {
    bridgeOnly(rec, 'reload the network of');
    if (!isRunning(rec)) throw new InvalidStateError(`cannot reload the network of container "${rec.name}": it is not running`);
    await rewire(ctx, rec);
    done.push(rec.id);
  }
  return done;
}
