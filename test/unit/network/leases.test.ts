// The default network's machine-wide leases (lib/network/leases.ts) in a temporary directory. A
// live lease needs a mounted namespace: the test bind-mounts its own network namespace on files
// (root, as the other unit tests that mount), and unmounts them afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimKeys, isMountedNetns, leaseAddress, releaseKeys, releaseLease, type LeasePool } from '../../../lib/network/leases.js';

let dir: string;
let pool: LeasePool;
const mounted: string[] = [];

/** A file with this process's network namespace bind-mounted on it (a live namespace). */
function liveNetns(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '');
  execFileSync('mount', ['--bind', '/proc/self/ns/net', file]);
  mounted.push(file);
  return file;
}

function unmount(file: string): void {
  execFileSync('umount', [file]);
  mounted.splice(mounted.indexOf(file), 1);
}

beforeEach(() => {
  if (process.getuid?.() !== 0) throw new Error('the lease tests mount namespaces: run them as root');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-leases-'));
  pool = { dir: path.join(dir, 'leases'), lock: path.join(dir, 'lock'), network: 'pman', subnet: '10.90.0.0/29', gateway: '10.90.0.1' };
});

afterEach(() => {
  for (const f of [...mounted]) unmount(f);
  fs.rmSync(dir, { recursive: true, force: true });
});

const leases = () => Object.fromEntries(fs.readdirSync(pool.dir).sort().map((ip) => [ip, fs.readlinkSync(path.join(pool.dir, ip))]));

describe('default network leases', () => {
  it('tells a mounted namespace from a plain or missing file', () => {
    const ns = liveNetns('a');
    expect(isMountedNetns(ns)).toBe(true);
    unmount(ns);
    expect(isMountedNetns(ns)).toBe(false);
    expect(isMountedNetns(path.join(dir, 'missing'))).toBe(false);
  });

  it('leases the first free host address past the gateway, the same one again to the same namespace', async () => {
    const [a, b] = [liveNetns('a'), liveNetns('b')];
    expect(await leaseAddress(pool, a)).toBe('10.90.0.2');
    expect(await leaseAddress(pool, b)).toBe('10.90.0.3');
    expect(await leaseAddress(pool, a)).toBe('10.90.0.2');
    expect(leases()).toEqual({ '10.90.0.2': a, '10.90.0.3': b });
  });

  it('gives a requested address unless another live namespace holds it; a namespace moving to it frees its old one', async () => {
    const [a, b] = [liveNetns('a'), liveNetns('b')];
    expect(await leaseAddress(pool, a, '10.90.0.5')).toBe('10.90.0.5');
    await expect(leaseAddress(pool, b, '10.90.0.5')).rejects.toThrow('IP address 10.90.0.5 on network "pman" is in use by another container');
    expect(await leaseAddress(pool, a, '10.90.0.6')).toBe('10.90.0.6');
    expect(leases()).toEqual({ '10.90.0.6': a });
  });

  it('refuses a requested address that is not a host address of the subnet, writing nothing (it would name a file)', async () => {
    const a = liveNetns('a');
    for (const bad of ['../../escape', '10.90.0.1', '10.90.0.7', '10.91.0.2', '']) {
      await expect(leaseAddress(pool, a, bad)).rejects.toThrow(`cannot lease "${bad}" on network "pman": not a host address of 10.90.0.0/29`);
    }
    expect(fs.existsSync(pool.dir)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual(['a']);
  });

  it('reclaims the lease of a namespace that is gone, and says when the pool is full', async () => {
    const live = ['a', 'b', 'c', 'd', 'e'].map(liveNetns);
    for (const ns of live) await leaseAddress(pool, ns);
    const late = liveNetns('late');
    // 10.90.0.0/29: hosts .1 to .6, .1 is the gateway: five addresses, all taken.
    await expect(leaseAddress(pool, late)).rejects.toThrow('cannot allocate an address on network "pman": all of 10.90.0.0/29 is in use');
    unmount(live[1]);
    unmount(live[2]);
    fs.rmSync(live[2]); // not even a file any more
    expect(await leaseAddress(pool, late)).toBe('10.90.0.3');
    expect(Object.keys(leases())).toEqual(['10.90.0.2', '10.90.0.3', '10.90.0.5', '10.90.0.6']);
  });

  it('gives the next free address after the last one given, not one just given back, wrapping around; a damaged record of the last is ignored', async () => {
    const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map(liveNetns);
    expect(await leaseAddress(pool, a)).toBe('10.90.0.2');
    unmount(a);
    await releaseLease(pool, a, '10.90.0.2');
    // .2 is free again, but a host may still map it to a's interface: b gets .3.
    expect(await leaseAddress(pool, b)).toBe('10.90.0.3');
    expect(await leaseAddress(pool, c, '10.90.0.6')).toBe('10.90.0.6');
    expect(await leaseAddress(pool, d)).toBe('10.90.0.4');
    expect(await leaseAddress(pool, e)).toBe('10.90.0.5');
    // Past the end (.6 is taken): back to the start of the subnet.
    expect(await leaseAddress(pool, f)).toBe('10.90.0.2');
    expect(fs.readFileSync(`${pool.dir}.last`, 'utf8')).toBe('10.90.0.2');
    // .3 and .5 free: a record that is no address of the pool counts as none, so the search starts
    // at the subnet's start (.3), not somewhere the damaged record points (.9 would give .5).
    for (const [ns, ip] of [[b, '10.90.0.3'], [e, '10.90.0.5']] as const) {
      unmount(ns);
      await releaseLease(pool, ns, ip);
    }
    for (const [i, bad] of ['10.90.0.9', '10.90.0.1000', '../x', ''].entries()) {
      fs.writeFileSync(`${pool.dir}.last`, bad);
      const ns = liveNetns(`g${i}`);
      expect([bad, await leaseAddress(pool, ns)]).toEqual([bad, '10.90.0.3']);
      unmount(ns);
      await releaseLease(pool, ns, '10.90.0.3');
    }
    expect(Object.keys(leases())).toEqual(['10.90.0.2', '10.90.0.4', '10.90.0.6']);
  });

  it('releases a lease only for the namespace that holds it, also once that namespace is gone', async () => {
    const [a, b] = [liveNetns('a'), liveNetns('b')];
    await leaseAddress(pool, a);
    await releaseLease(pool, b, '10.90.0.2');
    expect(leases()).toEqual({ '10.90.0.2': a });
    unmount(a);
    await releaseLease(pool, a, '10.90.0.2');
    expect(leases()).toEqual({});
    await releaseLease(pool, a, '10.90.0.2');
    expect(leases()).toEqual({});
  });
});

describe('machine-wide claims (claimKeys, releaseKeys)', () => {
  const same = (a: string, b: string) => a === b;
  it('claims all keys or none, names the live holder in the way, and reclaims what dead holders held', async () => {
    const live = new Set(['A', 'B']);
    const set = { dir: path.join(dir, 'claims'), lock: path.join(dir, 'claims.lock'), alive: (h: string) => live.has(h) };
    expect(await claimKeys(set, 'A', ['k1', 'k2'], same)).toBeUndefined();
    expect(await claimKeys(set, 'A', ['k1'], same)).toBeUndefined(); // again: its own
    expect(await claimKeys(set, 'B', ['k3', 'k2'], same)).toEqual({ key: 'k2', theirs: 'k2', holder: 'A' });
    expect(fs.readdirSync(set.dir).sort()).toEqual(['k1', 'k2']); // none of B's was taken
    await releaseKeys(set, 'B', ['k1']); // not B's: left alone
    expect(fs.readlinkSync(path.join(set.dir, 'k1'))).toBe('A');
    live.delete('A'); // A's holder went away without releasing
    expect(await claimKeys(set, 'B', ['k2'], same)).toBeUndefined();
    expect(fs.readdirSync(set.dir).sort()).toEqual(['k2']);
    expect(fs.readlinkSync(path.join(set.dir, 'k2'))).toBe('B');
    await releaseKeys(set, 'B', ['k2']);
    expect(fs.readdirSync(set.dir)).toEqual([]);
  });
});
