// Container and exec-session identifiers: 64 hex characters, shown as 12.
import { randomBytes } from '../util/random.js';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

export const ID_RE = /^[0-9a-f]{64}$/;
/** Podman/docker name rule. */
export const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
