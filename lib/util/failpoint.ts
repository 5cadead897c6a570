// Failpoints (docs/reliability.md): named steps where a crash, or an I/O error, leaves a different
// picture on disk. Tests arm them with PMAN_FAILPOINT=NAME:ACTION[,NAME:ACTION…], ACTION one of
// `kill` (SIGKILL this process there), `eio`, `enospc` (the step fails with that error). Inherited
// by the shims a command starts. Costs one env lookup per process when unset.
const armed = process.env.PMAN_FAILPOINT;

let table: Map<string, string> | undefined;

/** Every failpoint's name: a test arms each, and an unknown name is refused when armed. */
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
        return [spec.slice(0, i), spec.slice(i + 1)] as [string, string];
      }),
  );
  const action = table.get(name);
  if (action === undefined) return;
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  const code = action === 'enospc' ? 'ENOSPC' : 'EIO';
  const err = new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'i/o error'} (failpoint ${name})`) as NodeJS.ErrnoException;
  err.code = code;
  err.errno = code === 'ENOSPC' ? -28 : -5;
  throw err;
}
