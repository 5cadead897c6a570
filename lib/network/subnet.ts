// IPv4 subnet arithmetic for pman's networks: parsing CIDRs, containment, overlap, and the
// addresses IPAM hands out. Pure functions; IPv4 (IPv6 is in subnet6.ts).
import net from 'node:net';
import { InvalidArgumentError } from '../errors.js';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(ip: string): boolean {
  return net.isIPv4(ip);
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "A.B.C.D/N"; the address is reduced to the network's (podman does the same). */
export function parseCidr(text: string, flag = '--subnet'): Cidr {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(text);
  if (!m || !isIPv4(m[1]) || Number(m[2]) > 32) {
    if (net.isIPv6(text.split('/')[0])) throw new InvalidArgumentError(`invalid ${flag} "${text}": an IPv4 CIDR is needed here`);
    throw new InvalidArgumentError(`invalid ${flag} "${text}": use an IPv4 CIDR such as 10.91.0.0/24`);
  }
  const prefix = Number(m[2]);
  if (prefix > 30) throw new InvalidArgumentError(`invalid ${flag} "${text}": the prefix must be at most /30 to leave room for a gateway and a container`);
  return { base: (ipToNumber(m[1]) & mask(prefix)) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${numberToIp(c.base)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContains(c: Cidr, ip: string): boolean {
  return isIPv4(ip) && ((ipToNumber(ip) & mask(c.prefix)) >>> 0) === c.base;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & mask(p)) >>> 0) === ((b.base & mask(p)) >>> 0);
}

/** The first usable address (network + 1): the gateway by default. */
export function firstHost(c: Cidr): string {
  return numberToIp(c.base + 1);
}

/** The usable host addresses of a range (network and broadcast addresses excluded), as numbers. */
export function hostRange(c: Cidr): { first: number; last: number } {
  return { first: c.base + 1, last: c.base + cidrSize(c) - 2 };
}
