// Decoding of one 512-byte tar header block (V7, POSIX ustar and GNU), with the checksum verified
// and every numeric field validated: layer archives come from untrusted sources.
import { InvalidArgumentError } from '../errors.js';

export const BLOCK = 512;

/** A raw header as stored in the block, before PAX and GNU long-name extensions are applied. */
export interface RawHeader {
  name: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: Buffer;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

function malformed(offset: number, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid tar archive: header at offset ${offset} ${reason}`);
}

/** The bytes of a NUL-terminated field. */
export function cString(buf: Buffer): Buffer {
  const end = buf.indexOf(0);
  return end === -1 ? buf : buf.subarray(0, end);
}

/**
 * A numeric field: octal text (NUL/space padded), or GNU base-256 when the high bit of the first
 * byte is set (used for sizes ≥ 8 GiB, large IDs and negative times).
 */
export function parseNumeric(field: Buffer, what: string, offset: number): number {
  if (field.length > 0 && (field[0] & 0x80) !== 0) {
    // Two's complement, big-endian, with the top bit of the first byte as the marker.
    const inv = (field[0] & 0x40) !== 0 ? 0xff : 0;
    let v = 0n;
    for (let i = 0; i < field.length; i++) {
      let byte = field[i] ^ inv;
      if (i === 0) byte &= 0x7f;
      v = (v << 8n) | BigInt(byte);
    }
    if (inv) v = -v - 1n;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw malformed(offset, `has an out-of-range ${what} field`);
    return Number(v);
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^[ ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw malformed(offset, `has an invalid ${what} field ${JSON.stringify(text)}`);
  const v = parseInt(text, 8);
  if (!Number.isSafeInteger(v)) throw malformed(offset, `has an out-of-range ${what} field`);
  return v;
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** Verifies the header checksum (unsigned sum, or the signed sum some old writers used). */
function verifyChecksum(block: Buffer, offset: number): void {
  const stored = parseNumeric(block.subarray(148, 156), 'checksum', offset);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw malformed(offset, 'has a bad checksum (not a tar archive, or corrupt)');
}

export function parseHeader(block: Buffer, offset: number): RawHeader {
  verifyChecksum(block, offset);
  const magic = block.subarray(257, 263).toString('latin1');
  const posix = magic === 'ustar\0';
  let name = cString(block.subarray(0, 100));
  if (posix) {
    const prefix = cString(block.subarray(345, 500));
    if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
  }
  const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]);
  const header: RawHeader = {
    name,
    mode: parseNumeric(block.subarray(100, 108), 'mode', offset) & 0o7777,
    uid: parseNumeric(block.subarray(108, 116), 'uid', offset),
    gid: parseNumeric(block.subarray(116, 124), 'gid', offset),
    size: parseNumeric(block.subarray(124, 136), 'size', offset),
    mtime: parseNumeric(block.subarray(136, 148), 'mtime', offset),
    typeflag,
    linkname: cString(block.subarray(157, 257)),
    uname: cString(block.subarray(265, 297)).toString('utf8'),
    gname: cString(block.subarray(297, 329)).toString('utf8'),
    devmajor: magic.startsWith('ustar') ? parseNumeric(block.subarray(329, 337), 'devmajor', offset) : 0,
    devminor: magic.startsWith('ustar') ? parseNumeric(block.subarray(337, 345), 'devminor', offset) : 0,
  };
  for (const field of ['uid', 'gid', 'size', 'devmajor', 'devminor'] as const) {
    if (header[field] < 0) throw malformed(offset, `has a negative ${field} field`);
  }
  return header;
}
