// A user's subordinate ID ranges from /etc/subuid and /etc/subgid ("name-or-uid:start:count" lines).
// Only the first block is used, as podman and `unshare --map-auto` do.
import fs from 'node:fs';

export interface IdRange {
  start: number;
  count: number;
}

/** The first range of `user` (by name or numeric uid) in subuid/subgid text, if any. */
export function parseSubIds(text: string, user: string, id: number): IdRange | undefined {
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f.length !== 3 || line.startsWith('#')) continue;
    if (f[0] !== user && f[0] !== String(id)) continue;
    const start = Number(f[1]);
    const count = Number(f[2]);
    if (Number.isSafeInteger(start) && Number.isSafeInteger(count) && start > 0 && count > 0) return { start, count };
  }
  return undefined;
}

/** Reads the file; a missing or unreadable file means no range. */
export function subordinateRange(file: string, user: string, id: number): IdRange | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseSubIds(text, user, id);
}
