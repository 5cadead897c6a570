// Detach key sequences (default ctrl-p,ctrl-q) in podman's syntax, and a scanner that finds them
// in the input stream. A partial match is held back and forwarded as soon as it stops matching,
// so a lone ctrl-p followed by another key reaches the container as both keys.
import { InvalidArgumentError } from '../../errors.js';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** Parses "ctrl-p,ctrl-q", "ctrl-a,x", "ctrl-[" … into bytes; "" means detaching is disabled. */
export function parseDetachKeys(spec: string): Buffer | null {
  if (spec === '') return null;
  const bytes: number[] = [];
  for (const part of spec.split(',')) {
    const key = part.trim();
    if (key.length === 1) {
      bytes.push(key.charCodeAt(0));
      continue;
    }
    if (key === 'DEL') {
      bytes.push(0x7f);
      continue;
    }
    const m = /^ctrl-(.)$/.exec(key);
    if (m) {
      const c = m[1];
      if (c >= 'a' && c <= 'z') bytes.push(c.charCodeAt(0) - 0x60);
      else if (c === '@') bytes.push(0);
      else if (c === '[') bytes.push(0x1b);
      else if (c === '\\') bytes.push(0x1c);
      else if (c === ']') bytes.push(0x1d);
      else if (c === '^') bytes.push(0x1e);
      else if (c === '_') bytes.push(0x1f);
      else throw new InvalidArgumentError(`invalid detach key "${key}" in "${spec}": use ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_, DEL or a single character`);
      continue;
    }
    throw new InvalidArgumentError(`invalid detach key "${key}" in "${spec}": use ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_, DEL or a single character`);
  }
  return Buffer.from(bytes);
}

export class DetachScanner {
  private matched = 0;
  constructor(private readonly keys: Buffer | null) {}

  /** Returns the bytes to forward now, and whether the full sequence was typed. */
  feed(chunk: Buffer): { forward: Buffer; detach: boolean } {
    const keys = this.keys;
    if (!keys || keys.length === 0) return { forward: chunk, detach: false };
    const out: number[] = [];
    for (const b of chunk) {
      if (b === keys[this.matched]) {
        this.matched++;
        if (this.matched === keys.length) {
          this.matched = 0;
          return { forward: Buffer.from(out), detach: true };
        }
        continue;
      }
      // Mismatch: release what was held, then see whether this byte starts a new match.
      for (let i = 0; i < this.matched; i++) out.push(keys[i]);
      this.matched = 0;
      if (b === keys[0]) {
        this.matched = 1;
        if (keys.length === 1) {
          this.matched = 0;
          return { forward: Buffer.from(out), detach: true };
        }
      } else out.push(b);
    }
    return { forward: Buffer.from(out), detach: false };
  }

  /** Held-back bytes, released at end of input. */
  flush(): Buffer {
    const held = this.keys ? this.keys.subarray(0, this.matched) : Buffer.alloc(0);
    this.matched = 0;
    return Buffer.from(held);
  }
}
