// PAX extended header records ("<len> <key>=<value>\n"). Values stay bytes: xattr values
// (SCHILY.xattr.*) are binary, e.g. security.capability.
import { InvalidArgumentError } from '../errors.js';

export type PaxRecords = Map<string, Buffer>;

export function parsePax(body: Buffer, offset: number): PaxRecords {
  const out: PaxRecords = new Map();
  let pos = 0;
  const bad = (why: string) => new InvalidArgumentError(`invalid tar archive: PAX header at offset ${offset} ${why}`);
  while (pos < body.length) {
    // Some writers pad the body with NULs after the last record.
    if (body[pos] === 0) break;
    const space = body.indexOf(0x20, pos);
    if (space === -1 || space - pos > 20) throw bad('has a record without a length');
    const lenText = body.toString('latin1', pos, space);
    if (!/^[0-9]+$/.test(lenText)) throw bad(`has an invalid record length ${JSON.stringify(lenText)}`);
    const len = parseInt(lenText, 10);
    const end = pos + len;
    if (len <= space - pos + 1 || end > body.length || body[end - 1] !== 0x0a) throw bad('has a record whose length does not match its content');
    const rec = body.subarray(space + 1, end - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw bad('has a record without "key="');
    out.set(rec.toString('utf8', 0, eq), rec.subarray(eq + 1));
    pos = end;
  }
  return out;
}

/** A decimal PAX number (size, uid, gid). */
export function paxInteger(records: PaxRecords, key: string, offset: number): number | undefined {
  const v = records.get(key);
  if (v === undefined || v.length === 0) return undefined;
  const text = v.toString('latin1');
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError(`invalid tar archive: PAX header at offset ${offset} has an invalid ${key} ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** A PAX time: seconds since the epoch with an optional fraction, possibly negative. */
export function paxTime(records: PaxRecords, key: string, offset: number): number | undefined {
  const v = records.get(key);
  if (v === undefined || v.length === 0) return undefined;
  const text = v.toString('latin1');
  if (!/^-?[0-9]+(\.[0-9]*)?$/.test(text)) {
    throw new InvalidArgumentError(`invalid tar archive: PAX header at offset ${offset} has an invalid ${key} ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** One PAX record, "<len> <key>=<value>\n", where <len> counts the whole record including itself. */
export function encodePaxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), value, Buffer.from('\n')]);
  let len = rest.length + String(rest.length).length;
  // Adding the length's own digits can add a digit (e.g. 98 + 2 = 100).
  while (String(len).length + rest.length !== len) len = String(len).length + rest.length;
  return Buffer.concat([Buffer.from(String(len), 'latin1'), rest]);
}

/** The body of a PAX extended header holding `records`, in their order. */
export function encodePax(records: PaxRecords): Buffer {
  return Buffer.concat([...records].map(([k, v]) => encodePaxRecord(k, v)));
}
