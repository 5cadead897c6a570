// What a container on a user-mode network (pasta, slirp4netns) gets in its bundle: the namespace
// pman makes for it (as for bridge networks), and /etc/hosts and /etc/resolv.conf from what the
// stack will show it (lib/network/user-mode/host-addresses.ts).
import type { Context } from '../context.js';
import { netnsPath } from '../network/network-paths.js';
import { userModeView } from '../network/user-mode/host-addresses.js';
import type { UserModeKind } from '../network/user-mode/options.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolvConf } from './spec-identity.js';
import { networkHosts, type BridgeEtc } from './spec-network.js';

export function userModeEtc(ctx: Context, rec: ContainerRecord, kind: UserModeKind, hostResolv: string): BridgeEtc {
  const view = userModeView(kind, rec.config.network?.userModeOptions);
  // slirp4netns answers DNS itself; pasta's container uses the host's servers (not loopback ones).
  const withDns = view.dns && !rec.config.network?.dns ? { ...rec, config: { ...rec.config, network: { ...rec.config.network!, dns: [view.dns] } } } : rec;
  return {
    netns: netnsPath(ctx, rec.id),
    hosts: networkHosts(rec, view.hostGateway, true, view.address ? [view.address] : []),
    resolvConf: resolvConf(withDns, hostResolv),
  };
}
