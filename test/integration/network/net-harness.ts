// What network tests share: names and subnets unique to this test process (bridges, addresses and
// iptables rules are machine-wide, unlike --root), a look at the host's network state to compare
// before and after, and a last-resort cleanup of this process's bridges if a test leaked one.
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { TestEnv } from '../harness.js';

const tag = process.pid;

/** A /24 only this process uses: 10.(216..235).(pid % 250).0/24, shifted by n. */
export function testSubnet(n: number): string {
  const third = (tag + n) % 250;
  const second = 216 + ((Math.floor(tag / 250) + n) % 20);
  return `10.${second}.${third}.0/24`;
}

/** The address `host` (1 = gateway) of testSubnet(n). */
export function testAddress(n: number, host: number): string {
  return testSubnet(n).replace(/\.0\/24$/, `.${host}`);
}

/** A bridge name only this process uses (at most 15 characters). */
export function testBridge(n: number): string {
  return `pt${tag % 100000}x${n}`;
}

/** The host's state that concerns the given subnets and bridges: iptables rules, links, nsfs mounts under dir. */
export function hostNetState(subnets: string[], bridges: string[], dir: string, ids: string[] = []): { rules: string[]; links: string[]; netns: string[] } {
  const rules = execFileSync('iptables-save', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => !l.startsWith('#') && (subnets.some((s) => l.includes(s.replace(/\.0\/24$/, '.'))) || ids.some((id) => l.includes(id))));
  const links = fs.readdirSync('/sys/class/net').filter((l) => bridges.includes(l));
  const netns = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((m) => m.split(' ')[4]?.startsWith(dir) && m.includes('nsfs'));
  return { rules, links, netns };
}

/**
 * Deletes this process's bridges that are still there, and stops the aardvark-dns of this test's
 * runtime directory (found by its pid file, its command line checked): only after pman's own
 * teardown failed a test. Call it before the test's directory is removed.
 */
export function removeLeaks(bridges: string[], runroot: string): void {
  for (const b of bridges) {
    if (fs.existsSync(`/sys/class/net/${b}`)) execFileSync('ip', ['link', 'del', b], { stdio: 'ignore' });
  }
  const pidFile = `${runroot}/networks/aardvark-dns/aardvark.pid`;
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${runroot}/networks`)) process.kill(pid, 'SIGTERM');
  } catch {
    /* none running */
  }
}

/** netavark 1.4's tag in a network's chain names (NETAVARK-TAG, NETAVARK-DN-TAG): the SHA-512 of its name, 13 hex digits. */
export function netavarkTag(name: string): string {
  return crypto.createHash('sha512').update(name).digest('hex').slice(0, 13).toUpperCase();
}

const FAMILIES = [
  ['v4', 'iptables'],
  ['v6', 'ip6tables'],
] as const;

/**
 * Every line of the nat table (IPv4 and IPv6, "v4 …"/"v6 …") that names a chain netavark makes for
 * one of these networks: the chains themselves (`:NETAVARK-DN-TAG - [0:0]`, empty ones included),
 * their rules and the rules jumping to them.
 */
export function netavarkChains(names: string[]): string[] {
  const tags = names.map(netavarkTag);
  return FAMILIES.flatMap(([family, cmd]) =>
    execFileSync(`${cmd}-save`, ['-t', 'nat'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => !l.startsWith('#') && tags.some((t) => l.includes(`NETAVARK-${t}`) || l.includes(`NETAVARK-DN-${t}`)))
      .map((l) => `${family} ${l}`),
  );
}

/**
 * Deletes what netavarkChains still finds for these networks (the rules jumping to their chains,
 * then the chains): only after pman's own teardown left them, so a failed test leaves none behind.
 */
export function removeChainLeaks(names: string[]): void {
  const tags = names.map(netavarkTag);
  for (const [, cmd] of FAMILIES) {
    const lines = execFileSync(`${cmd}-save`, ['-t', 'nat'], { encoding: 'utf8' }).split('\n');
    const chains = lines.filter((l) => l.startsWith(':') && tags.some((t) => l.includes(t))).map((l) => l.slice(1).split(' ')[0]);
    for (const c of chains) execFileSync(cmd, ['-t', 'nat', '-F', c]);
    for (const rule of lines.filter((l) => l.startsWith('-A ') && chains.some((c) => l.endsWith(`-j ${c}`)))) {
      execFileSync('sh', ['-c', `${cmd} -t nat ${rule.replace(/^-A /, '-D ')}`]);
    }
    for (const c of chains) execFileSync(cmd, ['-t', 'nat', '-X', c]);
  }
}

/**
 * The body of GET / from host:port (loopback or an address the test made), with a 5 s timeout
 * (Node's `timeout` only reports the idle socket: the request is ended here, else a port whose
 * packets go nowhere held the test until jest's own timeout).
 */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject).on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}/: no answer in 5 s`)));
  });
}

/** Where root's default network keeps its machine-wide address leases. */
export const LEASES = '/run/pman-shared/leases/pman';

/** The default network's leases held by namespaces under a runtime directory: address -> container ID. */
export function leasesUnder(runroot: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ip of fs.existsSync(LEASES) ? fs.readdirSync(LEASES) : []) {
    try {
      const target = fs.readlinkSync(path.join(LEASES, ip));
      if (target.startsWith(`${runroot}/`)) out[ip] = path.basename(target);
    } catch {
      /* released meanwhile by another test file */
    }
  }
  return out;
}

/** nsfs mounts under a runtime directory's netns/ (namespaces made or joined there). */
export function netnsMounts(runroot: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((m) => m.split(' ')[4])
    .filter((t) => t?.startsWith(`${runroot}/netns/`));
}

/**
 * A TestEnv for the whole file (made before all tests, cleaned up after), every container removed
 * after each test, also when it failed. Returns its getter.
 */
export function testEnvPerFile(): () => TestEnv {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await TestEnv.create();
  });
  afterEach(async () => {
    await env?.pman(['rm', '-af', '-t', '0']);
  });
  afterAll(async () => {
    await env?.cleanup();
  });
  return () => env!;
}

/** Sends one datagram to host:port and resolves with the answer (rejects after 3 s without one). */
export function udpAsk(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      reject(new Error('no UDP answer'));
    }, 3000);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m.toString());
    });
    s.send(text, port, host);
  });
}
