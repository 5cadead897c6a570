// Random bytes for container ids and generated names, read from /dev/urandom: loading node:crypto
// for them was ~4 ms of every `pman run`. node:crypto stays the fallback (no /dev/urandom).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function randomBytes(n: number): Buffer {
  const buf = Buffer.alloc(n);
  let fd: number | undefined;
  try {
    fd = fs.openSync('/dev/urandom', 'r');
    for (let got = 0; got < n; ) {
      const r = fs.readSync(fd, buf, got, n - got, null);
      if (r <= 0) throw new Error('short read from /dev/urandom');
      got += r;
    }
    return buf;
  } catch {
    return (load('node:crypto') as typeof import('node:crypto')).randomBytes(n);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A uniform integer in [0, max), max ≤ 2^32 (rejection sampling, no modulo bias). */
export function randomInt(max: number): number {
  if (!Number.isInteger(max) || max <= 0 || max > 2 ** 32) throw new RangeError(`randomInt: bad range ${max}`);
  const limit = 2 ** 32 - (2 ** 32 % max);
  for (;;) {
    const v = randomBytes(4).readUInt32BE(0);
    if (v < limit) return v % max;
  }
}
