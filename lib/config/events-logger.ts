// containers.conf's [engine] events_logger: where events go when no --events-backend is given
// (docs/events.md). Read only when a command first writes an event (or launches a shim, which
// gets the resolved backend in its options), so commands that record nothing never read it.
import type { EventsBackend } from '../context.js';
import { containersConfFor } from './conf-cache.js';

/**
 * The backend containers.conf names, resolved once: `none`, or the file. `journald` (pman writes
 * no systemd journal) is taken as the file, with one warning.
 */
export function confEventsBackend(env: NodeJS.ProcessEnv, runroot: () => string, warn: (message: string) => void): () => EventsBackend {
  let backend: EventsBackend | undefined;
  return () => {
    if (backend) return backend;
    const conf = containersConfFor(env, runroot());
    if (conf.eventsLogger === 'journald') warn(`events_logger "journald" in containers.conf (${conf.files.join(', ')}) is not supported: pman writes no systemd journal, events go to its events file`);
    backend = conf.eventsLogger === 'none' ? 'none' : 'file';
    return backend;
  };
}
