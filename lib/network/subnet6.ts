// IPv6 subnet arithmetic for dual-stack pman networks (network create --ipv6, run --ip6):
// parsing, the canonical text of an address (RFC 5952: the form netavark and `ip` print, and the
// key of an address in a network's allocations), containment, overlap and the random ULA /64 a
// network gets when none is given. Pure functions; addresses are 128-bit BigInts.
import net from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import { cidrsOverlap, parseCidr } from './subnet.js';

export interface Cidr6 {
  base: bigint;
  prefix: number;
}

const ALL = (1n << 128n) - 1n;

/** The address as a number; the text must be a valid IPv6 address (net.isIPv6). */
export function ip6ToBig(ip: string): bigint {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (2+) of zero groups as "::". */
export function bigToIp6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** The canonical text of an IPv6 address (for comparing what users, records and netavark say). */
export function canonicalIp6(ip: string): string {
  return bigToIp6(ip6ToBig(ip));
}

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** True for text that names an IPv6 subnet or address (has a colon): the family of a record's entry. */
export function isV6Text(text: string): boolean {
  return text.includes(':');
}

/**
 * Parses "ADDR/N" (IPv6); the address is reduced to the network's. The prefix must leave room for
 * a gateway and containers (at most /126); link-local and multicast ranges cannot be a bridge's.
 */
export function parseCidr6(text: string, flag = '--subnet'): Cidr6 {
  const m = /^([0-9a-fA-F:.]+)\/([0-9]{1,3})$/.exec(text);
  if (!m || !net.isIPv6(m[1]) || Number(m[2]) > 128) throw new InvalidArgumentError(`invalid ${flag} "${text}": use an IPv6 CIDR such as fd10:2030:4050::/64`);
  const prefix = Number(m[2]);
  if (prefix > 126) throw new InvalidArgumentError(`invalid ${flag} "${text}": the prefix must be at most /126 to leave room for a gateway and a container`);
  const base = ip6ToBig(m[1]) & mask6(prefix);
  for (const bad of ['fe80::/10', 'ff00::/8', '::/8']) {
    const b = parseCidrUnchecked(bad);
    if (cidrs6Overlap(b, { base, prefix })) throw new InvalidArgumentError(`invalid ${flag} "${text}": it overlaps ${bad}, which cannot be a network's (use a unique local fdXX:… or a global subnet)`);
  }
  return { base, prefix };
}

function parseCidrUnchecked(text: string): Cidr6 {
  const [ip, p] = text.split('/');
  return { base: ip6ToBig(ip), prefix: Number(p) };
}

export function formatCidr6(c: Cidr6): string {
  return `${bigToIp6(c.base)}/${c.prefix}`;
}

/** An IPv6 address without a zone (%eth0): one a container can be given. */
export function isPlainIPv6(ip: string): boolean {
  return net.isIPv6(ip) && !ip.includes('%');
}

export function cidr6Contains(c: Cidr6, ip: string): boolean {
  return isPlainIPv6(ip) && (ip6ToBig(ip) & mask6(c.prefix)) === c.base;
}

export function cidrs6Overlap(a: Cidr6, b: Cidr6): boolean {
  const m = mask6(Math.min(a.prefix, b.prefix));
  return (a.base & m) === (b.base & m);
}

/** The usable addresses: the subnet-router address (all zeros) excluded; IPv6 has no broadcast. */
export function hostRange6(c: Cidr6): { first: bigint; last: bigint } {
  return { first: c.base + 1n, last: c.base + (1n << BigInt(128 - c.prefix)) - 1n };
}

/** The first usable address: the gateway by default. */
export function firstHost6(c: Cidr6): string {
  return bigToIp6(c.base + 1n);
}

/** A random unique local /64: fd + 40 random bits + a zero subnet ID (RFC 4193, as podman picks them). */
export function randomUla64(): Cidr6 {
  // The global Web Crypto: no node:crypto import on the paths that load this module (pman run).
  const r = globalThis.crypto.getRandomValues(new Uint8Array(5)).reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  return { base: ((0xfdn << 120n) | (r << 80n)) & ALL, prefix: 64 };
}

/** Whether two subnets of network records (either family; a record's are validated) overlap. */
export function subnetTextsOverlap(a: string, b: string): boolean {
  if (isV6Text(a) !== isV6Text(b)) return false;
  return isV6Text(a) ? cidrs6Overlap(parseCidr6(a), parseCidr6(b)) : cidrsOverlap(parseCidr(a), parseCidr(b));
}
