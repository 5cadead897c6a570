// What the pod and kube tests on a bridge network share: a store with one network of its own
// (subnet and bridge unique to this process, see net-harness.ts), torn down with whatever pods and
// bridges are left; and an HTTP GET to a published port on loopback.
import http from 'node:http';
import { TestEnv } from '../harness.js';
import { removeLeaks, testBridge, testSubnet } from '../network/net-harness.js';

export interface NetworkedEnv {
  env: TestEnv;
  network: { name: string; subnet: string; bridge: string };
  cleanup: () => Promise<void>;
}

/** A store with the network testSubnet(n)/testBridge(n) named `${prefix}-${pid}`. */
export async function networkedEnv(prefix: string, n: number): Promise<NetworkedEnv> {
  const network = { name: `${prefix}-${process.pid}`, subnet: testSubnet(n), bridge: testBridge(n) };
  const env = await TestEnv.create();
  await env.ok(['network', 'create', '--subnet', network.subnet, '--interface-name', network.bridge, network.name]);
  const cleanup = async () => {
    await env.pman(['pod', 'rm', '-af', '-t', '0']);
    // Gives back the network's machine-wide subnet claim (/var/lib/pman-shared/subnets), which
    // wiping the store would leave behind until another claim drops it.
    await env.pman(['network', 'rm', '-f', network.name]);
    removeLeaks([network.bridge], env.runroot);
    await env.cleanup();
  };
  return { env, network, cleanup };
}

/** The body of GET urlPath from 127.0.0.1:port. */
export function httpGetLocal(port: number, urlPath = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
