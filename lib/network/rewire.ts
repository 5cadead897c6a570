// Changes to a running container's wiring, on the namespace it already has: one network more or
// less (network connect/disconnect), or all of its rules made again after a firewall flush
// (network reload). The setup record (wiring.ts) always says everything the container is given,
// so its final teardown undoes all of it.
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { netavark, type NetavarkOptions, type NetavarkStatus } from './netavark.js';
import { leaseWiredAddresses, netavarkOptions, readSetup, releaseWiredAddresses, writeSetup, type SetupRecord } from './wiring.js';
import { wiredContext } from './setup-record.js';

function wired(ctx: Context, rec: ContainerRecord): SetupRecord {
  const setup = readSetup(ctx, rec.id);
  if (!setup) throw new InvalidStateError(`container "${rec.name}" is not wired to any network now: start it first`);
  return setup;
}

/**
 * The options of one network of the container, with the ports its setup published (`ports`, from
 * the setup record): netavark forwards them on every network of the container, so connect
 * publishes them on the new network and disconnect must withdraw them from the one it leaves (as
 * podman 4.3.1 passes them to both).
 */
function only(all: NetavarkOptions, name: string, ports = all.port_mappings): NetavarkOptions {
  const one: NetavarkOptions = { container_id: all.container_id, container_name: all.container_name, networks: { [name]: all.networks[name] }, network_info: { [name]: all.network_info[name] } };
  if (ports) one.port_mappings = ports;
  return one;
}

/** Wires a running container to one more network (already in its record). */
export async function wireOneMore(ctx: Context, rec: ContainerRecord, name: string): Promise<NetavarkStatus> {
  const setup = wired(ctx, rec);
  const opts = only(netavarkOptions(ctx, rec), name, setup.options.port_mappings);
  await leaseWiredAddresses(ctx, setup.netns, opts);
  let status: NetavarkStatus;
  try {
    status = await netavark(wiredContext(ctx, setup), 'setup', setup.netns, opts);
  } catch (err) {
    await releaseWiredAddresses(ctx, setup.netns, opts);
    throw err;
  }
  setup.options.networks[name] = opts.networks[name];
  setup.options.network_info[name] = opts.network_info[name];
  setup.status = { ...setup.status, ...status };
  writeSetup(ctx, rec.id, setup);
  return status;
}

/** Unwires a running container from one of its networks. */
export async function unwireOne(ctx: Context, rec: ContainerRecord, name: string): Promise<void> {
  const setup = wired(ctx, rec);
  if (!setup.options.networks[name]) return;
  await netavark(wiredContext(ctx, setup), 'teardown', setup.netns, only(setup.options, name), { partial: true });
  await releaseWiredAddresses(ctx, setup.netns, only(setup.options, name));
  delete setup.options.networks[name];
  delete setup.options.network_info[name];
  if (setup.status) delete setup.status[name];
  writeSetup(ctx, rec.id, setup);
}

/** Makes a running container's rules and interfaces again (after a firewall flush): teardown, then setup with the same options. */
export async function rewire(ctx: Context, rec: ContainerRecord): Promise<void> {
  const setup = wired(ctx, rec);
  await netavark(wiredContext(ctx, setup), 'teardown', setup.netns, setup.options).catch(() => undefined);
  setup.status = await netavark(wiredContext(ctx, setup), 'setup', setup.netns, setup.options);
  writeSetup(ctx, rec.id, setup);
}
