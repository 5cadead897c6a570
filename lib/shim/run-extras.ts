// The shim's part of podman's run/create flags of #20, part 1, once the container runs: the pid
// files (--pidfile: the container's pid 1; --conmon-pidfile: this shim), --timeout (the container
// is killed when it runs out; its exit code is then 255, as under conmon), and --sdnotify conmon
// (READY=1 and MAINPID to pman's NOTIFY_SOCKET, by systemd-notify).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { ShimParts } from './shim-parts.js';

/** Exit code of a container killed by its --timeout (conmon's). */
export const TIMEOUT_EXIT_CODE = 255;

function writePid(s: ShimParts, file: string, pid: number): void {
  try {
    fs.writeFileSync(file, `${pid}`, { mode: 0o644 });
  } catch (err) {
    s.log(`cannot write the pid file ${file}: ${(err as Error).message}`);
  }
}

export function onExtrasRunning(s: ShimParts): void {
  const x = s.rec.config.extras;
  if (!x) return;
  if (x.pidfile) writePid(s, x.pidfile, s.proc.pid);
  if (x.conmonPidfile) writePid(s, x.conmonPidfile, process.pid);
  if (x.timeout) {
    setTimeout(() => {
      if (s.proc.exitStatus || s.finishing) return;
      s.log(`the container ran out of its --timeout of ${x.timeout}s: killing it`);
      s.timedOut = true;
      s.proc.signal('SIGKILL');
    }, x.timeout * 1000).unref();
  }
  if (x.sdnotify === 'conmon' && x.notifySocket) {
    const child = spawn('systemd-notify', ['--ready', `MAINPID=${process.pid}`], { env: { NOTIFY_SOCKET: x.notifySocket }, stdio: 'ignore' });
    child.on('error', (err) => s.log(`cannot notify systemd: ${err.message}`));
  }
}
