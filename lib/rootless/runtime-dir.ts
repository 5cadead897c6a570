// The user's runtime directory (pause.pid, sockets, runc state): it must be a real directory the
// user owns with mode 0700, never a symlink or a directory someone else planted in /tmp.
import fs from 'node:fs';
import { PmanError, systemError } from '../errors.js';

function cannotUse(dir: string, reason: string): PmanError {
  return new PmanError('system', `cannot use "${dir}" as the runtime directory: ${reason}; remove it or point XDG_RUNTIME_DIR at a directory you own`);
}

/** Creates dir (mode 0700) if needed and checks it belongs to uid; fixes a too-open mode of our own. */
export function prepareRuntimeDir(dir: string, uid: number): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw cannotUse(dir, 'its parent directory does not exist');
    if (code !== 'EEXIST') throw systemError(`create the runtime directory "${dir}"`, err);
  }
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink()) throw cannotUse(dir, 'it is a symbolic link');
  if (!st.isDirectory()) throw cannotUse(dir, 'it is not a directory');
  if (st.uid !== uid) throw cannotUse(dir, `it is owned by uid ${st.uid}, not by you (uid ${uid})`);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}
