// Walking a directory tree without following symlinks: the bytes it holds (apparent sizes of its
// files, as podman's `system df` and `ps --size` count them) and the stats of every entry. A
// missing tree is empty; entries that vanish while it is walked are skipped.
import fs from 'node:fs';
import path from 'node:path';

/** Calls visit with the lstat of every entry under dir (not dir itself), depth first. */
export function walkTree(dir: string, visit: (st: fs.Stats) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    try {
      visit(fs.lstatSync(p));
    } catch {
      continue; // gone meanwhile
    }
    if (e.isDirectory()) walkTree(p, visit);
  }
}

/** The bytes of the files under dir, each hard-linked file once (as containers/storage's DiffSize). */
export function treeSize(dir: string): number {
  let total = 0;
  const linked = new Set<number>();
  walkTree(dir, (st) => {
    if (st.isDirectory()) return;
    if (st.nlink > 1 && st.isFile()) {
      if (linked.has(st.ino)) return;
      linked.add(st.ino);
    }
    total += st.size;
  });
  return total;
}
