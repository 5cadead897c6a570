// The bytes a directory tree holds (apparent sizes of its files, symlinks not followed), as
// podman's `system df` and `ps --size` count them. A missing tree is 0; entries that vanish while
// it is walked are skipped.
import fs from 'node:fs';
import path from 'node:path';

export function treeSize(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += treeSize(p);
    else {
      try {
        total += fs.lstatSync(p).size;
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return total;
}
