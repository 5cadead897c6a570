// The attach and exec sessions this service relays, by container or exec ID, so that a resize
// request reaches the session's terminal.
import type { ClientOutput } from './stream-frames.js';

const sessions = new Map<string, Set<ClientOutput>>();

export function addSession(key: string, out: ClientOutput): () => void {
  let set = sessions.get(key);
  if (!set) sessions.set(key, (set = new Set()));
  set.add(out);
  return () => {
    set.delete(out);
    if (set.size === 0) sessions.delete(key);
  };
}

/** Resizes every session under `key`; false when there is none. */
export function resizeSessions(key: string, rows: number, cols: number): boolean {
  const set = sessions.get(key);
  if (!set) return false;
  for (const out of set) out.resize(rows, cols);
  return true;
}
