// Choosing one image from a manifest list / OCI index (image-index.md): os and architecture must
// match exactly (Go's GOOS/GOARCH names), the variant may fall back to older compatible ones
// (arm v8 → v7 → v6 → v5), and entries without a platform or for unknown/unknown (attestations)
// never match. The first matching entry wins among equals.
import fs from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { ociArchitecture } from '../image/platform.js';
import type { Descriptor, Platform } from './manifest.js';

export interface WantedPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
};

/** Normalizes architecture spellings; arm64's v8 is its default variant, so it is dropped. */
export function normalizePlatform(p: WantedPlatform): WantedPlatform {
  const alias = ARCH_ALIASES[p.architecture.toLowerCase()];
  let architecture = alias?.architecture ?? p.architecture.toLowerCase();
  let variant = (p.variant ?? alias?.variant)?.toLowerCase() || undefined;
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  if (architecture === 'arm' && variant === '8') variant = 'v8';
  return { os: p.os.toLowerCase(), architecture, variant };
}

/** "os/arch[/variant]" as --platform takes it. */
export function parsePlatform(text: string): WantedPlatform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new InvalidArgumentError(`invalid --platform "${text}": use OS/ARCH[/VARIANT], e.g. linux/arm64`);
  }
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

/** The arm variant of this machine ("v7" …) from /proc/cpuinfo's "CPU architecture" line. */
function hostArmVariant(cpuinfo: string | undefined): string | undefined {
  const m = cpuinfo?.match(/^CPU architecture\s*:\s*(\d+)/m);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v >= 8 ? 'v8' : `v${v}`;
}

export function hostPlatform(nodeArch: string = process.arch, cpuinfo?: string): WantedPlatform {
  const architecture = ociArchitecture(nodeArch);
  let variant: string | undefined;
  if (architecture === 'arm') {
    try {
      variant = hostArmVariant(cpuinfo ?? fs.readFileSync('/proc/cpuinfo', 'utf8'));
    } catch {
      variant = undefined;
    }
  }
  return { os: 'linux', architecture, variant };
}

/** --platform, or --os/--arch/--variant over the host's platform. */
export function wantedPlatform(flags: { platform?: string; os?: string; arch?: string; variant?: string }, host = hostPlatform()): WantedPlatform {
  if (flags.platform !== undefined) {
    if (flags.os !== undefined || flags.arch !== undefined) throw new InvalidArgumentError('--platform cannot be combined with --os or --arch');
    const p = parsePlatform(flags.platform);
    return flags.variant !== undefined ? normalizePlatform({ ...p, variant: flags.variant }) : p;
  }
  const archGiven = flags.arch !== undefined;
  return normalizePlatform({
    os: flags.os ?? host.os,
    architecture: flags.arch ?? host.architecture,
    variant: flags.variant ?? (archGiven ? undefined : host.variant),
  });
}

/** Variants an image may have to run on `variant`, best first. */
function compatibleVariants(architecture: string, variant: string | undefined): string[] {
  if (architecture === 'arm') {
    const order = ['v8', 'v7', 'v6', 'v5'];
    const at = variant ? order.indexOf(variant) : -1;
    return at >= 0 ? order.slice(at) : variant ? [variant] : [];
  }
  return variant ? [variant] : [];
}

export function formatPlatform(p: WantedPlatform | Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The index entry for `want`, or undefined. */
export function choosePlatform(manifests: Descriptor[], want: WantedPlatform): Descriptor | undefined {
  const w = normalizePlatform(want);
  const variants = compatibleVariants(w.architecture, w.variant);
  let best: Descriptor | undefined;
  let bestRank = Infinity;
  for (const m of manifests) {
    if (!m.platform) continue;
    const p = normalizePlatform(m.platform);
    if (p.os !== w.os || p.architecture !== w.architecture) continue;
    let rank: number;
    if (p.variant === undefined) rank = w.variant === undefined ? 0 : variants.length;
    else if (w.variant === undefined) rank = 1;
    else {
      const at = variants.indexOf(p.variant);
      if (at < 0) continue;
      rank = at;
    }
    if (rank < bestRank) {
      best = m;
      bestRank = rank;
    }
  }
  return best;
}

/** "linux/amd64, linux/arm64/v8" for messages (attestation entries left out). */
export function availablePlatforms(manifests: Descriptor[]): string {
  const list = manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => formatPlatform(m.platform as Platform));
  return list.length ? list.join(', ') : 'none';
}
