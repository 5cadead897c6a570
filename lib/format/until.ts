// The moment an `until` filter names (volume, network … ls and prune), read one way everywhere:
// Unix seconds, a Go duration before now (`24h`, `1h30m`), or a date.
import { InvalidArgumentError } from '../errors.js';
import { parseGoDuration } from './duration.js';

/** An `until` value in ms since the epoch: Unix seconds, a Go duration before now (`24h`, `1h30m`), or a date. */
export function parseUntil(value: string): number {
  if (/^[0-9]+$/.test(value)) return Number(value) * 1000;
  const d = parseGoDuration(value);
  if (d !== null) return Date.now() - Number(d / 1_000_000n);
  // `date --iso-8601=ns` writes a comma before the fraction.
  const t = Date.parse(value.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}),(\d+)/, '$1.$2'));
  if (Number.isNaN(t)) throw new InvalidArgumentError(`invalid until filter "${value}": use a timestamp, Unix seconds or a duration like 24h or 1h30m`);
  return t;
}

