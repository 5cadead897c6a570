// Failpoints (docs/reliability.md): named steps where a crash, or an I/O error, leaves a different
// picture on disk. Tests arm them with PMAN_FAILPOINT=NAME:ACTION[,NAME:ACTION…], ACTION one of
// `kill` (SIGKILL this process there), `eio`, `enospc` (the step fails with that error). Inherited
// by the shims a command starts. PMAN_FAILPOINT_HITS=FILE: each point reached, as NAME:ACTION, is
// appended there. Costs one env lookup per process when unset.
import { appendFileSync } from 'node:fs';

const armed = process.env.PMAN_FAILPOINT;

let table: Map<string, string> | undefined;

/** Every failpoint's name: a test arms each; an unknown one in PMAN_FAILPOINT fails the first failpoint reached. */
export const FAILPOINTS = [
  'create.after-name',
  'create.after-record',
  'create.after-bundle',
  'create.after-storage',
  'start.after-shim',
  'start.after-mount',
  'start.after-network',
  'start.after-runc-create',
  'start.after-runc-start',
  'start.after-record',
  'stop.after-signal',
  'exit.before-record',
  'exit.after-record',
  'rm-auto.before-files',
  'rm-auto.after-retire',
  'rm.after-runc-delete',
  'rm.after-network',
  'rm.after-unmount',
  'rm.after-record',
  'restart.before-relaunch',
  'image.after-blob',
  'image.after-layer',
  'image.after-record',
  'image.after-tag',
  'rmi.after-record',
  'rmi.after-layers',
  'volume.after-create',
  'volume.after-rm-record',
  'log.after-rotate',
] as const;

export type FailpointName = (typeof FAILPOINTS)[number];

/** Reached a failpoint: does nothing unless PMAN_FAILPOINT arms this one. */
export function failpoint(name: FailpointName): void {
  if (armed === undefined) return;
  trigger(name);
}

function trigger(name: string): void {
  table ??= new Map(
    armed!
      .split(',')
      .filter(Boolean)
      .map((spec) => {
        const i = spec.lastIndexOf(':');
        const [point, action] = [spec.slice(0, i), spec.slice(i + 1)];
        if (!(FAILPOINTS as readonly string[]).includes(point) || !['kill', 'eio', 'enospc'].includes(action)) {
          throw new Error(`invalid PMAN_FAILPOINT "${spec}": use NAME:kill|eio|enospc with a name from lib/util/failpoint.ts`);
        }
        return [point, action] as [string, string];
      }),
  );
  const action = table.get(name);
  if (action === undefined) return;
  // Tests learn that the point was reached (by whichever process: a CLI or a shim).
  const hits = process.env.PMAN_FAILPOINT_HITS;
  if (hits) appendFileSync(hits, `${name}:${action}\n`);
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  const code = action === 'enospc' ? 'ENOSPC' : 'EIO';
  const err = new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'i/o error'} (failpoint ${name})`) as NodeJS.ErrnoException;
  err.code = code;
  err.errno = code === 'ENOSPC' ? -28 : -5;
  throw err;
}
