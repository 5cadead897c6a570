// Faults around the default network's wiring: a reboot (simulated: the container and its shim
// killed, its namespace unmounted, the runtime directory wiped while the record says running) and
// rm -f racing a --restart policy's relaunches. Neither may leave a lease, a namespace or a setup
// record behind. (A reboot also clears iptables and links; the simulation cannot, so its container
// publishes no port.)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type TestEnv, until } from '../harness.js';
import { leasesUnder, netnsMounts, testEnvPerFile } from './net-harness.js';

const current = testEnvPerFile();
let env: TestEnv;
beforeEach(() => {
  env = current();
});

const leases = () => leasesUnder(env.runroot);

/** nsfs mounts and setup records under this test's runtime directory. */
function wiring(): string[] {
  const dir = path.join(env.runroot, 'netns');
  return [...netnsMounts(env.runroot), ...(fs.existsSync(dir) ? fs.readdirSync(dir) : [])];
}

describe('default network faults', () => {
  it('after a reboot (runtime directory wiped while the record says running) the container starts again with its address and leaves nothing', async () => {
    // An address no other test process asks for: every store on the machine leases from this
    // network, and any lease taken meanwhile drops dead ones (this one, after the "reboot").
    const ip = `10.90.${150 + (process.pid % 50)}.${2 + (process.pid % 250)}`;
    const id = (await env.ok(['run', '-d', '--name', 'boot', '--ip', ip, 'busybox', 'sleep', '1000'])).trim();
    expect(await env.ok(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', 'boot'])).toBe(ip);
    expect(leases()).toEqual({ [ip]: id });
    const [shim, pid] = (await env.ok(['inspect', '--format', '{{.State.ConmonPid}} {{.State.Pid}}', 'boot'])).split(' ').map(Number);
    // What a reboot ends: the processes, the mounts, everything under the runtime directory.
    process.kill(shim, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    await until(() => (fs.existsSync(`/proc/${pid}`) ? undefined : true));
    for (const m of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4])) {
      if (m?.startsWith(`${env.runroot}/`)) execFileSync('umount', ['-l', m]);
    }
    fs.rmSync(env.runroot, { recursive: true, force: true });
    // The lease is dead now (its namespace is gone): the next lease taken on the machine drops it,
    // and the container's own start must not be refused by it.
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}} {{.State}}'])).toBe('boot exited');
    await env.ok(['start', 'boot']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}} {{.NetworkSettings.IPAddress}}', 'boot'])).toBe(`running ${ip}`);
    expect(leases()).toEqual({ [ip]: id });
    await env.ok(['rm', '-f', '-t', '0', 'boot']);
    expect(leases()).toEqual({});
    expect(wiring()).toEqual([]);
  });

  it('rm -f during a --restart policy\'s relaunches leaves no lease, namespace or setup record', async () => {
    const names = ['r0', 'r1', 'r2', 'r3', 'r4'];
    for (const n of names) await env.ok(['run', '-d', '--name', n, '--restart', 'always', 'busybox', 'true']);
    // Each has been relaunched at least once: the removals meet hand-overs in progress.
    await until(async () => {
      const counts = await Promise.all(names.map(async (n) => Number(await env.ok(['inspect', '--format', '{{.RestartCount}}', n]))));
      return counts.every((c) => c > 0) || undefined;
    });
    await Promise.all(names.map((n) => env.ok(['rm', '-f', '-t', '0', n])));
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(leases()).toEqual({});
    expect(wiring()).toEqual([]);
  });
});
