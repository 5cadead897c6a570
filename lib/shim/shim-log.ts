// The shim's own diagnostics (never the container's output): stderr until its options have come,
// then <rundir>/shim.log. A detached shim has no terminal to say anything on.
import fs from 'node:fs';
import path from 'node:path';

export type Log = (message: string) => void;

export class ShimLog {
  private fd = 2;

  readonly log: Log = (message) => {
    try {
      fs.writeSync(this.fd, `${new Date().toISOString()} ${message}\n`);
    } catch {
      /* nowhere to log */
    }
  };

  /** Makes the container's runtime directory (if need be) and logs to its shim.log from now on. */
  openIn(runDir: string): void {
    try {
      fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
      this.fd = fs.openSync(path.join(runDir, 'shim.log'), 'a', 0o600);
    } catch {
      /* keep stderr */
    }
  }
}
