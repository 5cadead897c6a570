// Rootless pods as a real unprivileged user: the infra (catatonit from the host, imported into the
// user's store) holds a network namespace without a bridge (loopback only: rootless bridges and
// published ports wait for the rootless networks work), which the members share with its IPC and
// UTS namespaces.
import fs from 'node:fs';
import { until } from '../harness.js';
import { RootlessEnv, USER1 } from './rootless-env.js';

const env = RootlessEnv.forFile(USER1);

async function pidOf(name: string): Promise<number> {
  return Number((await env.ok(['inspect', '--format', '{{.State.Pid}}', name])).trim());
}

describe('rootless pods', () => {
  it('shares the infra\'s network, IPC and UTS namespaces between members, which reach each other on localhost', async () => {
    await env.ok(['pod', 'create', '--name', 'rlpod', '--share', 'ipc,net,uts,pid']);
    try {
      await env.ok(['run', '-d', '--pod', 'rlpod', '--name', 'rl-web', 'busybox', 'sh', '-c', 'mkdir -p /w && echo rootless-pod > /w/index.html && exec httpd -f -p 8080 -h /w']);
      await env.ok(['run', '-d', '--pod', 'rlpod', '--name', 'rl-cli', 'busybox', 'sleep', '1000']);
      const infra = await pidOf((await env.ok(['pod', 'inspect', 'rlpod', '--format', '{{.InfraContainerID}}'])).trim());
      const members = [await pidOf('rl-web'), await pidOf('rl-cli')];
      for (const type of ['net', 'ipc', 'uts', 'pid']) {
        const want = fs.readlinkSync(`/proc/${infra}/ns/${type}`);
        expect([type, ...members.map((p) => fs.readlinkSync(`/proc/${p}/ns/${type}`))]).toEqual([type, want, want]);
      }
      const body = await until(async () => {
        const r = await env.pman(['exec', 'rl-cli', 'wget', '-qO-', 'http://127.0.0.1:8080/']);
        return r.exitCode === 0 ? r.stdout : '';
      });
      expect(body).toBe('rootless-pod');
      expect((await env.ok(['exec', 'rl-cli', 'hostname'])).trim()).toBe('rlpod');
      expect((await env.ok(['exec', 'rl-cli', 'cat', '/proc/1/cmdline'])).replace(/\0/g, ' ').trim()).toBe('/catatonit -P');
      expect((await env.ok(['pod', 'ps', '--format', '{{.Name}} {{.Status}} {{.NumberOfContainers}}'])).trim()).toBe('rlpod Running 3');
      await env.ok(['pod', 'stop', '-t', '0', 'rlpod']);
      expect((await env.ok(['pod', 'ps', '--format', '{{.Status}}'])).trim()).toBe('Exited');
      // A member started alone brings its infra back first.
      await env.ok(['start', 'rl-cli']);
      expect((await env.ok(['pod', 'ps', '--format', '{{.Status}}'])).trim()).toBe('Degraded');
    } finally {
      await env.pman(['pod', 'rm', '-f', '-t', '0', 'rlpod']);
    }
    expect((await env.ok(['ps', '-a', '-q'])).trim()).toBe('');
  });
});
