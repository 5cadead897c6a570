// Resolves a container user ("name", "uid", "name:group", "uid:gid") to numeric IDs the way podman
// does, from the container's /etc/passwd and /etc/group.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { ResolvedUser } from './spec.js';

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    out.push({ name: f[0], uid, gid, home: f[5] || '/' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || line.startsWith('#')) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    out.push({ name: f[0], gid, members: f[3] ? f[3].split(',').filter(Boolean) : [] });
  }
  return out;
}

const isNumeric = (s: string) => /^[0-9]+$/.test(s);

/** The IDs of --group-add's groups (names or numbers), names looked up in the container's /etc/group. */
export function groupIdsOf(names: string[], groupText: string): number[] {
  const groups = parseGroup(groupText);
  return names.map((g) => {
    if (isNumeric(g)) return Number(g);
    const found = groups.find((x) => x.name === g);
    if (!found) throw new InvalidArgumentError(`invalid --group-add "${g}": no such group in the container's /etc/group; use a number`);
    return found.gid;
  });
}

/**
 * Resolves `spec` against passwd/group contents (either may be empty when the image has none).
 * A numeric uid needs no passwd entry; a name does.
 */
export function resolveUser(spec: string, passwdText: string, groupText: string): ResolvedUser {
  const passwd = parsePasswd(passwdText);
  const groups = parseGroup(groupText);
  const [userPart, groupPart] = (spec || '0').split(':', 2);
  let uid: number;
  let gid: number;
  let home = '/';
  let userName: string | undefined;
  if (isNumeric(userPart)) {
    uid = Number(userPart);
    const entry = passwd.find((p) => p.uid === uid);
    gid = entry?.gid ?? 0;
    home = entry?.home ?? '/';
    userName = entry?.name;
  } else {
    const entry = passwd.find((p) => p.name === userPart);
    if (!entry) {
      throw new InvalidArgumentError(`cannot resolve user "${userPart}": no such user in the container's /etc/passwd; use a numeric uid`);
    }
    uid = entry.uid;
    gid = entry.gid;
    home = entry.home;
    userName = entry.name;
  }
  if (uid === 0 && home === '/' && !passwd.some((p) => p.uid === 0)) home = '/root';
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw new InvalidArgumentError(`cannot resolve group "${groupPart}": no such group in the container's /etc/group; use a numeric gid`);
      gid = g.gid;
    }
  }
  const additionalGids =
    groupPart === undefined && userName !== undefined
      ? groups.filter((g) => g.members.includes(userName!) && g.gid !== gid).map((g) => g.gid)
      : [];
  return { uid, gid, additionalGids, home };
}

/**
 * Reads a small file of the image from its layer directories (top-most first) without following
 * symlinks out of the layers: the first layer holding the path as a regular file wins; a whiteout
 * (char device) or a symlink in a higher layer hides it. Missing -> ''.
 */
export function readImageFile(layerDirs: string[], rel: string): string {
  const parts = rel.split('/').filter(Boolean);
  for (const dir of layerDirs) {
    let p = dir;
    let hidden = false;
    for (let i = 0; i < parts.length; i++) {
      p = path.join(p, parts[i]);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(p);
      } catch {
        hidden = false;
        p = '';
        break;
      }
      const last = i === parts.length - 1;
      if (st.isCharacterDevice() && st.rdev === 0) {
        hidden = true;
        break;
      }
      if (st.isSymbolicLink()) {
        hidden = true;
        break;
      }
      if (last) {
        if (st.isFile() && st.size < 4 * 1024 * 1024) return fs.readFileSync(p, 'utf8');
        hidden = true;
      } else if (!st.isDirectory()) {
        hidden = true;
        break;
      }
    }
    if (hidden) return '';
  }
  return '';
}
