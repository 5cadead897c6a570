// Test images for the rootless suite, written with python3's tarfile from the busybox rootfs:
// one with files of several owners and a setuid binary, one owned by root only (for a user
// without subordinate IDs), and a docker-archive whose upper layer has whiteouts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function python(script: string, args: string[]): void {
  execFileSync('python3', ['-c', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const COPY_BASE = `
import sys, tarfile, io
def copy(src, dst, owner=None):
    with tarfile.open(src) as s:
        for m in s.getmembers():
            if owner is not None:
                m.uid = m.gid = owner; m.uname = m.gname = ''
            dst.addfile(m, s.extractfile(m) if m.isfile() else None)
def add(t, name, uid, gid, mode, data=None, kind=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name); ti.uid = uid; ti.gid = gid; ti.mode = mode; ti.mtime = 0; ti.type = kind
    body = None
    if data is not None:
        data = data.encode() if isinstance(data, str) else data
        body = io.BytesIO(data); ti.size = len(data)
    t.addfile(ti, body)
`;

/**
 * busybox plus /owned: u1000 (1000:1000 0640), nobody (65534:65534 0600), setuid (root 4755,
 * a copy of busybox), sgid-dir (1000:65534 2770) and a file inside it.
 */
export function ownershipImage(base: string, out: string): string {
  python(
    `${COPY_BASE}
with tarfile.open(sys.argv[2], 'w', format=tarfile.PAX_FORMAT) as t:
    copy(sys.argv[1], t)
    add(t, 'owned', 0, 0, 0o755, kind=tarfile.DIRTYPE)
    add(t, 'owned/u1000', 1000, 1000, 0o640, 'mine')
    add(t, 'owned/nobody', 65534, 65534, 0o600, 'nobody')
    add(t, 'owned/sgid-dir', 1000, 65534, 0o2770, kind=tarfile.DIRTYPE)
    add(t, 'owned/sgid-dir/f', 1000, 65534, 0o644, 'f')
    with tarfile.open(sys.argv[1]) as s:
        bb = s.getmember('bin/busybox')
        add(t, 'owned/setuid', 0, 0, 0o4755, s.extractfile(bb).read())
`,
    [base, out],
  );
  fs.chmodSync(out, 0o644);
  return out;
}

/** The busybox rootfs with every file owned by 0:0 (importable with a single-ID mapping). */
export function rootOnlyImage(base: string, out: string): string {
  python(
    `${COPY_BASE}
with tarfile.open(sys.argv[2], 'w', format=tarfile.PAX_FORMAT) as t:
    copy(sys.argv[1], t, owner=0)
`,
    [base, out],
  );
  fs.chmodSync(out, 0o644);
  return out;
}

/**
 * A docker-archive (docker save layout) tagged localhost/whiteouts:latest: busybox, then a layer
 * with /data/{a,b} and /opq/x, then one that deletes /data/a and makes /opq opaque (adding /opq/y).
 */
export function whiteoutArchive(base: string, out: string): string {
  python(
    `${COPY_BASE}
import json, hashlib
def layer(fill):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.PAX_FORMAT) as t:
        fill(t)
    return buf.getvalue()
def l1(t):
    add(t, 'data', 0, 0, 0o755, kind=tarfile.DIRTYPE); add(t, 'data/a', 0, 0, 0o644, 'A'); add(t, 'data/b', 0, 0, 0o644, 'B')
    add(t, 'opq', 0, 0, 0o755, kind=tarfile.DIRTYPE); add(t, 'opq/x', 0, 0, 0o644, 'X')
def l2(t):
    add(t, 'data', 0, 0, 0o755, kind=tarfile.DIRTYPE); add(t, 'data/.wh.a', 0, 0, 0o644, '')
    add(t, 'opq', 0, 0, 0o755, kind=tarfile.DIRTYPE); add(t, 'opq/.wh..wh..opq', 0, 0, 0o644, ''); add(t, 'opq/y', 0, 0, 0o644, 'Y')
layers = [open(sys.argv[1], 'rb').read(), layer(l1), layer(l2)]
diff_ids = ['sha256:' + hashlib.sha256(l).hexdigest() for l in layers]
config = json.dumps({'architecture': 'amd64', 'os': 'linux', 'config': {'Cmd': ['sh']},
                     'rootfs': {'type': 'layers', 'diff_ids': diff_ids}}).encode()
config_name = hashlib.sha256(config).hexdigest() + '.json'
def blob(t, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; t.addfile(ti, io.BytesIO(data))
with tarfile.open(sys.argv[2], 'w') as t:
    blob(t, config_name, config)
    names = []
    for i, l in enumerate(layers):
        names.append('%d/layer.tar' % i); blob(t, names[-1], l)
    blob(t, 'manifest.json', json.dumps([{'Config': config_name, 'RepoTags': ['localhost/whiteouts:latest'], 'Layers': names}]).encode())
`,
    [base, out],
  );
  fs.chmodSync(out, 0o644);
  return out;
}
