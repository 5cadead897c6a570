// The program bin/pman runs (as the unprivileged user, outside any namespace) when it finds no live
// pause process: creates or recovers the user's namespace, then exits so bin/pman can join it.
import os from 'node:os';
import { exitCodeOf } from '../errors.js';
import { ensureUserNamespace } from './setup.js';

async function setupMain(): Promise<number> {
  const dir = process.env._PMAN_PAUSE_DIR;
  if (!dir) throw new Error('_PMAN_PAUSE_DIR is not set: run pman through bin/pman');
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const user = os.userInfo().username;
  const r = await ensureUserNamespace({ dir, uid, gid, user });
  if (r.singleMapping) {
    const what = r.singleMapping.noRanges
      ? `no subordinate IDs for user "${user}" in /etc/subuid and /etc/subgid`
      : `cannot map the subordinate IDs of user "${user}" (${r.singleMapping.reason})`;
    process.stderr.write(
      `WARN: ${what}: pman runs with a single-ID user namespace (uid and gid 0 only), so images with files owned by other users or groups will fail; ` +
        `add ranges (usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${user}), then run "pman system migrate"\n`,
    );
  }
  return 0;
}

// The exit code is set, not forced: the process ends once the pause process is detached.
setupMain().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    if (process.env.PMAN_LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = exitCodeOf(err);
  },
);
