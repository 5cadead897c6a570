// Container and exec-session identifiers: 64 hex characters, shown as 12.
import { createRequire } from 'node:module';

// node:crypto is loaded by the first new id, not by every module that checks or shortens one
// (a shim never makes one, and loading it is ~3 ms of a start-up).
const load = createRequire(import.meta.url);

export function newId(): string {
  return (load('node:crypto') as typeof import('node:crypto')).randomBytes(32).toString('hex');
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

export const ID_RE = /^[0-9a-f]{64}$/;
/** Podman/docker name rule. */
export const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
