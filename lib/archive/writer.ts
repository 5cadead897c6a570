// Encoding tar headers (POSIX ustar, with a PAX extended header when a value does not fit: long
// or non-ASCII names and link targets, large sizes and IDs, negative times, xattrs). What
// commit, export and save write; the reader in reader.ts reads it back.
import { InvalidArgumentError } from '../errors.js';
import { BLOCK } from './header.js';
import { encodePax, type PaxRecords } from './pax.js';
import type { EntryType, TarEntry } from './reader.js';

/** What a header says: an entry as the reader returns it, with the optional parts optional. */
export type TarHeader = Pick<TarEntry, 'name' | 'type' | 'mode' | 'uid' | 'gid' | 'size' | 'mtime'> &
  Partial<Pick<TarEntry, 'linkname' | 'devmajor' | 'devminor' | 'xattrs'>> & {
    uname?: string;
    gname?: string;
  };

const TYPEFLAGS: Record<EntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };
const MAX_OCTAL_7 = 0o7777777;
const MAX_OCTAL_11 = 0o77777777777;

/** The two zero blocks that end an archive. */
export const END_OF_ARCHIVE: Buffer = Buffer.alloc(2 * BLOCK);

/** Zero bytes that round a body of `size` bytes up to a whole block. */
export function bodyPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

function isAscii(s: string): boolean {
  return /^[\x01-\x7f]*$/.test(s);
}

/** Writes `value` as NUL-terminated octal filling `width` bytes at `off`. */
function octal(block: Buffer, off: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0'), off, width - 1, 'latin1');
  block[off + width - 1] = 0;
}

/** Splits a long name into ustar prefix (≤155 bytes) and name (≤100 bytes) at a "/", if it can. */
function splitUstarName(name: string): [string, string] | undefined {
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return ['', name];
  if (!isAscii(name) || bytes > 256) return undefined;
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (prefix.length <= 155 && rest.length > 0 && rest.length <= 100) return [prefix, rest];
    if (rest.length > 100) break;
  }
  return undefined;
}

function checksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i];
  block.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  block[154] = 0;
  block[155] = 0x20;
}

function ustarBlock(fields: { name: string; prefix: string; mode: number; uid: number; gid: number; size: number; mtime: number; typeflag: string; linkname: string; uname: string; gname: string; devmajor: number; devminor: number }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(fields.name, 0, 100, 'utf8');
  octal(b, 100, 8, fields.mode);
  octal(b, 108, 8, fields.uid);
  octal(b, 116, 8, fields.gid);
  octal(b, 124, 12, fields.size);
  octal(b, 136, 12, fields.mtime);
  b.write(fields.typeflag, 156, 1, 'latin1');
  b.write(fields.linkname, 157, 100, 'utf8');
  b.write('ustar\x0000', 257, 8, 'latin1');
  b.write(fields.uname, 265, 31, 'utf8');
  b.write(fields.gname, 297, 31, 'utf8');
  octal(b, 329, 8, fields.devmajor);
  octal(b, 337, 8, fields.devminor);
  b.write(fields.prefix, 345, 155, 'utf8');
  checksum(b);
  return b;
}

/** The header block(s) of one entry: a PAX 'x' entry first when needed, then the ustar block. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax: PaxRecords = new Map();
  const linkname = h.linkname ?? '';
  const size = h.type === 'file' ? h.size : 0;
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError(`cannot write tar entry "${h.name}": invalid size ${h.size}`);
  const split = splitUstarName(h.name);
  if (!split) pax.set('path', Buffer.from(h.name, 'utf8'));
  if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) pax.set('linkpath', Buffer.from(linkname, 'utf8'));
  if (size > MAX_OCTAL_11) pax.set('size', Buffer.from(String(size)));
  for (const [key, v] of [['uid', h.uid], ['gid', h.gid]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError(`cannot write tar entry "${h.name}": invalid ${key} ${v}`);
    if (v > MAX_OCTAL_7) pax.set(key, Buffer.from(String(v)));
  }
  const mtime = Math.floor(h.mtime);
  if (mtime < 0 || mtime > MAX_OCTAL_11) pax.set('mtime', Buffer.from(String(mtime)));
  for (const [key, v] of [['uname', h.uname ?? ''], ['gname', h.gname ?? '']] as const) {
    if (Buffer.byteLength(v) > 31 || !isAscii(v)) pax.set(key, Buffer.from(v, 'utf8'));
  }
  const devmajor = h.devmajor ?? 0;
  const devminor = h.devminor ?? 0;
  if (devmajor > MAX_OCTAL_7 || devminor > MAX_OCTAL_7) throw new InvalidArgumentError(`cannot write tar entry "${h.name}": device number ${devmajor}:${devminor} is too large for tar`);
  for (const [k, v] of h.xattrs ?? []) pax.set(`SCHILY.xattr.${k}`, v);

  const [prefix, name] = split ?? ['', truncateBytes(h.name, 100)];
  const main = ustarBlock({
    name,
    prefix,
    mode: h.mode & 0o7777,
    uid: Math.min(h.uid, MAX_OCTAL_7),
    gid: Math.min(h.gid, MAX_OCTAL_7),
    size: Math.min(size, MAX_OCTAL_11),
    mtime: mtime < 0 || mtime > MAX_OCTAL_11 ? 0 : mtime,
    typeflag: TYPEFLAGS[h.type],
    linkname: pax.has('linkpath') ? truncateBytes(linkname, 100) : linkname,
    uname: pax.has('uname') ? '' : h.uname ?? '',
    gname: pax.has('gname') ? '' : h.gname ?? '',
    devmajor,
    devminor,
  });
  if (pax.size === 0) return main;
  const body = encodePax(pax);
  const base = h.name.replace(/\/+$/, '').split('/').pop() ?? '';
  const paxHeader = ustarBlock({
    name: truncateBytes(`PaxHeaders.0/${isAscii(base) ? base : 'entry'}`, 100),
    prefix: '',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: mtime < 0 || mtime > MAX_OCTAL_11 ? 0 : mtime,
    typeflag: 'x',
    linkname: '',
    uname: '',
    gname: '',
    devmajor: 0,
    devminor: 0,
  });
  return Buffer.concat([paxHeader, body, bodyPadding(body.length), main]);
}

/** At most `max` bytes of `s`, never cutting a UTF-8 sequence. */
function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let len = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (len + n > max) break;
    out += ch;
    len += n;
  }
  return out;
}

/** A whole entry with an in-memory body (small files: configs, manifests). */
export function encodeEntry(h: Omit<TarHeader, 'size' | 'type'> & { type?: EntryType }, body: Buffer): Buffer {
  return Buffer.concat([encodeHeader({ ...h, type: h.type ?? 'file', size: body.length }), body, bodyPadding(body.length)]);
}
