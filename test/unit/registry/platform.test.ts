import { choosePlatform, hostPlatform, parsePlatform, wantedPlatform } from '../../../lib/registry/platform.js';
import type { Descriptor } from '../../../lib/registry/manifest.js';

const d = (n: number, platform?: Descriptor['platform']): Descriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, size: 1, platform });

const list = [
  d(1, { os: 'unknown', architecture: 'unknown' }),
  d(2, { os: 'linux', architecture: 'amd64' }),
  d(3, { os: 'linux', architecture: 'arm', variant: 'v6' }),
  d(4, { os: 'linux', architecture: 'arm', variant: 'v7' }),
  d(5, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
  d(6, { os: 'windows', architecture: 'amd64' }),
  d(7),
];

describe('platform matching', () => {
  it('matches os and architecture exactly; attestation entries never match', () => {
    expect(choosePlatform(list, { os: 'linux', architecture: 'amd64' })).toBe(list[1]);
    expect(choosePlatform(list, { os: 'windows', architecture: 'amd64' })).toBe(list[5]);
    expect(choosePlatform(list, { os: 'unknown', architecture: 'unknown' })).toBe(list[0]);
    expect(choosePlatform(list, { os: 'linux', architecture: 's390x' })).toBeUndefined();
  });

  it('treats arm64 v8 as arm64 and falls back through older arm variants', () => {
    expect(choosePlatform(list, { os: 'linux', architecture: 'arm64' })).toBe(list[4]);
    expect(choosePlatform(list, { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(list[3]);
    expect(choosePlatform(list, { os: 'linux', architecture: 'arm', variant: 'v8' })).toBe(list[3]);
    expect(choosePlatform(list, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(list[2]);
    expect(choosePlatform(list, { os: 'linux', architecture: 'arm', variant: 'v5' })).toBeUndefined();
  });

  it('prefers an entry without a variant when none is wanted', () => {
    const l = [d(1, { os: 'linux', architecture: 'arm', variant: 'v7' }), d(2, { os: 'linux', architecture: 'arm' })];
    expect(choosePlatform(l, { os: 'linux', architecture: 'arm' })).toBe(l[1]);
    expect(choosePlatform([l[0]], { os: 'linux', architecture: 'arm' })).toBe(l[0]);
  });

  it('parses --platform and spells architectures the OCI way', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: undefined });
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64', variant: undefined });
    expect(parsePlatform('linux/armhf')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(() => parsePlatform('linux')).toThrow('invalid --platform "linux": use OS/ARCH[/VARIANT], e.g. linux/arm64');
  });

  it('builds the wanted platform from flags over the host', () => {
    const host = { os: 'linux', architecture: 'amd64' };
    expect(wantedPlatform({}, host)).toEqual({ os: 'linux', architecture: 'amd64', variant: undefined });
    expect(wantedPlatform({ arch: 'arm', variant: 'v6' }, host)).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(wantedPlatform({ platform: 'linux/arm64' }, host)).toEqual({ os: 'linux', architecture: 'arm64', variant: undefined });
    expect(() => wantedPlatform({ platform: 'linux/arm64', arch: 'amd64' }, host)).toThrow('--platform cannot be combined with --os or --arch');
  });

  it('maps Node architectures and reads the arm variant from /proc/cpuinfo', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64', variant: undefined });
    expect(hostPlatform('ia32').architecture).toBe('386');
    expect(hostPlatform('arm', 'processor\t: 0\nCPU architecture: 7\n')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });
});
